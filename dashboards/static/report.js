// A team's report (/report/{id}/{team}): its standing and awards, its metrics, score and rank
// over simulated time (uPlot), round by round, its best and worst moments, why inquiries were
// not won, and its score explained. For judges, the instructor and the team's own members (the
// API refuses anybody else, and the page says why). Printable on A4.

import { api, expiredMessage, whoami } from "/static/common/api.js";
import { addStrings, applyStatic, bindLangButton, fmt, onLangChange, t } from "/static/common/i18n.js";
import { fill, h, showError, toast } from "/static/common/ui.js";
import { formulaText, metricName, reasonText, renderExplanation, shortId } from "/static/explain.js";
import STRINGS from "/static/strings/report.js";
import uPlot from "/static/vendor/uplot/uPlot.esm.js";

addStrings(STRINGS);
applyStatic();
bindLangButton(document.getElementById("lang"));

const $ = (selector) => document.querySelector(selector);
const parts = location.pathname.split("/").filter(Boolean);
const competitionId = Number(parts[1]);
const team = parts[2] ? decodeURIComponent(parts[2]) : "";

const COLORS = {
  conversion: "#2463eb",
  satisfaction: "#1f7a5a",
  receivables: "#c27a00",
  profit: "#6b4fbb",
  composite: "#1b1f29",
  rank: "#b3261e",
};
const PRINT_SIZE = { width: 680, height: 230 };
const BEST = ["best_climb", "big_order", "complaint_in_time"];
const WORST = ["worst_fall", "written_off", "order_voided", "complaint_escalated"];
const PER_KIND = 4;

let report = null;
let status = null;
let session = null;
let charts = [];

/** The competition's state in words; "between rounds" only while paused between them (a class
 * ended between rounds is finished, and its status still says between_rounds). */
function stateLabel(s) {
  if (!s) return "";
  return t(s.state === "paused" && s.between_rounds ? "state.between" : `state.${s.state}`);
}

// --- refusals ------------------------------------------------------------------------------------

function refuse(error) {
  $("#loading").hidden = true;
  $("#report").hidden = true;
  $("#refused").hidden = false;
  const denied = error.status === 401 || error.status === 403;
  $("#refused h2").textContent = t(denied ? "report.refusedTitle" : "report.unavailable");
  // an expired session is said in the reader's language; other refusals are the server's reason
  $("#refused-reason").textContent =
    error.code === "session_expired" ? expiredMessage() : error.detail || error.message;
  $("#refused-hint").textContent = denied ? t("report.refusedHint", { team }) : "";
  $("#refused .actions").hidden = !denied;
  $("#judge-link").href = `/judge/${competitionId}`;
  const own = $("#own-link");
  const member =
    denied && session?.role === "member" && session.competition_id === competitionId && session.team !== team;
  own.hidden = !member;
  if (member) {
    own.href = `/report/${competitionId}/${encodeURIComponent(session.team)}`;
    own.textContent = t("report.ownReport", { team: session.team });
  }
}

// --- the hero: standing, figures, awards -------------------------------------------------------------

function awardValue(award) {
  const v = award.value;
  if (["winner", "gold", "silver", "bronze"].includes(award.award))
    return t("award.value.score", { v: fmt.score(v) });
  if (award.award === "fastest_reply") return t("award.value.hours", { v: fmt.hours(v) });
  if (award.award === "best_recovery") return t("award.value.share", { v: fmt.pct(v / 100) });
  return t("award.value.index", { v: fmt.score(v) });
}

function drawHero() {
  const row = report.standing || {};
  document.title = `${t("report.pageTitle", { team })} · Salesfloor`;
  $("#competition-name").textContent = status?.name || "";
  $("#team-name").textContent = team;
  $("#as-of").textContent = t("report.asOf", {
    time: fmt.simTime(report.t_sim, status),
    state: stateLabel(status),
  });
  $("#rank").textContent = row.rank ? fmt.num(row.rank) : "—";
  $("#rank-of").textContent = t("report.rankOf", { teams: fmt.num(report.teams) });
  $("#composite").textContent = fmt.score(row.composite);
  const figures = [
    ["common.conversion", fmt.score(row.conversion), "conversion"],
    ["common.satisfaction", fmt.score(row.satisfaction), "satisfaction"],
    ["common.receivables", fmt.score(row.receivables), "receivables"],
    ["common.profit", fmt.money(row.profit), null],
    ["common.collected", fmt.money(row.collected), null],
    ["report.dso", fmt.days(row.dso_days), null],
    ["report.overdue", fmt.pct(row.overdue_share), null],
    ["report.badDebt", fmt.pct(row.bad_debt_ratio, 1), null],
  ];
  if (row.rubric != null) figures.splice(3, 0, ["common.rubric", fmt.score(row.rubric), "rubric"]);
  fill(
    $("#figures"),
    figures.map(([key, value, metric]) =>
      h(
        "div",
        { class: "figure", dataset: metric ? { metric } : {} },
        metric ? h("span", { class: "swatch", style: `background:${COLORS[metric] || "var(--dim)"}` }) : null,
        h("span", { class: "label" }, t(key)),
        h("span", { class: "value" }, value),
      ),
    ),
  );
  const awards = report.awards || [];
  fill(
    $("#awards"),
    awards.length
      ? awards.map((a) =>
          h(
            "li",
            { class: `award ${a.award}`, dataset: { award: a.award } },
            h("strong", {}, t(`award.${a.award}`)),
            h("span", { class: "muted" }, awardValue(a)),
          ),
        )
      : [h("li", { class: "muted none" }, t("report.noAwards"))],
  );
  const frozen = session?.role === "member" && status?.frozen;
  $("#frozen-note").hidden = !frozen;
  if (frozen)
    $("#frozen-note").textContent = t("report.frozen", { time: fmt.simTime(status.freeze_t, status) });
}

// --- charts --------------------------------------------------------------------------------------------

function roundHours() {
  return status?.round_hours || report.rounds[0]?.t / report.rounds[0]?.round || 40;
}

function xRange() {
  const last = report.series.t[report.series.t.length - 1] || 0;
  const rh = roundHours();
  return [0, Math.max(rh, Math.ceil(last / rh - 1e-9) * rh)];
}

function xAxis() {
  const rh = roundHours();
  return {
    splits: (u, i, min, max) => {
      const out = [];
      for (let r = 0; r * rh < max; r++) if ((r + 0.5) * rh >= min) out.push((r + 0.5) * rh);
      return out;
    },
    values: (u, splits) => splits.map((v) => t("report.roundTick", { round: Math.floor(v / rh) + 1 })),
    grid: { show: false },
    ticks: { show: false },
  };
}

function roundLines(u) {
  const rh = roundHours();
  const { ctx, bbox } = u;
  ctx.save();
  ctx.strokeStyle = "#c5ccd6";
  ctx.setLineDash([4, 4]);
  ctx.lineWidth = 1;
  for (let r = 1; r * rh < u.scales.x.max; r++) {
    const x = Math.round(u.valToPos(r * rh, "x", true)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}

function size(el) {
  const width = Math.max(260, Math.floor(el.clientWidth));
  return { width, height: Math.round(Math.min(300, Math.max(190, width * 0.42))) };
}

const timeSeries = () => ({
  label: t("explain.col.time"),
  value: (u, v) => (v == null ? "—" : fmt.simTime(v, status)),
});
const scoreValue = (u, v) => (v == null ? "—" : fmt.score(v));

function metricsChart(el) {
  const s = report.series;
  const line = (metric) => ({
    label: metricName(metric),
    stroke: COLORS[metric],
    width: 2,
    value: scoreValue,
  });
  return new uPlot(
    {
      ...size(el),
      scales: { x: { time: false, range: xRange() }, y: { range: [0, 100] } },
      axes: [xAxis(), { size: 42, values: (u, splits) => splits.map((v) => fmt.num(v)) }],
      series: [timeSeries(), line("conversion"), line("satisfaction"), line("receivables")],
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
      hooks: { draw: [roundLines] },
    },
    [s.t, s.conversion, s.satisfaction, s.receivables],
    el,
  );
}

function scoreChart(el) {
  const s = report.series;
  const teams = Math.max(1, report.teams || Math.max(1, ...s.rank.filter((r) => r != null)));
  return new uPlot(
    {
      ...size(el),
      scales: {
        x: { time: false, range: xRange() },
        y: { range: [0, 100] },
        rank: { range: [0.5, teams + 0.5], dir: -1 },
      },
      axes: [
        xAxis(),
        { size: 42, values: (u, splits) => splits.map((v) => fmt.num(v)) },
        {
          scale: "rank",
          side: 1,
          size: 40,
          grid: { show: false },
          stroke: COLORS.rank,
          splits: () =>
            Array.from({ length: teams }, (_, i) => i + 1).filter(
              (r) => teams <= 12 || r === 1 || r % Math.ceil(teams / 8) === 0,
            ),
          values: (u, splits) => splits.map((v) => `#${fmt.num(v)}`),
        },
      ],
      series: [
        timeSeries(),
        { label: metricName("composite"), stroke: COLORS.composite, width: 2.5, value: scoreValue },
        {
          label: t("report.chartRank"),
          scale: "rank",
          stroke: COLORS.rank,
          width: 1.5,
          dash: [6, 4],
          paths: uPlot.paths.stepped({ align: 1 }),
          value: (u, v) => (v == null ? "—" : `#${fmt.num(v)}`),
        },
      ],
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
      hooks: { draw: [roundLines] },
    },
    [s.t, s.composite, s.rank],
    el,
  );
}

function drawCharts() {
  for (const chart of charts) chart.destroy();
  charts = [];
  const enough = (report.series.t || []).length >= 2;
  /** @type {[selector: string, make: (el: HTMLElement) => uPlot][]} */
  const makers = [
    ["#chart-metrics", metricsChart],
    ["#chart-score", scoreChart],
  ];
  for (const [id, make] of makers) {
    const el = $(id);
    el.replaceChildren();
    if (!enough) {
      el.append(h("p", { class: "muted chart-empty" }, t("report.chartEmpty")));
      continue;
    }
    charts.push(make(el));
  }
}

function resizeCharts(printing = false) {
  for (const chart of charts) {
    const el = chart.root.parentElement;
    chart.setSize(printing ? PRINT_SIZE : size(el));
  }
}

new ResizeObserver(() => {
  if (!matchMedia("print").matches) resizeCharts();
}).observe($("#chart-metrics"));
addEventListener("beforeprint", () => resizeCharts(true));
addEventListener("afterprint", () => resizeCharts(false));

// --- rounds, moments, lost inquiries, complaints ------------------------------------------------------

function drawRounds() {
  const rounds = report.rounds || [];
  $("#rounds-none").hidden = rounds.length > 0;
  if (!rounds.length) {
    $("#rounds").replaceChildren();
    return;
  }
  const head = (key, sub) =>
    h(
      "th",
      { scope: "col", class: key === "round" ? null : "num" },
      t(`report.col.${key}`),
      sub ? h("span", { class: "sub" }, t(`report.col.${sub}`)) : null,
    );
  const cell = (value, sub, cls = "") =>
    h("td", { class: `num ${cls}` }, value, sub ? h("span", { class: "sub" }, sub) : null);
  fill(
    $("#rounds"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        head("round"),
        head("rank"),
        head("composite"),
        head("conversion", "won"),
        head("satisfaction"),
        head("receivables", "collectedDue"),
      ),
    ),
    h(
      "tbody",
      {},
      rounds.map((r) =>
        h(
          "tr",
          { dataset: { round: r.round } },
          h("th", { scope: "row" }, t("report.roundN", { round: fmt.num(r.round) })),
          cell(r.rank ? `#${fmt.num(r.rank)}` : "—"),
          cell(fmt.score(r.composite), null, "strong"),
          cell(fmt.score(r.conversion), r.closed ? `${fmt.num(r.won)} / ${fmt.num(r.closed)}` : null),
          cell(fmt.score(r.satisfaction)),
          cell(
            fmt.score(r.receivables),
            r.due_total ? `${fmt.money(r.collected_due)} / ${fmt.money(r.due_total)}` : null,
          ),
        ),
      ),
    ),
  );
}

function momentText(m) {
  return t(`report.moment.${m.kind}`, {
    value: fmt.money(m.value),
    amount: fmt.money(m.amount),
    customer: m.customer ?? "",
    segment: m.segment ? t(`segment.${m.segment}`) : "",
    invoice: shortId(m.invoice, team),
    order: shortId(m.order, team),
    complaint: shortId(m.complaint, team),
    from: fmt.num(m.from_rank),
    to: fmt.num(m.to_rank),
  });
}

function drawMoments(el, kinds) {
  const items = [];
  for (const kind of kinds) {
    const of = (report.moments || []).filter((m) => m.kind === kind);
    if (kind === "big_order") of.sort((a, b) => b.value - a.value);
    for (const m of of.slice(0, PER_KIND)) {
      items.push(
        h(
          "li",
          { class: `moment ${m.kind}`, dataset: { kind: m.kind } },
          h("span", { class: "when" }, fmt.simTime(m.t, status)),
          h("span", { class: "what" }, momentText(m)),
        ),
      );
    }
    if (of.length > PER_KIND)
      items.push(
        h("li", { class: "more muted" }, t("report.moreMoments", { n: fmt.num(of.length - PER_KIND) })),
      );
  }
  fill(el, items.length ? items : [h("li", { class: "muted none" }, t("report.noMoments"))]);
}

function drawNotWon() {
  const items = report.explanations?.conversion?.items || [];
  // orders the customer cancelled count as lost in conversion: show them beside the other reasons
  const notWon = { ...(report.counts?.not_won || {}) };
  const cancelled = items.filter((i) => i.reason === "cancelled").length;
  if (cancelled && !notWon.cancelled) notWon.cancelled = cancelled;
  const counts = Object.entries(notWon).sort((a, b) => b[1] - a[1]);
  const lost = counts.reduce((s, [, n]) => s + n, 0);
  const won = items.filter((i) => i.outcome === "won").length;
  if (!lost) {
    fill($("#not-won"), h("p", { class: "muted" }, t("report.notWonNone")));
    return;
  }
  const most = counts[0][1];
  fill(
    $("#not-won"),
    h(
      "p",
      {},
      t("report.notWonSummary", { won: fmt.num(won), closed: fmt.num(items.length), lost: fmt.num(lost) }),
    ),
    h(
      "ul",
      { class: "bars" },
      counts.map(([reason, n]) =>
        h(
          "li",
          { dataset: { reason } },
          h("span", { class: "bar-label" }, reasonText(reason)),
          h("span", { class: "bar-track" }, h("span", { style: `width:${((100 * n) / most).toFixed(1)}%` })),
          h("span", { class: "bar-value" }, `${fmt.num(n)} · ${fmt.pct(n / lost)}`),
        ),
      ),
    ),
  );
}

function drawComplaints() {
  const counts = report.counts?.complaints || {};
  const kinds = ["resolved_in_time", "resolved_late", "escalated"];
  const any = kinds.some((k) => counts[k]);
  fill(
    $("#complaints"),
    h(
      "div",
      { class: "tiles" },
      kinds.map((k) =>
        h(
          "div",
          { class: `tile ${k}`, dataset: { kind: k } },
          h("span", { class: "value" }, fmt.num(counts[k] || 0)),
          h("span", { class: "label" }, t(`report.complaint.${k}`)),
        ),
      ),
    ),
    any ? null : h("p", { class: "muted" }, t("report.complaintsNone")),
  );
}

function drawExplanations() {
  const explanations = report.explanations || {};
  const options = { status, limit: 25 };
  fill(
    $("#explain-composite"),
    explanations.composite ? renderExplanation(explanations.composite, options) : null,
  );
  fill(
    $("#explain-metrics"),
    ["conversion", "satisfaction", "receivables", "profit"]
      .filter((m) => explanations[m])
      .map((m) => {
        const e = explanations[m];
        return h(
          "details",
          { class: "metric-detail", dataset: { metric: m } },
          h(
            "summary",
            {},
            h("span", { class: "swatch", style: `background:${COLORS[m]}` }),
            h("strong", {}, metricName(m)),
            " ",
            h(
              "span",
              { class: "value" },
              e.value == null ? "—" : m === "profit" ? fmt.money(e.value) : fmt.score(e.value),
            ),
            h("code", { class: "summary-formula" }, formulaText(e.formula)),
          ),
          renderExplanation(e, options),
        );
      }),
  );
}

function draw() {
  $("#loading").hidden = true;
  $("#refused").hidden = true;
  $("#report").hidden = false;
  $("#refresh").hidden = false;
  $("#print").hidden = false;
  drawHero();
  drawRounds();
  drawMoments($("#moments-best"), BEST);
  drawMoments($("#moments-worst"), WORST);
  drawNotWon();
  drawComplaints();
  drawExplanations();
  drawCharts();
}

async function load() {
  if (!competitionId || !team) {
    refuse({ status: 404, detail: t("report.missing") });
    return false;
  }
  const [who, board] = await Promise.all([
    whoami().catch(() => null),
    api(`/api/v1/competitions/${competitionId}/public`).catch(() => null),
  ]);
  session = who;
  status = board;
  try {
    report = await api(`/api/v1/competitions/${competitionId}/report/${encodeURIComponent(team)}`);
  } catch (error) {
    refuse(error);
    return false;
  }
  draw();
  return true;
}

$("#print").addEventListener("click", () => window.print());
$("#refresh").addEventListener("click", async () => {
  try {
    if (await load()) toast(t("report.refreshed"));
  } catch (error) {
    showError(error);
  }
});
onLangChange(() => {
  if (report) draw();
  else if (!$("#refused").hidden) load();
});

load().catch(showError);
