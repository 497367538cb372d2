// Small building blocks of the instructor panel: texts that follow the language, labelled
// fields with their own error line, form messages, cards and tables.

import { fmt, onLangChange, t } from "/static/common/i18n.js";
import { h } from "/static/common/ui.js";

const bound = new Set();

/** Keep `el`'s text equal to `text()` in the page's language (redrawn on a language change). */
export function bindText(el, text) {
  el.textContent = text();
  el.textOf = text;
  bound.add(el);
  if (bound.size > 3000 && !pruning) {
    // elements of replaced tables: dropped a moment later (whatever is built now is attached by then)
    pruning = setTimeout(() => {
      for (const old of bound) if (!old.isConnected) bound.delete(old);
      pruning = null;
    }, 2000);
  }
  return el;
}
let pruning = null;

onLangChange(() => {
  for (const el of bound) {
    if (el.isConnected) el.textContent = el.textOf();
    else bound.delete(el);
  }
});

/** An element showing t(key, vars); `vars` may be a function (evaluated at each redraw). */
export function tx(tag, key, vars = null, attrs = {}) {
  return bindText(h(tag, attrs), () => t(key, typeof vars === "function" ? vars() : vars || {}));
}

let counter = 0;
export function uid(prefix = "f") {
  counter += 1;
  return `${prefix}${counter}`;
}

/** A card with a heading (a string key) and children. */
export function card(titleKey, attrs = {}, ...children) {
  return h("section", { class: "card", ...attrs }, tx("h2", titleKey), ...children);
}

/** A labelled control: label text, the control, an optional hint and its error line. */
export function field(labelKey, control, { hint = null, extra = null, cls = "" } = {}) {
  if (!control.id) control.id = uid();
  const error = h("span", { class: "field-error", id: `${control.id}-err`, "aria-live": "polite" });
  control.errorEl = error;
  const described = [hint ? `${control.id}-hint` : null, error.id].filter(Boolean).join(" ");
  control.setAttribute("aria-describedby", described);
  return h(
    "div",
    { class: `field ${cls}`.trim() },
    h("label", { for: control.id }, typeof labelKey === "string" ? tx("span", labelKey) : labelKey),
    extra ? h("div", { class: "control-row" }, control, extra) : control,
    hint ? tx("span", hint, null, { class: "hint", id: `${control.id}-hint` }) : null,
    error,
  );
}

/** Show (key) or clear (null) a control's error in the page's language; `raw` is a server reason. */
export function setError(control, key, vars = {}, raw = null) {
  const error = control.errorEl;
  if (key == null && raw == null) {
    control.removeAttribute("aria-invalid");
    if (error) bindText(error, () => "");
    return;
  }
  control.setAttribute("aria-invalid", "true");
  if (error) bindText(error, () => raw ?? t(key, vars));
}

/** The message line of a form (the `.form-message` element, made if missing). */
export function messageOf(form) {
  let el = form.querySelector(":scope > .form-message, :scope .form-message");
  if (!el) {
    el = h("p", { class: "form-message", role: "alert" });
    form.append(el);
  }
  return {
    el,
    key(key, vars = {}, kind = "error") {
      el.className = `form-message ${kind}`;
      bindText(el, () => t(key, typeof vars === "function" ? vars() : vars));
    },
    raw(text, kind = "error") {
      el.className = `form-message ${kind}`;
      bindText(el, () => text);
    },
    clear() {
      el.className = "form-message";
      bindText(el, () => "");
    },
  };
}

/** A number with as many decimals as it has (at most 6), through fmt. */
export function num(x) {
  if (x == null || Number.isNaN(x)) return "—";
  let digits = 0;
  while (digits < 6 && Math.abs(x * 10 ** digits - Math.round(x * 10 ** digits)) > 1e-9) digits += 1;
  return fmt.num(x, digits);
}

/** A table: header keys (strings, or [key, "num"] for numbers) and rows of cells (nodes/text). */
export function table(headers, rows, { caption = null, empty = "common.none", cls = "" } = {}) {
  const head = h(
    "tr",
    {},
    headers.map((hd) => {
      const [key, kind] = Array.isArray(hd) ? hd : [hd, ""];
      return tx("th", key, null, { class: kind, scope: "col" });
    }),
  );
  const body = rows.length
    ? rows.map((cells) => (cells instanceof Node ? cells : h("tr", {}, cells)))
    : [h("tr", {}, h("td", { colspan: headers.length, class: "muted" }, tx("span", empty)))];
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: cls },
      caption ? tx("caption", caption) : null,
      h("thead", {}, head),
      h("tbody", {}, body),
    ),
  );
}

export const td = (content, cls = "") => h("td", { class: cls }, content);

/** A button whose label is a string key. */
export function button(key, attrs = {}) {
  return tx("button", key, null, { type: "button", ...attrs });
}

/** A small badge for a competition state (between rounds counts as its own state). */
export function stateBadge(status) {
  const state = status?.state === "paused" && status.between_rounds ? "between" : status?.state || "draft";
  const kind = { running: "ok", paused: "warn", between: "warn", finished: "", draft: "" }[state] || "";
  return tx("span", `state.${state}`, null, { class: `badge ${kind}`, dataset: { state } });
}

/** Parse an integer or a decimal from an input ('' → null, nonsense → NaN). */
export function numberOf(input) {
  const text = String(input.value).trim().replace(",", ".");
  if (text === "") return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}

/** Attributes for an aria-label that follows the language (applyStatic redraws it). */
export function ariaLabel(key) {
  return { "aria-label": t(key), "data-i18n-aria-label": key };
}

const FLASH = "salesfloor.instructor.flash";

/** A confirmation to show on the next page (a toast would vanish with this one). */
export function flash(key, vars = {}) {
  sessionStorage.setItem(FLASH, JSON.stringify({ key, vars }));
}

/** The confirmation the previous page left, if any (shown once). */
export function takeFlash() {
  const saved = sessionStorage.getItem(FLASH);
  sessionStorage.removeItem(FLASH);
  try {
    return saved ? JSON.parse(saved) : null;
  } catch {
    return null;
  }
}
