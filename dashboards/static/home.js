// The front door: join a team with its code, sign in as a judge or as the instructor, or open
// a competition's public leaderboard.

import { api } from "/static/common/api.js";
import { addStrings, applyStatic, bindLangButton, onLangChange, t } from "/static/common/i18n.js";
import { nameProblem } from "/static/common/names.js";
import { loginRefusalKey, refusalText } from "/static/common/refusals.js";
import STRINGS from "/static/strings/home.js";

addStrings(STRINGS);
applyStatic();
bindLangButton(document.getElementById("lang"));

const params = new URLSearchParams(location.search);
const joinForm =
  /** @type {HTMLFormElement & { elements: HTMLFormControlsCollection & { code: HTMLInputElement, name: HTMLInputElement, role: HTMLSelectElement } }} */ (
    document.getElementById("join")
  );
if (params.get("code")) joinForm.elements.code.value = params.get("code");

const FORMS = ["join", "judge", "instructor"].map((id) => document.getElementById(id));
const shown = new Map(); // form → {key, vars} of a message written from the strings (redrawn in another language)

function message(form, text, kind = "error") {
  const el = form.querySelector(".form-message");
  el.textContent = text;
  el.className = `form-message ${kind}`;
  shown.delete(form);
}

/** A message from the strings, kept so that a change of language rewrites it. */
function keyed(form, key, vars = {}) {
  message(form, t(key, vars));
  shown.set(form, { key, vars });
}

// an error belongs to what was sent: editing the form, or coming back to the page, clears it
for (const form of FORMS) form.addEventListener("input", () => message(form, "", "ok"));
addEventListener("pageshow", () => {
  for (const form of FORMS) {
    message(form, "", "ok");
    /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]")).disabled = false;
  }
});
onLangChange(() => {
  for (const [form, { key, vars }] of [...shown]) keyed(form, key, vars);
});

/** Send `form` with `handler`; a refusal is written under it (a refused sign-in of `kind` from
 * the strings, so that a change of language rewrites it). */
function submitting(form, kind, handler) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    message(form, "", "ok");
    try {
      await handler(new FormData(form));
    } catch (error) {
      const key = loginRefusalKey(error, kind);
      if (key) keyed(form, key);
      else message(form, refusalText(error));
    } finally {
      button.disabled = false;
    }
  });
}

submitting(joinForm, "join", async (data) => {
  const name = data.get("name").trim();
  if (!name) return keyed(joinForm, "home.nameMissing");
  const problem = nameProblem(name);
  if (problem) return keyed(joinForm, problem.key, problem.vars);
  await api("/api/v1/session/join", {
    method: "POST",
    body: { code: data.get("code").trim().toUpperCase(), name, role: data.get("role") },
  });
  location.href = "/team";
});

const judgeForm = document.getElementById("judge");
submitting(judgeForm, "judge", async (data) => {
  const problem = nameProblem(data.get("name").trim());
  if (problem) return keyed(judgeForm, problem.key, problem.vars);
  const session = await api("/api/v1/session/judge", {
    method: "POST",
    body: { code: data.get("code").trim().toUpperCase(), name: data.get("name").trim() },
  });
  location.href = `/judge/${session.competition_id}`;
});

const instructorForm = document.getElementById("instructor");
submitting(instructorForm, "instructor", async (data) => {
  await api("/api/v1/session/instructor", { method: "POST", body: { password: data.get("password") } });
  location.href = "/instructor";
});

document.getElementById("board").addEventListener("submit", (event) => {
  event.preventDefault();
  location.href = `/board/${Number(new FormData(/** @type {HTMLFormElement} */ (event.target)).get("id"))}`;
});
