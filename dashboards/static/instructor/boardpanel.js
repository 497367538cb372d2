// The board and scoring tab: freeze now or later, unfreeze, reveal with the ceremony and the
// board log; beside them the scoring weights and medals (scoring.js).

import { api } from "/static/common/api.js";
import { fmt, onLangChange, t } from "/static/common/i18n.js";
import { held } from "/static/common/hold.js";
import { act, confirmAction, h, showError } from "/static/common/ui.js";
import {
  bindText,
  button,
  field,
  messageOf,
  num,
  numberOf,
  setError,
  table,
  td,
  tx,
} from "/static/instructor/dom.js";
import { medalCard, scoringCard } from "/static/instructor/scoring.js";
import { realDuration } from "/static/instructor/time.js";

export function mountBoard(panel, ctx) {
  panel.append(
    h(
      "div",
      { class: "board-grid" },
      freezeCard(ctx),
      h("div", { class: "stack" }, scoringCard(ctx), medalCard(ctx)),
    ),
  );
}

function endT(status) {
  return status.rounds * status.round_hours;
}

function freezeCard(ctx) {
  const state = h("p", { class: "freeze-state", id: "freeze-state", "aria-live": "polite" });
  const now = button("inst.freeze.now", { class: "primary", id: "freeze-now" });
  const unfreeze = button("inst.freeze.unfreeze", { id: "unfreeze" });
  const reveal = button("inst.freeze.reveal", { class: "primary", id: "reveal" });
  const when = h(
    "select",
    { name: "when" },
    bindText(h("option", { value: "round" }), () => t("inst.freeze.atRound")),
    bindText(h("option", { value: "before" }), () => t("inst.freeze.beforeEnd")),
  );
  const round = h("select", { name: "round" });
  const hours = h("input", {
    name: "hours",
    type: "number",
    min: 0,
    step: "any",
    value: 8,
    inputmode: "decimal",
  });
  const later = tx("button", "inst.freeze.plan", null, { type: "submit" });
  const laterHint = h("p", { class: "hint", "aria-live": "polite" });
  const roundField = field("inst.freeze.round", round);
  const hoursField = field("inst.freeze.hours", hours);
  const laterForm = h(
    "form",
    { class: "stack freeze-later", id: "freeze-later", novalidate: true },
    tx("h3", "inst.freeze.later"),
    h("div", { class: "row3" }, field("inst.freeze.when", when), roundField, hoursField),
    laterHint,
    h("div", { class: "actions" }, later),
    h("p", { class: "form-message", role: "alert" }),
  );
  const ceremony = h("div", { class: "ceremony", id: "ceremony" });
  const log = h("div", { class: "board-log" });
  const boardLink = h(
    "a",
    { href: `/board/${ctx.id}`, class: "button", target: "_blank", rel: "noopener" },
    tx("span", "inst.links.board"),
  );
  const card = h(
    "section",
    { class: "card", id: "freeze" },
    tx("h2", "inst.freeze.title"),
    tx("p", "inst.freeze.lead", null, { class: "hint" }),
    state,
    h("div", { class: "actions" }, now, unfreeze, reveal, boardLink),
    laterForm,
    ceremony,
    tx("h3", "inst.freeze.log"),
    log,
  );
  const message = messageOf(laterForm);

  function target() {
    const s = ctx.status;
    if (when.value === "round") return (Number(round.value) - 1) * s.round_hours;
    const n = numberOf(hours);
    return n == null || Number.isNaN(n) ? null : endT(s) - n;
  }

  function drawLater() {
    const s = ctx.status;
    roundField.hidden = when.value !== "round";
    hoursField.hidden = when.value !== "before";
    const chosen = round.value;
    const current = ctx.clock.now();
    const options = [];
    for (let r = 1; r <= s.rounds; r += 1) {
      if ((r - 1) * s.round_hours >= current - 1e-9) options.push(r);
    }
    // the list of rounds is not rebuilt while the instructor is in it (its popup would close)
    if (!held(round, drawLater)) {
      round.replaceChildren(
        ...options.map((r) => h("option", { value: r }, t("inst.freeze.roundN", { round: r }))),
      );
      if (options.includes(Number(chosen))) round.value = chosen;
      else if (options.length) round.value = options[options.length - 1];
    }
    hours.max = endT(s);
    const at = target();
    bindText(laterHint, () =>
      at == null
        ? ""
        : t("inst.freeze.laterHint", {
            time: fmt.simTime(at, s),
            hours: num(Math.round((endT(s) - at) * 100) / 100),
            real: realDuration((endT(s) - at) * s.seconds_per_hour),
          }),
    );
  }

  function draw() {
    const s = ctx.status;
    let key = "inst.freeze.live";
    if (s.freeze_t != null && s.frozen) key = "inst.freeze.frozen";
    else if (s.freeze_t != null) key = "inst.freeze.planned";
    bindText(state, () => t(key, { time: fmt.simTime(s.freeze_t, s) }));
    state.className = `freeze-state ${s.freeze_t != null ? "is-frozen" : ""}`;
    const started = s.state !== "draft";
    now.disabled = s.freeze_t != null;
    later.disabled = s.freeze_t != null || s.state === "finished";
    unfreeze.disabled = s.freeze_t == null;
    bindText(unfreeze, () =>
      t(s.freeze_t != null && !s.frozen ? "inst.freeze.cancel" : "inst.freeze.unfreeze"),
    );
    reveal.disabled = !s.frozen || !started;
    drawLater();
  }

  now.addEventListener("click", async () => {
    const done = await act(
      () => api(`/api/v1/competitions/${ctx.id}/freeze`, { method: "PUT", body: {} }),
      t("inst.freeze.frozenNow"),
    );
    if (done) {
      ctx.setStatus(done);
      loadLog();
    }
  });
  unfreeze.addEventListener("click", async () => {
    const done = await act(
      () => api(`/api/v1/competitions/${ctx.id}/unfreeze`, { method: "POST" }),
      t("inst.freeze.unfrozen"),
    );
    if (done) {
      ctx.setStatus(done);
      loadLog();
    }
  });
  reveal.addEventListener("click", async () => {
    if (!confirmAction(t("inst.freeze.revealConfirm"))) return;
    const result = await act(
      () => api(`/api/v1/competitions/${ctx.id}/reveal`, { method: "POST" }),
      t("inst.freeze.revealed"),
    );
    if (result) {
      drawCeremony(result);
      ctx.refreshDetail().catch(() => {});
      loadLog();
    }
  });
  when.addEventListener("change", drawLater);
  round.addEventListener("change", drawLater);
  hours.addEventListener("input", () => {
    setError(hours, null);
    drawLater();
  });
  laterForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.clear();
    const s = ctx.status;
    const at = target();
    if (when.value === "before") {
      const n = numberOf(hours);
      const max = Math.max(0, endT(s) - ctx.clock.now());
      const bad =
        n === null
          ? "perr.required"
          : Number.isNaN(n)
            ? "perr.number"
            : n < 0 || n > max
              ? "perr.range"
              : null;
      if (bad) {
        setError(hours, bad, { low: num(0), high: num(Math.floor(max * 100) / 100) });
        message.key(bad, { low: num(0), high: num(Math.floor(max * 100) / 100) });
        hours.focus();
        return;
      }
    } else if (!round.value) {
      message.key("inst.freeze.noRound");
      return;
    }
    const done = await act(
      () => api(`/api/v1/competitions/${ctx.id}/freeze`, { method: "PUT", body: { at } }),
      t("inst.freeze.plannedOk", { time: fmt.simTime(at, s) }),
    );
    if (done) {
      ctx.setStatus(done);
      message.key("inst.freeze.plannedOk", { time: fmt.simTime(at, s) }, "ok");
      loadLog();
    }
  });

  function drawCeremony(result) {
    const rows = result.steps.map((step) =>
      h(
        "tr",
        {},
        td(fmt.num(step.step), "num"),
        td(h("strong", {}, step.team)),
        td(`${fmt.num(step.from_rank)} → ${fmt.num(step.to_rank)}`, "num"),
        td(`${fmt.score(step.frozen_composite)} → ${fmt.score(step.final_composite)}`, "num"),
      ),
    );
    ceremony.replaceChildren(
      tx("h3", "inst.freeze.ceremony"),
      tx("p", "inst.freeze.ceremonyLead", null, { class: "hint" }),
      table(
        [
          ["inst.freeze.step", "num"],
          "common.team",
          ["inst.freeze.rank", "num"],
          ["common.composite", "num"],
        ],
        rows,
      ),
    );
  }

  let entries = [];
  async function loadLog() {
    try {
      entries = await api(`/api/v1/competitions/${ctx.id}/board-log`);
      drawLog();
    } catch (error) {
      showError(error);
    }
  }
  function drawLog() {
    const s = ctx.status;
    const rows = entries
      .slice()
      .reverse()
      .map((e) => {
        const detail =
          e.action === "medals"
            ? t("inst.medals.summary", { gold: e.gold, silver: e.silver, bronze: e.bronze })
            : e.freeze_t != null
              ? fmt.simTime(e.freeze_t, s)
              : "";
        const by = e.by === "instructor" ? t("inst.boardlog.instructor") : e.by;
        return h(
          "tr",
          {},
          td(fmt.date(e.at)),
          td(tx("span", `inst.boardlog.${e.action}`)),
          td(detail),
          td(by),
        );
      });
    log.replaceChildren(
      table(["inst.market.when", "inst.boardlog.action", "inst.boardlog.detail", "inst.boardlog.by"], rows, {
        empty: "inst.boardlog.empty",
      }),
    );
  }

  ctx.on("status", draw);
  ctx.on("reveal", (data) => {
    drawCeremony(data);
    loadLog();
  });
  onLangChange(() => {
    draw();
    drawLog();
  });
  draw();
  loadLog();
  if (ctx.status.revealed) {
    api(`/api/v1/competitions/${ctx.id}/public/reveal`)
      .then(drawCeremony)
      .catch(() => {});
  }
  return card;
}
