// Peer review at the end: once the competition has finished, each member rates each teammate's
// contribution from 1 to 5 with an optional comment. Only the instructor reads the ratings;
// sending again replaces them. Shown above the console (GET/PUT /api/v1/team/peer-review).

import { api } from "/static/common/api.js";
import { onLangChange, t } from "/static/common/i18n.js";
import { h } from "/static/team/dom.js";
import { store } from "/static/team/store.js";

/**
 * The page's element with this id, of the kind the page's HTML gives it (an input, a form …).
 * @param {string} id
 * @returns {any}
 */
const $ = (id) => document.getElementById(id);
let review = null; // the last GET/PUT answer
let loading = false;
let message = { key: "", kind: "" };

/** Load the teammates once the competition has finished (and again after a reload). */
export function drawPeerReview() {
  const card = $("peer-card");
  const finished = store.status?.state === "finished";
  card.hidden = !finished || !review || !review.teammates.length;
  if (finished && !review && !loading) load();
}

async function load() {
  loading = true;
  try {
    review = await api("/api/v1/team/peer-review");
    build(true);
  } catch (error) {
    console.warn(error);
  } finally {
    loading = false;
    drawPeerReview();
  }
}

function stars(mate) {
  const name = `peer-${mate.member_id}`;
  return h(
    "fieldset",
    { class: "peer-rating", dataset: { member: mate.member_id } },
    h("legend", {}, h("strong", {}, mate.name), " · ", t(`role.${mate.role}`)),
    h(
      "div",
      { class: "peer-scale" },
      [1, 2, 3, 4, 5].map((n) =>
        h(
          "label",
          { class: "peer-option", title: t(`team.peer.r${n}`) },
          h("input", { type: "radio", name, value: n, checked: mate.rating === n, required: true }),
          h("span", { class: "peer-n" }, String(n)),
          h("span", { class: "peer-word" }, t(`team.peer.r${n}`)),
        ),
      ),
    ),
    h(
      "label",
      { class: "peer-comment" },
      h("span", {}, t("team.peer.comment")),
      h("textarea", { name: `comment-${mate.member_id}`, rows: 2, maxlength: 500 }, mate.comment || ""),
    ),
  );
}

/** What the member has chosen and written in the form as it stands (sent or not), by teammate. */
function inForm(form) {
  const typed = new Map();
  for (const mate of review.teammates) {
    const chosen = form.querySelector(`input[name="peer-${mate.member_id}"]:checked`);
    const comment = form.querySelector(`textarea[name="comment-${mate.member_id}"]`);
    if (!comment) continue; // not drawn yet
    typed.set(mate.member_id, { rating: chosen ? Number(chosen.value) : null, comment: comment.value });
  }
  return typed;
}

/**
 * Draw the form: as the server has it when `fresh` (loaded, sent), else keeping what the member
 * has chosen and written meanwhile (a language change).
 */
function build(fresh = false) {
  const form = $("peer-form");
  if (!review) return;
  const typed = fresh ? new Map() : inForm(form);
  const status = h(
    "p",
    { class: `form-message ${message.kind}`, role: "status", id: "peer-message" },
    message.key ? t(message.key) : "",
  );
  form.replaceChildren(
    ...review.teammates.map((mate) => stars({ ...mate, ...typed.get(mate.member_id) })),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary", id: "peer-send" }, t("team.peer.send")),
    ),
    status,
  );
}

function show(key, kind) {
  message = { key, kind };
  const el = $("peer-message");
  el.textContent = key ? t(key) : "";
  el.className = `form-message ${kind}`;
}

async function send(event) {
  event.preventDefault();
  const form = $("peer-form");
  const ratings = [];
  for (const mate of review.teammates) {
    const chosen = form.querySelector(`input[name="peer-${mate.member_id}"]:checked`);
    const comment = form.querySelector(`textarea[name="comment-${mate.member_id}"]`).value.trim();
    if (!chosen) {
      show("team.peer.missing", "error");
      form.querySelector(`input[name="peer-${mate.member_id}"]`).focus();
      return;
    }
    ratings.push({ member_id: mate.member_id, rating: Number(chosen.value), comment });
  }
  const button = $("peer-send");
  button.disabled = true;
  try {
    review = await api("/api/v1/team/peer-review", { method: "PUT", body: { ratings } });
    message = { key: "team.peer.saved", kind: "ok" };
    build(true);
  } catch (error) {
    show("", "error");
    $("peer-message").textContent = error.detail || error.message;
    button.disabled = false;
  }
}

export function startPeerReview() {
  $("peer-form").addEventListener("submit", send);
  onLangChange(() => build());
}
