// Pages of the standings for a projector: nobody scrolls a projected board, so when the teams
// do not fit the screen the table shows as many as fit and turns the page every PAGE_MS, and a
// line under it says which ranks are shown ("Teams 1–18 of 60 · page 1 of 4"). ← / → and
// PageUp / PageDown turn the page by hand (the timer starts again). A team the reveal is showing
// keeps its page until its step ends (`follow`). Phones (≤ 700 px wide) scroll as before.

import { fmt, t } from "/static/common/i18n.js";

/** How long one page stays on the screen. */
export const PAGE_MS = 10000;

const PHONE = "(max-width: 700px)";
const SLACK_PX = 8; // a row ending this close to the screen's bottom edge still counts as shown

export class Pager {
  /**
   * @param {HTMLTableElement} table the standings
   * @param {HTMLElement} line the line that says which ranks are shown
   */
  constructor(table, line) {
    this.table = table;
    this.body = table.tBodies[0];
    this.line = line;
    this.size = Infinity; // teams a page shows
    this.page = 0;
    this.follow = null; // a team whose page stays up (the reveal's current team)
    this.timer = null;
    this.counted = -1; // the teams the page size was fitted for
    this.phone = window.matchMedia(PHONE);
    let pending = 0;
    const refit = () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => this.fit());
    };
    window.addEventListener("resize", refit);
    this.phone.addEventListener("change", refit);
    document.fonts?.ready.then(refit); // the head's height changes once the fonts are in
  }

  /** The rows in rank order. */
  rows() {
    return /** @type {HTMLTableRowElement[]} */ ([...this.body.rows]);
  }

  get pages() {
    const n = this.rows().length;
    return Number.isFinite(this.size) ? Math.max(1, Math.ceil(n / this.size)) : 1;
  }

  /**
   * How many teams fit the screen under the table's head: all of them on a phone or when they
   * fit; else as many rows as fit at the tallest row's pitch (the rows keep the compact height
   * the whole class gives them, so a page does not grow its rows and overflow again).
   */
  fit() {
    const rows = this.rows();
    const n = rows.length;
    this.table.style.setProperty("--n", String(Math.max(1, n)));
    if (this.phone.matches || n === 0) return this.setSize(Infinity);
    for (const tr of rows) tr.hidden = false;
    this.line.hidden = true;
    if (this.bottom(rows[n - 1]) <= innerHeight + SLACK_PX) return this.setSize(Infinity);
    this.line.hidden = false;
    this.say(1, n, n); // words of the line's usual length, to measure its height
    let pitch = 0;
    for (let i = 1; i < n; i++) pitch = Math.max(pitch, this.top(rows[i]) - this.top(rows[i - 1]));
    const room = innerHeight - this.line.getBoundingClientRect().height - this.pad() - this.top(rows[0]);
    this.setSize(Math.max(1, Math.floor((room + SLACK_PX) / Math.max(1, pitch))));
  }

  /** A row's bottom edge from the top of the document (whatever the page is scrolled to). */
  bottom(tr) {
    return tr.getBoundingClientRect().bottom + scrollY;
  }

  top(tr) {
    return tr.getBoundingClientRect().top + scrollY;
  }

  /** The space the stage keeps under the table. */
  pad() {
    const stage = this.table.closest(".stage");
    return stage ? Number.parseFloat(getComputedStyle(stage).paddingBottom) || 0 : 0;
  }

  setSize(size) {
    this.size = size;
    this.page = Math.min(this.page, this.pages - 1);
    this.apply();
    this.schedule();
  }

  /** Show the current page's rows (the followed team's page while there is one). */
  apply() {
    const rows = this.rows();
    if (this.follow != null) {
      const at = rows.findIndex((tr) => tr.dataset.team === this.follow);
      if (at >= 0 && Number.isFinite(this.size)) this.page = Math.floor(at / this.size);
    }
    const paged = Number.isFinite(this.size) && rows.length > this.size;
    const first = paged ? this.page * this.size : 0;
    const last = paged ? Math.min(rows.length, first + this.size) : rows.length;
    for (const [i, tr] of rows.entries()) tr.hidden = i < first || i >= last;
    this.line.hidden = !paged;
    this.table.dataset.page = paged ? String(this.page + 1) : "";
    if (paged) this.say(first + 1, last, rows.length);
  }

  say(from, to, n) {
    this.line.textContent = t("board.pages", {
      from: fmt.num(from),
      to: fmt.num(to),
      n: fmt.num(n),
      page: fmt.num(this.page + 1),
      pages: fmt.num(this.pages),
    });
  }

  /** Turn the page by `delta` (wrapping), by hand or by the timer. */
  turn(delta) {
    if (this.pages <= 1) return false;
    this.page = (this.page + delta + this.pages) % this.pages;
    this.apply();
    this.schedule();
    return true;
  }

  /** Keep the page of `team` up (null: turn pages again). */
  hold(team) {
    this.follow = team;
    this.apply();
    this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    if (this.pages > 1 && this.follow == null) this.timer = setTimeout(() => this.turn(1), PAGE_MS);
  }

  /** After the teams changed: fit again when their number did, else keep the page. */
  update() {
    const n = this.rows().length;
    if (n !== this.counted) {
      this.counted = n;
      this.fit();
    } else {
      this.apply();
    }
  }

  /** Words in the page's language again (after a switch). */
  relabel() {
    this.apply();
  }
}
