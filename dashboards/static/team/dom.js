// Drawing helpers of the console: redraw a panel only when its data changed, and not while the
// member types in it or presses on it (hold.js); what the member typed is kept as a draft and
// the focus given back; countdowns that run between server updates, badges.

import { fmt, t } from "/static/common/i18n.js";
import { fill, h as element } from "/static/common/ui.js";
import { keepDraft } from "/static/common/drafts.js";
import { handOver, held, pressedIn } from "/static/common/hold.js";
import { changed, realSeconds, running, simNow, store } from "/static/team/store.js";

/** h() of common/ui.js, with children flattened to any depth (lists of lists of nodes). */
export function h(tag, attrs = {}, ...children) {
  return element(tag, attrs, ...children.flat(Infinity));
}

/** What the member typed into inputs that a redraw rebuilds, by the input's data-key. */
export const drafts = new Map();

/**
 * An input (or select) whose value survives redraws: `key` names it, `value` is the default.
 * @param {string} tag
 * @param {string} key
 * @param {Record<string, any>} [attrs]
 * @param {string | number | boolean} [value] a checkbox's is whether it is ticked
 * @param {...any} children
 */
export function field(tag, key, attrs = {}, value = "", ...children) {
  const el = h(tag, { ...attrs, dataset: { ...(attrs.dataset || {}), key } }, ...children);
  if (el.type === "checkbox") el.checked = Boolean(value);
  else el.value = value ?? "";
  keepDraft(drafts, key, el);
  return el;
}

/**
 * Redraw `el` with `build()` unless `key` (a digest of what it shows) is the same as last
 * time, or the member is typing in it or pressing on it (then once they have let go: common/hold.js).
 * A focus in `el` that a redraw may move (a button, a field whose form was just sent) goes to
 * the rebuilt control of the same data-key, with its selection.
 */
export function redraw(el, key, build) {
  if (el.dataset.drawn === key || held(el, changed)) return false;
  el.dataset.drawn = key;
  const active = /** @type {HTMLInputElement | null} */ (document.activeElement);
  const focusKey = active && el.contains(active) ? active.dataset.key : null;
  let selection = null;
  try {
    if (focusKey && active.selectionStart != null) selection = [active.selectionStart, active.selectionEnd];
  } catch {
    /* not a text field */
  }
  fill(el, [build()].flat(Infinity));
  if (focusKey) {
    const again = [...el.querySelectorAll("[data-key]")].find((x) => x.dataset.key === focusKey);
    if (again) {
      again.focus({ preventScroll: true });
      handOver(active, again);
      try {
        if (selection) again.setSelectionRange(...selection);
      } catch {
        /* not a text field */
      }
    }
  }
  tickCountdowns(el);
  return true;
}

/**
 * Keep the rows of `tbody` in step with `items` without rebuilding what has not changed: a row
 * is kept (the same element) while `digestOf(item)` is the same, rebuilt with `build(item)` when
 * it changed, added, removed or moved into place. A busy inbox changes several times a second;
 * rebuilding every row each time would snatch a row from under the pointer and the keyboard.
 * The row the pointer is pressed on is kept until it is let go, so that its click lands.
 * The focused row keeps (or gets back) the focus.
 */
export function syncRows(tbody, items, keyOf, digestOf, build) {
  const active = document.activeElement;
  const focusKey =
    active && tbody.contains(active)
      ? /** @type {HTMLElement | null} */ (active.closest("[data-row-key]"))?.dataset.rowKey
      : null;
  const old = new Map([...tbody.children].map((row) => [row.dataset.rowKey, row]));
  const wanted = items.map((item) => {
    const key = keyOf(item);
    const sum = digestOf(item);
    const row = old.get(key);
    if (row && (row.dataset.rowDigest === sum || pressedIn(row, changed))) return row; // changed: redrawn once let go
    const fresh = build(item);
    fresh.dataset.rowKey = key;
    fresh.dataset.rowDigest = sum;
    tickCountdowns(fresh);
    return fresh;
  });
  const keep = new Set(wanted);
  for (const row of [...tbody.children]) if (!keep.has(row)) row.remove();
  wanted.forEach((row, index) => {
    if (tbody.children[index] !== row) tbody.insertBefore(row, tbody.children[index] ?? null);
  });
  if (focusKey && !tbody.contains(document.activeElement)) {
    wanted.find((row) => row.dataset.rowKey === focusKey)?.focus({ preventScroll: true });
  }
}

/** A digest of data for redraw(). */
export function digest(...parts) {
  return JSON.stringify(parts);
}

/** A countdown to simulated time `due`: simulated hours left and, while the clock runs, real m:ss. */
export function countdown(due, { warnHours = 1 } = {}) {
  const el = h("span", { class: "countdown", dataset: { due: String(due), warn: String(warnHours) } });
  updateCountdown(el);
  return el;
}

function updateCountdown(el) {
  const left = Number(el.dataset.due) - simNow();
  let text;
  if (left <= 0) text = t("team.overdueBy", { time: fmt.hours(-left) });
  else if (running()) text = t("team.leftBoth", { sim: fmt.hours(left), real: fmt.clock(realSeconds(left)) });
  else text = fmt.hours(left);
  if (el.textContent !== text) el.textContent = text;
  el.classList.toggle("late", left <= 0);
  el.classList.toggle("soon", left > 0 && left < Number(el.dataset.warn));
  el.title = t("team.countdownTitle");
}

export function tickCountdowns(root = document) {
  for (const el of root.querySelectorAll("[data-due]")) updateCountdown(el);
}

export function badge(text, kind = "") {
  return h("span", { class: `badge ${kind}`.trim() }, text);
}

export function money(x, digits = 0) {
  return fmt.money(x, digits);
}

/** A table with a header row: columns are [label, className?]. */
export function table(columns, rows, attrs = {}) {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      attrs,
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          columns.map(([label, cls]) => h("th", { class: cls || null, scope: "col" }, label)),
        ),
      ),
      h("tbody", {}, rows),
    ),
  );
}

/** An empty-state line. */
export function empty(text) {
  return h("p", { class: "empty muted" }, text);
}

/** The label of a segment (shared strings), the id itself if unknown. */
export function segmentName(segment) {
  const key = `segment.${segment}`;
  const text = t(key);
  return text === key ? segment : text;
}

/** Text of `key`, or `fallback` when the strings do not have it (server codes we may not know). */
export function label(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

/** A small form message line (role=status), kinds ok / warn / error. */
export function message(el, text, kind = "") {
  el.textContent = text || "";
  el.className = `form-message ${kind}`.trim();
}

/** An id as the team reads it, without the team's own name ("R3/Blue" → "R3", "I4/Blue-2" → "I4-2", "Blue-ap1" → "ap1"). */
export function short(value) {
  const team = store.overview?.team;
  if (value == null || !team) return value ?? "";
  const text = String(value).replaceAll(`/${team}`, "");
  return text.startsWith(`${team}-`) ? text.slice(team.length + 1) : text;
}
