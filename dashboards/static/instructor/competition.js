// One competition: the round controls on top, then tabs (live, teams, market, board and
// scoring, rubric, exports and links). Follows /ws/instructor/{id} and passes its messages on.

import { api } from "/static/common/api.js";
import { onLangChange, t } from "/static/common/i18n.js";
import { follow } from "/static/common/live.js";
import { connectionBadge, h, showError, toast } from "/static/common/ui.js";
import { mountBoard } from "/static/instructor/boardpanel.js";
import { mountControls } from "/static/instructor/controls.js";
import { mountDebrief } from "/static/instructor/debriefpanel.js";
import { bindText, stateBadge, takeFlash, tx } from "/static/instructor/dom.js";
import { mountExports } from "/static/instructor/exports.js";
import { mountLive } from "/static/instructor/livepanel.js";
import { mountLobbyPlan } from "/static/instructor/lobbyplan.js";
import { mountMarket } from "/static/instructor/market.js";
import { mountRubric } from "/static/instructor/rubric.js";
import { mountTeams } from "/static/instructor/teams.js";
import { SimClock } from "/static/instructor/time.js";

/** @type {[name: string, label: string, mount: (panel: HTMLElement, ctx: Context) => void][]} */
const TABS = [
  ["live", "inst.tab.live", mountLive],
  ["teams", "inst.tab.teams", mountTeams],
  ["market", "inst.tab.market", mountMarket],
  ["board", "inst.tab.board", mountBoard],
  ["rubric", "inst.tab.rubric", mountRubric],
  ["debrief", "debrief.tab", mountDebrief],
  ["exports", "inst.tab.exports", mountExports],
];

/** What the panel's parts share: the competition, its status, the live standings, a bus. */
class Context {
  constructor(id, detail) {
    this.id = id;
    this.detail = detail;
    this.status = detail;
    this.standings = [];
    this.clock = new SimClock();
    this.clock.update(detail);
    this.listeners = new Map();
    /** @type {(name: string, push?: boolean) => void} shows a tab (set once the tabs are drawn) */
    this.select = () => {};
  }

  on(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(listener);
  }

  emit(type, data) {
    for (const listener of this.listeners.get(type) || []) {
      try {
        listener(data);
      } catch (error) {
        console.warn(error);
      }
    }
  }

  get segments() {
    return Object.keys(this.detail.parameters?.segments || {});
  }

  /** The state with "between" for a pause at a round's end. */
  get phase() {
    const s = this.status;
    return s.state === "paused" && s.between_rounds ? "between" : s.state;
  }

  setStatus(status) {
    this.status = { ...this.status, ...status };
    this.clock.update(this.status);
    this.emit("status", this.status);
  }

  async refreshDetail() {
    this.detail = await api(`/api/v1/competitions/${this.id}`);
    this.setStatus(this.detail);
    this.emit("detail", this.detail);
    return this.detail;
  }
}

export async function mountCompetition(main, id) {
  let detail;
  try {
    detail = await api(`/api/v1/competitions/${id}`);
  } catch (error) {
    main.replaceChildren(
      h(
        "section",
        { class: "card" },
        bindText(h("p", { class: "form-message error" }), () => error.detail || error.message),
        h("a", { href: "/instructor" }, tx("span", "inst.backToList")),
      ),
    );
    if (error.status !== 404) showError(error);
    return;
  }
  const ctx = new Context(id, detail);
  const flashed = takeFlash();
  if (flashed) toast(t(flashed.key, flashed.vars));
  const crumbs = document.getElementById("crumbs");
  const badgeHolder = h("span", { class: "crumb-state" }, stateBadge(ctx.status));
  crumbs.replaceChildren(
    h("span", { class: "crumb-sep", "aria-hidden": "true" }, "›"),
    h("strong", { class: "crumb-name" }, detail.name),
    badgeHolder,
  );
  document.title = `${detail.name} · ${t("inst.title")} · Salesfloor`;
  onLangChange(() => {
    document.title = `${detail.name} · ${t("inst.title")} · Salesfloor`;
  });
  ctx.on("status", (status) => badgeHolder.replaceChildren(stateBadge(status)));

  const controls = h("div", { class: "controls-area" });
  const tabList = h("div", { class: "tabs", role: "tablist", "aria-label": t("inst.tabs") });
  const panels = h("div", { class: "panels" });
  const lobby = h("div", { class: "lobby-area" });
  main.replaceChildren(controls, lobby, tabList, panels);
  mountControls(controls, ctx);
  mountLobbyPlan(lobby, ctx);

  const buttons = [];
  for (const [name, key, mount] of TABS) {
    const tab = tx("button", key, null, {
      type: "button",
      role: "tab",
      id: `tab-${name}`,
      "aria-controls": `panel-${name}`,
      "aria-selected": "false",
      tabindex: "-1",
      dataset: { tab: name },
    });
    const panel = h("div", {
      class: "panel",
      role: "tabpanel",
      id: `panel-${name}`,
      "aria-labelledby": `tab-${name}`,
      hidden: true,
      tabindex: "-1",
    });
    tabList.append(tab);
    panels.append(panel);
    buttons.push(tab);
    mount(panel, ctx);
    tab.addEventListener("click", () => select(name));
    tab.addEventListener("keydown", (event) => {
      const index = buttons.indexOf(tab);
      const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: buttons.length - 1 }[
        event.key
      ];
      if (next == null) return;
      event.preventDefault();
      const target = buttons[(next + buttons.length) % buttons.length];
      select(target.dataset.tab);
      target.focus();
    });
  }
  onLangChange(() => tabList.setAttribute("aria-label", t("inst.tabs")));

  function select(name, push = true) {
    for (const tab of buttons) {
      const on = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      document.getElementById(`panel-${tab.dataset.tab}`).hidden = !on;
    }
    if (push) history.replaceState(null, "", `#${name}`);
    ctx.emit("tab", name);
  }
  ctx.select = select;
  const fromHash = location.hash.slice(1);
  select(
    TABS.some(([name]) => name === fromHash) ? fromHash : detail.state === "draft" ? "teams" : "live",
    false,
  );
  window.addEventListener("hashchange", () => {
    const name = location.hash.slice(1);
    if (TABS.some(([n]) => n === name)) select(name, false);
  });

  const link = document.getElementById("link");
  link.hidden = false;
  const showLink = connectionBadge(link);
  onLangChange(() => showLink(link.dataset.state || "connecting"));
  follow(`/ws/instructor/${id}`, {
    onState: showLink,
    onMessage(message) {
      ctx.clock.seen(message.t_sim);
      switch (message.type) {
        case "hello":
        case "resync":
          ctx.setStatus(message.data.status);
          ctx.standings = message.data.standings || [];
          ctx.emit("standings", ctx.standings);
          break;
        case "state":
          ctx.setStatus(message.data);
          break;
        case "standings":
          ctx.standings = message.data;
          ctx.emit("standings", ctx.standings);
          break;
        case "event":
          ctx.emit("event", message.data);
          break;
        case "reveal":
          ctx.emit("reveal", message.data);
          break;
        default:
          break;
      }
    },
  });
}
