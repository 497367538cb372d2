// The standings table: one row element per team, kept across updates, so that a change of rank
// moves the row to its new place smoothly (FLIP: measure, reorder, play the difference back) and
// flashes it up or down. Numbers are written with fmt in the page's language.

import { fmt, t } from "/static/common/i18n.js";
import { h } from "/static/common/ui.js";
import { colorOf } from "/static/board/colors.js";
import { drawSparkline, sparkline } from "/static/board/sparkline.js";

export const METRICS = ["conversion", "satisfaction", "receivables", "profit", "rubric"];

const FORMAT = {
  composite: (v) => fmt.score(v),
  conversion: (v) => (v == null ? "—" : fmt.pct(v / 100, 1)),
  satisfaction: (v) => fmt.score(v),
  receivables: (v) => (v == null ? "—" : fmt.pct(v / 100, 1)),
  profit: (v) => fmt.money(v),
  rubric: (v) => fmt.score(v),
};

const MOVE_MS = 900;
const EASE = "cubic-bezier(.2,.8,.2,1)";

export function formatValue(metric, value) {
  return FORMAT[metric](value);
}

export class StandingsTable {
  constructor(table) {
    this.table = table;
    this.body = table.tBodies[0];
    this.rows = new Map();
    this.data = new Map();
    this.rubric = false;
    /** @type {import("/static/board/pager.js").Pager | null} */
    this.pager = null; // shows one page of a long table at a time (board/pager.js)
  }

  /** Whether the rubric column shows: when any team has a rubric score. */
  showRubric(rows) {
    const any = rows.some((r) => r.rubric != null);
    if (any === this.rubric) return;
    this.rubric = any;
    this.table.classList.toggle("with-rubric", any);
    this.table.querySelector("th[data-metric=rubric]").hidden = !any;
    for (const row of this.rows.values()) row.cells.rubric.hidden = !any;
  }

  row(team) {
    let row = this.rows.get(team);
    if (row) return row;
    const color = colorOf(team);
    const cells = {
      rank: h("span", { class: "rank-badge" }),
      move: h("span", { class: "move", "aria-hidden": "true" }),
      composite: h("td", { class: "c-composite num" }),
    };
    for (const metric of METRICS) cells[metric] = h("td", { class: "c-metric num", dataset: { metric } });
    cells.rubric.hidden = !this.rubric;
    const spark = sparkline(color);
    const tr = h(
      "tr",
      { dataset: { team } },
      h("td", { class: "c-rank" }, cells.rank, cells.move),
      h(
        "td",
        { class: "c-team" },
        h("span", { class: "swatch", "aria-hidden": "true" }),
        h("span", { class: "name", title: team }, team),
      ),
      cells.composite,
      METRICS.map((m) => cells[m]),
      h("td", { class: "c-spark" }, spark),
    );
    tr.style.setProperty("--team", color);
    row = { tr, cells, spark, moveTimer: null };
    this.rows.set(team, row);
    return row;
  }

  /**
   * Show `rows` in their order. Positions are the row order (1…n) unless `rankOf` says otherwise.
   * `animate` moves changed rows smoothly and flashes them; `flash` marks changed numbers.
   */
  render(rows, { animate = true, flash = true } = {}) {
    this.showRubric(rows);
    this.table.style.setProperty("--n", String(Math.max(rows.length, 1)));
    const before = new Map();
    const previous = new Map([...this.data].map(([team, d]) => [team, d.rank]));
    if (animate)
      for (const [team, row] of this.rows)
        if (!row.tr.hidden) before.set(team, row.tr.getBoundingClientRect().top);
    const teams = new Set(rows.map((r) => r.team));
    for (const [team, row] of this.rows) {
      if (!teams.has(team)) {
        row.tr.remove();
        this.rows.delete(team);
        this.data.delete(team);
      }
    }
    rows.forEach((data, i) => {
      const row = this.row(data.team);
      const rank = data.rank ?? i + 1;
      this.fill(row, { ...data, rank }, flash && this.data.has(data.team));
      this.data.set(data.team, { ...data, rank });
      if (this.body.children[i] !== row.tr) this.body.insertBefore(row.tr, this.body.children[i] || null);
    });
    this.pager?.update();
    if (!animate) return;
    for (const data of rows) {
      const row = this.rows.get(data.team);
      const old = before.get(data.team);
      const was = previous.get(data.team);
      const now = this.data.get(data.team).rank;
      if (old != null && !row.tr.hidden) {
        for (const a of row.tr.getAnimations()) if (a.id === "move") a.cancel();
        const dy = old - row.tr.getBoundingClientRect().top;
        if (Math.abs(dy) > 1) {
          const move = row.tr.animate(
            [{ transform: `translateY(${dy}px)` }, { transform: "translateY(0)" }],
            { duration: MOVE_MS, easing: EASE },
          );
          move.id = "move";
        }
      }
      if (was != null && was !== now) this.moved(row, was - now);
    }
  }

  /** Mark a row that went up (delta > 0) or down, with a flash and a small arrow for a while. */
  moved(row, delta) {
    const cls = delta > 0 ? "up" : "down";
    row.tr.classList.remove("up", "down");
    void row.tr.offsetWidth;
    row.tr.classList.add(cls);
    row.cells.move.dataset.dir = cls;
    row.cells.move.textContent = `${delta > 0 ? "▲" : "▼"}${Math.abs(delta)}`;
    row.cells.move.title = t(`board.moved.${cls}`, { n: Math.abs(delta) });
    clearTimeout(row.moveTimer);
    row.moveTimer = setTimeout(() => {
      row.cells.move.textContent = "";
      delete row.cells.move.dataset.dir;
      row.tr.classList.remove("up", "down");
    }, 6000);
  }

  fill(row, data, flash) {
    if (data.composite != null) row.tr.dataset.rank = String(data.rank);
    else delete row.tr.dataset.rank; // no medal colours before there is a score
    row.cells.rank.textContent = fmt.num(data.rank);
    this.write(row.cells.composite, formatValue("composite", data.composite), flash);
    for (const metric of METRICS) this.write(row.cells[metric], formatValue(metric, data[metric]), flash);
  }

  write(cell, text, flash) {
    if (cell.textContent === text) return;
    cell.textContent = text;
    if (!flash) return;
    cell.classList.remove("changed");
    void cell.offsetWidth;
    cell.classList.add("changed");
  }

  /** Redraw numbers in the current language (after a switch). */
  relabel() {
    for (const [team, data] of this.data) this.fill(this.rows.get(team), data, false);
  }

  /** Redraw every sparkline from the series. */
  sparklines(series, hidden = false) {
    const extent = series.extent();
    for (const [team, row] of this.rows) {
      row.spark.classList.toggle("blank", hidden);
      drawSparkline(row.spark, hidden ? [] : series.t, hidden ? [] : series.of(team), extent);
    }
  }

  /** Count one team's composite from `from` to `to` over `ms` (the reveal). */
  tween(team, from, to, ms) {
    const row = this.rows.get(team);
    if (!row) return Promise.resolve();
    const cell = row.cells.composite;
    return new Promise((resolve) => {
      const start = performance.now();
      const step = (now) => {
        const k = Math.min(1, (now - start) / ms);
        const eased = 1 - (1 - k) ** 3;
        cell.textContent = formatValue("composite", from + (to - from) * eased);
        if (k < 1) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
  }

  /** The teams top to bottom as the page shows them. */
  order() {
    return [...this.body.children].map((tr) => tr.dataset.team);
  }

  /** Mark a team's row; the team being revealed keeps its page up while it is marked. */
  mark(team, cls, on = true) {
    this.rows.get(team)?.tr.classList.toggle(cls, on);
    if (cls === "revealing") this.pager?.hold(on ? team : null);
  }

  clearMarks(...classes) {
    for (const row of this.rows.values()) row.tr.classList.remove(...classes);
    if (classes.includes("revealing")) this.pager?.hold(null);
  }
}
