// The projector leaderboard, /board/{id} (public: frozen when the instructor freezes it) and
// /board/{id}?view=judge (judges and the instructor: always live). Before the start it is the
// lobby (board/lobby.js); then it follows the competition's channel, animates rank changes,
// draws sparklines and the top-N chart, runs the ticker (starting from the recent lines, so a
// reload keeps them), announces highlights, and plays the reveal ceremony. A competition that
// does not exist is said so. A table longer than the screen shows a page at a time
// (board/pager.js). Keys: F full screen, R replay the reveal, Esc closes the awards, ← → turn the page.

import { api, expiredMessage, whoami } from "/static/common/api.js";
import { addStrings, applyStatic, bindLangButton, onLangChange, t } from "/static/common/i18n.js";
import { follow } from "/static/common/live.js";
import { connectionBadge } from "/static/common/ui.js";
import STRINGS from "/static/strings/board.js";
import { Awards } from "/static/board/awards.js";
import { TopChart } from "/static/board/chart.js";
import { assignColors } from "/static/board/colors.js";
import { BoardHeader } from "/static/board/header.js";
import { Lobby } from "/static/board/lobby.js";
import { Pager } from "/static/board/pager.js";
import { Ceremony } from "/static/board/reveal.js";
import { ScoreSeries } from "/static/board/series.js";
import { Spotlight } from "/static/board/spotlight.js";
import { StandingsTable } from "/static/board/table.js";
import { Ticker, tickerItem } from "/static/board/ticker.js";

addStrings(STRINGS);
applyStatic();
bindLangButton(document.getElementById("lang"));

/**
 * The page's element with this id, of the kind the page's HTML gives it (an input, a form …).
 * @param {string} id
 * @returns {any}
 */
const $ = (id) => document.getElementById(id);
const id = Number(location.pathname.split("/").filter(Boolean).pop());
const params = new URLSearchParams(location.search);
const judge = params.get("view") === "judge";
const topN = Math.min(12, Math.max(1, Number.parseInt(params.get("top"), 10) || 5));
const base = `/api/v1/competitions/${id}`;
const paths = judge
  ? {
      ws: `/ws/judge/${id}`,
      history: `${base}/history?points=300`,
      awards: `${base}/awards`,
      ticker: `${base}/ticker`,
    }
  : {
      ws: `/ws/public/${id}`,
      history: `${base}/public/history?points=300`,
      awards: `${base}/public/awards`,
      ticker: `${base}/public/ticker`,
    };

document.body.dataset.view = judge ? "judge" : "public";

const table = new StandingsTable($("board"));
table.pager = new Pager($("board"), $("board-pages"));
const series = new ScoreSeries();
const chart = new TopChart($("chart"), $("legend"), topN);
const ticker = new Ticker($("ticker"), $("ticker-empty"));
const header = new BoardHeader({
  title: $("title"),
  round: $("round"),
  clock: $("clock"),
  clockLabel: $("clock-label"),
  progress: $("progress"),
  banner: $("banner"),
  judge,
});
const ceremony = new Ceremony({
  table,
  panel: $("ceremony"),
  text: $("ceremony-text"),
  dots: $("ceremony-dots"),
});
const spotlight = new Spotlight($("spotlight"));
const lobby = new Lobby({
  section: $("lobby"),
  teams: $("lobby-teams"),
  clock: $("clock"),
  clockLabel: $("clock-label"),
  note: $("lobby-note"),
  id,
});
header.lobby = lobby;
const awards = new Awards({
  dialog: $("awards"),
  podium: $("podium"),
  list: $("metric-awards"),
  close: $("awards-close"),
});

let status = null;
let standings = [];
let lastReveal = null;
let revealAsked = params.get("reveal") === "1";
let historyAsked = 0;
let hideTimer = null;

// --- drawing ----------------------------------------------------------------------------------------

function drawChartTitle() {
  $("chart-title").textContent = t("board.chart", { n: topN });
}

/** Before the start, the lobby; then the stage. */
function showLobby() {
  const draft = status?.state === "draft";
  if (draft) lobby.start();
  else lobby.stop();
  $("stage").hidden = draft;
  document.body.dataset.lobby = String(draft); // the keys of the table and the reveal wait for the start
}

/** The standings as they are now, unless the ceremony holds the table. */
function showStandings({ animate = true } = {}) {
  showLobby();
  if (ceremony.running) return;
  table.render(standings, { animate, flash: animate });
  table.sparklines(series);
  chart.update(series, standings);
}

function drawSeries() {
  if (ceremony.running) return; // the ceremony shows the frozen picture until its end
  table.sparklines(series);
  chart.update(series, standings);
}

function drawStatus() {
  header.set(status);
  const freezeT = status.frozen ? status.freeze_t : null;
  chart.configure({ freezeT, roundHours: status.round_hours, dayHours: status.hours_per_day });
  $("replay").hidden = !(status.revealed && !status.frozen);
  if (status.frozen && !judge) spotlight.clear();
}

/** The recent ticker lines, so that a board opened (or reloaded) late does not start empty. */
async function loadTicker() {
  try {
    ticker.load(await api(paths.ticker), status);
  } catch (error) {
    console.warn("no recent ticker", error);
  }
}

/** Record a point of the score series; the public board records nothing past a freeze. */
function record(tSim, rows) {
  if (!judge && status?.freeze_t != null && status.frozen && tSim > status.freeze_t) return;
  series.add(tSim, rows);
}

async function loadHistory() {
  const asked = ++historyAsked;
  let history = null;
  try {
    if (status?.state !== "draft") history = await api(paths.history);
  } catch {
    history = null; // not started yet: the series starts empty
  }
  if (asked !== historyAsked) return;
  if (history) series.load(history);
  else if (!series.loaded) series.clear(); // keep what was drawn if a later load failed
  drawSeries();
}

// --- the reveal ----------------------------------------------------------------------------------------

async function playReveal(reveal) {
  clearTimeout(hideTimer);
  awards.hide();
  lastReveal = reveal;
  const finished = await ceremony.play(reveal);
  if (!finished) return;
  await new Promise((resolve) => {
    setTimeout(resolve, 1200);
  });
  if (ceremony.running) return;
  showStandings({ animate: true });
  loadHistory();
  const shown = await awards.show(paths.awards);
  hideTimer = setTimeout(() => ceremony.hide(), shown ? 2500 : 8000);
}

async function replay() {
  if (ceremony.running) return;
  try {
    const reveal = lastReveal || (await api(`${base}/public/reveal`));
    await playReveal(reveal);
  } catch (error) {
    console.warn("no reveal to replay", error);
  }
}

// --- the channel -------------------------------------------------------------------------------------

function onMessage(message) {
  const { type, data, t_sim: tSim } = message;
  if (type === "hello" || type === "resync") {
    status = data.status;
    standings = data.standings || [];
    assignColors(standings.map((r) => r.team));
    drawStatus();
    record(tSim, standings);
    showStandings({ animate: type === "resync" });
    loadHistory();
    loadTicker();
    if (revealAsked && status.revealed) {
      revealAsked = false;
      replay();
    }
  } else if (type === "standings") {
    standings = data;
    record(tSim, standings);
    showStandings();
  } else if (type === "state") {
    const wasFrozen = status?.freeze_t != null;
    const wasState = status?.state;
    status = data;
    drawStatus();
    showLobby();
    const thawed = wasFrozen && status.freeze_t == null;
    if ((thawed && !ceremony.running) || (wasState === "draft" && status.state !== "draft")) loadHistory();
  } else if (type === "ticker") {
    ticker.add(tSim, data, status);
  } else if (type === "event") {
    const item = tickerItem(data); // the judges' channel: every event, live
    if (item) ticker.add(tSim, item, status);
  } else if (type === "highlight") {
    ticker.add(tSim, data, status);
    spotlight.show(data, status?.frozen && !judge);
  } else if (type === "reveal") {
    playReveal(data);
  }
}

const badge = connectionBadge($("link"));
let linkState = null;
let wasDown = false;
let backTimer = null;

/** Whether the judges' channel was opened by a session that may watch it (signed in). */
let signedIn = false;

/** "Judge view · live" only says so while it is true: signed in, and the channel live. */
function drawJudgeBadge() {
  $("judge-badge").hidden = !(judge && signedIn && linkState === "live");
}

function onState(state) {
  if (state === linkState) return;
  linkState = state;
  drawJudgeBadge();
  clearTimeout(backTimer);
  const link = $("link");
  delete link.dataset.back;
  badge(state);
  if (state === "down") {
    wasDown = true;
    if (judge) checkStillWatching();
  }
  if (state === "live" && wasDown) {
    wasDown = false;
    link.dataset.back = "true";
    link.textContent = t("board.link.back");
    backTimer = setTimeout(() => {
      delete link.dataset.back;
      badge("live");
    }, 5000);
  }
}

let channel = null;

function start() {
  signedIn = judge;
  channel = follow(paths.ws, { onMessage, onState });
}

// --- judges: sign in first -------------------------------------------------------------------------------

const watching = (who) =>
  who && (who.role === "instructor" || (who.role === "judge" && who.competition_id === id));

async function checkStillWatching() {
  try {
    if (watching(await whoami())) return;
  } catch {
    return; // the server is away: the channel reconnects by itself
  }
  channel?.close();
  channel = null;
  showLogin();
}

function showLogin() {
  signedIn = false;
  drawJudgeBadge();
  $("judge-login").querySelector(".form-message").textContent = expiredMessage(); // why, if it expired
  $("judge-login").hidden = false;
  $("stage").hidden = true;
  $("link").hidden = true;
  $("judge-login").elements.code.focus();
}

$("judge-login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const message = form.querySelector(".form-message");
  const button = form.querySelector("button[type=submit]");
  message.textContent = "";
  button.disabled = true;
  try {
    const session = await api("/api/v1/session/judge", {
      method: "POST",
      body: { code: form.elements.code.value.trim().toUpperCase(), name: form.elements.name.value.trim() },
    });
    if (session.competition_id !== id) {
      message.textContent = t("board.login.wrongCompetition", { id: session.competition_id });
      return;
    }
    form.hidden = true;
    $("stage").hidden = false;
    $("link").hidden = false;
    start();
  } catch (error) {
    message.textContent = error.detail || error.message;
  } finally {
    button.disabled = false;
  }
});

// --- keys and controls ------------------------------------------------------------------------------------

function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  else document.documentElement.requestFullscreen?.().catch(() => {});
}

$("fullscreen").addEventListener("click", toggleFullscreen);
$("replay").addEventListener("click", replay);
/** Keys that turn the page of a long table, and which way. */
const PAGE_KEYS = { arrowright: 1, pagedown: 1, arrowleft: -1, pageup: -1 };

document.addEventListener("keydown", (event) => {
  if (
    event.ctrlKey ||
    event.metaKey ||
    event.altKey ||
    /** @type {HTMLElement} */ (event.target).closest?.("input, textarea, select")
  )
    return;
  const key = event.key.toLowerCase();
  if (key === "f") toggleFullscreen();
  else if (key === "r" && status?.revealed && !status.frozen) replay();
  else if (key === "escape" && awards.open) awards.hide();
  else if (PAGE_KEYS[key] && document.body.dataset.lobby !== "true") {
    if (!table.pager.turn(PAGE_KEYS[key])) return; // the table fits: the key is the browser's
  } else return;
  event.preventDefault();
});
document.addEventListener("fullscreenchange", () => {
  document.body.classList.toggle("fullscreen", Boolean(document.fullscreenElement));
});

onLangChange(() => {
  drawChartTitle();
  if (status) header.draw();
  table.relabel();
  table.pager.relabel();
  ticker.relabel();
  spotlight.relabel();
  lobby.relabel();
  chart.relabel();
  ceremony.relabel();
  awards.relabel();
  if (linkState) $("link").textContent = t($("link").dataset.back ? "board.link.back" : `link.${linkState}`);
});

// --- start --------------------------------------------------------------------------------------------------

/** A board of a competition that does not exist says so, instead of "reconnecting…" forever. */
async function exists() {
  try {
    await api(`${base}/public/lobby`);
    return true;
  } catch (error) {
    if (error.status !== 404 && !(Number.isNaN(id) || id <= 0)) return true; // the channel will tell
    $("missing").textContent = t("board.missing", { id: location.pathname.split("/").filter(Boolean).pop() });
    $("missing").hidden = false;
    $("stage").hidden = true;
    $("link").hidden = true;
    $("title").textContent = t("board.missingTitle");
    return false;
  }
}

drawChartTitle();
exists().then((found) => {
  if (!found) return;
  if (judge) {
    whoami()
      .then((who) => (watching(who) ? start() : showLogin()))
      .catch(() => start());
  } else {
    start();
  }
});
