// The front door: join a team with its code, sign in as a judge or as the instructor, or open
// a competition's public leaderboard.

import { api } from "/static/common/api.js";
import { addStrings, applyStatic, bindLangButton, t } from "/static/common/i18n.js";
import { nameProblem } from "/static/common/names.js";
import STRINGS from "/static/strings/home.js";

addStrings(STRINGS);
applyStatic();
bindLangButton(document.getElementById("lang"));

const params = new URLSearchParams(location.search);
const joinForm = document.getElementById("join");
if (params.get("code")) joinForm.elements.code.value = params.get("code");

function message(form, text, kind = "error") {
  const el = form.querySelector(".form-message");
  el.textContent = text;
  el.className = `form-message ${kind}`;
}

function submitting(form, handler) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    message(form, "", "ok");
    try {
      await handler(new FormData(form));
    } catch (error) {
      message(form, error.detail || error.message);
    } finally {
      button.disabled = false;
    }
  });
}

submitting(joinForm, async (data) => {
  const name = data.get("name").trim();
  if (!name) return message(joinForm, t("home.nameMissing"));
  const problem = nameProblem(name);
  if (problem) return message(joinForm, t(problem.key, problem.vars));
  await api("/api/v1/session/join", {
    method: "POST",
    body: { code: data.get("code").trim().toUpperCase(), name, role: data.get("role") },
  });
  location.href = "/team";
});

const judgeForm = document.getElementById("judge");
submitting(judgeForm, async (data) => {
  const problem = nameProblem(data.get("name").trim());
  if (problem) return message(judgeForm, t(problem.key, problem.vars));
  const session = await api("/api/v1/session/judge", {
    method: "POST",
    body: { code: data.get("code").trim().toUpperCase(), name: data.get("name").trim() },
  });
  location.href = `/judge/${session.competition_id}`;
});

const instructorForm = document.getElementById("instructor");
submitting(instructorForm, async (data) => {
  await api("/api/v1/session/instructor", { method: "POST", body: { password: data.get("password") } });
  location.href = "/instructor";
});

document.getElementById("board").addEventListener("submit", (event) => {
  event.preventDefault();
  location.href = `/board/${Number(new FormData(event.target).get("id"))}`;
});
