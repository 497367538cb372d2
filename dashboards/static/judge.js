// The judge panel: sign in with the judge code and a name, watch the live (never frozen) board
// over /ws/judge/{id}, open a team's record (its figures explained, its events, its report) and
// score the rubric. Judges never change the game: the only thing they write is rubric scores.

import { api, expiredMessage, logout, onSessionExpired, whoami } from "/static/common/api.js";
import { addStrings, applyStatic, bindLangButton, fmt, onLangChange, t } from "/static/common/i18n.js";
import { follow } from "/static/common/live.js";
import { nameProblem } from "/static/common/names.js";
import { loginRefusalKey, refusalText } from "/static/common/refusals.js";
import { connectionBadge, showError, toast } from "/static/common/ui.js";
import { createBoard } from "/static/judge/board.js";
import { TeamEvents } from "/static/judge/events.js";
import { createRecord } from "/static/judge/record.js";
import { createRubric } from "/static/judge/rubric.js";
import STRINGS from "/static/strings/judge.js";

addStrings(STRINGS);
applyStatic();
bindLangButton(document.getElementById("lang"));

const $ = (selector) => document.querySelector(selector);
const competitionId = Number(location.pathname.split("/").filter(Boolean)[1]);
let session = null;
let status = null;
let statusAt = 0;
let channel = null;
let panel = null;

function watches(who) {
  return (
    Boolean(who) &&
    (who.role === "instructor" || (who.role === "judge" && who.competition_id === competitionId))
  );
}

function describeSession(who) {
  if (who.role === "member") return `${who.member} (${who.team})`;
  if (who.role === "judge")
    return who.member ? t("judge.signedInAs", { name: who.member }) : t("judge.anonymous");
  return who.role;
}

// --- signing in ------------------------------------------------------------------------------------

const form = $("#login");

function formMessage(text, kind = "error") {
  const el = form.querySelector(".form-message");
  el.textContent = text;
  el.className = `form-message ${kind}`;
}

const askedCode = new URLSearchParams(location.search).get("code");
if (askedCode) form.elements.code.value = askedCode;

function showLogin(note = "") {
  channel?.close();
  channel = null;
  $("#panel").hidden = true;
  $("#login-view").hidden = false;
  $("#logout").hidden = !session;
  $("#link").hidden = true;
  $("#login-note").hidden = !note;
  $("#login-note").textContent = note;
  (form.elements.code.value ? form.elements.name : form.elements.code).focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = form.elements.code.value.trim().toUpperCase();
  const name = form.elements.name.value.trim();
  form.elements.code.setAttribute("aria-invalid", code ? "false" : "true");
  form.elements.name.setAttribute("aria-invalid", !code || name ? "false" : "true");
  if (!code) {
    formMessage(t("judge.codeMissing"));
    form.elements.code.focus();
    return;
  }
  if (!name) {
    formMessage(t("judge.nameMissing"));
    form.elements.name.focus();
    return;
  }
  const problem = nameProblem(name);
  if (problem) {
    form.elements.name.setAttribute("aria-invalid", "true");
    formMessage(t(problem.key, problem.vars));
    form.elements.name.focus();
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  formMessage("", "ok");
  try {
    const who = await api("/api/v1/session/judge", { method: "POST", body: { code, name } });
    if (who.competition_id !== competitionId) {
      location.replace(`/judge/${who.competition_id}`);
      return;
    }
    session = who;
    toast(t("judge.welcome", { name: who.member }));
    start();
  } catch (error) {
    const key = loginRefusalKey(error, "judge");
    formMessage(key ? t(key) : refusalText(error));
  } finally {
    button.disabled = false;
  }
});

$("#logout").addEventListener("click", async () => {
  try {
    await logout();
  } catch (error) {
    showError(error);
    return;
  }
  session = null;
  toast(t("judge.loggedOut"));
  showLogin();
});

// --- the status line ---------------------------------------------------------------------------------

function drawStatus() {
  if (!status) return;
  $("#competition").textContent = status.name || "";
  const chip = $("#round-status");
  chip.hidden = false;
  // between rounds only while paused between them: a class ended between rounds is finished
  const between = status.state === "paused" && status.between_rounds;
  chip.dataset.state = between ? "between" : status.state;
  if (status.state === "draft") chip.textContent = t("judge.notStarted");
  else if (between)
    chip.textContent = `${t("judge.roundEnded", { round: fmt.num(status.round), rounds: fmt.num(status.rounds) })} · ${t("state.between")}`;
  else
    chip.textContent = `${t("judge.roundOf", { round: fmt.num(status.round), rounds: fmt.num(status.rounds) })} · ${t(`state.${status.state}`)}`;
  $("#board-asof").textContent =
    status.state === "draft" ? "" : t("judge.asOf", { time: fmt.simTime(status.t_sim, status) });
  const note = $("#frozen-note");
  if (status.frozen) note.textContent = t("judge.frozen", { time: fmt.simTime(status.freeze_t, status) });
  else if (status.freeze_t != null)
    note.textContent = t("judge.freezeAhead", { time: fmt.simTime(status.freeze_t, status) });
  note.hidden = status.freeze_t == null;
  note.dataset.frozen = status.frozen ? "true" : "false";
  drawClock();
}

function drawClock() {
  const el = $("#round-clock");
  if (!status || status.state !== "running" || status.seconds_left_in_round == null) {
    el.textContent = "";
    return;
  }
  const left = status.seconds_left_in_round - (Date.now() - statusAt) / 1000;
  el.textContent = t("judge.clock", { clock: fmt.clock(left) });
}
setInterval(drawClock, 1000);

// --- the panel ---------------------------------------------------------------------------------------

function createPanel() {
  let frame = 0;
  let rows = null;
  const changedTeams = new Set();
  let eventsReset = false;

  const events = new TeamEvents(competitionId, (team) => {
    if (team == null) eventsReset = true;
    else changedTeams.add(team);
    schedule();
  });
  const standing = (team) => board.row(team);
  const record = createRecord($("#record"), {
    competitionId,
    status: () => status,
    criteria: () => rubric.criteria || rubricCriteria,
    events,
    standing,
    teamCount: () => board.standings.length,
  });
  let rubricCriteria = [];
  const rubric = createRubric($("#rubric"), {
    competitionId,
    status: () => status,
    session: () => session,
    onPickTeam: select,
    onRelogin: () => showLogin(),
  });
  const board = createBoard($("#board"), { onSelect: select });

  function select(team) {
    board.select(team);
    record.show(team);
    rubric.select(team);
    history.replaceState(null, "", `#team=${encodeURIComponent(team)}`);
  }

  function flush() {
    frame = 0;
    if (rows) {
      board.update(rows);
      record.standings();
      rubric.standings(rows);
      drawStatus();
      rows = null;
    }
    if (eventsReset) record.events(null);
    else for (const team of changedTeams) record.events(team);
    eventsReset = false;
    changedTeams.clear();
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(flush);
  }

  function fromHash() {
    const match = /team=([^&]+)/.exec(location.hash);
    const team = match ? decodeURIComponent(match[1]) : null;
    if (team && board.row(team) && record.team !== team) select(team);
  }

  async function loadCriteria() {
    try {
      const data = await api(`/api/v1/competitions/${competitionId}/rubric`);
      rubricCriteria = data.criteria;
    } catch {
      /* the rubric card shows the reason */
    }
  }

  return {
    events,
    message(message) {
      const { type, data } = message;
      if (type === "hello" || type === "resync") {
        status = data.status;
        statusAt = Date.now();
        board.update(data.standings);
        drawStatus();
        rubric.status();
        record.standings();
        rubric.standings(data.standings);
        fromHash();
        if (type === "resync") events.load().catch(showError);
      } else if (type === "standings") {
        rows = data;
        if (status) status.t_sim = message.t_sim;
        schedule();
      } else if (type === "state") {
        const stopped = status && status.state === "running" && data.state !== "running";
        status = data;
        statusAt = Date.now();
        drawStatus();
        rubric.status();
        if (stopped) record.refresh(); // the round's final figures
      } else if (type === "event") {
        events.add(data);
      } else if (type === "ticker" && data.kind === "announcement") {
        toast(t("judge.announcement", { text: data.text }));
      }
    },
    async start() {
      await loadCriteria();
      rubric.load();
      events.load().catch(showError);
    },
    redraw() {
      drawStatus();
      board.draw();
      record.redraw();
      rubric.redraw();
    },
  };
}

async function start() {
  $("#login-view").hidden = true;
  $("#panel").hidden = false;
  $("#logout").hidden = false;
  $("#who").textContent =
    session.role === "instructor" ? t("judge.instructorHere") : describeSession(session);
  panel ??= createPanel();
  const badge = connectionBadge($("#link"));
  $("#link").hidden = false;
  channel = follow(`/ws/judge/${competitionId}`, {
    onMessage: (message) => panel.message(message),
    onState: async (state) => {
      badge(state);
      if (state !== "down") return;
      const who = await whoami().catch(() => session);
      if (!watches(who)) {
        session = who;
        showLogin(expiredMessage() || t("judge.sessionGone"));
      }
    },
  });
  panel.start();
}

onLangChange(() => {
  if (session && $("#who").textContent) {
    $("#who").textContent =
      session.role === "instructor" ? t("judge.instructorHere") : describeSession(session);
  }
  panel?.redraw();
});

async function boot() {
  try {
    session = await whoami();
  } catch (error) {
    showError(error);
  }
  if (watches(session)) start();
  else showLogin(session ? t("judge.otherSession", { who: describeSession(session) }) : expiredMessage());
}

// a request of the panel that finds the session expired: the login again, saying why
onSessionExpired(() => {
  if (!$("#panel").hidden) {
    session = null;
    showLogin(expiredMessage());
  }
});

// leaving the page closes its channel cleanly; coming back to it from the history reloads it
addEventListener("pagehide", () => channel?.close());
addEventListener("pageshow", (event) => {
  if (event.persisted) location.reload();
});

boot();
