// The console's state: the session, the competition's status and standings (from /ws/team),
// the team's records (GET /api/v1/team/state, refreshed at most every 500 ms when events
// arrive) and what the member has selected. Panels subscribe and redraw from it.

import { api } from "/static/common/api.js";

export const store = {
  overview: null, // GET /api/v1/team: team, member, role, competition, members, standing, cash
  status: null, // the competition's status (hello, state messages, the overview)
  statusAt: 0,
  standings: [],
  /** @type {import("../common/api-types.js").TeamState | null} GET /api/v1/team/state */
  state: null,
  stateAt: 0,
  waiting: false, // the competition has not started yet
  selected: null, // the inquiry open in the quote form
  customer: null, // the customer on the card when no inquiry names one
  activity: [], // the team's events since the console opened, newest first
  announcement: null,
  newInquiries: new Set(),
};

const listeners = new Set();
let scheduled = false;

/** Call `listener()` after every change (batched: at most once per task). */
export function subscribe(listener) {
  listeners.add(listener);
}

export function changed() {
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    for (const listener of listeners) listener();
  }, 0);
}

export function setStatus(status) {
  if (!status || !Object.keys(status).length) return;
  store.status = status;
  store.statusAt = performance.now();
  changed();
}

// --- time ---------------------------------------------------------------------------------------

/** The simulated time now: the newest server reading, run on by the local clock while running. */
export function simNow() {
  const s = store.status;
  let base = s?.t_sim ?? 0;
  let at = store.statusAt;
  if (store.state && store.stateAt >= at) {
    base = store.state.t_sim;
    at = store.stateAt;
  }
  if (!s || s.state !== "running" || !s.seconds_per_hour) return base;
  const now = base + (performance.now() - at) / 1000 / s.seconds_per_hour;
  return s.round_ends_t != null ? Math.min(now, s.round_ends_t) : now;
}

export function running() {
  return store.status?.state === "running";
}

/** Real seconds that `hours` simulated hours take at this competition's pace. */
export function realSeconds(hours) {
  return hours * (store.status?.seconds_per_hour || 0);
}

export function roundSecondsLeft() {
  const s = store.status;
  if (!s || s.state !== "running" || s.round_ends_t == null) return null;
  return Math.max(0, realSeconds(s.round_ends_t - simNow()));
}

// --- the team's records ---------------------------------------------------------------------------

let inFlight = false;
let again = false;
let timer = null;
let lastAt = -1e9;
const MIN_GAP_MS = 500;

/** Fetch the team's records soon: at most once every 500 ms, never two requests at once. */
export function refresh() {
  if (inFlight) {
    again = true;
    return;
  }
  if (timer) return;
  timer = setTimeout(load, Math.max(0, MIN_GAP_MS - (performance.now() - lastAt)));
}

async function load() {
  timer = null;
  inFlight = true;
  lastAt = performance.now();
  try {
    /** @type {import("../common/api-types.js").TeamState} */
    const state = await api("/api/v1/team/state");
    store.state = state;
    store.stateAt = performance.now();
    store.waiting = false;
  } catch (error) {
    if (error.status === 409) store.waiting = true;
    else if (error.status === 401 || error.status === 403) onSessionLost?.(error);
    else console.warn(error);
  } finally {
    inFlight = false;
    changed();
    if (again) {
      again = false;
      refresh();
    }
  }
}

let onSessionLost = null;
export function whenSessionLost(handler) {
  onSessionLost = handler;
}

export async function loadOverview() {
  const overview = await api("/api/v1/team");
  store.overview = overview;
  setStatus(overview.competition);
  if (overview.standing && !store.standings.length) store.standings = [overview.standing];
  changed();
  return overview;
}

/** Issue a desk command (`path` under /api/v1/team); the records refresh right after. */
export async function command(method, path, body) {
  try {
    return await api(`/api/v1/team${path}`, { method, body });
  } finally {
    refresh();
  }
}

/** A path segment for an id (ids hold slashes: "R3/Team A"). */
export function id(value) {
  return encodeURIComponent(value);
}

// --- lookups ----------------------------------------------------------------------------------------

export function desk() {
  return store.state?.desk ?? null;
}

export function role() {
  return store.overview?.role ?? null;
}

/** Whether the member's role may issue the command `kind` (the server decides in the end). */
export function can(kind) {
  return Boolean(desk()?.permissions?.includes(kind));
}

export function inquiry(inquiryId) {
  return store.state?.inbox.find((i) => i.inquiry_id === inquiryId) ?? null;
}

export function customer(customerId) {
  return store.state?.customers.find((c) => c.customer_id === customerId) ?? null;
}

export function myStanding() {
  const team = store.overview?.team;
  return store.standings.find((s) => s.team === team) ?? store.overview?.standing ?? null;
}
