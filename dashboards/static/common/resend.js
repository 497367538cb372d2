// When the browser sends a request again: only after a 503 that says when to try again
// (`Retry-After` in seconds) — a worker busy, a competition being handed over to another
// worker, the database away — and only within a budget of 30 s from the first try. Every
// command carries an Idempotency-Key, the same on every try, so that a command the server
// did take before its answer was lost is applied once (docs/api.md). The Python client
// (server/client/api_client.py) follows the same rules.

/** How long, from the first try, a request may spend waiting out a busy server. */
export const BUDGET_SECONDS = 30;

/** The least one wait lasts, whatever `Retry-After` says ("0" must not make the budget endless). */
export const MIN_PAUSE_SECONDS = 0.1;

/** The header that lets the server recognise a command sent again. */
export const KEY_HEADER = "Idempotency-Key";

const COMMANDS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Whether a request of `method` changes something (and so carries an Idempotency-Key). */
export function isCommand(method) {
  return COMMANDS.has(String(method).toUpperCase());
}

/** The seconds a `Retry-After` header asks for (its delay form, 0 to 3599), or null. */
export function retryAfterSeconds(header) {
  if (header == null || !/^\s*\d+(\.\d+)?\s*$/.test(header)) return null;
  const seconds = Number(header);
  return seconds < 3600 ? seconds : null;
}

/**
 * How long to wait before sending the request again, or null to give the answer as it is.
 * @param {number} status the answer's status
 * @param {string | null} retryAfter its `Retry-After` header
 * @param {number} spentSeconds the time since the first try
 * @returns {number | null}
 */
export function pauseBeforeResend(status, retryAfter, spentSeconds) {
  if (status !== 503) return null;
  const asked = retryAfterSeconds(retryAfter);
  if (asked == null) return null;
  const pause = Math.max(asked, MIN_PAUSE_SECONDS);
  return spentSeconds + pause <= BUDGET_SECONDS ? pause : null;
}

/** A new key: 128 random bits in hex (crypto.randomUUID needs https, a classroom may not have it). */
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether `headers` already name `name` (in any case). */
export function hasHeader(headers, name) {
  const wanted = name.toLowerCase();
  return Object.keys(headers).some((key) => key.toLowerCase() === wanted);
}
