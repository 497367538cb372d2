// The debrief of a round, one picture at a time: market share and win rate by team, discount
// against win rate, reply time against conversion, terms against DSO and bad debt, complaints
// resolved in time against satisfaction, and cash over time — each with the round's notable
// moments and one line of what it teaches. The instructor steps through the pictures (buttons,
// or ← → on the keyboard), picks the round, and may hide the team names (then every team is
// "Team 1…n" in an order that says nothing, all in one colour). Used by /debrief/{id} on the
// projector and by the instructor panel's Debrief tab.

import { api } from "/static/common/api.js";
import { fmt, t } from "/static/common/i18n.js";
import { fill, h } from "/static/common/ui.js";
import { assignColors, colorOf } from "/static/board/colors.js";
import { bars, lines, scatter } from "/static/debrief/charts.js";

export const CHARTS = ["share", "discount", "response", "terms", "complaints", "cash"];
const PLAIN = "#9aa8c7";

/** A stable order of the teams that follows neither their names nor their ranks. */
function disguise(teams, seed) {
  const key = (name) => {
    let x = 2166136261 ^ seed;
    for (const ch of name) x = Math.imul(x ^ ch.codePointAt(0), 16777619) >>> 0;
    return x;
  };
  const order = [...teams].sort((a, b) => key(a) - key(b) || a.localeCompare(b));
  return new Map(order.map((team, i) => [team, i + 1]));
}

/** Why there is no debrief to show, in the page's language: before any round has ended (the
 * server's 409, "the competition has not started" or "no round has ended yet") it says when to come
 * back; any other refusal as the server words it. */
function refusal(error) {
  return error.status === 409 ? t("debrief.noRoundYet") : error.detail || error.message;
}

const pct = (v) => (v == null || !Number.isFinite(v) ? "—" : fmt.pct(v, 0));
const days = (v) => (v == null || !Number.isFinite(v) ? "—" : fmt.days(v));

export class DebriefView {
  /**
   * @param {HTMLElement} root
   * @param {{ id: number, onStep?: (step: number) => void }} options
   */
  constructor(root, { id, onStep = () => {} }) {
    this.root = root;
    this.id = id;
    this.onStep = onStep;
    /** @type {import("../common/api-types.js").Debrief | null} */
    this.report = null;
    this.step = 0;
    this.hidden = false;
    this.error = null;
    this.build();
    new ResizeObserver(() => this.drawChart()).observe(this.chartHost);
  }

  build() {
    this.rounds = h("div", { class: "debrief-rounds", role: "group" });
    this.prev = h("button", { type: "button", class: "debrief-prev", onclick: () => this.go(this.step - 1) });
    this.next = h("button", {
      type: "button",
      class: "debrief-next primary",
      onclick: () => this.go(this.step + 1),
    });
    this.counter = h("span", { class: "debrief-counter", "aria-live": "polite" });
    this.hide = h("input", {
      type: "checkbox",
      class: "debrief-hide",
      onchange: () => this.setHidden(this.hide.checked),
    });
    this.hideLabel = h("span");
    this.title = h("h2", { class: "debrief-title" });
    this.lesson = h("p", { class: "debrief-lesson" });
    this.chartHost = h("div", { class: "debrief-chart" });
    this.note = h("p", { class: "debrief-note" });
    this.moments = h("ul", { class: "debrief-moments" });
    this.momentsTitle = h("h3", { class: "debrief-moments-title" });
    this.message = h("p", { class: "debrief-message", role: "status" });
    this.body = h(
      "div",
      { class: "debrief-body" },
      h("div", { class: "debrief-main" }, this.title, this.chartHost, this.note),
      h("aside", { class: "debrief-side" }, this.momentsTitle, this.moments, this.lesson),
    );
    fill(
      this.root,
      h(
        "div",
        { class: "debrief-bar" },
        this.rounds,
        h("div", { class: "debrief-steps" }, this.prev, this.counter, this.next),
        h("label", { class: "debrief-hide-label" }, this.hide, this.hideLabel),
      ),
      this.message,
      this.body,
    );
    this.labelControls();
  }

  labelControls() {
    this.prev.textContent = t("debrief.prev");
    this.next.textContent = t("debrief.next");
    this.hideLabel.textContent = t("debrief.hideNames");
    this.rounds.setAttribute("aria-label", t("debrief.rounds"));
  }

  /** Load a round's debrief (the last ended round when `round` is null). */
  async load(round = null) {
    try {
      const query = round == null ? "" : `?round=${round}`;
      this.report = await api(`/api/v1/competitions/${this.id}/debrief${query}`);
      this.error = null;
      assignColors(this.report.teams.map((r) => r.team));
      this.names = disguise(
        this.report.teams.map((r) => r.team),
        this.id,
      );
    } catch (error) {
      this.report = null;
      this.error = error;
    }
    this.draw();
  }

  go(step) {
    if (!this.report) return;
    this.step = Math.max(0, Math.min(CHARTS.length - 1, step));
    this.draw();
    this.onStep(this.step);
  }

  setHidden(hidden) {
    this.hidden = hidden;
    this.hide.checked = hidden;
    this.draw();
  }

  label(team) {
    return this.hidden ? t("debrief.anonymous", { n: this.names.get(team) }) : team;
  }

  color(team) {
    return this.hidden ? PLAIN : colorOf(team);
  }

  draw() {
    this.labelControls();
    const r = this.report;
    this.body.hidden = !r;
    this.prev.disabled = !r || this.step === 0;
    this.next.disabled = !r || this.step === CHARTS.length - 1;
    if (!r) {
      this.message.textContent = this.error ? refusal(this.error) : t("common.loading");
      this.message.hidden = false;
      fill(this.rounds);
      this.counter.textContent = "";
      return;
    }
    this.message.hidden = true;
    fill(
      this.rounds,
      r.rounds_done.map((n) =>
        h(
          "button",
          {
            type: "button",
            class: "debrief-round",
            "aria-pressed": String(n === r.round),
            onclick: () => this.load(n),
          },
          t("debrief.round", { round: fmt.num(n) }),
        ),
      ),
    );
    const chart = CHARTS[this.step];
    this.root.dataset.chart = chart;
    this.counter.textContent = t("debrief.step", {
      step: fmt.num(this.step + 1),
      steps: fmt.num(CHARTS.length),
    });
    this.title.textContent = t(`debrief.chart.${chart}`, { round: fmt.num(r.round) });
    this.lesson.textContent = t(`debrief.lesson.${chart}`);
    this.momentsTitle.textContent = t("debrief.moments", { round: fmt.num(r.round) });
    const moments = r.moments[chart] || [];
    fill(
      this.moments,
      moments.length
        ? moments.map((m) => h("li", { dataset: { kind: m.kind } }, this.moment(m)))
        : [h("li", { class: "none" }, t("debrief.noMoments"))],
    );
    this.drawChart();
  }

  moment(m) {
    const value = {
      biggest_order: fmt.money,
      largest_write_off: fmt.money,
      lowest_cash: fmt.money,
      most_cash: fmt.money,
      leader: pct,
      deepest_discount: pct,
      best_win_rate: pct,
      worst_bad_debt: pct,
      fastest: fmt.hours,
      slowest: fmt.hours,
      longest_terms: days,
      most_in_time: fmt.num,
      most_escalated: fmt.num,
      happiest: fmt.score,
    }[m.kind];
    return t(`debrief.moment.${m.kind}`, {
      team: this.label(m.team),
      value: value ? value(m.value) : m.value,
    });
  }

  drawChart() {
    const r = this.report;
    if (!r || !this.chartHost.isConnected || this.chartHost.clientWidth === 0) return;
    const chart = CHARTS[this.step];
    const rows = r.teams;
    const title = this.title.textContent;
    const point = (row, x, y, extra = {}) => ({
      label: this.label(row.team),
      color: this.color(row.team),
      x,
      y,
      ...extra,
    });
    const missing = (keep) => rows.filter((row) => !keep(row)).map((row) => this.label(row.team));
    let left = [];
    if (chart === "share") {
      const sorted = [...rows].sort(
        (a, b) => (b.share ?? -1) - (a.share ?? -1) || a.team.localeCompare(b.team),
      );
      bars(
        this.chartHost,
        sorted.map((row) => ({
          label: this.label(row.team),
          color: this.color(row.team),
          values: [row.share, row.win_rate],
        })),
        [
          { name: t("debrief.axis.share"), format: pct },
          { name: t("debrief.axis.winRate"), format: pct },
        ],
        { title },
      );
    } else if (chart === "discount") {
      const keep = (row) => row.discount != null && row.win_rate != null;
      scatter(
        this.chartHost,
        rows.filter(keep).map((row) => point(row, row.discount, row.win_rate)),
        {
          x: { name: t("debrief.axis.discount"), format: pct },
          y: { name: t("debrief.axis.winRate"), format: pct },
          title,
          zeroX: true,
        },
      );
      left = missing(keep);
    } else if (chart === "response") {
      const keep = (row) => row.reply_hours != null && row.conversion != null;
      scatter(
        this.chartHost,
        rows.filter(keep).map((row) => point(row, row.reply_hours, row.conversion)),
        {
          x: { name: t("debrief.axis.reply"), format: fmt.hours },
          y: { name: t("debrief.axis.conversion"), format: pct },
          title,
          zeroX: true,
        },
      );
      left = missing(keep);
    } else if (chart === "terms") {
      const keep = (row) => row.terms_days != null && row.dso_days != null;
      const font = Number.parseFloat(getComputedStyle(this.chartHost).getPropertyValue("--chart-font")) || 16;
      scatter(
        this.chartHost,
        rows.filter(keep).map((row) =>
          point(row, row.terms_days, row.dso_days, {
            size: font * (0.4 + 4 * Math.min(0.5, row.bad_debt || 0)),
            label: `${this.label(row.team)} · ${pct(row.bad_debt)}`,
          }),
        ),
        {
          x: { name: t("debrief.axis.terms"), format: days },
          y: { name: t("debrief.axis.dso"), format: days },
          title,
          zeroX: true,
        },
      );
      left = missing(keep);
    } else if (chart === "complaints") {
      const keep = (row) => row.complaints > 0 && row.satisfaction != null;
      scatter(
        this.chartHost,
        rows.filter(keep).map((row) =>
          point(row, row.in_time / row.complaints, row.satisfaction, {
            label: `${this.label(row.team)} · ${fmt.num(row.complaints)}`,
          }),
        ),
        {
          x: { name: t("debrief.axis.inTime"), format: pct },
          y: { name: t("debrief.axis.satisfaction"), format: (v) => fmt.num(v, 0) },
          title,
          zeroX: true,
          zeroY: false,
        },
      );
      left = missing(keep);
    } else {
      const perDay = r.hours_per_day || 8;
      lines(
        this.chartHost,
        r.cash.t.map((x) => x / perDay),
        rows.map((row) => ({
          label: this.label(row.team),
          color: this.color(row.team),
          values: r.cash.teams[row.team],
        })),
        {
          x: { name: t("debrief.axis.day"), format: (v) => fmt.num(v, 0) },
          y: { name: t("debrief.axis.cash"), format: (v) => fmt.money(v) },
          title,
        },
      );
    }
    this.note.textContent = left.length
      ? t(`debrief.left.${chart}`, { teams: left.join(t("debrief.sep")) })
      : t(`debrief.how.${chart}`);
  }

  relabel() {
    this.draw();
  }
}
