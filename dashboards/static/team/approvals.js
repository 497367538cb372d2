// The approval queue: quotes whose discount is above the seller's authority wait here for the
// manager, who approves (the quote goes out) or rejects with a reason; others see it read-only.

import { fmt, lang, t } from "/static/common/i18n.js";
import { showError, toast } from "/static/common/ui.js";
import { badge, digest, drafts, empty, field, h, redraw, segmentName, short } from "/static/team/dom.js";
import { can, command, desk, id, store } from "/static/team/store.js";

const box = document.getElementById("approvals");

async function decide(approval, approve) {
  const key = `ap:${approval.approval_id}:reason`;
  const reason = (drafts.get(key) || "").trim();
  try {
    if (approve) await command("POST", `/approvals/${id(approval.approval_id)}/approve`);
    else await command("POST", `/approvals/${id(approval.approval_id)}/reject`, { reason });
    drafts.delete(key);
    toast(t(approve ? "team.ap.approved" : "team.ap.rejected", { id: short(approval.inquiry_id) }), "ok");
  } catch (error) {
    showError(error);
  }
}

function item(a, inquiries, decider) {
  const inq = inquiries.get(a.inquiry_id);
  return h(
    "li",
    { class: "approval", dataset: { id: a.approval_id, inquiry: a.inquiry_id } },
    h(
      "div",
      { class: "approval-head" },
      h("strong", {}, short(a.inquiry_id)),
      " ",
      inq
        ? h(
            "span",
            { class: "muted" },
            `${inq.customer_id} · ${segmentName(inq.segment)} · ${t("team.q.units", { n: inq.quantity })}`,
          )
        : null,
      " ",
      badge(
        t("team.ap.discount", { discount: fmt.pct(a.discount, 1) }),
        a.discount > desk().max_discount ? "bad" : "warn",
      ),
    ),
    h(
      "div",
      { class: "approval-terms" },
      t("team.ap.terms", {
        price: fmt.money(a.unit_price, 2),
        terms: fmt.num(a.terms_days, 0),
        delivery: fmt.num(a.delivery_days, 1),
        installments: a.installments,
        total: inq ? fmt.money(a.unit_price * inq.quantity) : "—",
      }),
    ),
    h(
      "div",
      { class: "hint" },
      t("team.ap.by", { role: t(`role.${a.requested_by}`), when: fmt.simTime(a.requested_t, store.status) }),
    ),
    decider
      ? h(
          "div",
          { class: "approval-actions" },
          h(
            "button",
            {
              type: "button",
              class: "primary",
              dataset: { key: `ap:${a.approval_id}:ok` },
              onclick: () => decide(a, true),
            },
            t("team.ap.approve"),
          ),
          h(
            "label",
            { class: "grow" },
            h("span", { class: "sr-only" }, t("team.ap.reason")),
            field("input", `ap:${a.approval_id}:reason`, {
              maxlength: "200",
              placeholder: t("team.ap.reasonHint"),
              "aria-label": t("team.ap.reason"),
            }),
          ),
          h(
            "button",
            {
              type: "button",
              class: "danger",
              dataset: { key: `ap:${a.approval_id}:no` },
              onclick: () => decide(a, false),
            },
            t("team.ap.reject"),
          ),
        )
      : null,
  );
}

export function drawApprovals() {
  const approvals = store.state?.approvals ?? [];
  const decider = can("approve_discount");
  document.getElementById("approvals-count").textContent = approvals.length ? String(approvals.length) : "";
  const rules = desk();
  document.getElementById("approvals-hint").textContent = !rules
    ? ""
    : decider
      ? t("team.ap.hintManager", {
          mine: fmt.pct(rules.authority.sales ?? 0),
          max: fmt.pct(rules.max_discount),
        })
      : t("team.ap.hintOthers", { approver: t(`role.${rules.approver}`) });
  const inquiries = new Map((store.state?.inbox ?? []).map((i) => [i.inquiry_id, i]));
  // only the inquiries waiting here matter: a new inquiry elsewhere must not rebuild the queue
  const shown = approvals
    .map((a) => inquiries.get(a.inquiry_id))
    .map((i) => i && [i.customer_id, i.segment, i.quantity]);
  redraw(box, digest(lang, decider, approvals, shown), () => {
    if (!approvals.length) return empty(t("team.ap.none"));
    return h(
      "ul",
      { class: "approval-list" },
      approvals.map((a) => item(a, inquiries, decider)),
    );
  });
}
