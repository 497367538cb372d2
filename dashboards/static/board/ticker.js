// The ticker: notable events and highlights as they happen, newest first, in the page's language
// (a switch of language rewrites the lines already shown). Each line carries its simulated time.
// A board opened late starts from the recent lines the server keeps (`load`).

import { fmt, t } from "/static/common/i18n.js";
import { fill, h } from "/static/common/ui.js";
import { colorOf } from "/static/board/colors.js";
import { HIGHLIGHTS, highlightText } from "/static/board/spotlight.js";

const KEEP = 12;
const NOTABLE_ORDER = 5000; // as server/live/ticker.py: orders this large make the ticker
const KINDS = new Set([
  "big_order",
  "complaint_resolved_in_time",
  "written_off",
  "round_started",
  "round_ended",
  "announcement",
]);

/**
 * Round, day and clock of a simulated time, from the competition's calendar. With `closing`, a
 * time on a day's boundary is the evening before (a round ends at 17:00 of its last day).
 */
export function when(tSim, status, closing = false) {
  const perDay = status?.hours_per_day || 8;
  const perRound = status?.round_hours || 40;
  if (closing && tSim > 0 && Math.abs(tSim / perDay - Math.round(tSim / perDay)) < 1e-9) {
    const before = when(tSim - perDay / 2, status);
    return { ...before, clock: `${String(9 + perDay).padStart(2, "0")}:00` };
  }
  const round = Math.floor(tSim / perRound + 1e-9) + 1;
  const day = Math.floor((tSim % perRound) / perDay + 1e-9) + 1;
  const minutes = Math.round((((tSim % perDay) + perDay) % perDay) * 60);
  const clock = `${String(9 + Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  return { round: Math.max(1, round), day: Math.max(1, day), clock };
}

/**
 * The ticker line of a raw event (the judges' channel carries events, not ticker lines), or null.
 * Mirrors server/live/ticker.py.
 */
export function tickerItem(event) {
  switch (event.kind) {
    case "order_won": {
      const value = (event.quantity || 0) * (event.unit_price || 0);
      return value >= NOTABLE_ORDER
        ? { kind: "big_order", team: event.team, value: Math.round(value) }
        : null;
    }
    case "complaint_resolved":
      return event.within_sla ? { kind: "complaint_resolved_in_time", team: event.team } : null;
    case "invoice_written_off":
      return { kind: "written_off", team: event.team, amount: event.amount };
    case "round_started":
    case "round_ended":
      return { kind: event.kind, round: event.round };
    case "announcement_made":
      return { kind: "announcement", text: event.text };
    default:
      return null;
  }
}

export class Ticker {
  constructor(list, empty) {
    this.list = list;
    this.empty = empty;
    this.items = [];
  }

  /** Start from the recent lines (oldest first, as /ticker answers), replacing what is shown. */
  load(items, status) {
    this.items = items
      .slice(-KEEP)
      .reverse()
      .map(({ t_sim: tSim, data }) => ({ tSim, data, status }));
    this.relabel();
  }

  add(tSim, data, status) {
    this.items.unshift({ tSim, data, status });
    this.items.length = Math.min(this.items.length, KEEP);
    this.list.prepend(this.line(this.items[0], true));
    while (this.list.children.length > KEEP) this.list.lastChild.remove();
    this.empty.hidden = true;
  }

  text({ kind, ...data }) {
    if (HIGHLIGHTS.has(kind)) return highlightText({ kind, ...data });
    const key = KINDS.has(kind) ? `board.tick.${kind}` : "board.tick.unknown";
    return t(key, { ...data, value: fmt.money(data.value), amount: fmt.money(data.amount) });
  }

  line(item, fresh = false) {
    const { kind, team } = item.data;
    const closing = kind === "round_ended" || kind === "fastest_reply"; // both come at a round's very end
    const stamp = t("board.when", when(item.tSim, item.status, closing));
    const li = h(
      "li",
      {
        class: [fresh ? "fresh" : "", HIGHLIGHTS.has(kind) ? "highlight" : ""].join(" ").trim() || null,
        dataset: { kind },
      },
      h("span", { class: "tick-icon", "aria-hidden": "true" }),
      h("span", { class: "tick-text" }, this.text(item.data)),
      h("span", { class: "tick-when" }, stamp),
    );
    if (team) li.style.setProperty("--team", colorOf(team));
    return li;
  }

  relabel() {
    fill(
      this.list,
      this.items.map((item) => this.line(item)),
    );
    this.empty.hidden = this.items.length > 0;
  }
}
