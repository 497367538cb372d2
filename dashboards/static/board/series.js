// Every team's composite over simulated time: loaded from the history endpoint, then one point
// appended per standings message. Times are shared by all teams (aligned arrays, as uPlot wants)
// and thinned evenly when they grow long, so a whole season stays light to draw.

const LIMIT = 600;
const KEEP_RECENT = 60;

export class ScoreSeries {
  constructor() {
    this.t = [];
    this.values = new Map();
    this.pending = [];
    this.recent = [];
    this.loaded = false;
  }

  /** Replace everything with a history answer ({series: {t, composite: {team: [...]}}}). */
  load(history) {
    const series = history?.series || { t: [], composite: {} };
    this.t = [...series.t];
    this.values = new Map(Object.entries(series.composite).map(([team, list]) => [team, [...list]]));
    this.loaded = true;
    const end = this.t.length ? this.t[this.t.length - 1] : -Infinity;
    const later = [...this.recent, ...this.pending].filter(([t]) => t > end).sort((a, b) => a[0] - b[0]);
    this.pending = [];
    this.recent = [];
    for (const [t, rows] of later) this.add(t, rows);
  }

  /** Start over empty (a competition not started yet, or a history that could not be read). */
  clear() {
    this.load(null);
  }

  /** One standings message at simulated time `t`: a point for every team. */
  add(t, rows) {
    if (!this.loaded) {
      this.pending.push([t, rows]);
      return;
    }
    this.recent.push([t, rows]);
    if (this.recent.length > 50) this.recent.shift();
    if (!rows?.length || rows.every((r) => r.composite == null)) return;
    const last = this.t.length ? this.t[this.t.length - 1] : -Infinity;
    if (t < last) return;
    for (const row of rows) {
      if (!this.values.has(row.team))
        this.values.set(
          row.team,
          this.t.map(() => null),
        );
    }
    const byTeam = new Map(rows.map((r) => [r.team, r.composite ?? null]));
    if (t === last) {
      for (const [team, list] of this.values) if (byTeam.has(team)) list[list.length - 1] = byTeam.get(team);
      return;
    }
    this.t.push(t);
    for (const [team, list] of this.values)
      list.push(byTeam.has(team) ? byTeam.get(team) : (list.at(-1) ?? null));
    if (this.t.length > LIMIT) this.thin();
  }

  /** Halve the older points (every second one), keeping the first and the recent ones. */
  thin() {
    const cut = this.t.length - KEEP_RECENT;
    const keep = (_, i) => i >= cut || i === 0 || i % 2 === 0;
    this.t = this.t.filter(keep);
    for (const [team, list] of this.values) this.values.set(team, list.filter(keep));
  }

  teams() {
    return [...this.values.keys()];
  }

  of(team) {
    return this.values.get(team) || [];
  }

  /** The range of every value and time, for scales shared by all sparklines. */
  extent() {
    let lo = Infinity;
    let hi = -Infinity;
    for (const list of this.values.values()) {
      for (const v of list) {
        if (v == null) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (lo === Infinity) return { lo: 0, hi: 100, t0: 0, t1: 1 };
    if (hi - lo < 5) {
      const mid = (hi + lo) / 2;
      lo = mid - 2.5;
      hi = mid + 2.5;
    }
    const t0 = this.t[0] ?? 0;
    const t1 = this.t.at(-1) ?? 1;
    return { lo, hi, t0, t1: t1 > t0 ? t1 : t0 + 1 };
  }
}
