// Highlights as the board announces them: a line in the ticker (board/ticker.js) and, for a few
// seconds, a card across the top of the stage ("First order of the class: Aurora, $6,300").
// Highlights come one at a time; those that arrive together wait their turn. The public board
// never shows one during a freeze (the server sends none of what a freeze holds back, and the
// card stays away while the board is frozen).

import { fmt, t } from "/static/common/i18n.js";
import { h } from "/static/common/ui.js";
import { colorOf } from "/static/board/colors.js";

export const HIGHLIGHTS = new Set(["first_order", "first_collection", "fastest_reply", "recovered"]);
const SHOW_MS = 6000;

/** The words of a highlight in the page's language. */
export function highlightText({ kind, ...data }) {
  return t(`board.hl.${kind}`, {
    ...data,
    value: fmt.money(data.value),
    amount: fmt.money(data.amount),
    hours: fmt.hours(data.hours),
    round: fmt.num(data.round),
  });
}

export class Spotlight {
  constructor(el) {
    this.el = el;
    this.queue = [];
    this.timer = null;
    this.current = null;
  }

  /** Announce a highlight (unless `quiet`: a frozen public board shows none). */
  show(item, quiet = false) {
    if (quiet || !HIGHLIGHTS.has(item.kind)) return;
    this.queue.push(item);
    if (!this.current) this.next();
  }

  next() {
    clearTimeout(this.timer);
    this.current = this.queue.shift() || null;
    if (!this.current) {
      this.el.hidden = true;
      return;
    }
    this.draw();
    this.el.hidden = false;
    this.timer = setTimeout(() => this.next(), SHOW_MS);
  }

  draw() {
    const item = this.current;
    this.el.dataset.kind = item.kind;
    this.el.style.setProperty("--team", item.team ? colorOf(item.team) : "var(--gold)");
    this.el.replaceChildren(
      h("span", { class: "spot-kind" }, t(`board.hlTitle.${item.kind}`)),
      h("span", { class: "spot-text" }, highlightText(item)),
    );
  }

  /** A frozen public board: whatever was showing goes. */
  clear() {
    this.queue = [];
    this.current = null;
    clearTimeout(this.timer);
    this.el.hidden = true;
  }

  relabel() {
    if (this.current) this.draw();
  }
}
