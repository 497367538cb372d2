// The rubric tab: the judges' criteria (name in English and Chinese, max points, per round or
// once) to add, edit and delete, and each team's rubric component as the judges scored it. What
// the instructor typed into a criterion's row and has not saved stays through the rows' redraws
// (another tab, the language, a change elsewhere) as a draft; the rows are not redrawn while the
// instructor is in them (common/hold.js). The tab follows the judges live: the standings the page
// receives carry each team's rubric component, and a change in it loads the rubric again.

import { api } from "/static/common/api.js";
import { keepDraft } from "/static/common/drafts.js";
import { held } from "/static/common/hold.js";
import { fmt, lang, onLangChange, t } from "/static/common/i18n.js";
import { nameProblem } from "/static/common/names.js";
import { act, confirmAction, h, showError } from "/static/common/ui.js";
import {
  ariaLabel,
  field,
  messageOf,
  num,
  numberOf,
  setError,
  table,
  td,
  tx,
} from "/static/instructor/dom.js";

function criterionInputs(values = {}) {
  return {
    name_en: h("input", { name: "name_en", required: true, maxlength: 80, value: values.name_en ?? "" }),
    name_zh: h("input", {
      name: "name_zh",
      required: true,
      maxlength: 80,
      value: values.name_zh ?? "",
      lang: "zh-CN",
    }),
    max_points: h("input", {
      name: "max_points",
      type: "number",
      min: 0.5,
      max: 1000,
      step: "any",
      required: true,
      value: values.max_points ?? 10,
      inputmode: "decimal",
    }),
    per_round: h("input", { name: "per_round", type: "checkbox", checked: Boolean(values.per_round) }),
  };
}

/** Check a criterion's inputs; the body to send, or null after marking what is wrong. */
function criterionBody(inputs, message) {
  const problems = [];
  for (const name of ["name_en", "name_zh"]) {
    const problem = nameProblem(inputs[name].value.trim());
    const key = !inputs[name].value.trim() ? "inst.rubric.nameMissing" : (problem?.key ?? null);
    setError(inputs[name], key, problem?.vars);
    if (key) problems.push([inputs[name], key, problem?.vars]);
  }
  const points = numberOf(inputs.max_points);
  const bad =
    points === null
      ? "perr.required"
      : Number.isNaN(points)
        ? "perr.number"
        : points <= 0 || points > 1000
          ? "inst.rubric.pointsRange"
          : null;
  setError(inputs.max_points, bad);
  if (bad) problems.push([inputs.max_points, bad]);
  if (problems.length) {
    message.key(problems[0][1], problems[0][2]);
    problems[0][0].focus();
    return null;
  }
  return {
    name_en: inputs.name_en.value.trim(),
    name_zh: inputs.name_zh.value.trim(),
    max_points: points,
    per_round: inputs.per_round.checked,
  };
}

export function mountRubric(panel, ctx) {
  const inputs = criterionInputs();
  const add = tx("button", "inst.rubric.add", null, { type: "submit", class: "primary" });
  const addForm = h(
    "form",
    { class: "card stack", id: "add-criterion", novalidate: true },
    tx("h2", "inst.rubric.addTitle"),
    tx("p", "inst.rubric.lead", null, { class: "hint" }),
    h(
      "div",
      { class: "row2" },
      field("inst.rubric.nameEn", inputs.name_en),
      field("inst.rubric.nameZh", inputs.name_zh),
    ),
    field("inst.rubric.max", inputs.max_points),
    h("label", { class: "inline" }, inputs.per_round, tx("span", "inst.rubric.perRound")),
    h("div", { class: "actions" }, add),
    h("p", { class: "form-message", role: "alert" }),
  );
  const criteriaArea = h("div", { class: "criteria" });
  const componentArea = h("div", { class: "components" });
  const weightNote = h("p", { class: "hint" });
  const judgeLink = h("a", { href: `/judge/${ctx.id}`, class: "button" }, tx("span", "inst.links.judge"));
  panel.append(
    h(
      "div",
      { class: "rubric-grid" },
      h("section", { class: "card", id: "criteria" }, tx("h2", "inst.rubric.criteria"), criteriaArea),
      addForm,
      h(
        "section",
        { class: "card", id: "components" },
        tx("h2", "inst.rubric.components"),
        weightNote,
        h("div", { class: "actions" }, judgeLink),
        componentArea,
      ),
    ),
  );
  const message = messageOf(addForm);
  let rubric = null;
  /** The loads asked for: an answer older than the newest one asked is dropped. */
  let asked = 0;
  /** Each team's rubric component in the last standings (a judge's score changes it). */
  let lastComponents = null;
  /** What was typed into a criterion's row and not saved: `${id}|${input name}` → value. */
  const drafts = new Map();

  async function load() {
    const mine = ++asked;
    try {
      const answer = await api(`/api/v1/competitions/${ctx.id}/rubric`);
      if (mine !== asked) return; // a newer load is under way
      rubric = answer;
      draw();
    } catch (error) {
      showError(error);
    }
  }

  function draw() {
    if (!rubric) return;
    drawCriteria();
    drawComponents();
  }

  function drawCriteria() {
    if (held(criteriaArea, drawCriteria)) return; // drawn once the instructor has let go of it
    const scored = new Set(rubric.scores.map((s) => s.criterion_id));
    for (const key of drafts.keys()) {
      if (!rubric.criteria.some((c) => key.startsWith(`${c.id}|`))) drafts.delete(key); // deleted
    }
    const rows = rubric.criteria.map((c) => {
      const edit = criterionInputs(c);
      for (const [name, input] of Object.entries(edit)) {
        keepDraft(drafts, `${c.id}|${name}`, input);
        const key = {
          name_en: "inst.rubric.nameEn",
          name_zh: "inst.rubric.nameZh",
          max_points: "inst.rubric.max",
          per_round: "inst.rubric.perRound",
        }[name];
        Object.assign(input, { id: `crit-${c.id}-${name}` });
        input.setAttribute("aria-label", `${t(key)} (#${c.id})`);
      }
      const rowMessage = h("p", { class: "form-message", role: "alert" });
      const holder = h("div", {}, rowMessage);
      const save = tx("button", "common.save", null, {
        type: "button",
        class: "save",
        ...ariaLabel("common.save"),
      });
      const remove = tx("button", "inst.rubric.delete", null, { type: "button", class: "danger" });
      save.addEventListener("click", async () => {
        const body = criterionBody(edit, messageOf(holder));
        if (!body) return;
        const done = await act(
          () => api(`/api/v1/competitions/${ctx.id}/rubric/criteria/${c.id}`, { method: "PUT", body }),
          t("inst.rubric.saved", { name: body[lang === "zh" ? "name_zh" : "name_en"] }),
        );
        if (done) {
          for (const name of Object.keys(edit)) drafts.delete(`${c.id}|${name}`);
          load();
        }
      });
      remove.addEventListener("click", async () => {
        if (!confirmAction(t("inst.rubric.deleteConfirm", { name: lang === "zh" ? c.name_zh : c.name_en })))
          return;
        const done = await act(async () => {
          await api(`/api/v1/competitions/${ctx.id}/rubric/criteria/${c.id}`, { method: "DELETE" });
          return true;
        }, t("inst.rubric.deleted"));
        if (done) load();
      });
      return h(
        "tr",
        { dataset: { criterion: c.id } },
        td(edit.name_en),
        td(edit.name_zh),
        td(edit.max_points, "num"),
        td(edit.per_round),
        td(scored.has(c.id) ? tx("span", "inst.rubric.scored", null, { class: "badge" }) : ""),
        td(h("div", { class: "actions" }, save, remove, holder)),
      );
    });
    criteriaArea.replaceChildren(
      table(
        [
          "inst.rubric.nameEn",
          "inst.rubric.nameZh",
          ["inst.rubric.max", "num"],
          "inst.rubric.perRoundShort",
          "inst.rubric.status",
          "inst.rubric.actions",
        ],
        rows,
        { empty: "inst.rubric.none", cls: "criteria-table" },
      ),
    );
  }

  function drawComponents() {
    const components = Object.entries(rubric.component).map(([team, value]) =>
      h(
        "tr",
        { dataset: { team } },
        td(h("strong", {}, team)),
        td(value == null ? "—" : fmt.score(value), "num"),
        td(fmt.num(rubric.scores.filter((s) => s.team === team).length), "num"),
      ),
    );
    componentArea.replaceChildren(
      table(["common.team", ["inst.rubric.component", "num"], ["inst.rubric.scores", "num"]], components, {
        empty: "inst.teams.empty",
      }),
    );
    weightNote.replaceChildren(
      tx("span", rubric.weight > 0 ? "inst.rubric.weight" : "inst.rubric.noWeight", {
        weight: num(rubric.weight),
      }),
    );
  }

  for (const input of Object.values(inputs)) input.addEventListener("input", () => setError(input, null));
  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.clear();
    const body = criterionBody(inputs, message);
    if (!body) return;
    add.disabled = true;
    const done = await act(
      () => api(`/api/v1/competitions/${ctx.id}/rubric/criteria`, { method: "POST", body }),
      t("inst.rubric.added", { name: body[lang === "zh" ? "name_zh" : "name_en"] }),
    );
    add.disabled = false;
    if (done) {
      message.key("inst.rubric.added", { name: body[lang === "zh" ? "name_zh" : "name_en"] }, "ok");
      inputs.name_en.value = "";
      inputs.name_zh.value = "";
      load();
    }
  });

  ctx.on("tab", (name) => {
    if (name === "rubric") load();
  });
  ctx.on("detail", load);
  ctx.on("standings", (rows) => {
    const now = JSON.stringify(rows.map((r) => [r.team, r.rubric ?? null]).sort());
    const changed = lastComponents !== null && now !== lastComponents;
    lastComponents = now;
    if (changed && !panel.hidden) load(); // a hidden tab loads when it is shown
  });
  onLangChange(draw);
  load();
}
