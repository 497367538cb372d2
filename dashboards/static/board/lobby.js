// The lobby: what the projector shows before the start. The competition's name is the page's
// title; below it the clock to the planned start and one card per team with the members who
// have joined (names and roles, as they arrive: the lobby asks the server every two seconds).
// The instructor's screen also shows each team's join code in large type and its QR code (made
// by this server); everybody else sees names only, never a code. No team is ranked here.

import { api } from "/static/common/api.js";
import { fmt, t } from "/static/common/i18n.js";
import { fill, h } from "/static/common/ui.js";
import { colorOf } from "/static/board/colors.js";

const POLL_MS = 2000;

export class Lobby {
  constructor({ section, teams, clock, clockLabel, note, id }) {
    this.section = section;
    this.teams = teams;
    this.clock = clock;
    this.clockLabel = clockLabel;
    this.note = note;
    this.id = id;
    this.data = null;
    this.receivedAt = 0;
    this.timer = null;
    this.ticker = null;
    this.active = false;
  }

  /** Show the lobby and keep it fresh until `stop`. */
  start() {
    if (this.active) return;
    this.active = true;
    this.section.hidden = false;
    this.refresh();
    this.ticker = setInterval(() => this.tick(), 250);
  }

  stop() {
    this.active = false;
    this.section.hidden = true;
    clearTimeout(this.timer);
    clearInterval(this.ticker);
  }

  async refresh() {
    clearTimeout(this.timer);
    try {
      /** @type {import("../common/api-types.js").Lobby} */
      const data = await api(`/api/v1/competitions/${this.id}/public/lobby`);
      if (!this.active) return;
      this.data = data;
      this.receivedAt = performance.now();
      this.draw();
    } catch (error) {
      console.warn("lobby", error); // the channel's badge says when the server is away
    }
    if (this.active) this.timer = setTimeout(() => this.refresh(), POLL_MS);
  }

  /** Seconds to the planned start, counted locally from the server's own clock. */
  left() {
    const d = this.data;
    if (!d || d.starts_at == null) return null;
    return d.starts_at - d.server_now - (performance.now() - this.receivedAt) / 1000;
  }

  tick() {
    const left = this.left();
    let text = t("board.lobby.waiting");
    let state = "draft";
    if (left != null && left > 0) {
      text = fmt.clock(left);
      state = left < 60 ? "soon" : "running";
    } else if (left != null) {
      text = t("board.lobby.any");
      state = "soon";
    }
    if (this.clock.textContent !== text) this.clock.textContent = text;
    this.clock.dataset.state = state;
    const label = left != null && left > 0 ? t("board.lobby.startsIn") : "";
    if (this.clockLabel.textContent !== label) this.clockLabel.textContent = label;
  }

  card(team) {
    const people = team.members.length
      ? team.members.map((m) =>
          h(
            "li",
            { class: "lobby-member" },
            h("span", { class: "lobby-person" }, m.name),
            h("span", { class: "lobby-roles" }, m.roles.map((r) => t(`role.${r}`)).join(" · ")),
          ),
        )
      : [h("li", { class: "lobby-none" }, team.bot ? t("board.lobby.bot") : t("board.lobby.noneYet"))];
    const code = team.join_code
      ? h(
          "div",
          { class: "lobby-join" },
          h("img", {
            class: "lobby-qr",
            src: `/api/v1/qr.svg?text=${encodeURIComponent(`${location.origin}/?code=${team.join_code}`)}`,
            alt: t("board.lobby.qrAlt", { team: team.name }),
            width: 132,
            height: 132,
          }),
          h("p", { class: "lobby-code", translate: "no" }, team.join_code),
        )
      : null;
    const card = h(
      "article",
      { class: "lobby-team", dataset: { team: team.name, members: String(team.members.length) } },
      h("h3", { class: "lobby-name" }, h("span", { class: "swatch", "aria-hidden": "true" }), team.name),
      code,
      h("ul", { class: "lobby-members" }, people),
    );
    card.style.setProperty("--team", colorOf(team.name));
    return card;
  }

  draw() {
    const d = this.data;
    if (!d) return;
    const people = d.teams.reduce((n, team) => n + team.members.length, 0);
    const withCodes = d.teams.some((team) => team.join_code);
    this.section.classList.toggle("with-codes", withCodes);
    this.note.textContent = d.teams.length
      ? t(withCodes ? "board.lobby.noteCodes" : "board.lobby.note", {
          people: fmt.num(people),
          teams: fmt.num(d.teams.length),
          address: location.host,
        })
      : t("board.lobby.noTeams");
    fill(
      this.teams,
      d.teams.map((team) => this.card(team)),
    );
    this.tick();
  }

  relabel() {
    this.draw();
  }
}
