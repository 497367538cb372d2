// A refused command in the page's language and units. The server sends a refusal's rule and
// the values its English reason is made of (teams/errors.py CommandRefused): a discount the
// student typed in percent comes back as a fraction, and is written here in percent again;
// money in the page's currency sign; days as days. A refusal without a rule this page knows is
// shown as the server wrote it.

import { fmt, has, t } from "/static/common/i18n.js";

const FRACTION = new Set(["discount", "max_discount", "most", "max"]); // 0.3 is 30 %
const PERCENT = new Set(["credit_percent"]); // 30 is 30 %
const MONEY = new Set(["price", "cost", "limit", "balance", "value", "cash", "budget", "amount"]);
const DAYS = new Set(["terms_days", "delivery_days", "days_after_due"]);
const HOURS = new Set(["delay_hours"]);

/** A value of `field` in the page's units: percent for shares, money, days, hours, else a number. */
export function inUnits(field, value) {
  if (typeof value !== "number") return value ?? "";
  const digits = (x) => (Math.abs(x - Math.round(x)) > 1e-9 ? 1 : 0);
  if (FRACTION.has(field)) return fmt.pct(value, digits(value * 100));
  if (PERCENT.has(field)) return fmt.pct(value / 100, digits(value));
  if (MONEY.has(field)) return fmt.money(value, 2);
  if (DAYS.has(field)) return fmt.days(value);
  if (HOURS.has(field)) return fmt.hours(value);
  return fmt.num(value, digits(value) ? 2 : 0);
}

/** The field's name in the page's language (its own name when the strings do not know it). */
export function fieldName(field) {
  return has(`refusal.field.${field}`) ? t(`refusal.field.${field}`) : field;
}

/** The string key of a refused sign-in — a 401 from /session/join, /session/judge or
 * /session/instructor: no team has the join code, no competition the judge code, or the password
 * is wrong — for the form of `kind` ("join", "judge" or "instructor"); null for any other refusal
 * (refusalText words those, e.g. a 429 after too many tries). */
export function loginRefusalKey(error, kind) {
  return error?.status === 401 ? `refusal.login.${kind}` : null;
}

/** The refusal `error` (an ApiError) in words, or its server text, or its message. */
export function refusalText(error) {
  const rule = error?.rule;
  const values = error?.values;
  if (rule && values && has(`refusal.${rule}`)) {
    const field = values.field;
    const vars = { field: field ? fieldName(field) : "" };
    for (const [name, value] of Object.entries(values)) {
      if (name === "field") continue;
      // bounds and the value sent are in the units of the field they belong to
      vars[name] =
        ["value", "low", "high"].includes(name) && field ? inUnits(field, value) : inUnits(name, value);
    }
    return t(`refusal.${rule}`, vars);
  }
  return error?.detail || error?.message || "";
}
