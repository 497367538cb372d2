// The activity feed: the team's events as they arrive on /ws/team, in words, newest first;
// the ones a member must not miss (approvals decided, new complaints, announcements) also
// pop up as a toast.

import { api } from "/static/common/api.js";
import { fmt, has, lang, t } from "/static/common/i18n.js";
import { toast } from "/static/common/ui.js";
import { digest, h, redraw, segmentName, short } from "/static/team/dom.js";
import { role, store } from "/static/team/store.js";

const KEEP = 80;
let lastComplaintToast = 0;

function vars(data) {
  const out = { ...data };
  for (const name of ["inquiry_id", "order_id", "invoice_id", "complaint_id", "approval_id"]) {
    if (data[name]) out[name] = short(data[name]);
  }
  for (const name of [
    "amount",
    "value",
    "budget",
    "outstanding",
    "cost",
    "needed",
    "cogs",
    "limit",
    "starting_cash",
  ]) {
    if (typeof data[name] === "number") out[name] = fmt.money(data[name]);
  }
  if (typeof data.unit_price === "number") out.unit_price = fmt.money(data.unit_price, 2);
  if (typeof data.discount === "number") out.discount = fmt.pct(data.discount, 1);
  if (typeof data.satisfaction === "number") out.satisfaction = fmt.score(data.satisfaction * 100);
  if (typeof data.late_days === "number") out.late_days = fmt.num(data.late_days, 1);
  if (data.segment) out.segment = segmentName(data.segment);
  if (data.severity) out.severity = t(`team.severity.${data.severity}`);
  if (data.cause && has(`team.cause.${data.cause}`)) out.cause = t(`team.cause.${data.cause}`);
  if (data.remedy) out.remedy = t(`team.remedy.${data.remedy}`);
  if (data.role && has(`role.${data.role}`)) out.role = t(`role.${data.role}`);
  return out;
}

/** The event in words (the kind itself for one the strings do not know). */
export function describe(event) {
  let key = `ev.${event.kind}`;
  if (event.kind === "approval_decided") key += event.approved ? ".yes" : ".no";
  if (event.kind === "payment_received" && event.via === "collector") key += ".collector";
  if (event.kind === "order_delivered" && (event.late_days > 0 || event.defect)) key += ".bad";
  if (event.kind === "reminder_sent" && (event.early || event.repeated)) key += ".bad";
  return has(key) ? t(key, vars(event)) : event.kind.replaceAll("_", " ");
}

const TONE = {
  order_won: "ok",
  payment_received: "ok",
  complaint_resolved: "ok",
  approval_decided: "",
  inquiry_lost: "bad",
  inquiry_expired: "bad",
  order_voided: "bad",
  complaint_opened: "bad",
  complaint_sla_missed: "bad",
  complaint_escalated: "bad",
  invoice_written_off: "bad",
  customer_churned: "bad",
  delivery_held: "warn",
  invoice_due: "warn",
};

/** Put an event into the feed once (by its seq), newest first. */
function keep(event) {
  if (event.seq != null && store.activity.some((e) => e.seq === event.seq)) return false;
  store.activity.push(event);
  store.activity.sort((a, b) => (b.seq ?? 0) - (a.seq ?? 0));
  if (store.activity.length > KEEP) store.activity.length = KEEP;
  return true;
}

/** On opening (and reopening) the console: the team's recent events, so a reload keeps the feed. */
export async function loadActivity() {
  const recent = await api(`/api/v1/team/events?last=true&limit=${KEEP}`);
  for (const event of recent) keep(event);
  const announced = recent.filter((e) => e.kind === "announcement_made").at(-1);
  if (announced && !store.announcement) store.announcement = announced.text;
}

/** Take a new event from the channel. */
export function addEvent(event) {
  if (!keep(event)) return;
  const me = role();
  if (event.kind === "announcement_made") {
    store.announcement = event.text;
    toast(t("team.announcement", { text: event.text }), "ok");
  } else if (event.kind === "approval_decided") {
    toast(describe(event), event.approved ? "ok" : "error");
  } else if (event.kind === "approval_requested" && me === "manager") {
    toast(
      t("team.ap.newRequest", { id: short(event.inquiry_id), discount: fmt.pct(event.discount, 1) }),
      "ok",
    );
  } else if (event.kind === "complaint_opened" && (me === "service" || me === "manager")) {
    // a wave of complaints (a recall) makes one toast, not dozens: the tab counts them
    const now = Date.now();
    if (now - lastComplaintToast > 3000) {
      toast(describe(event), "error");
      lastComplaintToast = now;
    }
  } else if (event.kind === "round_ended") {
    // (a round's start is logged on the boundary, while the clock waits for the instructor:
    // it shows in the feed once that round runs, never as news while nothing runs)
    toast(describe(event), "ok");
  }
}

export function drawActivity() {
  const list = document.getElementById("activity");
  // the next round's start is logged when the last one ends; it is news once that round runs
  const current = store.status?.round ?? Infinity;
  const items = store.activity.filter((e) => !(e.kind === "round_started" && e.round > current)).slice(0, 40);
  redraw(
    list,
    digest(
      lang,
      items.map((e) => e.seq),
    ),
    () =>
      items.length
        ? items.map((e) =>
            h(
              "li",
              { class: TONE[e.kind] || (e.kind === "approval_decided" && !e.approved ? "bad" : "") },
              h("span", { class: "when" }, fmt.simTime(e.t, store.status)),
              " ",
              h("span", { class: "what" }, describe(e)),
            ),
          )
        : h("li", { class: "muted" }, t("team.activityEmpty")),
  );
}
