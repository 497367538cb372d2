// The top-N chart: the composite of the leading teams over simulated time (uPlot), with round
// ticks on the time axis, a dashed line at the freeze, and a legend in rank order.

import uPlot from "/static/vendor/uplot/uPlot.esm.js";
import { fmt, t } from "/static/common/i18n.js";
import { fill, h } from "/static/common/ui.js";
import { colorOf } from "/static/board/colors.js";

const AXIS = "#9aa4bf";
const GRID = "rgba(154, 164, 191, 0.14)";

export class TopChart {
  constructor(el, legend, n) {
    this.el = el;
    this.legend = legend;
    this.n = n;
    this.teams = [];
    this.plot = null;
    this.calendar = { roundHours: 40, dayHours: 8 };
    this.freezeT = null;
    this.pending = false;
    new ResizeObserver(() => this.resize()).observe(el);
  }

  size() {
    const width = Math.max(200, Math.floor(this.el.clientWidth));
    const height = Math.max(160, Math.floor(this.el.clientHeight || width * 0.5));
    return { width, height };
  }

  resize() {
    if (!this.plot) return;
    const { width, height } = this.size();
    if (width !== this.plot.width || height !== this.plot.height) this.plot.setSize({ width, height });
  }

  /** Where the freeze line goes (null: none, or not yet reached) and the calendar for the ticks. */
  configure({ freezeT, roundHours, dayHours }) {
    const changed = freezeT !== this.freezeT;
    this.freezeT = freezeT;
    if (roundHours) this.calendar = { roundHours, dayHours: dayHours || 8 };
    if (changed && this.plot) this.plot.setData(this.plot.data);
  }

  /** Draw the leaders of `standings` from `series` (coalesced to one redraw a frame). */
  update(series, standings) {
    this.series = series;
    this.standings = standings;
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  draw() {
    const { series, standings } = this;
    if (!series || !standings) return;
    const leaders = standings
      .filter((r) => r.composite != null)
      .slice(0, this.n)
      .map((r) => r.team);
    // a copy: the series grows in place, and the chart must show only what it was given
    const data = [series.t.slice(), ...leaders.map((team) => series.of(team).slice())];
    if (!this.plot || leaders.join("\n") !== this.teams.join("\n")) {
      this.teams = leaders;
      this.build(data);
    } else {
      this.plot.setData(data);
    }
    this.drawLegend(standings);
  }

  build(data) {
    this.plot?.destroy();
    const { width, height } = this.size();
    // projector legibility: axes in 20 px type from the back of a room (14 px on a phone)
    const font = width < 500 ? "14px system-ui, sans-serif" : "20px system-ui, sans-serif";
    const dashed = this.dashed();
    const opts = {
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false },
      scales: {
        x: { time: false, range: (u, lo, hi) => [0, Math.max(hi ?? 1, this.freezeT ?? 0, 1)] },
        y: { range: (u, lo, hi) => yRange(lo, hi) },
      },
      series: [
        {},
        ...this.teams.map((team, i) => ({
          label: team,
          stroke: colorOf(team),
          width: i === 0 ? 4 : 3,
          dash: dashed.has(team) ? [12, 7] : undefined,
          points: { show: false },
          spanGaps: true,
        })),
      ],
      axes: [
        {
          stroke: AXIS,
          font,
          grid: { stroke: GRID, width: 1 },
          ticks: { stroke: GRID, width: 1 },
          splits: (u, _i, lo, hi) => this.splits(u, lo, hi),
          values: (u, splits) => splits.map((s) => this.label(s, u)),
          space: 60,
        },
        {
          stroke: AXIS,
          font,
          size: width < 500 ? 44 : 70,
          grid: { stroke: GRID, width: 1 },
          ticks: { show: false },
          values: (u, splits) => splits.map((s) => fmt.num(s)),
        },
      ],
      hooks: { draw: [(u) => this.drawFreeze(u)] },
    };
    this.el.replaceChildren();
    this.plot = new uPlot(opts, data, this.el);
  }

  /** Ticks at round starts, or at day starts when less than two rounds show. */
  splits(u, lo, hi) {
    const { roundHours, dayHours } = this.calendar;
    const span = hi - lo;
    const unit = span < roundHours * 1.5 ? dayHours : roundHours;
    const room = Math.max(2, Math.floor(u.bbox.width / devicePixelRatio / 90));
    const every = Math.max(1, Math.ceil(span / unit / room));
    const out = [];
    for (let k = Math.ceil(lo / unit); k * unit <= hi + 1e-9; k++) if (k % every === 0) out.push(k * unit);
    return out.length ? out : [lo];
  }

  label(tSim, u) {
    const { roundHours, dayHours } = this.calendar;
    const span = u.scales.x.max - u.scales.x.min;
    const round = Math.floor(tSim / roundHours + 1e-9) + 1;
    if (span >= roundHours * 1.5) return t("board.axisRound", { round });
    const day = Math.floor((tSim % roundHours) / dayHours + 1e-9) + 1;
    return t("board.axisDay", { round, day });
  }

  drawFreeze(u) {
    if (this.freezeT == null) return;
    const { min, max } = u.scales.x;
    if (this.freezeT < min || this.freezeT > max + 1e-9) return;
    const x = Math.round(u.valToPos(this.freezeT, "x", true));
    const { top, height } = u.bbox;
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = "#8fd3ff";
    ctx.setLineDash([8 * devicePixelRatio, 6 * devicePixelRatio]);
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = "#8fd3ff";
    ctx.font = `${18 * devicePixelRatio}px system-ui, sans-serif`;
    ctx.textAlign = "right";
    ctx.fillText(`❄ ${t("board.frozenShort")}`, x - 6 * devicePixelRatio, top + 16 * devicePixelRatio);
    ctx.restore();
  }

  /** Leaders whose colour an earlier leader already has (past twelve teams colours repeat): dashed. */
  dashed() {
    const seen = new Set();
    const out = new Set();
    for (const team of this.teams) {
      const color = colorOf(team);
      if (seen.has(color)) out.add(team);
      seen.add(color);
    }
    return out;
  }

  drawLegend(standings) {
    const dashed = this.dashed();
    const byTeam = new Map(standings.map((r) => [r.team, r]));
    fill(
      this.legend,
      this.teams.map((team) =>
        h(
          "li",
          { dataset: { team } },
          h("span", {
            class: dashed.has(team) ? "legend-swatch dashed" : "legend-swatch",
            style: `--team: ${colorOf(team)}`,
          }),
          h("span", { class: "legend-name" }, team),
          h("span", { class: "legend-value" }, fmt.score(byTeam.get(team)?.composite)),
        ),
      ),
    );
  }

  /** Redraw the axis labels and legend in the current language. */
  relabel() {
    this.plot?.redraw(false, true);
    if (this.standings) this.drawLegend(this.standings);
  }
}

function yRange(lo, hi) {
  if (lo == null || hi == null) return [0, 100];
  const pad = Math.max(2, (hi - lo) * 0.12);
  return [Math.max(0, Math.floor((lo - pad) / 5) * 5), Math.min(100, Math.ceil((hi + pad) / 5) * 5)];
}
