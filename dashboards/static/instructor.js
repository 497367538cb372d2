// The instructor panel: /instructor lists the competitions and creates new ones;
// /instructor/{id} runs one. Asks for the instructor password first when needed.

import { logout, onSessionExpired, whoami } from "/static/common/api.js";
import { addStrings, applyStatic, bindLangButton } from "/static/common/i18n.js";
import { showError } from "/static/common/ui.js";
import { mountCompetition } from "/static/instructor/competition.js";
import { mountList } from "/static/instructor/list.js";
import { mountLogin } from "/static/instructor/login.js";
import STRINGS from "/static/strings/instructor.js";
import PARAMETERS from "/static/strings/parameters.js";

addStrings(PARAMETERS);
addStrings(STRINGS);
applyStatic();
bindLangButton(document.getElementById("lang"));

const main = document.getElementById("main");
const logoutButton = document.getElementById("logout");
const parts = location.pathname.split("/").filter(Boolean);
const competitionId = parts[1] ? Number(parts[1]) : null;

logoutButton.addEventListener("click", async () => {
  try {
    await logout();
  } catch (error) {
    showError(error);
  }
  location.href = "/";
});

let signedIn = false;

// a request that finds the session expired: the page starts again, with the login and why
onSessionExpired(() => {
  if (signedIn) location.reload();
});

async function boot() {
  let who = null;
  try {
    who = await whoami();
  } catch (error) {
    showError(error);
  }
  if (!who || who.role !== "instructor") {
    logoutButton.hidden = true;
    mountLogin(main, boot);
    return;
  }
  logoutButton.hidden = false;
  signedIn = true;
  if (competitionId) await mountCompetition(main, competitionId);
  else await mountList(main);
}

boot();
