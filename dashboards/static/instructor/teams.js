// Teams: add one (name, optional house bot) or paste CSV lines, the list with join codes and
// report links, and the printable join cards. The list is drawn again as the teams, their members
// and the competition's state change, but not while the instructor is on one of its buttons or
// presses one (common/hold.js).

import { api } from "/static/common/api.js";
import { held } from "/static/common/hold.js";
import { fmt, t } from "/static/common/i18n.js";
import { nameProblem } from "/static/common/names.js";
import { confirmAction, h, showError, toast } from "/static/common/ui.js";
import { bindText, field, messageOf, setError, table, td, tx } from "/static/instructor/dom.js";
import { BOTS } from "/static/instructor/preview.js";

// the server's rule (simulator/competition.py is_team_name): letters of any script and digits,
// with combining marks after the first character, spaces, _ or -; 1–40 characters (code points)
export const TEAM_NAME = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} _-]{0,39}$/u;

export function mountTeams(panel, ctx) {
  const name = h("input", { name: "team", required: true, maxlength: 40, autocomplete: "off" });
  const bot = h(
    "select",
    { name: "bot" },
    bindText(h("option", { value: "" }), () => t("inst.teams.noBot")),
    BOTS.map((b) => bindText(h("option", { value: b }), () => `${t(`bot.${b}`)} — ${t(`bot.${b}.what`)}`)),
  );
  const addButton = tx("button", "inst.teams.add", null, { type: "submit", class: "primary" });
  const addForm = h(
    "form",
    { class: "stack", id: "add-team", novalidate: true },
    field("inst.teams.name", name, { hint: "inst.teams.nameHint" }),
    field("inst.teams.bot", bot, { hint: "inst.teams.botHint" }),
    h("div", { class: "actions" }, addButton),
    h("p", { class: "form-message", role: "alert" }),
  );
  const csv = h("textarea", {
    name: "csv",
    rows: 6,
    spellcheck: "false",
    placeholder: "Red Team\nBlue Team,balanced\nHouse,passive",
  });
  const csvButton = tx("button", "inst.teams.addCsv", null, { type: "submit" });
  const csvForm = h(
    "form",
    { class: "stack", id: "add-csv", novalidate: true },
    field("inst.teams.csv", csv, { hint: "inst.teams.csvHint" }),
    h("div", { class: "actions" }, csvButton),
    h("p", { class: "form-message", role: "alert" }),
  );
  const closed = tx("p", "inst.teams.closed", null, { class: "banner", hidden: true });
  const divider = h("hr");
  const listArea = h("div", { class: "team-list" });
  const count = h("span", { class: "count" });
  const codesLink = h(
    "a",
    { class: "button primary", href: `/instructor/${ctx.id}/codes`, id: "codes-link" },
    tx("span", "inst.teams.codes"),
  );

  panel.append(
    h(
      "div",
      { class: "grid teams-grid" },
      h(
        "section",
        { class: "card team-list-card" },
        h("h2", {}, tx("span", "inst.teams.title"), count),
        h("div", { class: "actions" }, codesLink),
        listArea,
      ),
      h("section", { class: "card" }, tx("h2", "inst.teams.addTitle"), closed, addForm, divider, csvForm),
    ),
  );

  const addMessage = messageOf(addForm);
  const csvMessage = messageOf(csvForm);

  name.addEventListener("input", () => setError(name, null));
  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    addMessage.clear();
    const value = name.value.trim().replace(/\s+/g, " ");
    if (!value) return fail(name, addMessage, "inst.teams.nameMissing");
    const problem = nameProblem(name.value.trim());
    if (problem) return fail(name, addMessage, problem.key, problem.vars);
    if (!TEAM_NAME.test(value)) return fail(name, addMessage, "inst.teams.nameBad");
    if ((ctx.detail.teams || []).some((tm) => tm.name === value))
      return fail(name, addMessage, "inst.teams.nameTaken", { name: value });
    addButton.disabled = true;
    try {
      const added = await api(`/api/v1/competitions/${ctx.id}/teams`, {
        method: "POST",
        body: { name: value, bot: bot.value || null },
      });
      toast(t("inst.teams.added", { name: added.name, code: added.join_code }));
      addMessage.key("inst.teams.added", { name: added.name, code: added.join_code }, "ok");
      name.value = "";
      bot.value = "";
      name.focus();
      await ctx.refreshDetail();
    } catch (error) {
      addMessage.raw(error.detail || error.message);
      if (error.status === 422) setError(name, null, {}, error.detail);
      else showError(error);
    } finally {
      addButton.disabled = false;
    }
  });

  csv.addEventListener("input", () => setError(csv, null));
  csvForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    csvMessage.clear();
    const lines = csv.value
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    if (!lines.length) return fail(csv, csvMessage, "inst.teams.csvEmpty");
    for (const [index, line] of lines.entries()) {
      const [teamName, teamBot, ...rest] = line.split(",").map((c) => c.trim());
      if (index === 0 && teamName.toLowerCase() === "name") continue;
      if (rest.length) return fail(csv, csvMessage, "inst.teams.csvColumns", { line: index + 1 });
      const problem = nameProblem(teamName);
      if (problem)
        return fail(csv, csvMessage, "inst.teams.csvLine", {
          line: index + 1,
          get problem() {
            return t(problem.key, problem.vars);
          },
        });
      if (!TEAM_NAME.test(teamName.replace(/\s+/g, " ")))
        return fail(csv, csvMessage, "inst.teams.csvName", { line: index + 1, name: teamName });
      if (teamBot && !BOTS.includes(teamBot))
        return fail(csv, csvMessage, "inst.teams.csvBot", {
          line: index + 1,
          bot: teamBot,
          bots: BOTS.join(", "),
        });
    }
    csvButton.disabled = true;
    try {
      const added = await api(`/api/v1/competitions/${ctx.id}/teams/bulk`, {
        method: "POST",
        body: new Blob([csv.value], { type: "text/csv" }),
        headers: { "Content-Type": "text/csv" },
      });
      toast(t("inst.teams.addedMany", { n: added.length }));
      csvMessage.key("inst.teams.addedMany", { n: added.length }, "ok");
      csv.value = "";
      await ctx.refreshDetail();
    } catch (error) {
      csvMessage.raw(error.detail || error.message);
      if (error.status !== 422 && error.status !== 409) showError(error);
    } finally {
      csvButton.disabled = false;
    }
  });

  function fail(control, message, key, vars = {}) {
    setError(control, key, vars);
    message.key(key, vars);
    control.focus();
  }

  // who is in each students' team; the instructor can remove a member and issue a new code
  let roster = new Map();
  async function loadMembers() {
    if (ctx.status.state === "draft" && !(ctx.detail.teams || []).length) return;
    try {
      const list = await api(`/api/v1/competitions/${ctx.id}/members`);
      roster = new Map(list.map((entry) => [entry.team, entry]));
      draw();
    } catch (error) {
      console.warn(error);
    }
  }

  async function removeMember(team, member) {
    if (!confirmAction(t("inst.members.removeConfirm", { name: member.name, team }))) return;
    try {
      const after = await api(
        `/api/v1/competitions/${ctx.id}/teams/${encodeURIComponent(team)}/members/${encodeURIComponent(member.name)}`,
        { method: "DELETE" },
      );
      roster.set(team, after);
      toast(t("inst.members.removed", { name: member.name, team }));
      draw();
    } catch (error) {
      showError(error);
    }
  }

  async function newCode(team) {
    if (!confirmAction(t("inst.members.newCodeConfirm", { team }))) return;
    try {
      const after = await api(`/api/v1/competitions/${ctx.id}/teams/${encodeURIComponent(team)}/join-code`, {
        method: "POST",
      });
      roster.set(team, after);
      toast(t("inst.members.newCodeDone", { team, code: after.join_code }));
      await ctx.refreshDetail();
    } catch (error) {
      showError(error);
    }
  }

  function membersCell(team) {
    if (team.bot) return td("—", "muted");
    const members = roster.get(team.name)?.members || [];
    if (!members.length) return td(tx("span", "inst.members.none", null, { class: "muted" }));
    return td(
      h(
        "span",
        { class: "members" },
        members.map((member) =>
          h(
            "span",
            { class: "chip member", dataset: { member: member.name } },
            `${member.name} · ${member.roles.map((role) => t(`role.${role}`)).join(", ")}`,
            h(
              "button",
              {
                type: "button",
                class: "chip-remove",
                "aria-label": t("inst.members.remove", { name: member.name }),
                title: t("inst.members.remove", { name: member.name }),
                onclick: () => removeMember(team.name, member),
              },
              "×",
            ),
          ),
        ),
      ),
    );
  }

  function draw() {
    const teams = ctx.detail.teams || [];
    const draft = ctx.status.state === "draft";
    closed.hidden = draft;
    addForm.hidden = !draft;
    csvForm.hidden = !draft;
    divider.hidden = !draft;
    count.textContent = fmt.num(teams.length);
    if (held(listArea, draw)) return; // its buttons stay under the instructor's hand until let go
    const rows = teams.map((team) =>
      h(
        "tr",
        { dataset: { team: team.name } },
        td(h("strong", {}, team.name)),
        td(
          team.bot
            ? tx("span", `bot.${team.bot}`, null, { class: "badge" })
            : tx("span", "inst.teams.people", null, { class: "muted" }),
        ),
        td([
          h("code", { class: "join-code" }, team.join_code),
          team.bot
            ? null
            : h(
                "button",
                { type: "button", class: "small new-code", onclick: () => newCode(team.name) },
                t("inst.members.newCode"),
              ),
        ]),
        membersCell(team),
        td(
          h(
            "a",
            { href: `/report/${ctx.id}/${encodeURIComponent(team.name)}` },
            tx("span", "inst.teams.report"),
          ),
        ),
      ),
    );
    listArea.replaceChildren(
      table(
        ["common.team", "inst.teams.player", "inst.teams.code", "inst.members.title", "inst.teams.reportCol"],
        rows,
        { empty: "inst.teams.empty" },
      ),
    );
  }

  let reloading = null;
  ctx.on("detail", () => {
    draw();
    loadMembers();
  });
  ctx.on("event", () => {
    // a join sends no event of its own: look again now and then while the game goes on
    if (!reloading)
      reloading = setTimeout(() => {
        reloading = null;
        loadMembers();
      }, 5000);
  });
  ctx.on("status", () => {
    const draft = ctx.status.state === "draft";
    if (closed.hidden !== !draft) draw();
  });
  draw();
  loadMembers();
}
