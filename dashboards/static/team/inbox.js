// The inbox: open inquiries, soonest to expire first, with the SLA countdown in simulated
// hours and real time. Click a row or move with ↑/↓ and press Enter to open it in the quote form.

import { lang, t } from "/static/common/i18n.js";

import {
  badge,
  countdown,
  digest,
  empty,
  h,
  redraw,
  segmentName,
  syncRows,
  table,
} from "/static/team/dom.js";
import { store } from "/static/team/store.js";

const box = document.getElementById("inbox");
/** @type {(inquiryId: string, focus: boolean) => void} */
let onOpen = () => {};
let focusedId = null;

export function onInquiryOpen(handler) {
  onOpen = handler;
}

function statusBadge(i) {
  if (i.pending_approval) return badge(t("team.inq.awaiting"), "warn");
  if (i.status === "quoted") return badge(t("team.inq.quoted"), "ok");
  return badge(t("team.inq.open"));
}

function row(i) {
  return h(
    "tr",
    {
      tabindex: "-1",
      dataset: { id: i.inquiry_id, key: `inq:${i.inquiry_id}` },
      onclick: () => onOpen(i.inquiry_id, false),
    },
    h(
      "td",
      {},
      h("span", { class: "strong" }, i.customer_id),
      i.repeat ? [" ", badge(t("team.repeat"), "ok")] : null,
      h("div", { class: "sub" }, segmentName(i.segment)),
    ),
    h("td", { class: "num" }, String(i.quantity)),
    h(
      "td",
      { class: "sub-cell" },
      t("team.inq.wants", { terms: i.requested_terms, delivery: Math.round(i.wanted_delivery * 10) / 10 }),
    ),
    h("td", {}, countdown(i.expires_t, { warnHours: 2 })),
    h("td", {}, statusBadge(i)),
  );
}

export function drawInbox() {
  const inbox = store.state?.inbox ?? [];
  document.getElementById("inbox-count").textContent = inbox.length ? String(inbox.length) : "";
  // the table's frame is rebuilt only for another language or between empty and not; its rows
  // are kept in step one by one (syncRows), so a row stays put while it does not change
  redraw(box, digest(lang, inbox.length > 0, Boolean(store.state)), () => {
    if (!inbox.length) return empty(store.state ? t("team.inboxEmpty") : t("common.loading"));
    return table(
      [
        [t("team.col.customer")],
        [t("team.col.qty"), "num"],
        [t("team.col.wants")],
        [t("team.col.sla")],
        [t("team.col.status")],
      ],
      [],
      { class: "inbox-table", "aria-label": t("team.inbox") },
    );
  });
  const tbody = box.querySelector("tbody");
  if (!tbody) return;
  // a row whose inquiry changed is replaced: a keyboard user on it must not lose their place
  const focused = /** @type {HTMLElement | null} */ (
    box.contains(document.activeElement) ? document.activeElement?.closest("tr[data-id]") : null
  );
  syncRows(
    tbody,
    inbox,
    (i) => i.inquiry_id,
    (i) =>
      digest(
        i.status,
        i.pending_approval,
        i.expires_t,
        i.customer_id,
        i.segment,
        i.quantity,
        i.requested_terms,
        i.wanted_delivery,
        i.repeat,
      ),
    row,
  );
  // selection, focus order and the "new" mark change in place
  const ids = new Set(inbox.map((i) => i.inquiry_id));
  const focusable = [focusedId, store.selected].find((x) => x && ids.has(x)) ?? inbox[0]?.inquiry_id;
  for (const tr of /** @type {HTMLCollectionOf<HTMLElement>} */ (tbody.children)) {
    const id = tr.dataset.id;
    tr.tabIndex = id === focusable ? 0 : -1;
    tr.classList.toggle("selected", id === store.selected);
    tr.classList.toggle("new", store.newInquiries.has(id));
    tr.setAttribute("aria-selected", id === store.selected ? "true" : "false");
  }
  if (focused && !focused.isConnected) {
    const again = [...tbody.children].find(
      (tr) => /** @type {HTMLElement} */ (tr).dataset.id === focused.dataset.id,
    );
    /** @type {HTMLElement | null} */ (again ?? tbody.querySelector("tr[tabindex='0']"))?.focus();
  }
}

/** Focus the inbox: the selected row, else the first; the card when the inbox is empty. */
export function focusInbox() {
  const row = /** @type {HTMLElement | null} */ (
    box.querySelector("tr[tabindex='0']") || box.querySelector("tbody tr")
  );
  if (row) row.focus();
  else document.getElementById("inbox-card").focus();
}

box.addEventListener("focusin", (event) => {
  const row = /** @type {HTMLElement | null} */ (
    /** @type {HTMLElement} */ (event.target).closest("tr[data-id]")
  );
  if (row) focusedId = row.dataset.id;
});

box.addEventListener("keydown", (event) => {
  const row = /** @type {HTMLElement | null} */ (
    /** @type {HTMLElement} */ (event.target).closest("tr[data-id]")
  );
  if (!row) return;
  let next = null;
  if (event.key === "ArrowDown") next = row.nextElementSibling;
  else if (event.key === "ArrowUp") next = row.previousElementSibling;
  else if (event.key === "Home") next = row.parentElement.firstElementChild;
  else if (event.key === "End") next = row.parentElement.lastElementChild;
  else if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    onOpen(row.dataset.id, true);
    return;
  }
  if (next) {
    event.preventDefault();
    const target = /** @type {HTMLElement} */ (next);
    row.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  }
});
