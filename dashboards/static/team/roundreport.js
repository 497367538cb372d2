// A team's own round report, shown by itself when a round ends: the team's figures of the round
// beside the class's median (left out while the board is frozen), and a link to the full report.
// Closed with its button or Esc; each round's report opens once per browser tab.

import { api } from "/static/common/api.js";
import { addStrings, fmt, t } from "/static/common/i18n.js";
import { h } from "/static/common/ui.js";
import STRINGS from "/static/strings/debrief.js";

addStrings(STRINGS);

const pct = (v) => (v == null ? "—" : fmt.pct(v, 0));
/** @type {[label: string, show: (row: any) => string][]} */
const ROWS = [
  ["debrief.axis.share", (r) => pct(r.share)],
  ["debrief.axis.winRate", (r) => pct(r.win_rate)],
  ["debrief.axis.conversion", (r) => pct(r.conversion)],
  ["debrief.axis.reply", (r) => fmt.hours(r.reply_hours)],
  ["debrief.axis.discount", (r) => pct(r.discount)],
  ["debrief.team.orders", (r) => fmt.num(r.orders)],
  ["debrief.axis.terms", (r) => fmt.days(r.terms_days)],
  ["debrief.axis.dso", (r) => fmt.days(r.dso_days)],
  ["debrief.team.badDebt", (r) => pct(r.bad_debt)],
  [
    "debrief.team.complaintsRow",
    (r) => (r.complaints == null ? "—" : `${fmt.num(r.complaints)} (${fmt.num(r.in_time)})`),
  ],
  ["debrief.axis.satisfaction", (r) => fmt.num(r.satisfaction, 1)],
  ["debrief.axis.cash", (r) => fmt.money(r.cash)],
];
const SEEN = "salesfloor:round-reports";

let panel = null;
let last = null;
let reportLink = null;

function seen(competition) {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(`${SEEN}:${competition}`) || "[]"));
  } catch {
    return new Set();
  }
}

function close() {
  if (panel) panel.hidden = true;
}

function draw() {
  if (!panel || !last) return;
  const median = last.class_median;
  const head = h(
    "tr",
    {},
    h("th", { scope: "col" }, t("debrief.team.figure")),
    h("th", { scope: "col", class: "num" }, t("debrief.team.yours")),
    median ? h("th", { scope: "col", class: "num" }, t("debrief.team.median")) : null,
  );
  const rows = ROWS.map(([key, show]) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, t(key)),
      h("td", { class: "num" }, show(last.team)),
      median ? h("td", { class: "num" }, show(median)) : null,
    ),
  );
  panel.replaceChildren(
    h(
      "div",
      { class: "round-report-card" },
      h("h2", { id: "round-report-title" }, t("debrief.team.title", { round: fmt.num(last.round) })),
      h(
        "p",
        { class: "hint" },
        t(median ? "debrief.team.lead" : "debrief.team.frozenLead", { round: fmt.num(last.round) }),
      ),
      h(
        "div",
        { class: "table-wrap" },
        h("table", { class: "round-report-table" }, h("thead", {}, head), h("tbody", {}, rows)),
      ),
      h(
        "div",
        { class: "actions" },
        h(
          "button",
          { type: "button", class: "primary close-report", onclick: close },
          t("debrief.team.close"),
        ),
        reportLink
          ? h(
              "a",
              { class: "button", href: reportLink, target: "_blank", rel: "noopener" },
              t("debrief.team.report"),
            )
          : null,
      ),
    ),
  );
}

/** Show the team's report of `round` of `competition` (once per round in this tab). */
export async function showRoundReport(round, competition, link) {
  const done = seen(competition);
  if (done.has(round)) return;
  try {
    last = await api(`/api/v1/team/round-report?round=${round}`);
  } catch (error) {
    console.warn("no round report", error);
    return;
  }
  done.add(round);
  sessionStorage.setItem(`${SEEN}:${competition}`, JSON.stringify([...done]));
  reportLink = link;
  if (!panel) {
    panel = h("section", {
      id: "round-report",
      class: "round-report",
      role: "dialog",
      "aria-modal": "true",
      "aria-labelledby": "round-report-title",
    });
    document.body.append(panel);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && panel && !panel.hidden) close();
    });
  }
  draw();
  panel.hidden = false;
  panel.querySelector("button.close-report")?.focus();
}

export function relabelRoundReport() {
  draw();
}
