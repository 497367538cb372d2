// The live tab: standings, the monitor of team activity, announcements and market shocks.

import { api } from "/static/common/api.js";
import { fmt, onLangChange, t } from "/static/common/i18n.js";
import { act, confirmAction, h } from "/static/common/ui.js";
import {
  bindText,
  field,
  messageOf,
  num,
  numberOf,
  setError,
  table,
  td,
  tx,
} from "/static/instructor/dom.js";
import { segmentName } from "/static/instructor/paramform.js";

const SHOCKS = { demand: [0, 10, 1.5], price_war: [0.1, 2, 0.85], recall: [0, 1, 0.2] };
const MONITOR_EVERY_MS = 5000;
const QUIET_HOURS = 4;

export function mountLive(panel, ctx) {
  const standingsArea = h("div", { class: "standings" });
  const monitorArea = h("div", { class: "monitor" });
  const monitorTime = h("span", { class: "hint" });
  panel.append(
    h(
      "div",
      { class: "live-grid" },
      h(
        "div",
        { class: "stack live-main" },
        h("section", { class: "card standings-card" }, tx("h2", "inst.live.standings"), standingsArea),
        h(
          "section",
          { class: "card monitor-card", id: "monitor" },
          h("h2", {}, tx("span", "inst.live.monitor"), monitorTime),
          tx("p", "inst.live.monitorLead", null, { class: "hint" }),
          monitorArea,
        ),
      ),
      h("div", { class: "stack live-side" }, announcementCard(ctx), shockCard(ctx), logCard(ctx)),
    ),
  );

  function drawStandings() {
    const rows = ctx.standings.map((row) =>
      h(
        "tr",
        { dataset: { team: row.team } },
        td(fmt.num(row.rank), "num"),
        td(h("strong", {}, row.team)),
        td(fmt.score(row.composite), "num strong"),
        td(row.conversion == null ? "—" : fmt.pct(row.conversion / 100, 1), "num"),
        td(fmt.score(row.satisfaction), "num"),
        td(row.receivables == null ? "—" : fmt.pct(row.receivables / 100, 1), "num"),
        td(fmt.money(row.profit), "num opt"),
        td(fmt.money(row.collected), "num opt"),
        td(fmt.score(row.rubric), "num opt"),
      ),
    );
    standingsArea.replaceChildren(
      table(
        [
          ["common.rank", "num"],
          "common.team",
          ["common.composite", "num"],
          ["common.conversion", "num"],
          ["common.satisfaction", "num"],
          ["common.receivables", "num"],
          ["common.profit", "num opt"],
          ["common.collected", "num opt"],
          ["common.rubric", "num opt"],
        ],
        rows,
        { empty: "inst.live.noStandings", cls: "standings-table" },
      ),
    );
  }

  /** @type {import("../common/api-types.js").Monitor | null} */
  let monitor = null;
  let loading = false;
  let again = false;
  async function loadMonitor() {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      monitor = await api(`/api/v1/competitions/${ctx.id}/monitor`);
      drawMonitor();
    } catch (error) {
      bindText(monitorTime, () => error.detail || error.message);
    } finally {
      loading = false;
      if (again) {
        again = false;
        setTimeout(loadMonitor, 1000);
      }
    }
  }

  function drawMonitor() {
    if (!monitor) return;
    const now = ctx.clock.now();
    const bots = new Map((ctx.detail.teams || []).map((tm) => [tm.name, tm.bot]));
    const watching = ["running", "paused", "finished"].includes(ctx.status.state);
    const idleHours = monitor.idle_hours ?? QUIET_HOURS;
    // idle: nothing for idleHours of market time (the same rule as the server's), in any state
    const idle = (last) => watching && now - (last ?? 0) >= idleHours;
    const ago = (last) =>
      last == null ? t("inst.mon.never") : t("inst.mon.ago", { time: fmt.hours(Math.max(0, now - last)) });
    const rows = monitor.teams.map((row) => {
      const bot = bots.get(row.team);
      const quiet = !bot && idle(row.last_command_t);
      const refusedShare = row.commands ? row.refused / row.commands : 0;
      const flags = [];
      if (quiet) flags.push(tx("span", "inst.mon.quiet", null, { class: "badge warn" }));
      if (row.refused >= 5 && refusedShare > 0.3)
        flags.push(tx("span", "inst.mon.refusing", null, { class: "badge bad" }));
      if (!quiet && row.commands && !idle(row.last_command_t))
        flags.push(tx("span", "inst.mon.active", null, { class: "badge ok" }));
      const people = (row.people || []).map((p) =>
        h(
          "li",
          { class: idle(p.last_command_t) ? "person idle" : "person", dataset: { member: p.name } },
          h("strong", {}, p.name),
          " ",
          h("span", { class: "hint" }, t(`role.${p.role}`)),
          " · ",
          h(
            "span",
            { class: "person-figures" },
            t("inst.mon.person", { commands: fmt.num(p.commands), refused: fmt.num(p.refused) }),
          ),
          " · ",
          h("span", { class: "hint" }, ago(p.last_command_t)),
          idle(p.last_command_t) ? [" ", tx("span", "inst.mon.idle", null, { class: "badge warn" })] : null,
        ),
      );
      return h(
        "tr",
        { dataset: { team: row.team }, class: quiet ? "quiet" : "" },
        td(h("strong", {}, row.team)),
        td(
          bot
            ? tx("span", `bot.${bot}`, null, { class: "badge" })
            : people.length
              ? h("ul", { class: "people" }, people)
              : tx("span", "inst.mon.nobody", null, { class: "muted" }),
        ),
        td(fmt.num(row.commands), "num commands"),
        td(fmt.num(row.refused), "num opt"),
        td(row.last_command_t == null ? "—" : ago(row.last_command_t)),
        td(flags),
      );
    });
    monitorArea.replaceChildren(
      table(
        [
          "common.team",
          "inst.mon.members",
          ["inst.mon.commands", "num"],
          ["inst.mon.refused", "num opt"],
          "inst.mon.last",
          "inst.mon.flags",
        ],
        rows,
        { empty: "inst.teams.empty", cls: "monitor-table" },
      ),
    );
    bindText(monitorTime, () => t("inst.mon.asOf", { time: fmt.simTime(monitor.t_sim, monitor) }));
  }

  let pending = null;
  ctx.on("event", () => {
    if (!pending)
      pending = setTimeout(() => {
        pending = null;
        loadMonitor();
      }, 1500);
  });
  let drawing = null;
  ctx.on("standings", () => {
    // standings may come many times a second: draw at most five times a second
    if (!drawing)
      drawing = setTimeout(() => {
        drawing = null;
        drawStandings();
      }, 200);
  });
  ctx.on("status", loadMonitor);
  ctx.on("detail", loadMonitor);
  onLangChange(() => {
    drawStandings();
    drawMonitor();
  });
  setInterval(() => {
    if (ctx.status.state === "running" && !document.hidden) loadMonitor();
  }, MONITOR_EVERY_MS);
  drawStandings();
  loadMonitor();
}

function whenRunning(ctx, form, note) {
  const update = () => {
    const open = ["running", "paused"].includes(ctx.status.state);
    for (const control of form.elements) control.disabled = !open;
    note.hidden = open;
  };
  ctx.on("status", update);
  update();
}

function announcementCard(ctx) {
  const text = h("textarea", { name: "text", rows: 3, maxlength: 500, required: true });
  const counter = h("span", { class: "hint counter" });
  const send = tx("button", "inst.ann.send", null, { type: "submit", class: "primary" });
  const note = tx("p", "inst.ann.closed", null, { class: "hint" });
  const form = h(
    "form",
    { class: "card stack", id: "announce", novalidate: true },
    tx("h2", "inst.ann.title"),
    note,
    field("inst.ann.text", text, { hint: "inst.ann.hint" }),
    h("div", { class: "actions" }, send, counter),
    h("p", { class: "form-message", role: "alert" }),
  );
  const message = messageOf(form);
  const count = () =>
    bindText(counter, () => t("inst.ann.count", { n: fmt.num(text.value.length), max: fmt.num(500) }));
  text.addEventListener("input", () => {
    setError(text, null);
    count();
  });
  count();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.clear();
    const value = text.value.trim();
    if (!value) {
      setError(text, "inst.ann.missing");
      message.key("inst.ann.missing");
      text.focus();
      return;
    }
    send.disabled = true;
    const done = await act(
      () => api(`/api/v1/competitions/${ctx.id}/announcements`, { method: "POST", body: { text: value } }),
      t("inst.ann.sent"),
    );
    send.disabled = false;
    if (done) {
      message.key("inst.ann.sent", {}, "ok");
      text.value = "";
      count();
    }
  });
  whenRunning(ctx, form, note);
  return form;
}

function shockCard(ctx) {
  const kind = h(
    "select",
    { name: "shock" },
    Object.keys(SHOCKS).map((k) => bindText(h("option", { value: k }), () => t(`inst.shock.${k}`))),
  );
  const segment = h("select", { name: "segment" });
  const magnitude = h("input", {
    name: "magnitude",
    type: "number",
    step: "any",
    required: true,
    inputmode: "decimal",
  });
  const help = h("p", { class: "hint shock-help", "aria-live": "polite" });
  const apply = tx("button", "inst.shock.apply", null, { type: "submit" });
  const note = tx("p", "inst.shock.closed", null, { class: "hint" });
  const form = h(
    "form",
    { class: "card stack", id: "shock", novalidate: true },
    tx("h2", "inst.shock.title"),
    note,
    h(
      "div",
      { class: "row3" },
      field("inst.shock.kind", kind),
      field("inst.shock.segment", segment),
      field("inst.shock.magnitude", magnitude),
    ),
    help,
    h("div", { class: "actions" }, apply),
    h("p", { class: "form-message", role: "alert" }),
  );
  const message = messageOf(form);
  const fillSegments = () => {
    const chosen = segment.value || "*";
    segment.replaceChildren(
      bindText(h("option", { value: "*" }), () => t("segment.*")),
      ...ctx.segments.map((id) => bindText(h("option", { value: id }), () => segmentName(id))),
    );
    segment.value = chosen;
  };
  const chooseKind = () => {
    const [low, high, value] = SHOCKS[kind.value];
    magnitude.min = low;
    magnitude.max = high;
    magnitude.value = value;
    setError(magnitude, null);
    bindText(help, () => t(`inst.shock.${kind.value}.help`, { low: num(low), high: num(high) }));
  };
  kind.addEventListener("change", chooseKind);
  magnitude.addEventListener("input", () => setError(magnitude, null));
  fillSegments();
  chooseKind();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.clear();
    const [low, high] = SHOCKS[kind.value];
    const value = numberOf(magnitude);
    const bad =
      value === null
        ? "perr.required"
        : Number.isNaN(value)
          ? "perr.number"
          : value < low || value > high
            ? "perr.range"
            : null;
    if (bad) {
      setError(magnitude, bad, { low: num(low), high: num(high) });
      message.key(bad, { low: num(low), high: num(high) });
      magnitude.focus();
      return;
    }
    const what = t("inst.shock.describe", {
      shock: t(`inst.shock.${kind.value}`),
      segment: segment.value === "*" ? t("segment.*") : segmentName(segment.value),
      magnitude: num(value),
    });
    if (!confirmAction(t("inst.shock.confirm", { what }))) return;
    apply.disabled = true;
    const done = await act(
      () =>
        api(`/api/v1/competitions/${ctx.id}/shocks`, {
          method: "POST",
          body: { shock: kind.value, segment: segment.value, magnitude: value },
        }),
      t("inst.shock.applied", { what }),
    );
    apply.disabled = false;
    if (done) message.key("inst.shock.applied", { what }, "ok");
  });
  ctx.on("detail", fillSegments);
  whenRunning(ctx, form, note);
  return form;
}

/** Announcements and shocks so far: the instructor's commands from the log, then live events. */
function logCard(ctx) {
  const list = h("ul", { class: "instructor-log" });
  const items = [];
  const seen = new Set();
  const add = (item) => {
    const key = JSON.stringify([
      item.kind,
      item.t,
      item.text,
      item.shock,
      item.segment,
      item.magnitude,
      item.changes,
    ]);
    if (seen.has(key)) return;
    seen.add(key);
    items.push(item);
    items.sort((a, b) => a.t - b.t);
  };
  const section = h("section", { class: "card", id: "instructor-log" }, tx("h2", "inst.log.title"), list);
  const draw = () => {
    list.replaceChildren(
      ...items
        .slice(-30)
        .reverse()
        .map((item) => {
          const text =
            item.kind === "announce"
              ? t("inst.log.announce", { text: item.text })
              : item.kind === "apply_shock"
                ? t("inst.log.shock", {
                    what: t("inst.shock.describe", {
                      shock: t(`inst.shock.${item.shock}`),
                      segment: item.segment === "*" ? t("segment.*") : segmentName(item.segment),
                      magnitude: num(item.magnitude),
                    }),
                  })
                : t("inst.log.params", {
                    n: item.changes.length,
                    keys: item.changes.map(([k]) => k).join(", "),
                  });
          const kind =
            { announce: "inst.log.kind.announce", apply_shock: "inst.log.kind.shock" }[item.kind] ||
            "inst.log.kind.params";
          return h(
            "li",
            {},
            h("span", { class: "hint" }, fmt.simTime(item.t, ctx.status)),
            " ",
            tx("span", kind, null, { class: "badge" }),
            " ",
            h("span", {}, text),
          );
        }),
    );
    if (!items.length) list.replaceChildren(tx("li", "inst.log.empty", null, { class: "muted" }));
  };
  let lastSeq = -1;
  async function load() {
    if (ctx.status.state === "draft") return draw();
    try {
      for (;;) {
        const page = await api(`/api/v1/competitions/${ctx.id}/commands?after=${lastSeq}&limit=10000`);
        for (const entry of page) {
          if (entry.source === "instructor" && entry.accepted) add({ t: entry.t, ...entry.command });
          lastSeq = entry.seq;
        }
        if (page.length < 10000) break;
      }
    } catch (error) {
      console.warn(error);
    }
    draw();
  }
  const kinds = {
    announcement_made: "announce",
    shock_applied: "apply_shock",
    parameters_changed: "change_parameters",
  };
  let loaded = false;
  ctx.on("event", (event) => {
    if (!loaded || !kinds[event.kind]) return;
    const item = {
      t: event.t,
      kind: kinds[event.kind],
      text: event.text,
      shock: event.shock,
      segment: event.segment,
      magnitude: event.magnitude,
    };
    if (item.kind === "change_parameters") item.changes = JSON.parse(event.changes || "[]");
    add(item);
    draw();
  });
  ctx.on("status", () => {
    if (!loaded && ctx.status.state !== "draft") {
      loaded = true;
      load();
    }
  });
  onLangChange(draw);
  if (ctx.status.state !== "draft") {
    loaded = true;
    load();
  } else draw();
  return section;
}
