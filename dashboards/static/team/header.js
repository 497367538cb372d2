// The header: team, member and role, round and round clock, state, connection, cash and the
// team's own standing (as of the freeze while the board is frozen), and the banners.

import { fmt, t } from "/static/common/i18n.js";
import { fill } from "/static/common/ui.js";
import { h } from "/static/team/dom.js";
import { myStanding, roundSecondsLeft, store } from "/static/team/store.js";

const $ = (id) => document.getElementById(id);

export function stateLabel(status) {
  if (!status) return "";
  if (status.state === "paused" && status.between_rounds) return t("state.between");
  return t(`state.${status.state}`);
}

const STATE_KIND = { running: "ok", paused: "warn", finished: "", draft: "" };

export function drawHeader() {
  const o = store.overview;
  const s = store.status;
  if (o) {
    $("team-name").textContent = o.team;
    $("who").textContent = t("team.who", { member: o.member, role: t(`role.${o.role}`) });
  }
  $("clockbox").hidden = !s;
  $("kpis").hidden = !o;
  if (s) {
    $("round").textContent =
      s.round > 0
        ? t("team.roundOf", { round: s.round, rounds: s.rounds })
        : t("team.roundNone", { rounds: s.rounds });
    const state = $("state");
    state.textContent = stateLabel(s);
    state.className = `badge ${s.between_rounds ? "warn" : STATE_KIND[s.state] || ""}`;
    state.dataset.state = s.between_rounds ? "between" : s.state;
  }
  drawClock();
  const cash = store.state?.cash ?? o?.cash;
  $("kpi-cash").textContent = fmt.money(cash);
  $("kpi-free").textContent = fmt.money(store.state?.free_cash ?? cash);
  const standing = myStanding();
  const teams = store.status?.teams ?? store.standings.length; // the channel sends only our own row
  $("kpi-rank").textContent =
    standing?.rank != null ? t("team.rankOf", { rank: standing.rank, teams: Math.max(teams, 1) }) : "—";
  $("kpi-rank").dataset.band = rankBand(standing?.rank, teams);
  $("kpi-composite").textContent = fmt.score(standing?.composite);
  $("kpi-conversion").textContent =
    standing?.conversion == null ? "—" : fmt.pct(standing.conversion / 100, 1);
  $("kpi-satisfaction").textContent = fmt.score(standing?.satisfaction);
  $("kpi-receivables").textContent =
    standing?.receivables == null ? "—" : fmt.pct(standing.receivables / 100, 1);
  drawBanners();
}

/** Where a rank stands in the class: "top" (the top third), "middle", "bottom" (the last third). */
export function rankBand(rank, teams) {
  if (rank == null || !teams) return "none";
  if (teams === 1 || rank <= Math.ceil(teams / 3)) return "top";
  return rank > teams - Math.ceil(teams / 3) ? "bottom" : "middle";
}

export function drawClock() {
  const left = roundSecondsLeft();
  for (const el of [$("clock"), $("tab-clock")]) {
    el.textContent = left == null ? "" : fmt.clock(left);
    el.classList.toggle("ending", left != null && left < 30);
  }
}

function drawBanners() {
  const s = store.status;
  const items = [];
  if (s?.frozen && s.state !== "finished")
    items.push(
      h(
        "div",
        { class: "banner frozen", role: "status", id: "frozen-banner" },
        t("team.frozenBanner", { time: fmt.simTime(s.freeze_t, s) }),
      ),
    );
  if (s?.state === "finished") {
    const link = store.overview ? `/report/${s.id}/${encodeURIComponent(store.overview.team)}` : null;
    items.push(
      h(
        "div",
        { class: "banner done", role: "status" },
        t("team.finishedBanner"),
        " ",
        link ? h("a", { href: link }, t("team.report")) : null,
      ),
    );
  } else if (s?.state === "paused") {
    items.push(
      h(
        "div",
        { class: "banner paused", role: "status" },
        s.between_rounds ? t("team.betweenBanner", { round: s.round }) : t("team.pausedBanner"),
      ),
    );
  }
  if (store.announcement) {
    items.push(
      h(
        "div",
        { class: "banner announce", role: "status" },
        t("team.announcement", { text: store.announcement }),
      ),
    );
  }
  const key = JSON.stringify([items.map((i) => i.textContent)]);
  const box = $("banners");
  if (box.dataset.drawn !== key) {
    box.dataset.drawn = key;
    fill(box, items);
  }
}
