// The API from the browser: JSON in and out, the session in an HttpOnly cookie, and every
// refusal turned into an ApiError carrying the server's reason (shown to the user as it is).
// A session the server says has expired (401 session_expired) is remembered and announced, so
// that each page shows its login again with the message in the reader's language.
// A server busy or handing a competition over (503 with Retry-After) is waited out and the
// request sent again, a command with the same Idempotency-Key (common/resend.js), while the
// control that sent it stays held and says so (common/sender.js); the same command asked for
// again while it is in flight is not sent twice but shares the first one's answer.

import { t } from "/static/common/i18n.js";
import {
  KEY_HEADER,
  hasHeader,
  isCommand,
  newIdempotencyKey,
  pauseBeforeResend,
} from "/static/common/resend.js";
import { holdSender } from "/static/common/sender.js";

export class ApiError extends Error {
  constructor(status, code, detail, field = null, why = null, rule = null, values = null) {
    super(detail);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.field = field; // a 422 names the field it refuses (e.g. "segments.smb.share")
    this.why = why; // a session_expired says why: "idle" or "finished"
    this.rule = rule; // a refused command's rule ("out_of_range", …), for common/refusals.js
    this.values = values; // … and the values its reason is made of
  }
}

const EXPIRED = "salesfloor:session-expired";
let expired = null;

/** Why the server last said this browser's session expired ("idle" | "finished"), or null. */
export function sessionExpired() {
  return expired;
}

/** The message a login form shows for an expired session, in the page's language ("" if none). */
export function expiredMessage() {
  return expired ? t(`session.expired.${expired === "finished" ? "finished" : "idle"}`) : "";
}

/** Call `handler()` whenever a request finds the session expired. */
export function onSessionExpired(handler) {
  addEventListener(EXPIRED, () => handler());
}

/** The commands in flight, by method, path and body: a second one the same shares the first's answer. */
const inFlight = new Map();

/**
 * Call the API: `api("/api/v1/team")`, `api(path, {method: "POST", body: {...}})`.
 * @param {string} path
 * @param {{ method?: string, body?: unknown, headers?: Record<string, string>, raw?: boolean }} [options]
 * @returns {Promise<any>} the answer's JSON (null for 204), or the Response itself when `raw`
 */
export async function api(path, { method = "GET", body, headers = {}, raw = false } = {}) {
  /** @type {RequestInit & { headers: Record<string, string> }} */
  const options = { method, headers: { ...headers }, credentials: "same-origin" };
  if (body !== undefined) {
    if (body instanceof Blob || body instanceof ArrayBuffer) {
      options.body = body;
    } else {
      options.body = JSON.stringify(body);
      options.headers["Content-Type"] = "application/json";
    }
  }
  const command = isCommand(method);
  if (command && !hasHeader(options.headers, KEY_HEADER)) options.headers[KEY_HEADER] = newIdempotencyKey();
  const same =
    command && !raw && typeof (options.body ?? "") === "string"
      ? `${method} ${path} ${options.body ?? ""}`
      : null;
  if (same && inFlight.has(same)) return inFlight.get(same);
  const sender = holdSender(command);
  const answer = exchange(path, options, raw, sender).finally(() => {
    sender.release();
    if (same) inFlight.delete(same);
  });
  if (same) inFlight.set(same, answer);
  return answer;
}

/** Send the request, again while the server says it is busy, and read its answer. */
async function exchange(path, options, raw, sender) {
  const started = performance.now();
  let response;
  for (;;) {
    try {
      response = await fetch(path, options);
    } catch {
      throw new ApiError(0, "network", t("error.network"));
    }
    const spent = (performance.now() - started) / 1000;
    const pause = pauseBeforeResend(response.status, response.headers.get("Retry-After"), spent);
    if (pause == null) break;
    sender.waiting();
    response.body?.cancel().catch(() => {}); // the refusal is not read: its connection is freed
    await new Promise((resolve) => {
      setTimeout(resolve, pause * 1000);
    });
  }
  if (!response.ok) throw await refusal(response);
  if (options.method === "POST" && path.startsWith("/api/v1/session/")) expired = null; // logged in (or out) anew
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

/** The ApiError of a refused request, with the server's reason; a session found expired is announced. */
async function refusal(response) {
  let detail = t("error.status", { status: response.status });
  let code = "error";
  let field = null;
  let why = null;
  let rule = null;
  let values = null;
  try {
    const data = await response.json();
    detail = data.detail || detail;
    code = data.code || code;
    field = data.field || null;
    why = data.why || null;
    rule = data.rule || null;
    values = data.values || null;
  } catch {
    /* not JSON */
  }
  if (response.status === 401 && code === "session_expired") {
    expired = why || "idle";
    dispatchEvent(new CustomEvent(EXPIRED));
  }
  return new ApiError(response.status, code, detail, field, why, rule, values);
}

/** Who is logged in (null if nobody). */
export async function whoami() {
  try {
    return await api("/api/v1/session");
  } catch (error) {
    if (error.status === 401) return null;
    throw error;
  }
}

export async function logout() {
  await api("/api/v1/session/logout", { method: "POST" });
}

/** Download an export: fetch it with the session and save it under the server's file name. */
export async function download(path) {
  const response = await api(path, { raw: true });
  const disposition = response.headers.get("Content-Disposition") || "";
  const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || path.split("/").pop();
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
