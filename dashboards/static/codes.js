// Printable join cards: one card per team (name, join code in large type, join address and its
// QR code, made by this server) and a card for the judges, several to an A4 page.

import { api, expiredMessage, whoami } from "/static/common/api.js";
import { addStrings, applyStatic, bindLangButton, onLangChange, t } from "/static/common/i18n.js";
import { h } from "/static/common/ui.js";
import STRINGS from "/static/strings/instructor.js";

addStrings(STRINGS);
applyStatic();
bindLangButton(document.getElementById("lang"));

const id = Number(location.pathname.split("/").filter(Boolean)[1]);
const cards = document.getElementById("cards");
const message = document.getElementById("message");
/** @type {HTMLAnchorElement} */ (document.getElementById("back")).href = `/instructor/${id}#teams`;
document.getElementById("print").addEventListener("click", () => window.print());

let detail = null;

const qr = (text, label) =>
  h("img", {
    class: "qr",
    src: `/api/v1/qr.svg?text=${encodeURIComponent(text)}`,
    alt: label,
    width: 180,
    height: 180,
  });

function teamCard(team) {
  const url = `${location.origin}/?code=${encodeURIComponent(team.join_code)}`;
  return h(
    "article",
    { class: "join-card", dataset: { team: team.name } },
    h("p", { class: "card-kind" }, t("codes.team")),
    h("h3", { class: "team-name" }, team.name),
    h(
      "div",
      { class: "card-body" },
      qr(url, t("codes.qrAlt", { team: team.name })),
      h(
        "div",
        { class: "card-text" },
        h("p", { class: "label" }, t("codes.code")),
        h("p", { class: "code", translate: "no" }, team.join_code),
        h("p", { class: "label" }, t("codes.address")),
        h("p", { class: "url" }, url),
      ),
    ),
    h(
      "p",
      { class: "steps" },
      team.bot ? t("codes.botTeam", { bot: t(`bot.${team.bot}`) }) : t("codes.steps"),
    ),
  );
}

function judgeCard() {
  const url = `${location.origin}/`;
  return h(
    "article",
    { class: "join-card judge" },
    h("p", { class: "card-kind" }, t("codes.judges")),
    h("h3", { class: "team-name" }, detail.name),
    h(
      "div",
      { class: "card-body" },
      qr(url, t("codes.qrJudgeAlt")),
      h(
        "div",
        { class: "card-text" },
        h("p", { class: "label" }, t("codes.judgeCode")),
        h("p", { class: "code", translate: "no" }, detail.judge_code),
        h("p", { class: "label" }, t("codes.address")),
        h("p", { class: "url" }, url),
      ),
    ),
    h("p", { class: "steps" }, t("codes.judgeSteps")),
  );
}

function draw() {
  if (!detail) return;
  document.getElementById("heading").textContent = t("codes.heading", { name: detail.name });
  document.title = `${t("codes.title")} · ${detail.name} · Salesfloor`;
  if (!detail.teams.length) {
    cards.replaceChildren(h("p", { class: "muted" }, t("codes.none")));
    return;
  }
  cards.replaceChildren(...detail.teams.map(teamCard), judgeCard());
}

async function boot() {
  const who = await whoami().catch(() => null);
  if (!who || who.role !== "instructor") {
    cards.replaceChildren();
    message.className = "form-message error";
    const expired = expiredMessage(); // the instructor's session expired: say so before the link
    message.replaceChildren(
      ...(expired ? [expired, " "] : []),
      t("codes.login"),
      " ",
      h("a", { href: `/instructor/${id}` }, t("codes.loginLink")),
    );
    return;
  }
  try {
    detail = await api(`/api/v1/competitions/${id}`);
    draw();
  } catch (error) {
    cards.replaceChildren();
    message.className = "form-message error";
    message.textContent = error.detail || error.message;
  }
}

onLangChange(draw);
boot();
