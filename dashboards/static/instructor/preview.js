// The preview: the six reference bots play a few short seasons under the parameters in the
// form; a progress bar while they play, then each bot's mean scores and a one-line verdict.

import { api } from "/static/common/api.js";
import { fmt, onLangChange, t } from "/static/common/i18n.js";
import { h, showError } from "/static/common/ui.js";
import { bindText, button, messageOf, table, td, tx } from "/static/instructor/dom.js";

export const BOTS = [
  "balanced",
  "eager",
  "dumper",
  "lax",
  "lavish",
  "cod",
  "lender",
  "forgetful",
  "forgiver",
  "passive",
];
const CARELESS = ["passive", "dumper", "lax", "lavish"];
const POLL_MS = 300;

/** A card that previews the request `getBody()` gives (null: the form said what is wrong). */
export function previewCard(getBody) {
  const run = button("inst.preview.run", { class: "run-preview" });
  const progress = h("progress", { max: 1, value: 0, hidden: true, class: "preview-progress" });
  const progressText = h("span", { class: "hint", "aria-live": "polite" });
  const result = h("div", { class: "preview-result", "aria-live": "polite" });
  const element = h(
    "section",
    { class: "card preview", id: "preview" },
    tx("h2", "inst.preview.title"),
    tx("p", "inst.preview.lead", null, { class: "hint" }),
    h("div", { class: "actions" }, run),
    h("div", { class: "progress-row" }, progress, progressText),
    h("p", { class: "form-message", role: "alert" }),
    result,
  );
  const message = messageOf(element);
  const card = { element, onRefused: null };
  let running = false;

  run.addEventListener("click", async () => {
    if (running) return;
    const body = getBody();
    if (!body) return;
    message.clear();
    running = true;
    run.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    result.replaceChildren();
    try {
      let view = await api("/api/v1/previews", { method: "POST", body: { ...body, seeds: 3 } });
      while (view.state === "running") {
        progress.value = view.progress;
        bindText(progressText, () => t("inst.preview.progress", { pct: fmt.pct(view.progress) }));
        await new Promise((resolve) => {
          setTimeout(resolve, POLL_MS);
        });
        view = await api(`/api/v1/previews/${view.id}`);
      }
      progress.value = 1;
      if (view.state === "failed") {
        message.raw(view.error || t("error.unknown"));
      } else {
        bindText(progressText, () => t("inst.preview.done"));
        draw(view);
      }
    } catch (error) {
      if (error.status === 429) {
        // the server plays a bounded number of previews at once: say so in the page's language
        message.key("inst.preview.busy");
        return;
      }
      message.raw(error.detail || error.message);
      if (error.status === 422 && card.onRefused) card.onRefused(error);
      else if (error.status !== 422) showError(error);
    } finally {
      running = false;
      run.disabled = false;
      setTimeout(() => {
        progress.hidden = true;
      }, 600);
    }
  });

  let shown = null;
  onLangChange(() => {
    if (shown) draw(shown);
  });

  function draw(view) {
    shown = view;
    const data = view.result;
    const balanced = data.bots.find((b) => b.bot === "balanced");
    const beaten = data.bots
      .filter((b) => CARELESS.includes(b.bot) && balanced && b.rank <= balanced.rank)
      .map((b) => b.bot);
    const rows = data.bots.map((b) =>
      h(
        "tr",
        { dataset: { bot: b.bot }, class: b.bot === "balanced" ? "selected" : "" },
        td(
          h(
            "span",
            {},
            tx("strong", `bot.${b.bot}`),
            h("br"),
            tx("span", `bot.${b.bot}.what`, null, { class: "hint" }),
          ),
        ),
        td(fmt.score(b.composite), "num"),
        td(b.conversion == null ? "—" : fmt.pct(b.conversion / 100), "num"),
        td(fmt.score(b.satisfaction), "num"),
        td(b.receivables == null ? "—" : fmt.pct(b.receivables / 100), "num"),
        td(fmt.money(b.profit), "num"),
        td(fmt.num(b.rank, 1), "num"),
      ),
    );
    const verdict = !balanced
      ? null
      : beaten.length === 0
        ? tx("p", "inst.preview.good", null, { class: "verdict ok" })
        : tx(
            "p",
            "inst.preview.bad",
            () => ({ bots: beaten.map((b) => t(`bot.${b}`)).join(t("inst.listSep")) }),
            { class: "verdict warn" },
          );
    result.replaceChildren(
      verdict || "",
      table(
        [
          "inst.preview.bot",
          ["common.composite", "num"],
          ["common.conversion", "num"],
          ["common.satisfaction", "num"],
          ["common.receivables", "num"],
          ["common.profit", "num"],
          ["inst.preview.rank", "num"],
        ],
        rows,
        { cls: "preview-table" },
      ),
      tx(
        "p",
        "inst.preview.facts",
        () => ({
          seasons: fmt.num(data.seasons),
          rounds: fmt.num(view.rounds),
          inquiries: fmt.num(data.inquiries_per_team, 1),
        }),
        { class: "hint preview-facts" },
      ),
    );
  }

  return card;
}
