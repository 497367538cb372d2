// Before the start: the lobby card. The instructor opens the lobby on the projector (the board
// shows it until the start: teams, members as they join, join codes and QR codes on the
// instructor's screen) and may plan the start a number of minutes from now, so the lobby counts
// down to it; the instructor still starts round 1. Hidden once the competition has started.

import { api } from "/static/common/api.js";
import { fmt, t } from "/static/common/i18n.js";
import { h } from "/static/common/ui.js";
import { ariaLabel, bindText, button, field, messageOf, setError, tx } from "/static/instructor/dom.js";

export function mountLobbyPlan(root, ctx) {
  const minutes = h("input", {
    type: "number",
    name: "starts_in",
    min: 0,
    max: 1440,
    step: 1,
    value: 10,
    inputmode: "numeric",
    id: "starts-in",
  });
  const plan = button("inst.lobby.plan", { class: "primary", id: "plan-start", type: "submit" });
  const clear = button("inst.lobby.clear", { id: "clear-start" });
  const planned = h("p", { class: "hint", id: "planned-start", "aria-live": "polite" });
  const open = h("a", {
    class: "button",
    href: `/board/${ctx.id}`,
    target: "_blank",
    rel: "noopener",
    id: "open-lobby",
  });
  bindText(open, () => t("inst.lobby.open"));
  const form = h(
    "form",
    { class: "lobby-plan", novalidate: true },
    field("inst.lobby.minutes", minutes, { extra: h("div", { class: "actions" }, plan, clear) }),
    planned,
    h("p", { class: "form-message", role: "alert" }),
  );
  const message = messageOf(form);
  const card = h(
    "section",
    { class: "card lobby-card", ...ariaLabel("inst.lobby.title") },
    h("div", { class: "lobby-card-head" }, tx("h2", "inst.lobby.title"), open),
    tx("p", "inst.lobby.lead", null, { class: "hint" }),
    form,
  );
  root.replaceChildren(card);

  let startsAt = null;
  let serverOffset = 0; // server clock minus this browser's, in seconds

  function drawPlanned() {
    bindText(planned, () => {
      if (startsAt == null) return t("inst.lobby.none");
      const left = startsAt - (Date.now() / 1000 + serverOffset);
      return left > 0 ? t("inst.lobby.in", { time: fmt.clock(left) }) : t("inst.lobby.due");
    });
    clear.hidden = startsAt == null;
  }

  function take(lobby) {
    startsAt = lobby.starts_at;
    serverOffset = lobby.server_now - Date.now() / 1000;
    drawPlanned();
  }

  async function send(value) {
    message.clear();
    setError(minutes, null);
    try {
      take(
        await api(`/api/v1/competitions/${ctx.id}/starts-at`, { method: "PUT", body: { minutes: value } }),
      );
    } catch (error) {
      if (error.status === 422) setError(minutes, "inst.lobby.bad");
      else message.raw(error.detail || error.message);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = Number(minutes.value);
    if (minutes.value.trim() === "" || !Number.isInteger(value) || value < 0 || value > 1440) {
      setError(minutes, "inst.lobby.bad");
      return;
    }
    send(value);
  });
  clear.addEventListener("click", () => send(null));

  function draw() {
    root.hidden = ctx.status.state !== "draft";
  }
  ctx.on("status", draw);
  draw();
  api(`/api/v1/competitions/${ctx.id}/public/lobby`)
    .then(take)
    .catch(() => {});
  setInterval(() => {
    if (!root.hidden && startsAt != null) drawPlanned();
  }, 1000);
}
