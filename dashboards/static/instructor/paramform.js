// The per-parameter form: every market parameter with its label, help, unit and allowed range,
// grouped (market, product, service, satisfaction, one group per segment). It checks each value
// as it is typed and the rules that involve several fields, and gives only the changed values.

import { has, onLangChange, t } from "/static/common/i18n.js";
import { h } from "/static/common/ui.js";
import { bindText, num, numberOf, setError, uid } from "/static/instructor/dom.js";

/** Parameters that shape the whole competition (the server refuses to change them mid-way). */
export const FIXED_KEYS = ["mode", "day_kind", "days_per_round", "rounds", "name", "description"];

const UNITS = {
  days: "unit.days",
  h: "unit.h",
  fraction: "unit.fraction",
  units: "unit.units",
  "× list": "unit.xList",
  "× base": "unit.xBase",
  "/day": "unit.perDay",
  "/30 d": "unit.per30Days",
  "¤": "unit.money",
};
const CHOICES = { day_kind: ["business", "calendar"], mode: ["shared", "mirrored"] };

/** "segments.smb.share" → "segments.*.share": the key under which its words are kept. */
export function patternOf(key) {
  return key.replace(/^segments\.[^.]+\./, "segments.*.");
}

export function segmentName(id) {
  return has(`segment.${id}`) ? t(`segment.${id}`) : id.replace(/_/g, " ");
}

export function labelOf(key) {
  const name = `param.${patternOf(key)}.label`;
  return has(name) ? t(name) : key;
}

export function helpOf(key) {
  const name = `param.${patternOf(key)}.help`;
  return has(name) ? t(name) : "";
}

export function groupTitle(group) {
  if (group.startsWith("segments.")) return t("pgroup.segment", { name: segmentName(group.slice(9)) });
  return has(`pgroup.${group}`) ? t(`pgroup.${group}`) : group;
}

/** The unit in words; "days" are business days unless the market counts calendar days. */
export function unitOf(unit, dayKind = "business") {
  if (unit === "days" && dayKind === "business") return t("unit.businessDays");
  return UNITS[unit] ? t(UNITS[unit]) : unit;
}

/** A key's value in a nested parameter dictionary (as GET …/parameters gives it). */
export function valueAt(params, key) {
  let node = params;
  for (const part of key.split(".")) {
    if (node == null || typeof node !== "object") return undefined;
    node = node[part];
  }
  return node;
}

/** The parameter rows of `params`, with ranges and units taken from `meta` (a preset's rows). */
export function rowsFor(params, meta) {
  const byPattern = new Map(meta.map((row) => [patternOf(row.key), row]));
  const rows = [];
  const walk = (node, prefix, group) => {
    for (const [name, value] of Object.entries(node)) {
      const key = prefix + name;
      if (name === "segments" && !prefix) {
        for (const [id, seg] of Object.entries(value)) walk(seg, `segments.${id}.`, `segments.${id}`);
      } else if (value && typeof value === "object" && !Array.isArray(value)) {
        walk(value, `${key}.`, key);
      } else {
        const info = byPattern.get(patternOf(key));
        if (info) rows.push({ ...info, key, value, group });
      }
    }
  };
  walk(params, "", "market");
  return rows;
}

function same(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (typeof a === "number" && typeof b === "number")
    return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
  return a === b;
}

/** The problem with one number (a string key and its values), or null. */
function problem(value, row) {
  if (value === null) return { key: "perr.required" };
  if (Number.isNaN(value)) return { key: "perr.number" };
  if (value < row.low || value > row.high)
    return { key: "perr.range", vars: { low: num(row.low), high: num(row.high) } };
  if (row.integer && !Number.isInteger(value)) return { key: "perr.integer" };
  return null;
}

/**
 * Build the form for `rows`. Options: `skip` (keys left out), `base` ("preset" or "current": how
 * the default is named), `dayKind()` (for the unit of days), `onChange()` after every edit.
 * Returns {element, changes(), values(), validate(), showServerError(field, detail), reset(),
 * setDisabled(flag), inputs}.
 */
export function paramForm(
  rows,
  /** @type {{ skip?: string[], base?: string, dayKind?: () => string, onChange?: (key: string) => void, open?: string[] }} */
  { skip = [], base = "preset", dayKind = () => "business", onChange = () => {}, open = [] } = {},
) {
  const entries = new Map();
  const groups = new Map();
  for (const row of rows) {
    if (skip.includes(row.key)) continue;
    if (row.low == null && !CHOICES[row.key]) continue; // name and description: words, not settings
    if (!groups.has(row.group)) groups.set(row.group, []);
    groups.get(row.group).push(row);
  }

  const sections = [];
  for (const [group, groupRows] of groups) {
    const count = h("span", { class: "badge ok changed-count", hidden: true });
    const grid = h("div", { class: "param-grid" });
    const details = h(
      "details",
      { class: "param-group", dataset: { group }, open: open.includes(group) },
      h(
        "summary",
        {},
        bindText(h("span", { class: "group-title" }), () => groupTitle(group)),
        " ",
        count,
      ),
      grid,
    );
    details.countEl = count;
    for (const row of groupRows) grid.append(paramField(row, details));
    sections.push(details);
  }

  function paramField(row, details) {
    const id = uid("p");
    const wrapper = h("div", { class: "param", dataset: { key: row.key } });
    const error = h("span", { class: "field-error", id: `${id}-err`, "aria-live": "polite" });
    const helpId = `${id}-help`;
    let inputs;
    if (CHOICES[row.key]) {
      const select = h(
        "select",
        { id, name: row.key, "aria-describedby": `${helpId} ${error.id}` },
        CHOICES[row.key].map((choice) =>
          bindText(h("option", { value: choice, selected: choice === row.value }), () =>
            t(`choice.${row.key}.${choice}`),
          ),
        ),
      );
      inputs = [select];
    } else {
      const values = row.pair ? row.value : [row.value];
      inputs = values.map((value, index) =>
        h("input", {
          id: index === 0 ? id : `${id}-hi`,
          name: row.key,
          type: "number",
          inputmode: "decimal",
          min: row.low,
          max: row.high,
          step: row.integer ? 1 : "any",
          required: true,
          value,
          dataset: { index },
          "aria-describedby": `${helpId} ${id}-range ${error.id}`,
        }),
      );
      if (row.pair) {
        const setLabels = () => {
          inputs[0].setAttribute("aria-label", `${labelOf(row.key)} — ${t("pform.from")}`);
          inputs[1].setAttribute("aria-label", `${labelOf(row.key)} — ${t("pform.to")}`);
        };
        setLabels();
        wrapper.relabel = setLabels;
      }
    }
    for (const input of inputs) input.errorEl = error;
    const reset = h("button", { type: "button", class: "reset", hidden: true }, "↺");
    const resetLabel = () =>
      reset.setAttribute(
        "aria-label",
        t("pform.reset", { label: labelOf(row.key), value: shown(row.value, row.key) }),
      );
    resetLabel();
    const unit = row.unit ? bindText(h("span", { class: "unit" }), () => unitOf(row.unit, dayKind())) : null;
    const control = row.pair
      ? h("div", { class: "pair" }, inputs[0], h("span", { "aria-hidden": "true" }, "–"), inputs[1])
      : inputs[0];
    const parts = [
      h(
        "div",
        { class: "param-head" },
        bindText(h("label", { for: id }), () => labelOf(row.key)),
        unit,
      ),
      h("div", { class: "param-inputs" }, control, reset),
      bindText(h("span", { class: "hint help", id: helpId }), () => helpOf(row.key)),
      row.low == null
        ? null
        : bindText(h("span", { class: "hint range", id: `${id}-range` }), () =>
            t("pform.range", {
              low: num(row.low),
              high: num(row.high),
              base: t(`pform.${base}`),
              value: shown(row.value),
            }),
          ),
      error,
    ];
    wrapper.append(...parts.filter(Boolean));
    const entry = { row, inputs, wrapper, details, reset, resetLabel };
    entries.set(row.key, entry);
    for (const input of inputs) {
      // Enter in a parameter field must not submit the whole form by accident
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          edited(entry);
        }
      });
      input.addEventListener("input", () => edited(entry));
      input.addEventListener("change", () => edited(entry));
    }
    reset.addEventListener("click", () => {
      const values = row.pair ? row.value : [row.value];
      inputs.forEach((input, i) => {
        input.value = values[i];
      });
      edited(entry);
      inputs[0].focus();
    });
    return wrapper;
  }

  function shown(value, key = "") {
    if (Array.isArray(value)) return `${num(value[0])} – ${num(value[1])}`;
    if (typeof value === "number") return num(value);
    return CHOICES[key] ? t(`choice.${key}.${value}`) : String(value);
  }

  function read(entry) {
    if (CHOICES[entry.row.key]) return entry.inputs[0].value;
    const values = entry.inputs.map(numberOf);
    return entry.row.pair ? values : values[0];
  }

  function check(entry) {
    const { row, inputs } = entry;
    if (CHOICES[row.key]) return null;
    /** @type {{ key: string, vars?: object } | null} */
    let found = null;
    inputs.forEach((input) => {
      const p = problem(numberOf(input), row);
      if (p) {
        input.setAttribute("aria-invalid", "true");
        found = found || p;
      } else input.removeAttribute("aria-invalid");
    });
    if (!found && row.pair) {
      const [low, high] = inputs.map(numberOf);
      if (low > high) {
        inputs.forEach((input) => input.setAttribute("aria-invalid", "true"));
        found = { key: "perr.order" };
      }
    }
    if (found)
      setError(inputs.find((i) => i.getAttribute("aria-invalid")) || inputs[0], found.key, found.vars || {});
    else inputs.forEach((input) => setError(input, null));
    return found;
  }

  function edited(entry) {
    const bad = check(entry);
    const changed = !bad && !same(read(entry), entry.row.value);
    entry.wrapper.classList.toggle("changed", changed);
    entry.reset.hidden = !changed && !bad;
    counts();
    onChange(entry.row.key);
  }

  function counts() {
    for (const details of sections) {
      const n = [...entries.values()].filter(
        (e) => e.details === details && e.wrapper.classList.contains("changed"),
      ).length;
      const bad = [...entries.values()].some(
        (e) => e.details === details && e.inputs.some((i) => i.getAttribute("aria-invalid")),
      );
      details.classList.toggle("has-error", bad);
      details.countEl.hidden = n === 0;
      bindText(details.countEl, () => t("pform.changed", { n }));
    }
  }

  /** Check every field and the rules across fields; returns the entries in error (first first). */
  function validate() {
    const bad = [];
    for (const entry of entries.values()) if (check(entry)) bad.push(entry);
    const shares = [...entries.values()].filter((e) => /^segments\.[^.]+\.share$/.test(e.row.key));
    if (shares.length && !shares.some((e) => bad.includes(e))) {
      const total = shares.reduce((sum, e) => sum + read(e), 0);
      if (Math.abs(total - 1) > 1e-6) {
        for (const e of shares) {
          setError(e.inputs[0], "perr.shares", { total: num(Math.round(total * 1e4) / 100) });
          bad.push(e);
        }
      }
    }
    const cost = entries.get("product.unit_cost");
    const price = entries.get("product.list_price");
    if (cost && price && !bad.includes(cost) && !bad.includes(price) && read(cost) > read(price)) {
      setError(cost.inputs[0], "perr.cost", { price: num(read(price)) });
      bad.push(cost);
    }
    const demand = entries.get("demand_bounds");
    if (demand && !bad.includes(demand)) {
      const [low, high] = read(demand);
      if (!(low <= 1 && 1 <= high)) {
        setError(demand.inputs[0], "perr.demandBounds");
        bad.push(demand);
      }
    }
    counts();
    return bad;
  }

  /** Only what differs from the defaults: {"segments.smb.share": 0.5, "segments.smb.quantity": [5, 40]}. */
  function changes() {
    const out = {};
    for (const [key, entry] of entries) {
      const value = read(entry);
      if (!same(value, entry.row.value)) {
        out[key] = entry.row.integer && !entry.row.pair ? Math.round(value) : value;
      }
    }
    return out;
  }

  function values() {
    const out = {};
    for (const [key, entry] of entries) out[key] = read(entry);
    return out;
  }

  /** Highlight the field a 422 names ("segments.*.share", "x.quantity[1]"); false if not ours. */
  function showServerError(name, detail) {
    if (!name) return false;
    const bare = name.replace(/\[(\d)\]$/, "");
    const index = /\[(\d)\]$/.test(name) ? Number(name.slice(-2, -1)) : null;
    const pattern = new RegExp(`^${bare.replace(/[.]/g, "\\.").replace(/\*/g, "[^.]+")}$`);
    const hits = [...entries.values()].filter((e) => pattern.test(e.row.key));
    for (const entry of hits) {
      const input = entry.inputs[index ?? 0] || entry.inputs[0];
      setError(input, null, {}, detail);
      entry.details.open = true;
    }
    if (hits.length) {
      hits[0].inputs[index ?? 0]?.focus();
      counts();
    }
    return hits.length > 0;
  }

  function focusFirst(bad) {
    const entry = bad[0];
    if (!entry) return;
    entry.details.open = true;
    (entry.inputs.find((i) => i.getAttribute("aria-invalid")) || entry.inputs[0]).focus();
  }

  function setDisabled(flag) {
    for (const entry of entries.values()) {
      for (const input of entry.inputs) input.disabled = flag;
      entry.reset.disabled = flag;
    }
  }

  function reset() {
    for (const entry of entries.values()) {
      const values = entry.row.pair ? entry.row.value : [entry.row.value];
      entry.inputs.forEach((input, i) => {
        input.value = values[i];
      });
      edited(entry);
    }
  }

  /** Redraw what holds language-dependent attributes (aria labels of pairs and reset buttons). */
  function relabel() {
    for (const entry of entries.values()) {
      entry.resetLabel();
      entry.wrapper.relabel?.();
    }
    counts();
  }

  onLangChange(relabel);
  const element = h("div", { class: "param-form" }, sections);
  return {
    element,
    changes,
    values,
    validate,
    showServerError,
    focusFirst,
    setDisabled,
    reset,
    relabel,
    entries,
    labelOf,
  };
}

/** The field a refusal names: "segments.smb.share: …" → "segments.smb.share". */
export function fieldOf(error) {
  const match = /^([A-Za-z_][\w.*]*(?:\[\d\])?):/.exec(error?.detail || "");
  return match ? match[1] : null;
}
