// The head of the board: the competition's name, the round, a round clock that counts down
// locally between server updates, the round's progress bar, and the freeze banner
// (its moment by fmt.simTime, as every page words a simulated moment).

import { fmt, t } from "/static/common/i18n.js";

export class BoardHeader {
  constructor({ title, round, clock, clockLabel, progress, banner, judge }) {
    this.title = title;
    this.round = round;
    this.clock = clock;
    this.clockLabel = clockLabel;
    this.progress = progress;
    this.banner = banner;
    this.judge = judge;
    /** @type {import("/static/board/lobby.js").Lobby | null} the lobby, once the board has made it */
    this.lobby = null;
    this.status = null;
    this.receivedAt = 0;
    setInterval(() => this.tick(), 250);
  }

  set(status) {
    this.status = status;
    this.receivedAt = performance.now();
    this.draw();
  }

  /** The round shown: the server's one definition (the one running, or the one just ended). */
  shownRound() {
    return Math.max(1, this.status.round || 1);
  }

  left() {
    const s = this.status;
    if (!s || s.state !== "running" || s.seconds_left_in_round == null) return null;
    return Math.max(0, s.seconds_left_in_round - (performance.now() - this.receivedAt) / 1000);
  }

  draw() {
    const s = this.status;
    if (!s) return;
    if (s.name) {
      this.title.textContent = s.name;
      document.title = `${s.name} · ${t("board.page")} · Salesfloor`;
    }
    this.round.textContent =
      s.state === "draft"
        ? ""
        : t("board.round", { round: fmt.num(this.shownRound()), rounds: fmt.num(s.rounds) });
    this.drawBanner();
    this.tick();
  }

  tick() {
    const s = this.status;
    if (!s) return;
    if (s.state === "draft" && this.lobby) {
      this.drawProgress(null); // before the start the lobby's clock counts to the planned start
      return;
    }
    const left = this.left();
    let state = s.state;
    let text;
    let label = "";
    if (left != null) {
      text = fmt.clock(left);
      label = t("board.leftInRound", { round: fmt.num(this.shownRound()) });
      state = left < 10 ? "urgent" : left < 60 ? "soon" : "running";
    } else if (s.state === "finished") {
      text = t("board.final");
    } else if (s.state === "paused") {
      text = t(s.between_rounds ? "state.between" : "state.paused");
      state = s.between_rounds ? "between" : "paused";
    } else {
      text = t("state.draft");
    }
    if (this.clock.textContent !== text) this.clock.textContent = text;
    if (this.clockLabel.textContent !== label) this.clockLabel.textContent = label;
    this.clock.dataset.state = state;
    this.drawProgress(left);
  }

  drawProgress(left) {
    const s = this.status;
    const bar = this.progress.firstElementChild;
    let share = 0;
    if (s.state === "finished" || s.between_rounds) share = 1;
    else if (s.round_hours && s.seconds_per_hour) {
      const total = s.round_hours * s.seconds_per_hour;
      const remaining = left ?? Math.max(0, (s.round_ends_t - s.t_sim) * s.seconds_per_hour);
      share = s.state === "draft" ? 0 : 1 - remaining / total;
    }
    bar.style.transform = `scaleX(${Math.min(1, Math.max(0, share)).toFixed(4)})`;
  }

  drawBanner() {
    const s = this.status;
    const banner = this.banner;
    if (s.freeze_t == null) {
      banner.hidden = true;
      delete banner.dataset.kind;
      return;
    }
    let key;
    if (this.judge) key = s.frozen ? "board.judgeNote" : "board.freezesAt";
    else key = s.frozen ? "board.frozen" : "board.freezesAt";
    banner.dataset.kind = s.frozen ? (this.judge ? "judge" : "frozen") : "soon";
    banner.textContent = t(key, { time: fmt.simTime(s.freeze_t, s) });
    banner.hidden = false;
  }
}
