// The market tab: change parameters between rounds (the same per-parameter form, only while
// paused; the shape of the competition stays fixed) and the history of changes.

import { api } from "/static/common/api.js";
import { fmt, onLangChange, t } from "/static/common/i18n.js";
import { h, showError, toast } from "/static/common/ui.js";
import { bindText, button, messageOf, num, table, td, tx } from "/static/instructor/dom.js";
import { FIXED_KEYS, fieldOf, labelOf, paramForm, rowsFor, valueAt } from "/static/instructor/paramform.js";

export function mountMarket(panel, ctx) {
  const formArea = h("div", { class: "param-area" });
  const note = h("p", { class: "banner", id: "params-note" });
  const save = tx("button", "inst.market.save", null, { type: "submit", class: "primary" });
  const resetAll = button("inst.params.resetAll");
  const summary = h("span", { class: "hint", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "card", id: "change-parameters", novalidate: true },
    tx("h2", "inst.market.title"),
    tx("p", "inst.market.lead", null, { class: "hint" }),
    note,
    formArea,
    h("div", { class: "actions sticky-actions" }, save, resetAll, summary),
    h("p", { class: "form-message", role: "alert" }),
  );
  const historyArea = h("div", { class: "param-history" });
  const fixedArea = h("div", { class: "fixed-params" });
  panel.append(
    h(
      "div",
      { class: "market-grid" },
      form,
      h(
        "div",
        { class: "stack" },
        h(
          "section",
          { class: "card", id: "parameter-history" },
          tx("h2", "inst.market.history"),
          historyArea,
        ),
        h(
          "section",
          { class: "card" },
          tx("h2", "inst.market.fixed"),
          tx("p", "inst.market.fixedLead", null, { class: "hint" }),
          fixedArea,
        ),
      ),
    ),
  );
  const message = messageOf(form);
  let params = null;
  let editor = null;

  async function load() {
    try {
      const [current, meta] = await Promise.all([
        api(`/api/v1/competitions/${ctx.id}/parameters`),
        api(`/api/v1/presets/${encodeURIComponent(ctx.status.preset)}/parameters`).catch(() =>
          api("/api/v1/presets/classroom/parameters"),
        ),
      ]);
      params = current;
      const rows = rowsFor(current, meta);
      editor = paramForm(rows, {
        skip: FIXED_KEYS,
        base: "current",
        dayKind: () => current.day_kind,
        onChange: drawSummary,
      });
      formArea.replaceChildren(editor.element);
      drawFixed();
      drawState();
      drawSummary();
    } catch (error) {
      showError(error);
    }
  }

  function drawFixed() {
    if (!params) return;
    const shown = (key) => {
      const value = valueAt(params, key);
      if (key === "mode" || key === "day_kind") return t(`choice.${key}.${value}`);
      return typeof value === "number" ? num(value) : String(value);
    };
    const rows = ["mode", "day_kind", "days_per_round"].map((key) =>
      h("tr", {}, td(labelOf(key)), td(shown(key))),
    );
    rows.push(h("tr", {}, td(labelOf("rounds")), td(fmt.num(ctx.status.rounds))));
    fixedArea.replaceChildren(table(["inst.market.parameter", "inst.market.value"], rows));
  }

  function drawSummary() {
    const n = editor ? Object.keys(editor.changes()).length : 0;
    bindText(summary, () => (n ? t("inst.market.pending", { n }) : ""));
  }

  // parameters change before the start (the competition starts with them) and while paused
  const changeable = () => ["draft", "paused"].includes(ctx.status.state);

  function drawState() {
    const state = ctx.status.state;
    const key =
      state === "draft"
        ? "inst.market.draft"
        : state === "paused"
          ? ctx.status.between_rounds
            ? "inst.market.between"
            : "inst.market.paused"
          : `inst.market.closed.${state}`;
    bindText(note, () =>
      t(key, { round: ctx.status.round, next: ctx.status.next_round ?? ctx.status.round + 1 }),
    );
    note.className = changeable() ? "banner ok-banner" : "banner";
    editor?.setDisabled(!changeable());
    save.disabled = !changeable();
    resetAll.disabled = !changeable();
  }

  const shownValue = (value) =>
    Array.isArray(value)
      ? `${num(value[0])} – ${num(value[1])}`
      : typeof value === "number"
        ? num(value)
        : String(value);

  async function loadHistory() {
    try {
      const history = await api(`/api/v1/competitions/${ctx.id}/parameters/history`);
      const rows = history
        .slice()
        .reverse()
        .map((entry) =>
          h(
            "tr",
            {},
            td(
              h(
                "span",
                {},
                fmt.simTime(entry.effective_t, ctx.status),
                h("br"),
                h("span", { class: "hint" }, fmt.date(entry.at)),
              ),
            ),
            td(
              h(
                "ul",
                { class: "changes" },
                entry.changes.map(([key, value]) => {
                  const before = entry.before && key in entry.before ? entry.before[key] : undefined;
                  return h(
                    "li",
                    { dataset: { key } },
                    h("span", {}, labelOf(key)),
                    " ",
                    h("code", {}, key),
                    ": ",
                    before === undefined
                      ? null
                      : [h("span", { class: "old-value" }, shownValue(before)), " → "],
                    h("strong", { class: "new-value" }, shownValue(value)),
                  );
                }),
              ),
            ),
          ),
        );
      historyArea.replaceChildren(
        table(["inst.market.when", "inst.market.what"], rows, { empty: "inst.market.noHistory" }),
      );
    } catch (error) {
      showError(error);
    }
  }

  resetAll.addEventListener("click", () => {
    editor?.reset();
    drawSummary();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.clear();
    if (!editor) return;
    const bad = editor.validate();
    if (bad.length) {
      message.key("inst.create.fixFirst", { n: bad.length });
      editor.focusFirst(bad);
      return;
    }
    const changes = editor.changes();
    if (!Object.keys(changes).length) {
      message.key("inst.market.nothing");
      return;
    }
    save.disabled = true;
    try {
      await api(`/api/v1/competitions/${ctx.id}/parameters`, { method: "POST", body: { changes } });
      const n = Object.keys(changes).length;
      toast(t("inst.market.saved", { n }));
      message.key("inst.market.saved", { n }, "ok");
      await Promise.all([load(), loadHistory()]);
      ctx.refreshDetail().catch(() => {});
    } catch (error) {
      message.raw(error.detail || error.message);
      if (error.status === 422) editor.showServerError(fieldOf(error), error.detail);
      else showError(error);
    } finally {
      save.disabled = !changeable();
    }
  });

  ctx.on("status", drawState);
  ctx.on("event", (event) => {
    if (event.kind === "parameters_changed") loadHistory();
  });
  onLangChange(() => {
    drawFixed();
    loadHistory();
  });
  load();
  loadHistory();
}
