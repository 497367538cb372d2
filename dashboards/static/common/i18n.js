// Languages: every string of every page in English and Simplified Chinese, chosen from the
// browser, switchable, remembered. Pages register their strings with addStrings(); t() looks a
// key up in the current language. Numbers, money, percentages and dates follow the language.

import COMMON from "/static/strings/common.js";

const tables = { en: {}, zh: {} };
const listeners = new Set();

export const LANGS = ["en", "zh"];

/** Add a page's strings: {en: {key: text}, zh: {key: text}}. */
export function addStrings(strings) {
  for (const code of LANGS) Object.assign(tables[code], strings[code] || {});
}
addStrings(COMMON);

function detect() {
  const saved = localStorage.getItem("salesfloor.lang");
  if (LANGS.includes(saved)) return saved;
  const asked = new URLSearchParams(location.search).get("lang");
  if (LANGS.includes(asked)) return asked;
  return (navigator.languages || [navigator.language || "en"]).some((l) => l.toLowerCase().startsWith("zh"))
    ? "zh"
    : "en";
}

export let lang = detect();

/** The text of `key` in the current language, with {name} placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = tables[lang][key] ?? tables.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? "");
}

/** Whether a key exists (used to translate server codes such as event kinds when we can). */
export function has(key) {
  return key in tables[lang];
}

export function locale() {
  return lang === "zh" ? "zh-CN" : "en";
}

export function setLang(code) {
  if (!LANGS.includes(code) || code === lang) return;
  lang = code;
  localStorage.setItem("salesfloor.lang", code);
  applyStatic();
  for (const listener of listeners) listener(code);
}

/** Call `listener(lang)` after every change of language (to redraw what JS wrote). */
export function onLangChange(listener) {
  listeners.add(listener);
}

/** Fill the static strings of the page: data-i18n (text), -placeholder, -title, -aria-label. */
export function applyStatic(root = document) {
  document.documentElement.lang = locale();
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll("[data-i18n]")))
    el.textContent = t(el.dataset.i18n);
  for (const el of /** @type {NodeListOf<HTMLInputElement>} */ (
    root.querySelectorAll("[data-i18n-placeholder]")
  ))
    el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll("[data-i18n-title]")))
    el.title = t(el.dataset.i18nTitle);
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll("[data-i18n-aria-label]")))
    el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  const title = /** @type {HTMLTitleElement | null} */ (document.querySelector("title[data-i18n-page]"));
  if (title) title.textContent = `${t(title.dataset.i18nPage)} · Salesfloor`;
}

/** A button that switches between the two languages (its label names the other one). */
export function bindLangButton(button) {
  const label = () => {
    button.textContent = lang === "zh" ? "English" : "中文";
  };
  label();
  button.addEventListener("click", () => setLang(lang === "zh" ? "en" : "zh"));
  onLangChange(label);
}

// --- formatting ---------------------------------------------------------------------------------

const cache = new Map();
function numberFormat(options) {
  const key = `${lang}:${JSON.stringify(options)}`;
  if (!cache.has(key)) cache.set(key, new Intl.NumberFormat(locale(), options));
  return cache.get(key);
}

export const fmt = {
  /** A number with `digits` decimals (— when missing). */
  num(x, digits = 0) {
    return x == null || Number.isNaN(x)
      ? "—"
      : numberFormat({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
  },
  /** A 0–100 score or index with one decimal. */
  score(x) {
    return fmt.num(x, 1);
  },
  /** A fraction 0–1 as a percentage. */
  pct(x, digits = 0) {
    return x == null
      ? "—"
      : numberFormat({
          style: "percent",
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        }).format(x);
  },
  /**
   * Money of the game (fictional: the sign follows the language), the one way every page writes
   * it: whole units with grouping ("$14,230", "¥14,230"), or `digits` decimals for prices. A
   * compact form ("$5.1K" beside "¥5063" beside "¥1.4万") read differently in each language and
   * row by row, so there is none.
   */
  money(x, digits = 0) {
    if (x == null || Number.isNaN(x)) return "—";
    const currency = lang === "zh" ? "CNY" : "USD";
    return numberFormat({
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(x);
  },
  /** Simulated business hours as hours and minutes ("2 h 05 min" / "2 小时 05 分"). */
  hours(h) {
    if (h == null) return "—";
    const negative = h < 0;
    const minutes = Math.round(Math.abs(h) * 60);
    const text = t("fmt.hoursMinutes", {
      h: Math.floor(minutes / 60),
      m: String(minutes % 60).padStart(2, "0"),
    });
    return negative ? `−${text}` : text;
  },
  /** Days (business days) with one decimal. */
  days(d) {
    return d == null ? "—" : t("fmt.days", { d: fmt.num(d, 1) });
  },
  /** A wall-clock date and time (seconds since the epoch) in the language's style. */
  date(seconds) {
    if (seconds == null) return "—";
    return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(
      new Date(seconds * 1000),
    );
  },
  /**
   * Simulated time t (business hours since the start) as round, day and clock time, by the
   * rounds of the status: a moment on a round's end belongs to the round it closes ("Round 1 ·
   * day 5 · 17:00", not "Round 2 · day 1 · 09:00"), and a moment after the last round (a due
   * date) says how long after the end it falls, never "Round 7" of 6.
   */
  simTime(tSim, status) {
    if (tSim == null) return "—";
    const perDay = status?.hours_per_day || 8;
    const perRound = status?.round_hours || 40;
    const end = status?.rounds ? status.rounds * perRound : Infinity;
    if (tSim > end + 1e-6) return t("fmt.afterEnd", { time: fmt.hours(tSim - end) });
    const closing = tSim > 0 && Math.abs(tSim / perRound - Math.round(tSim / perRound)) < 1e-9;
    const at = closing ? tSim - 1e-6 : tSim + 1e-9;
    const round = Math.floor(at / perRound) + 1;
    const day = Math.floor((at - (round - 1) * perRound) / perDay) + 1;
    const minutes = Math.round((tSim - Math.floor(at / perDay) * perDay) * 60);
    const clock = `${String(9 + Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
    return t("fmt.simTime", { round, day, clock });
  },
  /** A countdown in real seconds as m:ss. */
  clock(seconds) {
    if (seconds == null) return "";
    const s = Math.max(0, Math.round(seconds));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  },
};
