// The awards at the end of the reveal: the winner on a podium with the medallists, and the
// figure awards (fastest reply, best collector, happiest customers, best recovery).

import { api } from "/static/common/api.js";
import { fmt, t } from "/static/common/i18n.js";
import { fill, h } from "/static/common/ui.js";
import { colorOf } from "/static/board/colors.js";

const MEDALS = ["silver", "gold", "bronze"];
const FIGURES = {
  fastest_reply: (v) => fmt.hours(v),
  best_collector: (v) => (v == null ? "—" : fmt.pct(v / 100, 1)),
  happiest_customers: (v) => fmt.score(v),
  best_recovery: (v) => (v == null ? "—" : fmt.pct(v / 100, 0)),
};

export class Awards {
  constructor({ dialog, podium, list, close }) {
    this.dialog = dialog;
    this.podium = podium;
    this.list = list;
    this.close = close;
    this.data = null;
    close.addEventListener("click", () => this.hide());
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) this.hide();
    });
  }

  /** Ask for the awards (public or judge's endpoint); show them if the server gives them. */
  async show(path) {
    try {
      this.data = await api(path);
    } catch {
      return false; // not finished, or still frozen: there is nothing to announce yet
    }
    if (!this.data?.final || !this.data.awards?.length) return false;
    this.draw();
    this.dialog.hidden = false;
    document.body.dataset.awards = "shown";
    this.close.focus();
    return true;
  }

  hide() {
    this.dialog.hidden = true;
    delete document.body.dataset.awards;
  }

  get open() {
    return !this.dialog.hidden;
  }

  draw() {
    const awards = this.data.awards;
    fill(
      this.podium,
      MEDALS.map((medal) => {
        const winners = awards.filter((a) => a.award === medal);
        return h(
          "div",
          { class: `step ${medal}`, dataset: { medal } },
          h(
            "span",
            { class: "medal", "aria-hidden": "true" },
            medal === "gold" ? "1" : medal === "silver" ? "2" : "3",
          ),
          h("span", { class: "medal-name" }, t(`board.awards.${medal}`)),
          winners.map((a) =>
            h(
              "span",
              { class: "podium-team", style: `--team: ${colorOf(a.team)}` },
              h("strong", {}, a.team),
              h("span", { class: "podium-score" }, fmt.score(a.value)),
            ),
          ),
          h("span", { class: "block" }),
        );
      }),
    );
    const winner = awards.find((a) => a.award === "winner");
    if (winner) {
      this.podium.prepend(
        h(
          "p",
          { class: "winner" },
          h("span", {}, t("board.awards.winner")),
          h("strong", { style: `--team: ${colorOf(winner.team)}` }, winner.team),
        ),
      );
    }
    fill(
      this.list,
      awards
        .filter((a) => a.award in FIGURES)
        .map((a) =>
          h(
            "li",
            { dataset: { award: a.award } },
            h("span", { class: "award-name" }, t(`board.awards.${a.award}`)),
            h("strong", { style: `--team: ${colorOf(a.team)}` }, a.team),
            h(
              "span",
              { class: "award-value" },
              t(`board.awards.value.${a.award}`, { value: FIGURES[a.award](a.value) }),
            ),
          ),
        ),
    );
  }

  relabel() {
    if (this.data && this.open) this.draw();
  }
}
