// The customer card: who the customer is (segment, ABC class), what the team did with it
// (orders, invoices, complaints), what the team knows (satisfaction from its last survey, risk
// grade if checked, notes) and the actions the member's role may take on it.

import { fmt, lang, t } from "/static/common/i18n.js";
import { act } from "/static/common/ui.js";
import { badge, digest, drafts, empty, field, h, redraw, segmentName, short } from "/static/team/dom.js";
import { can, command, customer, desk, id, simNow, store } from "/static/team/store.js";

const box = document.getElementById("customer");

function facts(rows) {
  return h(
    "dl",
    { class: "facts" },
    rows.filter(Boolean).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}

function history(c, state) {
  const orders = state.orders.filter((o) => o.customer_id === c.customer_id);
  const invoices = state.invoices.filter((i) => i.customer_id === c.customer_id);
  const complaints = state.complaints.filter((x) => x.customer_id === c.customer_id);
  const open = invoices.filter((i) => i.status === "open" || i.status === "collection");
  const overdue = open.filter((i) => i.bucket !== "current");
  const lines = [
    h(
      "li",
      {},
      t("team.cust.ordersLine", {
        n: orders.length,
        value: fmt.money(orders.reduce((s, o) => s + o.value, 0)),
      }),
      orders
        .slice(-3)
        .reverse()
        .map((o) => [
          " ",
          badge(`${short(o.order_id)} · ${t(`team.order.${o.status}`)}`, o.status === "voided" ? "bad" : ""),
        ]),
    ),
    h(
      "li",
      {},
      t("team.cust.invoicesLine", {
        n: invoices.length,
        open: open.length,
        outstanding: fmt.money(open.reduce((s, i) => s + i.outstanding, 0)),
        overdue: overdue.length,
      }),
    ),
    h(
      "li",
      {},
      t("team.cust.complaintsLine", {
        n: complaints.length,
        open: complaints.filter((x) => x.status === "open").length,
      }),
    ),
  ];
  return h("ul", { class: "history" }, lines);
}

function actions(c, rules) {
  const out = [];
  const run =
    (kind, path, bodyOf, okText, method = "POST") =>
    async () => {
      const body = bodyOf ? bodyOf() : undefined;
      if (body === null) return;
      const done = await act(
        () => command(method, `/customers/${id(c.customer_id)}/${path}`, body),
        okText(),
      );
      if (done)
        for (const key of [...drafts.keys()])
          if (key.startsWith(`cust:${c.customer_id}:`)) drafts.delete(key);
    };
  const buttons = [];
  if (can("request_survey")) {
    buttons.push(
      h(
        "button",
        {
          type: "button",
          id: "c-survey",
          onclick: run("request_survey", "survey", null, () =>
            t("team.cust.surveyed", { hours: fmt.hours(rules.survey_hours) }),
          ),
        },
        t("team.cust.survey", { cost: fmt.money(rules.survey_cost) }),
      ),
    );
  }
  if (can("check_credit")) {
    buttons.push(
      h(
        "button",
        {
          type: "button",
          id: "c-credit",
          onclick: run("check_credit", "credit-check", null, () => t("team.cust.checked")),
        },
        t("team.cust.creditCheck", { cost: fmt.money(rules.credit_check_cost) }),
      ),
    );
  }
  if (can("care_for_account")) {
    buttons.push(
      h(
        "button",
        {
          type: "button",
          id: "c-care",
          disabled: c.orders === 0,
          title: c.orders === 0 ? t("team.cust.careNoOrders") : null,
          onclick: run("care_for_account", "care", null, () =>
            t("team.cust.cared", { days: fmt.num(rules.care_days, 0) }),
          ),
        },
        t("team.cust.care", { cost: fmt.money(rules.care_cost) }),
      ),
    );
  }
  if (buttons.length) out.push(h("div", { class: "actions" }, buttons));
  if (can("add_note")) {
    const key = `cust:${c.customer_id}:note`;
    const input = field("input", key, {
      id: "c-note",
      maxlength: "500",
      placeholder: t("team.cust.notePlaceholder"),
    });
    const submit = run(
      "add_note",
      "notes",
      () => {
        const text = input.value.trim();
        if (!text) {
          input.setAttribute("aria-invalid", "true");
          input.focus();
          return null;
        }
        return { text };
      },
      () => t("team.cust.noted"),
    );
    out.push(
      h(
        "form",
        {
          class: "inline-form",
          novalidate: true,
          onsubmit: (e) => {
            e.preventDefault();
            submit();
          },
        },
        h("label", { class: "grow" }, h("span", {}, t("team.cust.note")), input),
        h("button", { type: "submit" }, t("team.cust.addNote")),
      ),
    );
  }
  if (can("set_credit_limit")) {
    const key = `cust:${c.customer_id}:limit`;
    const input = field(
      "input",
      key,
      { id: "c-limit", type: "number", min: "0", step: "100", inputmode: "decimal" },
      c.credit_limit ?? "",
    );
    const submit = run(
      "set_credit_limit",
      "credit-limit",
      () => {
        const limit = Number(input.value);
        if (input.value === "" || !Number.isFinite(limit) || limit < 0) {
          input.setAttribute("aria-invalid", "true");
          input.focus();
          return null;
        }
        return { limit };
      },
      () => t("team.cust.limitSet"),
      "PUT",
    );
    out.push(
      h(
        "form",
        {
          class: "inline-form",
          novalidate: true,
          onsubmit: (e) => {
            e.preventDefault();
            submit();
          },
        },
        h("label", { class: "grow" }, h("span", {}, t("team.cust.limit")), input),
        h("button", { type: "submit" }, t("team.cust.setLimit")),
      ),
    );
  }
  if (!out.length) out.push(h("p", { class: "hint" }, t("team.cust.noActions")));
  return out;
}

export function drawCustomer() {
  const state = store.state;
  const rules = desk();
  const c = store.customer ? customer(store.customer) : null;
  document.getElementById("customer-name").textContent = c ? c.customer_id : "";
  const key = digest(
    lang,
    c,
    rules?.permissions,
    c &&
      state && [
        state.orders.filter((o) => o.customer_id === c.customer_id).map((o) => [o.order_id, o.status]),
        state.invoices
          .filter((i) => i.customer_id === c.customer_id)
          .map((i) => [i.invoice_id, i.status, i.outstanding, i.bucket]),
        state.complaints
          .filter((x) => x.customer_id === c.customer_id)
          .map((x) => [x.complaint_id, x.status]),
      ],
  );
  redraw(box, key, () => {
    if (!c || !rules) return empty(t("team.cust.none"));
    const hpd = store.status?.hours_per_day || 8;
    const careUntil = c.care_t != null ? c.care_t + rules.care_days * hpd : null;
    return [
      h(
        "div",
        { class: "cust-head" },
        badge(segmentName(c.segment)),
        " ",
        badge(t("team.cust.abc", { abc: c.abc }), c.abc === "A" ? "ok" : ""),
        c.churned ? [" ", badge(t("team.cust.churned"), "bad")] : null,
      ),
      facts([
        [t("team.cust.firstSeen"), fmt.simTime(c.first_seen_t, store.status)],
        [
          t("team.cust.inquiries"),
          t("team.cust.inquiriesValue", { inquiries: c.inquiries, orders: c.orders }),
        ],
        [t("team.cust.revenue"), fmt.money(c.revenue)],
        [t("team.cust.balance"), fmt.money(c.open_balance)],
        [t("team.cust.limit"), c.credit_limit == null ? t("team.cust.noLimit") : fmt.money(c.credit_limit)],
        [
          t("team.cust.satisfaction"),
          c.survey_satisfaction == null
            ? h("span", { class: "muted" }, t("team.cust.notSurveyed"))
            : t("team.cust.surveyValue", {
                score: fmt.score(c.survey_satisfaction * 100),
                when: fmt.simTime(c.survey_t, store.status),
              }),
        ],
        [
          t("team.cust.grade"),
          c.grade == null
            ? h("span", { class: "muted" }, t("team.cust.notChecked"))
            : badge(c.grade, c.grade <= "B" ? "ok" : c.grade === "C" ? "warn" : "bad"),
        ],
        [
          t("team.cust.careLabel"),
          careUntil == null
            ? h("span", { class: "muted" }, t("team.cust.noCare"))
            : careUntil > simNow()
              ? t("team.cust.careUntil", { until: fmt.simTime(careUntil, store.status) })
              : t("team.cust.careOver"),
        ],
      ]),
      h("h3", {}, t("team.cust.history")),
      history(c, state),
      c.notes.length
        ? [
            h("h3", {}, t("team.cust.notes")),
            h(
              "ul",
              { class: "notes" },
              c.notes.map((n) => h("li", {}, n)),
            ),
          ]
        : null,
      h("h3", {}, t("team.cust.actions")),
      actions(c, rules),
    ];
  });
}
