// Creating a competition: name, preset, mode, rounds, seed and pacing, then every market
// parameter of the preset (only the changed ones are sent), with a preview of how the
// reference bots would fare.

import { api } from "/static/common/api.js";
import { has, t } from "/static/common/i18n.js";
import { nameProblem } from "/static/common/names.js";
import { h, showError, toast } from "/static/common/ui.js";
import {
  bindText,
  button,
  field,
  flash,
  messageOf,
  num,
  numberOf,
  setError,
  tx,
} from "/static/instructor/dom.js";
import { fieldOf, paramForm } from "/static/instructor/paramform.js";
import { previewCard } from "/static/instructor/preview.js";
import { realDuration, roundHours } from "/static/instructor/time.js";

const MAX_SEED = 2 ** 62;

/** A preset's name in the page's language (its file name when there is no translation). */
export function presetName(name) {
  return has(`presetName.${name}`) ? t(`presetName.${name}`) : name;
}

export async function mountCreate(root) {
  let presets;
  try {
    presets = await api("/api/v1/presets");
  } catch (error) {
    showError(error);
    return;
  }
  const initial = presets.some((p) => p.name === "classroom") ? "classroom" : presets[0].name;

  const name = h("input", {
    name: "name",
    required: true,
    maxlength: 80,
    autocomplete: "off",
    placeholder: t("inst.create.namePlaceholder"),
    "data-i18n-placeholder": "inst.create.namePlaceholder",
  });
  const preset = h(
    "select",
    { name: "preset" },
    presets.map((p) =>
      bindText(h("option", { value: p.name, selected: p.name === initial }), () => presetName(p.name)),
    ),
  );
  const presetText = h("p", { class: "hint preset-description" });
  const mode = h(
    "select",
    { name: "mode" },
    ["shared", "mirrored"].map((m) => bindText(h("option", { value: m }), () => t(`choice.mode.${m}`))),
  );
  const rounds = h("input", {
    name: "rounds",
    type: "number",
    min: 1,
    max: 100,
    step: 1,
    required: true,
    inputmode: "numeric",
  });
  const seed = h("input", { name: "seed", type: "number", min: 0, step: 1, inputmode: "numeric" });
  const pacing = h("input", {
    name: "seconds_per_hour",
    type: "number",
    min: 0.01,
    max: 3600,
    step: "any",
    value: 15,
    required: true,
    inputmode: "decimal",
  });
  const pacingHint = h("p", { class: "hint pacing-hint", id: "pacing-hint", "aria-live": "polite" });
  const modeHint = tx("p", "param.mode.help", null, { class: "hint" });
  const gradingNote = h("p", { class: "hint grading-note", "aria-live": "polite" });

  const basics = h(
    "section",
    { class: "card basics" },
    tx("h2", "inst.create.title"),
    tx("p", "inst.create.lead", null, { class: "hint" }),
    h(
      "div",
      { class: "basics-grid" },
      field("inst.create.name", name, { hint: "inst.create.nameHint", cls: "wide" }),
      h("div", { class: "field wide" }, field("inst.create.preset", preset), presetText),
      h("div", { class: "field wide" }, field("param.mode.label", mode), modeHint, gradingNote),
      field("param.rounds.label", rounds, { hint: "param.rounds.help" }),
      field("inst.create.seed", seed, { hint: "inst.create.seedHint" }),
      h("div", { class: "field wide" }, field("inst.create.pacing", pacing), pacingHint),
    ),
  );

  const paramsArea = h("div", { class: "param-area" });
  const openAll = button("inst.params.openAll");
  const closeAll = button("inst.params.closeAll");
  const resetAll = button("inst.params.resetAll");
  const params = h(
    "section",
    { class: "card params", id: "parameters" },
    tx("h2", "inst.params.title"),
    tx("p", "inst.params.lead", null, { class: "hint" }),
    h("div", { class: "actions" }, openAll, closeAll, resetAll),
    paramsArea,
  );

  const summary = h("p", { class: "hint change-summary", "aria-live": "polite" });
  const submit = tx("button", "inst.create.submit", null, { type: "submit", class: "primary big" });
  const submitCard = h(
    "section",
    { class: "card submit-card" },
    summary,
    submit,
    h("p", { class: "form-message", role: "alert" }),
  );

  let form = null;
  let rows = [];
  let defaults = { mode: "shared", rounds: 5 };

  const preview = previewCard(() => request(true));

  const element = h(
    "form",
    { id: "create", class: "create", novalidate: true, autocomplete: "off" },
    h("div", { class: "create-main" }, basics, params),
    h("aside", { class: "create-side" }, submitCard, preview.element),
  );
  root.replaceChildren(element);
  const message = messageOf(submitCard);

  function dayKind() {
    return form?.values().day_kind || rows.find((r) => r.key === "day_kind")?.value || "business";
  }

  function drawPacing() {
    const seconds = numberOf(pacing);
    const values = form?.values() || {};
    const days = values.days_per_round ?? rows.find((r) => r.key === "days_per_round")?.value ?? 5;
    const hours = roundHours(days, dayKind());
    const count = numberOf(rounds) || defaults.rounds;
    bindText(pacingHint, () =>
      seconds > 0
        ? t("inst.create.pacingHint", {
            hours: num(Math.round(hours * 100) / 100),
            round: realDuration(hours * seconds),
            total: realDuration(hours * seconds * count),
            rounds: num(count),
          })
        : t("inst.create.pacingHelp"),
    );
  }

  /** What the chosen mode means for grades: one shared season is partly luck (docs/balance.md). */
  function drawGrading() {
    const chosen = mode.value === "mirrored" ? "mirrored" : "shared";
    gradingNote.dataset.mode = chosen;
    bindText(gradingNote, () => t(`inst.create.grading.${chosen}`));
  }

  function drawSummary() {
    const n = form ? Object.keys(form.changes()).length : 0;
    bindText(summary, () =>
      n
        ? t("inst.create.changes", { n, preset: presetName(preset.value) })
        : t("inst.create.noChanges", { preset: presetName(preset.value) }),
    );
  }

  async function loadPreset() {
    const chosen = preset.value;
    const key = `preset.${chosen}`;
    const description = presets.find((p) => p.name === chosen)?.description || "";
    bindText(presetText, () => (has(key) ? t(key) : description));
    try {
      rows = await api(`/api/v1/presets/${encodeURIComponent(chosen)}/parameters`);
    } catch (error) {
      showError(error);
      return;
    }
    const value = (k) => rows.find((r) => r.key === k)?.value;
    defaults = { mode: value("mode") || "shared", rounds: value("rounds") || 5 };
    // what the instructor typed before the preset arrived (a busy server) stays theirs
    if (!mode.dataset.typed) mode.value = defaults.mode;
    drawGrading();
    // nor what they are typing now: set under a caret, the preset's value would join their digits
    if (!rounds.dataset.typed && document.activeElement !== rounds) rounds.value = defaults.rounds;
    rounds.dataset.default = defaults.rounds;
    form = paramForm(rows, {
      skip: ["mode", "rounds"],
      base: "preset",
      dayKind,
      open: [],
      onChange: () => {
        drawPacing();
        drawSummary();
      },
    });
    paramsArea.replaceChildren(form.element);
    drawPacing();
    drawSummary();
  }

  preset.addEventListener("change", async () => {
    const had = form ? Object.keys(form.changes()).length : 0;
    await loadPreset();
    if (had) toast(t("inst.create.presetReset", { preset: presetName(preset.value) }));
  });
  pacing.addEventListener("input", () => {
    checkBasics([pacing]);
    drawPacing();
  });
  rounds.addEventListener("blur", () => {
    // left empty and untouched while the preset arrived: the preset's rounds after all
    if (!rounds.dataset.typed && rounds.value === "") {
      rounds.value = defaults.rounds;
      drawPacing();
    }
  });
  rounds.addEventListener("input", () => {
    rounds.dataset.typed = "1";
    checkBasics([rounds]);
    drawPacing();
  });
  mode.addEventListener("change", () => {
    mode.dataset.typed = "1";
    drawGrading();
  });
  seed.addEventListener("input", () => checkBasics([seed]));
  name.addEventListener("input", () => checkBasics([name]));
  openAll.addEventListener("click", () =>
    paramsArea.querySelectorAll("details").forEach((d) => {
      d.open = true;
    }),
  );
  closeAll.addEventListener("click", () =>
    paramsArea.querySelectorAll("details").forEach((d) => {
      d.open = false;
    }),
  );
  resetAll.addEventListener("click", () => {
    form?.reset();
    mode.value = defaults.mode;
    rounds.value = defaults.rounds;
    delete mode.dataset.typed;
    delete rounds.dataset.typed;
    drawGrading();
    drawPacing();
    drawSummary();
  });

  /** Check the basic fields (all, or the ones given); returns the controls in error. */
  function checkBasics(only = [name, rounds, seed, pacing]) {
    const bad = [];
    const mark = (control, key, vars) => {
      setError(control, key, vars);
      if (key) bad.push(control);
    };
    if (only.includes(name)) {
      const problem = nameProblem(name.value.trim());
      mark(name, !name.value.trim() ? "inst.create.nameMissing" : (problem?.key ?? null), problem?.vars);
    }
    if (only.includes(rounds)) {
      const n = numberOf(rounds);
      mark(
        rounds,
        n === null
          ? "perr.required"
          : !Number.isInteger(n)
            ? "perr.integer"
            : n < 1 || n > 100
              ? "perr.range"
              : null,
        { low: num(1), high: num(100) },
      );
    }
    if (only.includes(seed)) {
      const n = numberOf(seed);
      mark(
        seed,
        n === null
          ? null
          : !Number.isInteger(n)
            ? "perr.integer"
            : n < 0 || n > MAX_SEED
              ? "perr.range"
              : null,
        { low: num(0), high: "2^62" },
      );
    }
    if (only.includes(pacing)) {
      const n = numberOf(pacing);
      mark(
        pacing,
        n === null
          ? "perr.required"
          : Number.isNaN(n)
            ? "perr.number"
            : n <= 0 || n > 3600
              ? "inst.create.pacingRange"
              : null,
      );
    }
    return bad;
  }

  /** The request body, or null after marking what is wrong (nothing is sent then). */
  function request(forPreview = false) {
    message.clear();
    const badBasics = checkBasics(forPreview ? [rounds] : undefined);
    const badParams = form ? form.validate() : [];
    const n = badBasics.length + badParams.length;
    if (n) {
      message.key(forPreview ? "inst.create.fixFirstPreview" : "inst.create.fixFirst", { n });
      if (badBasics.length) badBasics[0].focus();
      else form.focusFirst(badParams);
      return null;
    }
    const body = { preset: preset.value, overrides: form ? form.changes() : {} };
    if (mode.value !== defaults.mode) body.mode = mode.value;
    const count = numberOf(rounds);
    if (forPreview) {
      body.rounds = Math.min(count, 20);
      return body;
    }
    if (count !== defaults.rounds) body.rounds = count;
    body.name = name.value.trim();
    if (numberOf(seed) !== null) body.seed = numberOf(seed);
    body.seconds_per_hour = numberOf(pacing);
    return body;
  }

  /** A refusal naming a field: mark it (a basic field or a parameter). */
  function markRefusal(error) {
    const named = fieldOf(error) || error.field;
    const basic = { name, rounds, seed, seconds_per_hour: pacing, mode, preset }[named];
    if (basic) {
      setError(basic, null, {}, error.detail);
      basic.focus();
      return;
    }
    const bare = (named || "").replace(/^overrides\./, "");
    form?.showServerError(bare, error.detail);
  }
  preview.onRefused = markRefusal;

  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = request(false);
    if (!body) return;
    submit.disabled = true;
    try {
      const created = await api("/api/v1/competitions", { method: "POST", body });
      flash("inst.create.done", { name: created.name });
      location.href = `/instructor/${created.id}#teams`;
    } catch (error) {
      message.raw(error.detail || error.message);
      if (error.status === 422) markRefusal(error);
      else showError(error);
    } finally {
      submit.disabled = false;
    }
  });

  await loadPreset();
}
