// The round controls: the state, the round clock (running on between messages), the time left,
// and start / pause / resume / next round / end, each confirmed or refused with the reason.

import { api } from "/static/common/api.js";
import { fmt, t } from "/static/common/i18n.js";
import { act, confirmAction, h } from "/static/common/ui.js";
import { ariaLabel, bindText, button, stateBadge, tx } from "/static/instructor/dom.js";
import { realDuration } from "/static/instructor/time.js";

export function mountControls(root, ctx) {
  const badge = h("span", { class: "state-holder" });
  const clock = h("strong", { class: "sim-clock", id: "clock", "aria-live": "off" });
  const left = h("span", { class: "time-left", id: "time-left" });
  const bar = h("progress", { class: "round-progress", max: 1, value: 0, ...ariaLabel("inst.ctl.progress") });
  const frozen = tx("span", "inst.ctl.frozen", null, { class: "badge bad frozen-badge", hidden: true });
  const next = h("p", { class: "hint next-step", id: "next-step" });

  const path = (action) => `/api/v1/competitions/${ctx.id}/${action}`;
  const run = (action, okKey) =>
    act(async () => ctx.setStatus(await api(path(action), { method: "POST" })), t(okKey));
  const start = button("inst.ctl.start", { class: "primary", id: "start" });
  const pause = button("inst.ctl.pause", { id: "pause" });
  const resume = button("inst.ctl.resume", { class: "primary", id: "resume" });
  const nextRound = button("inst.ctl.next", { class: "primary", id: "next-round" });
  const end = button("inst.ctl.end", { class: "danger", id: "end" });
  start.addEventListener("click", () => run("start", "inst.ctl.started"));
  pause.addEventListener("click", () => run("pause", "inst.ctl.paused"));
  resume.addEventListener("click", () => run("resume", "inst.ctl.resumed"));
  nextRound.addEventListener("click", () => run("next-round", "inst.ctl.nextStarted"));
  end.addEventListener("click", () => {
    if (confirmAction(t("inst.ctl.endConfirm"))) run("end", "inst.ctl.ended");
  });

  root.replaceChildren(
    h(
      "section",
      { class: "card control-strip", ...ariaLabel("inst.ctl.title") },
      h(
        "div",
        { class: "clock-block" },
        h("div", { class: "clock-line" }, badge, clock, frozen),
        h("div", { class: "clock-line" }, bar, left),
        next,
      ),
      h("div", { class: "actions round-actions" }, start, pause, resume, nextRound, end),
    ),
  );

  function draw() {
    const s = ctx.status;
    const phase = ctx.phase;
    badge.replaceChildren(stateBadge(s));
    start.hidden = phase !== "draft";
    pause.hidden = phase !== "running";
    resume.hidden = phase !== "paused";
    nextRound.hidden = phase !== "between";
    end.hidden = !["running", "paused", "between"].includes(phase);
    if (phase === "between")
      bindText(nextRound, () => t("inst.ctl.nextN", { round: s.next_round ?? s.round + 1 }));
    frozen.hidden = !s.frozen;
    const teams = ctx.detail.teams?.length || 0;
    bindText(next, () => {
      if (phase === "draft") return teams ? t("inst.ctl.hintDraft", { n: teams }) : t("inst.ctl.hintNoTeams");
      if (phase === "running") return t("inst.ctl.hintRunning");
      if (phase === "paused") return t("inst.ctl.hintPaused");
      if (phase === "between")
        return t("inst.ctl.hintBetween", { done: s.round, round: s.next_round ?? s.round + 1 });
      return s.revealed || !s.freeze_t ? t("inst.ctl.hintFinished") : t("inst.ctl.hintReveal");
    });
    tick();
  }

  function tick() {
    const s = ctx.status;
    const phase = ctx.phase;
    const now = ctx.clock.now();
    let text;
    if (phase === "draft") {
      text = t("inst.ctl.notStarted", {
        rounds: fmt.num(s.rounds),
        length: realDuration((s.round_hours || 40) * (s.seconds_per_hour || 0)),
      });
    } else if (phase === "between") {
      text = t("inst.ctl.roundOver", { round: s.round, rounds: s.rounds });
    } else if (phase === "finished") {
      text = t("inst.ctl.finished", { rounds: s.rounds });
    } else {
      const perDay = s.hours_per_day || 8;
      const perRound = s.round_hours || 40;
      const round = Math.max(1, s.round || 1); // the server's round; the clock stops at its end
      const day = Math.min(
        Math.floor((now - (round - 1) * perRound) / perDay + 1e-9) + 1,
        Math.round(perRound / perDay),
      );
      const minutes = Math.floor((((now % perDay) + perDay) % perDay) * 60);
      const clockTime = `${String(9 + Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
      text = t("inst.ctl.clock", { round, rounds: s.rounds, day: fmt.num(day), time: clockTime });
    }
    clock.textContent = text;
    const running = phase === "running" || phase === "paused";
    bar.hidden = !running;
    bar.value = running ? ctx.clock.roundProgress() : 0;
    left.textContent = running
      ? t(phase === "running" ? "inst.ctl.left" : "inst.ctl.leftPaused", {
          time: fmt.clock(ctx.clock.secondsLeft()),
        })
      : "";
  }

  ctx.on("status", draw);
  ctx.on("detail", draw);
  draw();
  setInterval(tick, 250);
}
