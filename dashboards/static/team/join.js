// Joining a team from the console itself: the code from ?code=, a name and a role; the
// server's refusal (wrong code, competition finished) is shown as it is, a manager taken in the
// page's language, and a session that expired is said above the form.

import { api, expiredMessage } from "/static/common/api.js";
import { onLangChange, t } from "/static/common/i18n.js";
import { nameProblem } from "/static/common/names.js";
import { loginRefusalKey } from "/static/common/refusals.js";
import { message } from "/static/team/dom.js";

const form =
  /** @type {HTMLFormElement & { elements: HTMLFormControlsCollection & { code: HTMLInputElement, name: HTMLInputElement, role: HTMLSelectElement } }} */ (
    document.getElementById("join-form")
  );
const roleHint = document.getElementById("join-role-hint");

function hintRole() {
  roleHint.textContent = t(`team.roleHint.${form.elements.role.value}`);
}

/** The server's refusal in the page's language where it has words for it (a role taken). */
function refusal(error) {
  if (error.rule === "role_taken" && error.values) {
    const { name, role, team } = error.values;
    return t("team.joinRoleTaken", { name, team, role: t(`role.${role}`) });
  }
  const key = loginRefusalKey(error, "join");
  return key ? t(key) : error.detail || error.message;
}

let shownFor = null; // the session the form was shown for, to say the note again in another language

function drawNote() {
  const note = document.getElementById("join-note");
  const expired = expiredMessage(); // the member's own session expired: say so above the form
  note.hidden = !shownFor && !expired;
  if (expired) note.textContent = expired;
  else if (shownFor)
    note.textContent = t("team.joinOtherSession", { role: t(`team.sessionRole.${shownFor.role}`) });
}

/** Show the join form; `onJoined()` runs once the server has taken the member in. */
export function showJoin(session, onJoined) {
  document.getElementById("join-view").hidden = false;
  const code = new URLSearchParams(location.search).get("code");
  if (code && !form.elements.code.value) form.elements.code.value = code.trim().toUpperCase();
  shownFor = session;
  drawNote();
  hintRole();
  (form.elements.code.value ? form.elements.name : form.elements.code).focus();
  form.onsubmit = async (event) => {
    event.preventDefault();
    const out = document.getElementById("join-message");
    const code = form.elements.code.value.trim().toUpperCase();
    const name = form.elements.name.value.trim();
    if (!code) return message(out, t("team.joinCodeMissing"), "error");
    if (!name) return message(out, t("team.joinNameMissing"), "error");
    const problem = nameProblem(name);
    if (problem) return message(out, t(problem.key, problem.vars), "error");
    const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    button.disabled = true;
    message(out, t("team.joining"), "");
    try {
      await api("/api/v1/session/join", {
        method: "POST",
        body: { code, name, role: form.elements.role.value },
      });
      document.getElementById("join-view").hidden = true;
      message(out, "");
      onJoined();
    } catch (error) {
      message(out, refusal(error), "error");
    } finally {
      button.disabled = false;
    }
  };
}

form.elements.role.addEventListener("change", hintRole);
onLangChange(() => {
  if (document.getElementById("join-view").hidden) return;
  hintRole();
  drawNote();
});
