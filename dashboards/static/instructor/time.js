// Time in the panel: simulated business hours, the round's length and real durations, and the
// live clock that runs on between the server's messages.

import { fmt, t } from "/static/common/i18n.js";

export const HOURS_PER_DAY = 8;

/** Simulated business hours in a round of `days` days of `dayKind`. */
export function roundHours(days, dayKind = "business") {
  return days * (dayKind === "calendar" ? 5 / 7 : 1) * HOURS_PER_DAY;
}

/** A real duration in seconds as "8 s", "10 min" or "1.5 h" in the page's language. */
export function realDuration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return "—";
  if (seconds < 90) return t("inst.dur.s", { n: fmt.num(seconds, seconds < 10 ? 1 : 0) });
  const minutes = seconds / 60;
  if (minutes < 120) return t("inst.dur.min", { n: fmt.num(minutes, minutes < 10 ? 1 : 0) });
  return t("inst.dur.h", { n: fmt.num(minutes / 60, 1) });
}

/**
 * The simulated time now: the last known time plus the real time since, at the competition's
 * pace, while it runs (never past the end of the round, where the server stops the clock).
 */
export class SimClock {
  constructor() {
    this.status = null;
    this.t = 0;
    this.at = performance.now();
  }

  update(status) {
    this.status = status;
    this.t = status.t_sim ?? 0;
    this.at = performance.now();
  }

  /** A message's simulated time: the clock never runs behind what the server has reached. */
  seen(tSim) {
    if (tSim != null && tSim > this.now()) {
      this.t = tSim;
      this.at = performance.now();
    }
  }

  now() {
    const s = this.status;
    if (!s || s.state !== "running") return this.t;
    const elapsed = (performance.now() - this.at) / 1000 / (s.seconds_per_hour || 1);
    return Math.min(this.t + elapsed, s.round_ends_t ?? Infinity);
  }

  /** Real seconds left in the round at the competition's pace. */
  secondsLeft() {
    const s = this.status;
    if (!s || s.round_ends_t == null) return null;
    return Math.max(0, (s.round_ends_t - this.now()) * (s.seconds_per_hour || 0));
  }

  /** 0–1: how far the current round has come. */
  roundProgress() {
    const s = this.status;
    if (!s || !s.round_hours) return 0;
    const start = s.round_ends_t - s.round_hours;
    return Math.min(1, Math.max(0, (this.now() - start) / s.round_hours));
  }
}
