// The debrief on the projector (/debrief/{id}): the instructor (or a judge) steps through the
// pictures of a round (debrief/view.js) in large type. Keys: ← → step, H hides the team names,
// F full screen. Anybody else is told who may open it and where to sign in.

import { api, expiredMessage, whoami } from "/static/common/api.js";
import { addStrings, applyStatic, bindLangButton, onLangChange, t } from "/static/common/i18n.js";
import { DebriefView } from "/static/debrief/view.js";
import STRINGS from "/static/strings/debrief.js";

addStrings(STRINGS);
applyStatic();
bindLangButton(document.getElementById("lang"));

/**
 * The page's element with this id, of the kind the page's HTML gives it (an input, a form …).
 * @param {string} id
 * @returns {any}
 */
const $ = (id) => document.getElementById(id);
const id = Number(location.pathname.split("/").filter(Boolean)[1]);
let view = null;

function refuse(text) {
  $("refused").hidden = false;
  $("refused-reason").textContent = text;
  $("instructor-link").href = `/instructor/${id}`;
  $("judge-link").href = `/judge/${id}`;
}

async function boot() {
  const who = await whoami().catch(() => null);
  if (!who || !(who.role === "instructor" || (who.role === "judge" && who.competition_id === id))) {
    refuse([expiredMessage(), t("debrief.refused")].filter(Boolean).join(" "));
    return;
  }
  try {
    /** @type {import("./common/api-types.js").StatusWithStandings} */
    const status = await api(`/api/v1/competitions/${id}/public`);
    $("name").textContent = status.name;
    document.title = `${t("debrief.title")} · ${status.name} · Salesfloor`;
  } catch (error) {
    refuse(error.detail || error.message);
    return;
  }
  view = new DebriefView($("debrief"), { id });
  await view.load();
}

document.addEventListener("keydown", (event) => {
  if (
    !view ||
    event.ctrlKey ||
    event.metaKey ||
    event.altKey ||
    /** @type {HTMLElement} */ (event.target).closest?.("input, textarea, select, button")
  )
    return;
  const key = event.key.toLowerCase();
  if (key === "arrowright" || key === " ") view.go(view.step + 1);
  else if (key === "arrowleft") view.go(view.step - 1);
  else if (key === "h") view.setHidden(!view.hidden);
  else if (key === "f") {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else document.documentElement.requestFullscreen?.().catch(() => {});
  } else return;
  event.preventDefault();
});

onLangChange(() => view?.relabel());
boot();
