// One figure explained: what it means, its formula with the team's numbers (as the server
// wrote it, its words in the page's language: formulaText), the weights and normalisation of the score, and the items behind it as a
// table whose columns fit the kind of item (closed inquiries, customers, due invoices, the
// parts of the score, rubric items). Used by the judge panel and the team report.

import { addStrings, fmt, lang, t } from "/static/common/i18n.js";
import { h } from "/static/common/ui.js";
import STRINGS from "/static/strings/explain.js";

addStrings(STRINGS);

export const METRICS = ["composite", "conversion", "satisfaction", "receivables", "profit", "rubric"];
const WEIGHTED = ["conversion", "satisfaction", "receivables", "profit", "rubric"];
const WEEKLY_PROFIT_RULES = 5; // scoring/profit_scale.py: profit's return per business week
const LIMIT = 50;
const SEQ_COLUMNS = ["explain.col.event", "explain.col.firstSeen", "explain.col.fellDue"];

// The formula comes from the server in English notation; in another language its words are
// replaced, longest phrase first (a phrase before any word it contains), and the numbers and
// symbols stay as they are. The notation stays: clip, max, PD, S_after, S_before, t and h.
// A phrase the strings do not know stays in English (the notation still reads).
const FORMULA_WORDS = [
  ["; each metric on its own fixed scale", "explain.f.fixedScale"],
  ["; left out for this team (no value yet), weights renormalised:", "explain.f.leftOutTeam"],
  ["return on capital % per business week", "explain.f.returnPerWeek"],
  ["return on capital % per round", "explain.f.returnPerRound"],
  ["the invoice's own rate until due", "explain.f.ownRate"],
  ["days granted beyond those asked", "explain.f.beyondAsked"],
  ["days asked", "explain.f.daysAsked"],
  ["then rising linearly to 1 at", "explain.f.rising"],
  ["days past due", "explain.f.daysPastDue"],
  ["expected loss on it", "explain.f.lossOnIt"],
  ["expected loss", "explain.f.expectedLoss"],
  ["written off", "explain.f.writtenOff"],
  ["loss rate in %", "explain.f.lossRatePct"],
  ["loss rate", "explain.f.lossRate"],
  ["until due", "explain.f.untilDue"],
  ["cash gained", "explain.f.cashGained"],
  ["still owed", "explain.f.stillOwed"],
  ["starting capital", "explain.f.capital"],
  ["business weeks played", "explain.f.weeksPlayed"],
  ["rounds played", "explain.f.roundsPlayed"],
  ["h a business week", "explain.f.hoursWeek"],
  ["% per business week", "explain.f.pctWeek"],
  ["% per round", "explain.f.pctRound"],
  ["% a business week", "explain.f.pctAWeek"],
  ["% a round", "explain.f.pctARound"],
  ["per experience", "explain.f.perExperience"],
  ["all teams equal", "explain.f.allEqual"],
  ["no judge has scored team", "explain.f.noJudge"],
  ["; profit min–max scaled across teams", "explain.f.profitScaled"],
  ["; left out (no team has a value yet):", "explain.f.leftOut"],
  ["(clipped to 0–100)", "explain.f.clipped"],
  ["; normalisation raw", "explain.f.norm.raw"],
  ["; normalisation rank", "explain.f.norm.rank"],
  ["; normalisation zscore", "explain.f.norm.zscore"],
  ["mean points", "explain.f.meanPoints"],
  ["max points", "explain.f.maxPoints"],
  ["customers", "explain.f.customers"],
  ["collected", "explain.f.collected"],
  ["closed", "explain.f.closed"],
  ["won", "explain.f.won"],
  ["due", "explain.f.due"],
  ["yet", "explain.f.yet"],
  ["scale:", "explain.f.scale"],
  ["invoiced", "explain.f.invoiced"],
  ["open", "explain.f.open"],
  ["lost", "explain.f.lost"],
  ["lowest", "explain.f.lowest"],
  ["highest", "explain.f.highest"],
  ["return", "explain.f.return"],
  ["score", "explain.f.score"],
  ["items", "explain.f.items"],
  ["item", "explain.f.item"],
  ["n/a", "explain.f.na"],
  ["composite", "common.composite"],
  ["conversion", "common.conversion"],
  ["satisfaction", "common.satisfaction"],
  ["receivables", "common.receivables"],
  ["profit", "common.profit"],
  ["rubric", "common.rubric"],
];

/** The server's formula in the page's language: its words translated, its numbers kept. */
export function formulaText(formula) {
  if (lang === "en" || !formula) return formula ?? "";
  let out = formula;
  for (const [phrase, key] of FORMULA_WORDS) {
    const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // a word is matched whole ("due", not the end of "overdue"); a phrase of symbols as it is
    const before = /^[A-Za-z]/.test(phrase) ? "(?<![A-Za-z])" : "";
    const after = /[A-Za-z]$/.test(phrase) ? "(?![A-Za-z])" : "";
    const pattern = new RegExp(`${before}${escaped}${after}`, "g");
    out = out.replace(pattern, t(key));
  }
  return out;
}

/** The name of a figure in the page's language (common.* keys). */
export function metricName(metric) {
  return t(`common.${metric}`);
}

/** A figure's value as the boards show it (money for profit, a 0–100 score otherwise). */
export function metricValue(metric, value) {
  if (value == null) return "—";
  return metric === "profit" || metric === "collected" ? fmt.money(value) : fmt.score(value);
}

/** Why an inquiry was not won, in words (a reason the team wrote itself is shown as it is). */
export function reasonText(reason) {
  if (!reason) return "—";
  const key = `reason.${reason}`;
  const text = t(key);
  return text === key ? reason : text;
}

/** An id without the team's name in it: "R12/Aurora" → "R12", "I7/Aurora-1" → "I7-1". */
export function shortId(id, team) {
  if (id == null) return "—";
  return team ? String(id).split(`/${team}`).join("") : String(id);
}

/** A criterion's name in the page's language. */
export function criterionName(criterion) {
  if (!criterion) return "";
  return lang === "zh" ? criterion.name_zh || criterion.name_en : criterion.name_en || criterion.name_zh;
}

function seqCell(seq) {
  return h("td", { class: "num seq" }, seq == null ? "—" : `#${seq}`);
}

/** How profit is put on its scale: min–max (rules 1), per round (2–4), per business week (5 on). */
function profitScaleKey(rules) {
  if (rules === 1) return "explain.profitScaled";
  return rules >= WEEKLY_PROFIT_RULES ? "explain.profitWeekly" : "explain.profitFixed";
}

/** What a figure means under the competition's rules version. */
function definitionKey(metric, rules) {
  if (rules === 1) return `explain.def.${metric}`;
  if (metric === "profit" && rules >= WEEKLY_PROFIT_RULES) return "explain.def5.profit";
  return `explain.def2.${metric}`;
}

function weightsLine(explanation) {
  const weights = explanation.weights || {};
  const total = WEIGHTED.reduce((sum, k) => sum + (weights[k] || 0), 0);
  const parts = WEIGHTED.filter((k) => k in weights).map((k) =>
    h(
      "span",
      { class: "weight", dataset: { metric: k } },
      `${metricName(k)} ${fmt.num(weights[k], 0)}`,
      total > 0 ? h("span", { class: "muted" }, ` (${fmt.pct(weights[k] / total)})`) : null,
    ),
  );
  const norm = explanation.normalisation || "raw";
  return h(
    "dl",
    { class: "facts explain-weights" },
    h("dt", {}, t("explain.weights")),
    h(
      "dd",
      {},
      parts.flatMap((p, i) => (i ? [" · ", p] : [p])),
    ),
    h("dt", {}, t("explain.normalisation")),
    h(
      "dd",
      { dataset: { normalisation: norm } },
      t(`explain.norm.${norm}`),
      (weights.profit || 0) > 0
        ? h("span", { class: "muted" }, ` ${t(profitScaleKey(explanation.rules))}`)
        : null,
    ),
  );
}

// --- the items, by kind ---------------------------------------------------------------------------

function conversionTable(items, ctx) {
  const rows = [...items].sort((a, b) => b.t - a.t || b.seq - a.seq);
  const counts = { won: 0, lost: 0, declined: 0, expired: 0 };
  for (const item of items) counts[item.outcome] = (counts[item.outcome] || 0) + 1;
  return {
    summary: t(
      "explain.summary.conversion",
      Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, fmt.num(v)])),
    ),
    head: [
      "explain.col.time",
      "explain.col.inquiry",
      "explain.col.customer",
      "explain.col.outcome",
      "explain.col.reason",
      "explain.col.event",
    ],
    numeric: [5],
    rows: rows.map((item) =>
      h(
        "tr",
        { class: `outcome-${item.outcome}`, dataset: { seq: item.seq } },
        h("td", { class: "when" }, fmt.simTime(item.t, ctx.status)),
        h("td", {}, shortId(item.inquiry_id, ctx.team)),
        h("td", {}, item.customer_id),
        h(
          "td",
          {},
          h(
            "span",
            { class: `badge ${item.outcome === "won" ? "ok" : item.outcome === "lost" ? "" : "warn"}` },
            t(`outcome.${item.outcome}`),
          ),
        ),
        h("td", {}, item.outcome === "won" ? "" : reasonText(item.reason || item.outcome)),
        seqCell(item.seq),
      ),
    ),
  };
}

function satisfactionTable(items) {
  const rows = [...items].sort((a, b) => a.satisfaction - b.satisfaction || a.first_seq - b.first_seq);
  const low = items.filter((i) => i.satisfaction < 0.5).length;
  const high = items.filter((i) => i.satisfaction >= 0.7).length;
  return {
    summary: t("explain.summary.satisfaction", {
      n: fmt.num(items.length),
      low: fmt.num(low),
      high: fmt.num(high),
    }),
    head: [
      "explain.col.customer",
      "explain.col.satisfaction",
      "explain.col.changes",
      "explain.col.firstSeen",
    ],
    numeric: [2, 3],
    rows: rows.map((item) => {
      const score = 100 * item.satisfaction;
      const tone = score < 50 ? "bad" : score >= 70 ? "good" : "mid";
      return h(
        "tr",
        { dataset: { seq: item.first_seq } },
        h("td", {}, item.customer_id),
        h(
          "td",
          { class: "meter-cell" },
          h(
            "span",
            { class: `meter ${tone}`, "aria-hidden": "true" },
            h("span", { style: `width:${Math.max(0, Math.min(100, score)).toFixed(1)}%` }),
          ),
          h("span", { class: "num" }, fmt.score(score)),
        ),
        h("td", { class: "num" }, fmt.num((item.change_seqs || []).length)),
        seqCell(item.first_seq),
      );
    }),
  };
}

function receivablesTable(items, ctx) {
  const rows = [...items].sort((a, b) => (b.due_seq ?? 0) - (a.due_seq ?? 0));
  const outstanding = (i) => i.outstanding ?? Math.max(0, i.amount - i.collected - (i.written_off || 0));
  const sum = (f) => items.reduce((s, i) => s + (f(i) || 0), 0);
  const open = items.filter((i) => outstanding(i) > 0.005).length;
  const off = items.filter((i) => (i.written_off || 0) > 0).length;
  return {
    summary: t("explain.summary.receivables", {
      n: fmt.num(items.length),
      open: fmt.num(open),
      off: fmt.num(off),
    }),
    head: [
      "explain.col.invoice",
      "explain.col.customer",
      "explain.col.amount",
      "explain.col.collected",
      "explain.col.outstanding",
      "explain.col.writtenOff",
      "explain.col.fellDue",
    ],
    numeric: [2, 3, 4, 5, 6],
    rows: rows.map((item) =>
      h(
        "tr",
        { class: outstanding(item) > 0.005 ? "open" : "paid", dataset: { seq: item.due_seq } },
        h("td", {}, shortId(item.invoice_id, ctx.team)),
        h("td", {}, item.customer_id),
        h("td", { class: "num" }, fmt.money(item.amount, 2)),
        h("td", { class: "num" }, fmt.money(item.collected, 2)),
        h(
          "td",
          { class: `num ${outstanding(item) > 0.005 ? "warn-text" : ""}` },
          fmt.money(outstanding(item), 2),
        ),
        h("td", { class: "num" }, item.written_off ? fmt.money(item.written_off, 2) : "—"),
        seqCell(item.due_seq),
      ),
    ),
    foot: items.length
      ? h(
          "tr",
          {},
          h("th", { colspan: 2 }, t("explain.total")),
          h(
            "th",
            { class: "num" },
            fmt.money(
              sum((i) => i.amount),
              2,
            ),
          ),
          h(
            "th",
            { class: "num" },
            fmt.money(
              sum((i) => i.collected),
              2,
            ),
          ),
          h("th", { class: "num" }, fmt.money(sum(outstanding), 2)),
          h(
            "th",
            { class: "num" },
            fmt.money(
              sum((i) => i.written_off),
              2,
            ),
          ),
          h("th", {}),
        )
      : null,
  };
}

function compositeTable(items) {
  const included = items.filter((i) => i.included);
  const total = included.reduce((s, i) => s + i.weight, 0);
  const points = (i) => (i.included && total > 0 ? (i.normalised * i.weight) / total : null);
  return {
    summary: "",
    head: [
      "explain.col.metric",
      "explain.col.own",
      "explain.col.normalised",
      "explain.col.weight",
      "explain.col.share",
      "explain.col.contribution",
      "explain.col.counted",
    ],
    numeric: [1, 2, 3, 4, 5],
    rows: items.map((item) =>
      h(
        "tr",
        { class: item.included ? "" : "excluded", dataset: { metric: item.metric } },
        h("td", {}, metricName(item.metric)),
        h(
          "td",
          { class: "num" },
          item.value == null ? t("explain.notYet") : metricValue(item.metric, item.value),
        ),
        h("td", { class: "num" }, item.included ? fmt.score(item.normalised) : "—"),
        h("td", { class: "num" }, fmt.num(item.weight, 0)),
        h("td", { class: "num" }, item.included && total > 0 ? fmt.pct(item.weight / total) : "—"),
        h("td", { class: "num" }, points(item) == null ? "—" : fmt.num(points(item), 2)),
        h("td", {}, t(item.included ? "explain.yes" : "explain.no")),
      ),
    ),
    foot: included.length
      ? h(
          "tr",
          {},
          h("th", { colspan: 5 }, t("explain.total")),
          h(
            "th",
            { class: "num" },
            fmt.num(
              included.reduce((s, i) => s + points(i), 0),
              2,
            ),
          ),
          h("th", {}),
        )
      : null,
  };
}

function experienceTable(items) {
  const rows = [...items].sort((a, b) => a.experience - b.experience || a.seq - b.seq);
  const low = items.filter((i) => i.experience < 0.58).length;
  const high = items.filter((i) => i.experience >= 0.78).length;
  return {
    summary: t("explain.summary.experiences", {
      n: fmt.num(items.length),
      low: fmt.num(low),
      high: fmt.num(high),
    }),
    head: [
      "explain.col.customer",
      "explain.col.cause",
      "explain.col.before",
      "explain.col.after",
      "explain.col.experience",
      "explain.col.event",
    ],
    numeric: [2, 3, 4, 5],
    rows: rows.map((item) => {
      const tone = item.experience < 0.58 ? "bad" : item.experience >= 0.78 ? "good" : "mid";
      return h(
        "tr",
        { dataset: { seq: item.seq } },
        h("td", {}, item.customer_id),
        h("td", {}, causeText(item.cause)),
        h("td", { class: "num" }, fmt.score(100 * item.before)),
        h("td", { class: "num" }, fmt.score(100 * item.after)),
        h(
          "td",
          { class: "meter-cell num" },
          h(
            "span",
            { class: `meter ${tone}`, "aria-hidden": "true" },
            h("span", { style: `width:${(100 * item.experience).toFixed(1)}%` }),
          ),
          h("span", { class: "num" }, fmt.num(item.experience, 2)),
        ),
        seqCell(item.seq),
      );
    }),
  };
}

function riskTable(items, ctx) {
  const rows = [...items].sort(
    (a, b) => b.expected_loss - a.expected_loss || b.days_past_due - a.days_past_due,
  );
  const sum = (f) => items.reduce((s, i) => s + (f(i) || 0), 0);
  const overdue = items.filter(
    (i) => i.days_past_due > 0 && i.loss_probability > 0 && i.written_off == null,
  ).length;
  const off = items.filter((i) => i.written_off != null).length;
  return {
    summary: t("explain.summary.risk", {
      n: fmt.num(items.length),
      overdue: fmt.num(overdue),
      off: fmt.num(off),
    }),
    head: [
      "explain.col.invoice",
      "explain.col.customer",
      "explain.col.invoiced",
      "explain.col.collected",
      "explain.col.outstanding",
      "explain.col.daysPastDue",
      "explain.col.lossProbability",
      "explain.col.expectedLoss",
    ],
    numeric: [2, 3, 4, 5, 6, 7],
    rows: rows.map((item) =>
      h(
        "tr",
        { class: item.expected_loss > 0.005 ? "open" : "paid", dataset: { seq: item.seqs?.[0] ?? "" } },
        h("td", {}, shortId(item.invoice_id, ctx.team)),
        h("td", {}, item.customer_id),
        h("td", { class: "num" }, fmt.money(item.amount, 2)),
        h("td", { class: "num" }, fmt.money(item.collected, 2)),
        h(
          "td",
          { class: "num" },
          fmt.money(item.outstanding ?? Math.max(0, item.amount - item.collected), 2),
        ),
        h(
          "td",
          { class: "num" },
          item.days_past_due > 0 ? fmt.num(item.days_past_due, 1) : t("explain.notDue"),
        ),
        h("td", { class: "num" }, fmt.pct(item.loss_probability, 1)),
        h(
          "td",
          { class: `num ${item.expected_loss > 0.005 ? "warn-text" : ""}` },
          fmt.money(item.expected_loss, 2),
        ),
      ),
    ),
    foot: items.length
      ? h(
          "tr",
          {},
          h("th", { colspan: 2 }, t("explain.total")),
          h(
            "th",
            { class: "num" },
            fmt.money(
              sum((i) => i.amount),
              2,
            ),
          ),
          h(
            "th",
            { class: "num" },
            fmt.money(
              sum((i) => i.collected),
              2,
            ),
          ),
          h("th", { colspan: 3 }),
          h(
            "th",
            { class: "num" },
            fmt.money(
              sum((i) => i.expected_loss),
              2,
            ),
          ),
        )
      : null,
  };
}

function profitTable(items) {
  const sign = { cash_gained: 1, owed: 1, expected_loss: -1 };
  const total = items.reduce((s, i) => s + (sign[i.part] ?? 1) * i.amount, 0);
  return {
    summary: "",
    head: ["explain.col.part", "explain.col.amount"],
    numeric: [1],
    rows: items.map((item) =>
      h(
        "tr",
        { dataset: { part: item.part } },
        h("td", {}, t(`explain.part.${item.part}`)),
        h("td", { class: "num" }, `${(sign[item.part] ?? 1) < 0 ? "− " : ""}${fmt.money(item.amount, 2)}`),
      ),
    ),
    foot: h("tr", {}, h("th", {}, t("explain.total")), h("th", { class: "num" }, fmt.money(total, 2))),
  };
}

function causeText(cause) {
  if (!cause) return "—";
  const key = `cause.${cause}`;
  const text = t(key);
  return text === key ? cause : text;
}

function rubricTable(items, ctx) {
  const byId = new Map((ctx.criteria || []).map((c) => [c.id, c]));
  return {
    summary: t("explain.summary.rubric", { n: fmt.num(items.length) }),
    head: [
      "explain.col.criterion",
      "explain.col.round",
      "explain.col.max",
      "explain.col.mean",
      "explain.col.judges",
    ],
    numeric: [2, 3],
    rows: items.map((item) =>
      h(
        "tr",
        { dataset: { criterion: item.criterion_id, round: item.round ?? "" } },
        h(
          "td",
          {},
          criterionName(byId.get(item.criterion_id)) || t("explain.criterion", { id: item.criterion_id }),
        ),
        h("td", {}, item.round == null ? t("explain.once") : fmt.num(item.round)),
        h("td", { class: "num" }, fmt.num(item.max_points, 1)),
        h("td", { class: "num" }, fmt.num(item.mean_points, 2)),
        h(
          "td",
          {},
          (item.judges || []).map(([judge, points]) => `${judge} ${fmt.num(points, 1)}`).join(" · "),
        ),
      ),
    ),
  };
}

const TABLES = {
  ClosedInquiry: conversionTable,
  CustomerSatisfaction: satisfactionTable,
  DueInvoice: receivablesTable,
  CompositePart: compositeTable,
  RubricItem: rubricTable,
  Experience: experienceTable,
  InvoiceRisk: riskTable,
  ProfitLine: profitTable,
};

function itemsBlock(explanation, ctx) {
  const items = explanation.items || [];
  if (!items.length) return [h("p", { class: "muted explain-empty" }, t("explain.noItems"))];
  const build = TABLES[items[0].kind];
  if (!build) return [h("p", { class: "muted" }, t("explain.noItems"))];
  const spec = build(items, ctx);
  const limit = ctx.limit ?? LIMIT;
  const table = h(
    "table",
    { class: "explain-items", dataset: { kind: items[0].kind } },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        spec.head.map((key, i) =>
          h(
            "th",
            {
              class:
                [spec.numeric.includes(i) ? "num" : "", SEQ_COLUMNS.includes(key) ? "seq" : ""]
                  .join(" ")
                  .trim() || null,
              scope: "col",
            },
            t(key),
          ),
        ),
      ),
    ),
    h("tbody", {}, spec.rows),
    spec.foot ? h("tfoot", {}, spec.foot) : null,
  );
  const out = [];
  if (spec.summary) out.push(h("p", { class: "explain-summary" }, spec.summary));
  out.push(h("div", { class: "table-wrap" }, table));
  if (spec.rows.length > limit) {
    const hidden = spec.rows.slice(limit);
    for (const row of hidden) row.hidden = true;
    const more = h(
      "p",
      { class: "explain-more print-only" },
      t("explain.more", { n: fmt.num(hidden.length) }),
    );
    const button = h(
      "button",
      { type: "button", class: "explain-toggle no-print" },
      t("explain.showAll", { n: fmt.num(spec.rows.length) }),
    );
    button.addEventListener("click", () => {
      const showing = button.dataset.open === "1";
      for (const row of hidden) row.hidden = showing;
      more.hidden = !showing;
      button.dataset.open = showing ? "0" : "1";
      button.textContent = showing
        ? t("explain.showAll", { n: fmt.num(spec.rows.length) })
        : t("explain.showFewer");
    });
    out.push(button, more);
  }
  return out;
}

/**
 * The explanation as an element: renderExplanation(data, {status, criteria, limit}).
 * `data` is what GET …/explain/{team}/{metric} answers; `status` (hours_per_day, round_hours)
 * formats simulated times; `criteria` names rubric items. Call again after a change of language.
 */
export function renderExplanation(explanation, options = {}) {
  const ctx = { team: explanation.team, ...options };
  const metric = explanation.metric;
  return h(
    "section",
    { class: "explain", dataset: { metric } },
    h(
      "div",
      { class: "explain-head" },
      h("span", { class: "explain-metric" }, metricName(metric)),
      h(
        "strong",
        { class: "explain-value" },
        explanation.value == null ? t("explain.notYet") : metricValue(metric, explanation.value),
      ),
    ),
    h("p", { class: "explain-def" }, t(definitionKey(metric, explanation.rules))),
    h("p", { class: "explain-label" }, t("explain.formula")),
    h("pre", { class: "formula", lang: lang === "en" ? "en" : "zh-CN" }, formulaText(explanation.formula)),
    weightsLine(explanation),
    h("h4", { class: "explain-label" }, t("explain.items")),
    itemsBlock(explanation, ctx),
  );
}

// The look of an explanation, shared by the pages that show one (a constructed style sheet, so
// that both pages get the same rules from this one module).
const STYLE = `
.explain { display: grid; gap: 0.45rem; min-width: 0; }
.explain-head { display: flex; gap: 0.7rem; align-items: baseline; flex-wrap: wrap; }
.explain-metric { font-weight: 600; }
.explain-value { font-size: 1.6rem; font-variant-numeric: tabular-nums; }
.explain-def { margin: 0; color: var(--dim); max-width: 75ch; }
.explain-label { margin: 0.35rem 0 0; font-size: 0.85rem; color: var(--dim); font-weight: 600; }
.explain pre.formula { margin: 0; padding: 0.55rem 0.75rem; background: #eef2f6; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; font: 0.92rem/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.explain-weights { font-size: 0.9rem; }
.explain-weights .weight { white-space: nowrap; }
.explain-summary { margin: 0; font-size: 0.92rem; }
.explain-items { font-size: 0.9rem; }
.explain-items td.when { white-space: nowrap; color: var(--dim); }
.explain-items td.seq { color: var(--dim); font-size: 0.82rem; }
.explain-items tr.excluded td { color: var(--dim); }
.explain-items tr.outcome-won td:first-child { box-shadow: inset 3px 0 0 var(--accent); }
.explain-items tfoot th { border-top: 2px solid var(--line); color: var(--fg); }
.explain-items .warn-text { color: var(--warn); }
.explain-items .meter-cell { white-space: nowrap; }
.explain .meter { display: inline-block; width: 4.5rem; height: 0.5rem; border-radius: 999px; background: var(--line); overflow: hidden; vertical-align: middle; margin-right: 0.45rem; }
.explain .meter > span { display: block; height: 100%; background: var(--warn); }
.explain .meter.good > span { background: var(--accent); }
.explain .meter.bad > span { background: var(--bad); }
.explain-toggle { justify-self: start; }
.explain .print-only { display: none; }
@media (max-width: 640px) {
  .explain-items .seq { display: none; }
  .explain-items td.when { white-space: normal; min-width: 6.5rem; }
}
@media print {
  .explain .print-only:not([hidden]) { display: block; }
  .explain pre.formula { background: none; border: 1px solid #bbb; }
}
`;

/** The sheet of the explanation view is marked, so that a page adopts it once. */
const EXPLAIN_SHEETS = new WeakSet();

if (!document.adoptedStyleSheets.some((s) => EXPLAIN_SHEETS.has(s))) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
  EXPLAIN_SHEETS.add(sheet);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
