// A team's events for the judge: read from the event log once (GET …/events?after=, page by
// page), kept up to date from the judge channel, and described in words in the page's language.

import { api } from "/static/common/api.js";
import { fmt, t } from "/static/common/i18n.js";
import { reasonText, shortId } from "/static/explain.js";

const PAGE = 5000;
export const KEEP = 300; // events kept per team (the newest)

const GROUPS = {
  sales: [
    "inquiry_received",
    "approval_requested",
    "approval_decided",
    "quote_sent",
    "follow_up_made",
    "inquiry_declined",
    "inquiry_expired",
    "inquiry_lost",
    "order_won",
    "order_delivered",
    "delivery_held",
    "order_voided",
    "quote_policy_set",
    "campaign_launched",
  ],
  money: [
    "invoice_issued",
    "invoice_due",
    "reminder_sent",
    "payment_received",
    "credit_note_issued",
    "refund_paid",
    "invoice_handed_over",
    "invoice_written_off",
    "credit_checked",
    "credit_limit_set",
    "reminder_policy_set",
  ],
  service: [
    "complaint_opened",
    "complaint_resolved",
    "complaint_sla_missed",
    "complaint_escalated",
    "satisfaction_changed",
    "survey_requested",
    "survey_answered",
    "customer_churned",
    "account_cared",
    "note_added",
    "apology_policy_set",
  ],
};
export const FILTERS = ["all", ...Object.keys(GROUPS)];

/** Whether an event belongs to a filter (all, sales, money, service). */
export function inFilter(event, filter) {
  return filter === "all" || (GROUPS[filter] || []).includes(event.kind);
}

/** The events of every team, newest kept, fed by the log and by the live channel. */
export class TeamEvents {
  /**
   * @param {number} competitionId
   * @param {(team: string | null) => void} [onChange] after each change, with the team it concerns
   */
  constructor(competitionId, onChange = () => {}) {
    this.id = competitionId;
    this.onChange = onChange;
    this.byTeam = new Map();
    this.seen = new Set();
    this.ready = false;
    this.cursor = -1;
  }

  /** Read the whole log so far, page by page (the API counts forward from `after`). */
  async load() {
    for (;;) {
      const page = await api(`/api/v1/competitions/${this.id}/events?after=${this.cursor}&limit=${PAGE}`);
      for (const event of page) this.add(event, false);
      if (page.length) this.cursor = page[page.length - 1].seq;
      if (page.length < PAGE) break;
    }
    this.ready = true;
    this.onChange(null);
  }

  /** One event (from the log or the channel); each is kept once, by its seq. */
  add(event, notify = true) {
    if (!event.team || this.seen.has(event.seq)) return;
    this.seen.add(event.seq);
    let list = this.byTeam.get(event.team);
    if (!list) this.byTeam.set(event.team, (list = []));
    const last = list[list.length - 1];
    list.push(event);
    if (last && last.seq > event.seq) list.sort((a, b) => a.seq - b.seq);
    if (list.length > KEEP) list.splice(0, list.length - KEEP);
    if (notify) this.onChange(event.team);
  }

  /** The team's events, newest first. */
  newest(team, filter = "all") {
    return [...(this.byTeam.get(team) || [])].reverse().filter((e) => inFilter(e, filter));
  }
}

function pct(x) {
  if (x == null) return "—";
  return fmt.pct(x, Math.abs(x * 100 - Math.round(x * 100)) > 1e-6 ? 1 : 0);
}

function word(prefix, value) {
  const key = `${prefix}.${value}`;
  const text = t(key);
  return text === key ? String(value ?? "") : text;
}

const GOOD = new Set(["order_won", "payment_received", "approval_decided", "survey_answered"]);
const BAD = new Set([
  "inquiry_lost",
  "inquiry_expired",
  "order_voided",
  "invoice_written_off",
  "complaint_escalated",
  "complaint_sla_missed",
  "customer_churned",
  "delivery_held",
]);

/** An event in words: {text, tone: good | bad | plain}. */
export function describe(event, status) {
  const team = event.team;
  const id = (x) => shortId(x, team);
  const money = (x) => fmt.money(x, Math.abs(x - Math.round(x)) > 0.004 ? 2 : 0);
  const v = {
    inquiry: id(event.inquiry_id),
    order: id(event.order_id),
    invoice: id(event.invoice_id),
    complaint: id(event.complaint_id),
    customer: event.customer_id ?? "",
    segment: event.segment ? t(`segment.${event.segment}`) : "",
  };
  let key = `ev.${event.kind}`;
  let tone = GOOD.has(event.kind) ? "good" : BAD.has(event.kind) ? "bad" : "plain";
  switch (event.kind) {
    case "team_joined":
      v.cash = money(event.starting_cash);
      break;
    case "inquiry_received":
      Object.assign(v, { quantity: fmt.num(event.quantity), wanted: fmt.num(event.wanted_delivery, 0) });
      if (event.repeat) key += ".repeat";
      break;
    case "approval_requested":
      v.discount = pct(event.discount);
      break;
    case "approval_decided":
      key += event.approved ? ".yes" : ".no";
      tone = event.approved ? "good" : "bad";
      break;
    case "quote_sent":
      Object.assign(v, {
        price: money(event.unit_price),
        discount: pct(event.discount),
        terms: fmt.num(event.terms_days, 0),
        delivery: fmt.num(event.delivery_days, 0),
      });
      if (event.revision > 0) key = "ev.quote_revised";
      break;
    case "inquiry_declined":
    case "inquiry_lost":
      v.reason = reasonText(event.reason);
      break;
    case "order_won":
      Object.assign(v, {
        quantity: fmt.num(event.quantity),
        price: money(event.unit_price),
        value: money(event.quantity * event.unit_price),
      });
      break;
    case "order_delivered":
      if (event.defect) {
        key += ".defect";
        tone = "bad";
      } else if (event.late_days > 0) {
        key += ".late";
        tone = "bad";
      }
      v.late = fmt.num(event.late_days, 1);
      break;
    case "delivery_held":
      v.needed = money(event.needed);
      break;
    case "order_voided":
      v.late = fmt.num(event.late_days, 1);
      break;
    case "invoice_issued":
      Object.assign(v, { amount: money(event.amount), due: fmt.simTime(event.due_t, status) });
      break;
    case "invoice_due":
      v.outstanding = money(event.outstanding);
      if (event.outstanding <= 0.005) {
        key += ".paid";
        tone = "good";
      } else tone = "bad";
      break;
    case "reminder_sent":
      if (event.early) {
        key += ".early";
        tone = "bad";
      } else if (event.repeated) {
        key += ".repeated";
      }
      break;
    case "payment_received":
      v.amount = money(event.amount);
      if (event.via === "collector") key += ".collector";
      break;
    case "credit_note_issued":
      Object.assign(v, { amount: money(event.amount), reason: event.reason });
      break;
    case "refund_paid":
      v.amount = money(event.amount);
      break;
    case "invoice_handed_over":
      v.outstanding = money(event.outstanding);
      tone = "bad";
      break;
    case "invoice_written_off":
      v.amount = money(event.amount);
      break;
    case "credit_checked":
      v.grade = event.grade;
      break;
    case "credit_limit_set":
      v.limit = money(event.limit);
      break;
    case "complaint_opened":
      Object.assign(v, {
        severity: word("severity", event.severity),
        cause: word("cause", event.cause),
        due: fmt.simTime(event.sla_due_t, status),
      });
      tone = "bad";
      break;
    case "complaint_resolved":
      v.remedy = word("remedy", event.remedy);
      if (!event.within_sla) key += ".late";
      tone = event.within_sla ? "good" : "plain";
      break;
    case "satisfaction_changed":
    case "survey_answered":
      v.s = fmt.score(100 * event.satisfaction);
      v.cause = word("sat", event.cause);
      break;
    case "campaign_launched":
      v.budget = money(event.budget);
      break;
    case "account_cared":
      v.cost = money(event.cost);
      break;
    case "note_added":
      v.text = event.text;
      break;
    default:
      if (t(key) === key) {
        key = "ev.other";
        v.kind = event.kind.replaceAll("_", " ");
      }
  }
  return { text: t(key, v), tone };
}
