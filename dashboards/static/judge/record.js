// A team's record for the judge: its standing, each figure explained (explain.js), its latest
// events in words (newest first, filtered by area) and the link to its report.

import { api } from "/static/common/api.js";
import { fmt, t } from "/static/common/i18n.js";
import { fill, h, showError } from "/static/common/ui.js";
import { METRICS, metricName, renderExplanation } from "/static/explain.js";
import { FILTERS, KEEP, describe } from "/static/judge/events.js";

const SHOWN = 40;

export function createRecord(root, { competitionId, status, criteria, events, standing, teamCount }) {
  const $ = (selector) => root.querySelector(selector);
  let team = null;
  let metric = "composite";
  let explanation = null; // {team, metric, data, value}
  let loading = 0;
  let filter = "all";
  let shown = SHOWN;

  function drawTabs() {
    fill(
      $("#explain-tabs"),
      METRICS.map((m) => {
        const button = h(
          "button",
          {
            type: "button",
            role: "tab",
            "aria-selected": m === metric ? "true" : "false",
            dataset: { metric: m },
          },
          metricName(m),
        );
        button.addEventListener("click", () => open(m));
        button.addEventListener("keydown", (event) => {
          if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
          const i = METRICS.indexOf(m) + (event.key === "ArrowRight" ? 1 : -1);
          const next = METRICS[(i + METRICS.length) % METRICS.length];
          open(next);
          $(`#explain-tabs [data-metric="${next}"]`)?.focus();
        });
        return button;
      }),
    );
  }

  function drawFacts() {
    const row = standing(team) || {};
    const facts = [
      ["common.composite", fmt.score(row.composite), "composite"],
      ["common.conversion", fmt.score(row.conversion), "conversion"],
      ["common.satisfaction", fmt.score(row.satisfaction), "satisfaction"],
      ["common.receivables", fmt.score(row.receivables), "receivables"],
      ["common.rubric", fmt.score(row.rubric), "rubric"],
      ["common.profit", fmt.money(row.profit), null],
      ["common.collected", fmt.money(row.collected), null],
      ["judge.facts.dso", fmt.days(row.dso_days), null],
      ["judge.facts.overdue", fmt.pct(row.overdue_share), null],
      ["judge.facts.badDebt", fmt.pct(row.bad_debt_ratio, 1), null],
    ];
    const box = $("#record-facts");
    const labels = facts.map(([key]) => t(key)).join("|");
    if (box.dataset.labels !== labels) {
      // built once per language; afterwards only the values change (focus stays where it is)
      box.dataset.labels = labels;
      fill(
        box,
        facts.map(([key, , m]) => {
          const tile = h(
            m ? "button" : "div",
            { class: "fact", type: m ? "button" : null, dataset: m ? { metric: m } : {} },
            h("span", { class: "fact-label" }, t(key)),
            h("span", { class: "fact-value" }),
          );
          if (m) tile.addEventListener("click", () => open(m));
          return tile;
        }),
      );
    }
    facts.forEach(([, value, m], i) => {
      const tile = box.children[i];
      tile.querySelector(".fact-value").textContent = value;
      tile.classList.toggle("current", m === metric);
    });
    $("#record-rank").textContent = row.rank
      ? t("judge.rankOf", { rank: fmt.num(row.rank), teams: fmt.num(teamCount()) })
      : "";
  }

  function drawExplanation() {
    const panel = $("#explain-panel");
    if (!explanation || explanation.team !== team || explanation.metric !== metric) {
      fill(panel, h("p", { class: "muted" }, t("common.loading")));
      return;
    }
    const row = standing(team) || {};
    const live = metric === "composite" ? row.composite : row[metric];
    const stale =
      explanation.data.value != null && live != null && Math.abs(live - explanation.data.value) > 1e-9;
    const refresh = h("button", { type: "button", class: "refresh" }, t("judge.refresh"));
    refresh.addEventListener("click", () => open(metric, true));
    fill(
      panel,
      h(
        "div",
        { class: "explain-bar" },
        h("span", { class: "hint" }, t("judge.explainAsOf", { time: fmt.simTime(explanation.t, status()) })),
        stale ? h("span", { class: "badge warn stale" }, t("judge.stale")) : null,
        refresh,
      ),
      renderExplanation(explanation.data, { status: status(), criteria: criteria() }),
    );
  }

  async function open(m, force = false) {
    metric = m;
    drawTabs();
    drawFacts();
    if (!force && explanation && explanation.team === team && explanation.metric === m)
      return drawExplanation();
    const ask = ++loading;
    const asked = team;
    drawExplanation();
    try {
      const at = status()?.t_sim;
      const data = await api(
        `/api/v1/competitions/${competitionId}/explain/${encodeURIComponent(asked)}/${m}`,
      );
      if (ask !== loading) return;
      explanation = { team: asked, metric: m, data, t: at };
      drawExplanation();
    } catch (error) {
      if (ask !== loading) return;
      fill($("#explain-panel"), h("p", { class: "form-message error" }, error.detail || error.message));
      showError(error);
    }
  }

  function drawEvents() {
    const list = $("#events");
    if (!events.ready && !events.byTeam.has(team)) {
      fill(list, h("li", { class: "muted" }, t("judge.eventsLoading")));
      $("#events-more").hidden = true;
      return;
    }
    const all = events.newest(team, filter);
    const capped = (events.byTeam.get(team) || []).length >= KEEP;
    $("#events-count").textContent = !all.length
      ? ""
      : capped
        ? t("judge.eventsLatest", { n: fmt.num(all.length) })
        : fmt.num(all.length);
    if (!all.length) fill(list, h("li", { class: "muted" }, t("judge.eventsNone")));
    else {
      fill(
        list,
        all.slice(0, shown).map((event) => {
          const { text, tone } = describe(event, status());
          return h(
            "li",
            { class: `event ${tone}`, dataset: { kind: event.kind, seq: event.seq } },
            h("span", { class: "when" }, fmt.simTime(event.t, status())),
            h("span", { class: "what" }, text),
          );
        }),
      );
    }
    $("#events-more").hidden = all.length <= shown;
  }

  function drawFilter() {
    const options = FILTERS.map((f) =>
      h("option", { value: f, selected: f === filter }, t(`judge.filter.${f}`)),
    );
    $("#events-filter").replaceChildren(...options);
  }
  drawFilter();

  $("#events-filter").addEventListener("change", (event) => {
    filter = event.target.value;
    shown = SHOWN;
    drawEvents();
  });
  $("#events-more").addEventListener("click", () => {
    shown += SHOWN * 2;
    drawEvents();
  });

  return {
    get team() {
      return team;
    },
    show(next) {
      if (next === team) return;
      team = next;
      shown = SHOWN;
      $("#record-empty").hidden = true;
      $("#record-body").hidden = false;
      $("#record-team").textContent = team;
      const report = $("#record-report");
      report.href = `/report/${competitionId}/${encodeURIComponent(team)}`;
      open(metric, true);
      drawEvents();
    },
    standings() {
      if (!team) return;
      drawFacts();
      if (explanation?.team === team && explanation.metric === metric) {
        const badge = $("#explain-panel .stale");
        const row = standing(team) || {};
        const live = metric === "composite" ? row.composite : row[metric];
        const stale =
          explanation.data.value != null && live != null && Math.abs(live - explanation.data.value) > 1e-9;
        if (stale !== Boolean(badge)) drawExplanation();
      }
    },
    refresh() {
      if (team && explanation?.team === team) open(metric, true);
    },
    events(changed) {
      if (team && (changed == null || changed === team)) drawEvents();
    },
    redraw() {
      drawFilter();
      if (!team) return;
      drawTabs();
      drawFacts();
      drawExplanation();
      drawEvents();
    },
  };
}
