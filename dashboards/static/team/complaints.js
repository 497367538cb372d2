// Complaint tickets: severity, cause, SLA countdown, escalation, and the remedies with what
// each would cost now (cash paid out, or money credited off the order's open invoices).

import { fmt, lang, t } from "/static/common/i18n.js";
import { act } from "/static/common/ui.js";
import { badge, countdown, digest, drafts, empty, field, h, label, redraw, short } from "/static/team/dom.js";
import { can, command, desk, id, store } from "/static/team/store.js";

const box = document.getElementById("complaints");
let showResolved = false;

/** Credit and cash of a credit note of `percent` % (credited off open invoices first, then refunded). */
export function creditNoteCost(costs, percent) {
  const give = Math.round(costs.order_value * percent) / 100;
  const credit = Math.min(give, costs.open);
  return { credit, cash: Math.min(give - credit, costs.paid) };
}

function costText({ cash, credit }) {
  if (cash > 0 && credit > 0)
    return t("team.cmp.costBoth", { cash: fmt.money(cash, 2), credit: fmt.money(credit, 2) });
  if (cash > 0) return t("team.cmp.costCash", { cash: fmt.money(cash, 2) });
  if (credit > 0) return t("team.cmp.costCredit", { credit: fmt.money(credit, 2) });
  return t("team.cmp.costNone");
}

function remedyCost(c, remedy, percent) {
  const costs = c.remedy_costs;
  if (remedy === "credit_note") return creditNoteCost(costs, Number.isFinite(percent) ? percent : 0);
  return costs[remedy] ?? { cash: 0, credit: 0 };
}

function ticket(c, rules, allowed) {
  const base = `cmp:${c.complaint_id}`;
  const percent = field(
    "input",
    `${base}:pct`,
    {
      type: "number",
      min: "0",
      max: "100",
      step: "1",
      inputmode: "decimal",
      class: "pct",
      "aria-label": t("team.cmp.percent"),
    },
    "10",
  );
  const optionText = (remedy) =>
    `${t(`team.remedy.${remedy}`)} — ${costText(remedyCost(c, remedy, Number(percent.value)))}`;
  const select = field(
    "select",
    `${base}:remedy`,
    { class: "remedy-select", "aria-label": t("team.cmp.remedy") },
    c.severity === "minor" ? "apology" : "credit_note",
    rules.remedies.map((remedy) => h("option", { value: remedy }, optionText(remedy))),
  );
  const percentBox = h("label", { class: "pct-box" }, percent, h("span", {}, "%"));
  const sync = () => {
    percentBox.hidden = select.value !== "credit_note";
    const option = [...select.options].find((o) => o.value === "credit_note");
    if (option) option.textContent = optionText("credit_note");
  };
  select.addEventListener("change", sync);
  percent.addEventListener("input", sync);
  sync();
  const resolve = async (event) => {
    event.preventDefault();
    const remedy = select.value;
    const body = { remedy, credit_percent: remedy === "credit_note" ? Number(percent.value) : 0 };
    const done = await act(
      () => command("POST", `/complaints/${id(c.complaint_id)}/resolve`, body),
      t("team.cmp.resolved", { id: short(c.complaint_id), remedy: t(`team.remedy.${remedy}`) }),
    );
    if (done) for (const key of [...drafts.keys()]) if (key.startsWith(base)) drafts.delete(key);
  };
  return h(
    "li",
    { class: `ticket ${c.severity}`, dataset: { id: c.complaint_id } },
    h(
      "div",
      { class: "ticket-head" },
      h("strong", {}, short(c.complaint_id)),
      " ",
      badge(t(`team.severity.${c.severity}`), c.severity === "major" ? "bad" : "warn"),
      " ",
      badge(label(`team.cause.${c.cause}`, c.cause)),
      " ",
      c.escalated ? badge(t("team.cmp.escalated"), "bad") : null,
      " ",
      c.sla_missed ? badge(t("team.cmp.slaMissed"), "bad") : null,
      h("span", { class: "ticket-sla" }, t("team.cmp.sla"), " ", countdown(c.sla_due_t, { warnHours: 1 })),
    ),
    h(
      "div",
      { class: "ticket-meta" },
      h("button", { type: "button", class: "linkish", dataset: { customer: c.customer_id } }, c.customer_id),
      c.order_id
        ? ` · ${short(c.order_id)} · ${t("team.cmp.orderValue", { value: fmt.money(c.remedy_costs.order_value) })}`
        : ` · ${t("team.cmp.noOrder")}`,
    ),
    allowed
      ? h(
          "form",
          { class: "remedies", novalidate: true, onsubmit: resolve },
          select,
          percentBox,
          h(
            "button",
            { type: "submit", class: "primary", dataset: { key: `${base}:go` } },
            t("team.cmp.resolve"),
          ),
        )
      : h("p", { class: "hint" }, t("team.cmp.readOnly")),
  );
}

function resolvedLine(c) {
  return h(
    "li",
    { class: "resolved", dataset: { id: c.complaint_id } },
    h("strong", {}, short(c.complaint_id)),
    " ",
    h("span", { class: "muted" }, c.customer_id),
    " · ",
    label(`team.remedy.${c.remedy}`, c.remedy),
    " · ",
    fmt.simTime(c.resolved_t, store.status),
    " ",
    c.resolved_t != null && c.resolved_t <= c.sla_due_t
      ? badge(t("team.cmp.inTime"), "ok")
      : badge(t("team.cmp.late"), "warn"),
  );
}

export function drawComplaints() {
  const state = store.state;
  const rules = desk();
  const all = state?.complaints ?? [];
  const open = all.filter((c) => c.status === "open").sort((a, b) => a.sla_due_t - b.sla_due_t);
  const resolved = all
    .filter((c) => c.status !== "open")
    .sort((a, b) => (b.resolved_t ?? 0) - (a.resolved_t ?? 0));
  document.getElementById("complaints-count").textContent = open.length ? String(open.length) : "";
  const allowed = can("resolve_complaint");
  const key = digest(
    lang,
    allowed,
    showResolved,
    open.map((c) => [c.complaint_id, c.escalated, c.sla_missed, c.remedy_costs]),
    showResolved ? resolved.map((c) => c.complaint_id) : resolved.length,
    state?.policies.apology,
  );
  redraw(box, key, () => {
    if (!state || !rules) return null;
    return [
      h(
        "p",
        { class: "hint" },
        t("team.cmp.hint", {
          minor: fmt.hours(rules.sla_hours.minor),
          major: fmt.hours(rules.sla_hours.major),
        }),
        state.policies.apology ? [" ", t("team.cmp.autoApology")] : null,
      ),
      open.length
        ? h(
            "ul",
            { class: "tickets" },
            open.map((c) => ticket(c, rules, allowed)),
          )
        : empty(t("team.cmp.none")),
      resolved.length
        ? h(
            "button",
            {
              type: "button",
              class: "more",
              onclick: () => {
                showResolved = !showResolved;
                drawComplaints();
              },
            },
            showResolved ? t("team.cmp.hideResolved") : t("team.cmp.showResolved", { n: resolved.length }),
          )
        : null,
      showResolved ? h("ul", { class: "resolved-list" }, resolved.slice(0, 40).map(resolvedLine)) : null,
    ];
  });
}
