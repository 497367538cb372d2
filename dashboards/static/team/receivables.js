// Receivables: open invoices with their aging bucket and a bar of the buckets, the collection
// plans of orders paid in installments, and the finance actions: reminder, hand-over to a
// collector, write-off (each irreversible step asks first).

import { fmt, lang, t } from "/static/common/i18n.js";
import { act, confirmAction } from "/static/common/ui.js";
import { badge, countdown, digest, empty, h, redraw, short, table } from "/static/team/dom.js";
import { can, command, desk, id, simNow, store } from "/static/team/store.js";

const BUCKETS = ["current", "1-30", "31-60", "61-90", "90+"];
const BUCKET_KIND = { current: "ok", "1-30": "warn", "31-60": "warn", "61-90": "bad", "90+": "bad" };
let showClosed = false;

const isOpen = (i) => i.status === "open" || i.status === "collection";

function agingBar(aging) {
  const total = BUCKETS.reduce((s, b) => s + (aging[b] || 0), 0);
  const bar = h(
    "div",
    { class: "aging-bar", role: "img", "aria-label": t("team.inv.agingLabel", { total: fmt.money(total) }) },
    BUCKETS.filter((b) => aging[b] > 0).map((b) => {
      const seg = h("span", {
        class: `aging-seg b${BUCKETS.indexOf(b)}`,
        title: `${t(`team.bucket.${b}`)}: ${fmt.money(aging[b])}`,
      });
      seg.style.flexGrow = String(aging[b]);
      return seg;
    }),
  );
  const legend = h(
    "ul",
    { class: "aging-legend" },
    BUCKETS.map((b) =>
      h(
        "li",
        { dataset: { bucket: b } },
        h("span", { class: `swatch b${BUCKETS.indexOf(b)}` }),
        h("span", { class: "bucket-name" }, t(`team.bucket.${b}`)),
        " ",
        h("strong", {}, fmt.money(aging[b] || 0)),
      ),
    ),
  );
  return h(
    "div",
    { class: "aging" },
    h("div", { class: "aging-total" }, t("team.inv.openTotal", { total: fmt.money(total) })),
    total > 0 ? bar : h("div", { class: "aging-bar empty" }),
    legend,
  );
}

function dueCell(inv) {
  if (!isOpen(inv)) return fmt.simTime(inv.due_t, store.status);
  return [
    h(
      "div",
      {},
      inv.due_t > simNow()
        ? countdown(inv.due_t, { warnHours: 8 })
        : h("span", { class: "bad" }, t("team.inv.overdueDays", { days: fmt.num(inv.days_overdue, 1) })),
    ),
    h("div", { class: "sub" }, fmt.simTime(inv.due_t, store.status)),
  ];
}

async function remind(inv, rules) {
  const now = simNow();
  const gap = rules.reminder_gap_days * (store.status?.hours_per_day || 8);
  const last = inv.reminders.at(-1);
  if (now < inv.due_t && !confirmAction(t("team.inv.earlyConfirm", { id: short(inv.invoice_id) }))) return;
  if (
    last != null &&
    now - last < gap &&
    !confirmAction(
      t("team.inv.repeatConfirm", { id: short(inv.invoice_id), days: fmt.num(rules.reminder_gap_days, 0) }),
    )
  )
    return;
  await act(
    () => command("POST", `/invoices/${id(inv.invoice_id)}/reminder`),
    t("team.inv.reminded", { id: short(inv.invoice_id) }),
  );
}

async function handOver(inv, rules) {
  const text = t("team.inv.collectionConfirm", {
    id: short(inv.invoice_id),
    amount: fmt.money(inv.outstanding),
    share: fmt.pct(rules.collection_recovery),
  });
  if (!confirmAction(text)) return;
  await act(
    () => command("POST", `/invoices/${id(inv.invoice_id)}/collection`),
    t("team.inv.handedOver", { id: short(inv.invoice_id) }),
  );
}

async function writeOff(inv) {
  if (
    !confirmAction(
      t("team.inv.writeOffConfirm", { id: short(inv.invoice_id), amount: fmt.money(inv.outstanding) }),
    )
  )
    return;
  await act(
    () => command("POST", `/invoices/${id(inv.invoice_id)}/write-off`),
    t("team.inv.writtenOff", { id: short(inv.invoice_id) }),
  );
}

function actionsCell(inv, rules) {
  if (inv.status !== "open") return h("span", { class: "muted" }, "—");
  const overdue = inv.due_t <= simNow();
  const buttons = [];
  if (can("send_reminder"))
    buttons.push(
      h(
        "button",
        { type: "button", class: "small", dataset: { action: "remind" }, onclick: () => remind(inv, rules) },
        t("team.inv.remind"),
      ),
    );
  if (can("hand_over_to_collection")) {
    buttons.push(
      h(
        "button",
        {
          type: "button",
          class: "small",
          dataset: { action: "collection" },
          disabled: !overdue,
          title: overdue ? null : t("team.inv.notDue"),
          onclick: () => handOver(inv, rules),
        },
        t("team.inv.collection"),
      ),
    );
  }
  if (can("write_off")) {
    buttons.push(
      h(
        "button",
        {
          type: "button",
          class: "small danger",
          dataset: { action: "write-off" },
          disabled: !overdue,
          title: overdue ? null : t("team.inv.notDue"),
          onclick: () => writeOff(inv),
        },
        t("team.inv.writeOff"),
      ),
    );
  }
  return buttons.length ? h("div", { class: "actions" }, buttons) : h("span", { class: "muted" }, "—");
}

function statusBadge(inv) {
  if (inv.status === "open") return badge(t(`team.bucket.${inv.bucket}`), BUCKET_KIND[inv.bucket]);
  return badge(
    t(`team.inv.status.${inv.status}`),
    inv.status === "written_off" ? "bad" : inv.status === "collection" ? "warn" : "ok",
  );
}

function invoiceRow(inv, rules) {
  return h(
    "tr",
    { dataset: { id: inv.invoice_id } },
    h(
      "td",
      {},
      h("span", { class: "strong" }, short(inv.invoice_id)),
      h(
        "div",
        { class: "sub" },
        h(
          "button",
          { type: "button", class: "linkish", dataset: { customer: inv.customer_id } },
          inv.customer_id,
        ),
        inv.installments > 1 ? ` · ${t("team.inv.part", { i: inv.installment, n: inv.installments })}` : "",
      ),
    ),
    h(
      "td",
      { class: "num" },
      fmt.money(inv.outstanding, 2),
      inv.outstanding !== inv.amount
        ? h("div", { class: "sub" }, t("team.inv.of", { amount: fmt.money(inv.amount, 2) }))
        : null,
    ),
    h("td", {}, dueCell(inv)),
    h(
      "td",
      {},
      statusBadge(inv),
      inv.reminders.length
        ? h(
            "div",
            { class: "sub", title: fmt.simTime(inv.reminders.at(-1), store.status) },
            t("team.inv.reminders", { n: inv.reminders.length }),
          )
        : null,
    ),
    h("td", { class: "actions-cell" }, actionsCell(inv, rules)),
  );
}

function plans(invoices) {
  const byOrder = new Map();
  for (const inv of invoices) {
    if (inv.installments <= 1) continue;
    if (!byOrder.has(inv.order_id)) byOrder.set(inv.order_id, []);
    byOrder.get(inv.order_id).push(inv);
  }
  const active = [...byOrder.entries()].filter(([, parts]) => parts.some(isOpen));
  if (!active.length) return null;
  return [
    h("h3", {}, t("team.inv.plans")),
    h(
      "ul",
      { class: "plans" },
      active.map(([order, parts]) => {
        parts.sort((a, b) => a.installment - b.installment);
        const left = parts.filter(isOpen).reduce((s, i) => s + i.outstanding, 0);
        return h(
          "li",
          {},
          h("strong", {}, short(order)),
          " ",
          h("span", { class: "muted" }, parts[0].customer_id),
          " · ",
          t("team.inv.planLeft", { left: fmt.money(left) }),
          " ",
          parts.map((p) =>
            badge(
              `${p.installment}/${p.installments} ${p.status === "open" ? t(`team.bucket.${p.bucket}`) : t(`team.inv.status.${p.status}`)}`,
              p.status === "paid" ? "ok" : p.status === "open" ? BUCKET_KIND[p.bucket] : "",
            ),
          ),
        );
      }),
    ),
  ];
}

export function drawReceivables() {
  const state = store.state;
  const rules = desk();
  const invoices = state?.invoices ?? [];
  const open = invoices.filter(isOpen).sort((a, b) => a.due_t - b.due_t);
  const closed = invoices.filter((i) => !isOpen(i)).sort((a, b) => b.issued_t - a.issued_t);
  const overdue = open.filter((i) => i.bucket !== "current" && i.status === "open").length;
  document.getElementById("receivables-count").textContent = open.length
    ? t("team.inv.count", { open: open.length, overdue })
    : "";
  redraw(document.getElementById("aging"), digest(lang, state?.aging), () => (state ? aging(state) : null));
  const key = digest(
    lang,
    showClosed,
    rules?.permissions,
    open.map((i) => [
      i.invoice_id,
      i.status,
      i.outstanding,
      i.bucket,
      i.reminders.length,
      i.due_t <= (state?.t_sim ?? 0),
    ]),
    showClosed ? closed.map((i) => [i.invoice_id, i.status]) : closed.length,
    state?.policies.reminder_days,
  );
  redraw(document.getElementById("invoices"), key, () => {
    if (!state || !rules) return null;
    const columns = [
      [t("team.col.invoice")],
      [t("team.col.outstanding"), "num"],
      [t("team.col.due")],
      [t("team.col.bucket")],
      [t("team.col.actions")],
    ];
    const auto = state.policies.reminder_days;
    return [
      h(
        "p",
        { class: "hint" },
        auto == null ? t("team.inv.autoOff") : t("team.inv.autoOn", { days: fmt.num(auto, 1) }),
      ),
      open.length
        ? table(
            columns,
            open.map((i) => invoiceRow(i, rules)),
            { class: "invoice-table" },
          )
        : empty(t("team.inv.none")),
      closed.length
        ? h(
            "button",
            {
              type: "button",
              class: "more",
              onclick: () => {
                showClosed = !showClosed;
                drawReceivables();
              },
            },
            showClosed ? t("team.inv.hideClosed") : t("team.inv.showClosed", { n: closed.length }),
          )
        : null,
      showClosed && closed.length
        ? table(
            columns,
            closed.map((i) => invoiceRow(i, rules)),
            { class: "invoice-table closed" },
          )
        : null,
    ];
  });
  redraw(
    document.getElementById("plans"),
    digest(
      lang,
      invoices
        .filter((i) => i.installments > 1)
        .map((i) => [i.invoice_id, i.status, i.bucket, i.outstanding]),
    ),
    () => plans(invoices),
  );
  return overdue;
}

function aging(state) {
  return agingBar(state.aging);
}
