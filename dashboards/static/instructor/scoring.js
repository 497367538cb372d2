// Scoring: the weights and normalisation of the composite with their change log, and the number
// of gold, silver and bronze places.

import { api } from "/static/common/api.js";
import { fmt, onLangChange, t } from "/static/common/i18n.js";
import { act, h, showError } from "/static/common/ui.js";
import {
  bindText,
  field,
  messageOf,
  num,
  numberOf,
  setError,
  table,
  td,
  tx,
} from "/static/instructor/dom.js";

const METRICS = ["conversion", "satisfaction", "receivables", "profit", "rubric"];

export function scoringCard(ctx) {
  const inputs = Object.fromEntries(
    METRICS.map((m) => [
      m,
      h("input", {
        name: m,
        type: "number",
        min: 0,
        max: 1000,
        step: "any",
        required: true,
        inputmode: "decimal",
      }),
    ]),
  );
  const normalisation = h(
    "select",
    { name: "normalisation" },
    ["raw", "rank", "zscore"].map((n) =>
      bindText(h("option", { value: n }), () => t(`inst.score.norm.${n}`)),
    ),
  );
  const normHelp = h("p", { class: "hint" });
  const share = h("p", { class: "hint weights-share", "aria-live": "polite" });
  const save = tx("button", "inst.score.save", null, { type: "submit", class: "primary" });
  const form = h(
    "form",
    { class: "card stack", id: "scoring", novalidate: true },
    tx("h2", "inst.score.title"),
    tx("p", "inst.score.lead", null, { class: "hint" }),
    h(
      "div",
      { class: "weights" },
      METRICS.map((m) => field(`common.${m}`, inputs[m])),
    ),
    share,
    field("inst.score.normalisation", normalisation),
    normHelp,
    h("div", { class: "actions" }, save),
    h("p", { class: "form-message", role: "alert" }),
    tx("h3", "inst.score.history"),
    h("div", { class: "scoring-history" }),
  );
  const message = messageOf(form);
  const historyArea = form.querySelector(".scoring-history");

  const drawShare = () => {
    const values = METRICS.map((m) => numberOf(inputs[m]));
    const total = values.reduce((a, b) => a + (b > 0 ? b : 0), 0);
    bindText(share, () =>
      total > 0
        ? t("inst.score.share", {
            parts: METRICS.map(
              (m, i) => `${t(`common.${m}`)} ${fmt.pct((values[i] > 0 ? values[i] : 0) / total)}`,
            ).join(" · "),
          })
        : t("inst.score.zero"),
    );
    bindText(normHelp, () => t(`inst.score.norm.${normalisation.value}.help`));
  };
  for (const m of METRICS)
    inputs[m].addEventListener("input", () => {
      setError(inputs[m], null);
      drawShare();
    });
  normalisation.addEventListener("change", drawShare);

  async function load() {
    try {
      const [current, history] = await Promise.all([
        api(`/api/v1/competitions/${ctx.id}/scoring`),
        api(`/api/v1/competitions/${ctx.id}/scoring/history`),
      ]);
      for (const m of METRICS) inputs[m].value = current.weights[m];
      normalisation.value = current.normalisation;
      drawShare();
      const rows = history
        .slice()
        .reverse()
        .map((entry) =>
          h(
            "tr",
            {},
            td(fmt.date(entry.at)),
            td(METRICS.map((m) => `${t(`common.${m}`)} ${num(entry.weights[m])}`).join(" · ")),
            td(t(`inst.score.norm.${entry.normalisation}`)),
          ),
        );
      historyArea.replaceChildren(
        table(["inst.market.when", "inst.score.weights", "inst.score.normalisation"], rows, {
          empty: "inst.score.noHistory",
        }),
      );
    } catch (error) {
      showError(error);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.clear();
    const weights = {};
    let bad = null;
    for (const m of METRICS) {
      const n = numberOf(inputs[m]);
      const key =
        n === null
          ? "perr.required"
          : Number.isNaN(n)
            ? "perr.number"
            : n < 0 || n > 1000
              ? "perr.range"
              : null;
      setError(inputs[m], key, { low: num(0), high: num(1000) });
      if (key && !bad) bad = [inputs[m], key];
      weights[m] = n;
    }
    if (!bad && METRICS.every((m) => weights[m] === 0)) bad = [inputs.conversion, "inst.score.zero"];
    if (bad) {
      message.key(bad[1], { low: num(0), high: num(1000) });
      bad[0].focus();
      return;
    }
    save.disabled = true;
    const done = await act(
      () =>
        api(`/api/v1/competitions/${ctx.id}/scoring`, {
          method: "PUT",
          body: { weights, normalisation: normalisation.value },
        }),
      t("inst.score.saved"),
    );
    save.disabled = false;
    if (done) {
      message.key("inst.score.saved", {}, "ok");
      load();
    }
  });
  onLangChange(load);
  load();
  return form;
}

export function medalCard(ctx) {
  const inputs = Object.fromEntries(
    ["gold", "silver", "bronze"].map((m) => [
      m,
      h("input", {
        name: m,
        type: "number",
        min: 0,
        max: 50,
        step: 1,
        value: 1,
        required: true,
        inputmode: "numeric",
      }),
    ]),
  );
  const save = tx("button", "inst.medals.save", null, { type: "submit" });
  const form = h(
    "form",
    { class: "card stack", id: "medals", novalidate: true },
    tx("h2", "inst.medals.title"),
    tx("p", "inst.medals.lead", null, { class: "hint" }),
    h(
      "div",
      { class: "row3" },
      ["gold", "silver", "bronze"].map((m) => field(`inst.medals.${m}`, inputs[m])),
    ),
    h("div", { class: "actions" }, save),
    h("p", { class: "form-message", role: "alert" }),
  );
  const message = messageOf(form);
  if (ctx.status.state !== "draft") {
    api(`/api/v1/competitions/${ctx.id}/awards`)
      .then((awards) => {
        for (const m of ["gold", "silver", "bronze"]) inputs[m].value = awards.medals[m];
      })
      .catch(() => {});
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.clear();
    const body = {};
    for (const m of ["gold", "silver", "bronze"]) {
      const n = numberOf(inputs[m]);
      const key =
        n === null
          ? "perr.required"
          : !Number.isInteger(n)
            ? "perr.integer"
            : n < 0 || n > 50
              ? "perr.range"
              : null;
      setError(inputs[m], key, { low: num(0), high: num(50) });
      if (key) {
        message.key(key, { low: num(0), high: num(50) });
        inputs[m].focus();
        return;
      }
      body[m] = n;
    }
    const done = await act(
      () => api(`/api/v1/competitions/${ctx.id}/awards/medals`, { method: "PUT", body }),
      t("inst.medals.saved", body),
    );
    if (done) message.key("inst.medals.saved", body, "ok");
  });
  return form;
}
