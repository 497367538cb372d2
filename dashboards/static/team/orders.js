// The order ledger: every order won, its value, the promised delivery day and whether it is
// late, waiting for cash (held), delivered (late or defective) or voided.

import { fmt, lang, t } from "/static/common/i18n.js";

import { badge, countdown, digest, empty, h, redraw, short, table } from "/static/team/dom.js";
import { store } from "/static/team/store.js";

const box = document.getElementById("orders");
const SHOWN = 12;
let showAll = false;

const STATUS_KIND = { open: "", held: "warn", delivered: "ok", voided: "bad" };

function dueCell(o) {
  if (o.status === "open" || o.status === "held") {
    return [
      h("div", {}, fmt.simTime(o.delivery_due_t, store.status)),
      h("div", { class: "sub" }, countdown(o.delivery_due_t, { warnHours: 4 })),
    ];
  }
  return fmt.simTime(o.delivery_due_t, store.status);
}

function lateCell(o) {
  const marks = [];
  if (o.late_days > 0) marks.push(badge(t("team.order.lateDays", { days: fmt.num(o.late_days, 1) }), "bad"));
  if (o.defect) marks.push(badge(t("team.order.defect"), "bad"));
  return marks.length ? marks : h("span", { class: "muted" }, "—");
}

export function drawOrders() {
  const orders = [...(store.state?.orders ?? [])];
  const active = (o) => (o.status === "open" || o.status === "held" ? 0 : 1);
  orders.sort(
    (a, b) =>
      active(a) - active(b) || (active(a) === 0 ? a.delivery_due_t - b.delivery_due_t : b.won_t - a.won_t),
  );
  const openCount = orders.filter((o) => active(o) === 0).length;
  document.getElementById("orders-count").textContent = orders.length
    ? t("team.order.count", { open: openCount, all: orders.length })
    : "";
  const shown = showAll ? orders : orders.slice(0, SHOWN);
  redraw(
    box,
    digest(
      lang,
      showAll,
      shown.map((o) => [o.order_id, o.status, o.late_days, o.defect]),
    ),
    () => {
      if (!orders.length) return empty(t("team.order.none"));
      const rows = shown.map((o) =>
        h(
          "tr",
          { dataset: { id: o.order_id } },
          h(
            "td",
            {},
            h("span", { class: "strong" }, short(o.order_id)),
            h(
              "div",
              { class: "sub" },
              h(
                "button",
                { type: "button", class: "linkish", dataset: { customer: o.customer_id } },
                o.customer_id,
              ),
            ),
          ),
          h("td", { class: "num" }, String(o.quantity)),
          h(
            "td",
            { class: "num" },
            fmt.money(o.value),
            h("div", { class: "sub" }, t("team.order.unit", { price: fmt.money(o.unit_price, 2) })),
          ),
          h("td", {}, dueCell(o)),
          h("td", {}, badge(t(`team.order.${o.status}`), STATUS_KIND[o.status] ?? "")),
          h("td", {}, lateCell(o)),
        ),
      );
      const more =
        orders.length > SHOWN
          ? h(
              "button",
              {
                type: "button",
                class: "more",
                onclick: () => {
                  showAll = !showAll;
                  drawOrders();
                },
              },
              showAll ? t("team.showFewer") : t("team.showAll", { n: orders.length }),
            )
          : null;
      return [
        table(
          [
            [t("team.col.order")],
            [t("team.col.qty"), "num"],
            [t("team.col.value"), "num"],
            [t("team.col.deliveryDue")],
            [t("team.col.status")],
            [t("team.col.late")],
          ],
          rows,
          { class: "orders-table" },
        ),
        more,
      ];
    },
  );
}
