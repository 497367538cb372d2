// Exports and links: every table as CSV and XLSX, the workbook, the archive, an archive import,
// and the links to the boards, the judge panel and the team reports.

import { api, download } from "/static/common/api.js";
import { onLangChange, t } from "/static/common/i18n.js";
import { act, h } from "/static/common/ui.js";
import { bindText, flash, messageOf, setError, tx, uid } from "/static/instructor/dom.js";
import { peerCard } from "/static/instructor/peers.js";

const TABLES = ["standings", "rounds", "grades", "rubric", "events", "scoring"];

/** The import form: an archive.zip from any Salesfloor server becomes a new competition. */
export function importForm(onImported) {
  const file = h("input", {
    name: "archive",
    type: "file",
    accept: ".zip,application/zip",
    required: true,
    class: "file-input",
    id: uid("file"),
  });
  const chosenName = tx("span", "inst.import.none", null, { class: "file-name" });
  const picker = h(
    "div",
    { class: "file-picker" },
    file,
    h("label", { for: file.id, class: "button" }, tx("span", "inst.import.choose")),
    chosenName,
  );
  const submit = tx("button", "inst.import.button", null, { type: "submit" });
  const form = h(
    "form",
    { class: "stack import-form", novalidate: true },
    tx("p", "inst.import.lead", null, { class: "hint" }),
    h(
      "div",
      { class: "field" },
      tx("span", "inst.import.file", null, { class: "field-label", id: `${file.id}-label` }),
      picker,
      (file.errorEl = h("span", { class: "field-error", "aria-live": "polite" })),
    ),
    h("div", { class: "actions" }, submit),
    h("p", { class: "form-message", role: "alert" }),
  );
  const message = messageOf(form);
  file.setAttribute("aria-labelledby", `${file.id}-label`);
  file.addEventListener("change", () => {
    setError(file, null);
    const chosen = file.files[0];
    if (chosen) bindText(chosenName, () => chosen.name);
    else bindText(chosenName, () => t("inst.import.none"));
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.clear();
    const chosen = file.files[0];
    if (!chosen) {
      setError(file, "inst.import.missing");
      message.key("inst.import.missing");
      file.focus();
      return;
    }
    submit.disabled = true;
    message.key("inst.import.working", {}, "warn");
    try {
      const result = await api("/api/v1/competitions/import", {
        method: "POST",
        body: chosen,
        headers: { "Content-Type": "application/zip" },
      });
      message.key("inst.import.done", { name: result.name, id: result.id }, "ok");
      flash("inst.import.done", { name: result.name, id: result.id });
      onImported(result);
    } catch (error) {
      message.raw(error.detail || error.message);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export function mountExports(panel, ctx) {
  const exportButtons = [];
  const note = tx("p", "inst.exports.notYet", null, { class: "banner" });
  const rows = TABLES.map((name) =>
    h(
      "div",
      { class: "export-row", dataset: { table: name } },
      h(
        "div",
        {},
        tx("strong", `inst.exports.${name}`),
        h("br"),
        tx("span", `inst.exports.${name}.what`, null, { class: "hint" }),
      ),
      h(
        "div",
        { class: "actions" },
        exportButton(`${name}.csv`, "CSV"),
        exportButton(`${name}.xlsx`, "XLSX"),
      ),
    ),
  );
  const all = h(
    "div",
    { class: "export-row all" },
    h(
      "div",
      {},
      tx("strong", "inst.exports.all"),
      h("br"),
      tx("span", "inst.exports.all.what", null, { class: "hint" }),
    ),
    h("div", { class: "actions" }, exportButton("all.xlsx", "XLSX", "primary")),
  );
  const archive = h(
    "div",
    { class: "export-row all" },
    h(
      "div",
      {},
      tx("strong", "inst.exports.archive"),
      h("br"),
      tx("span", "inst.exports.archive.what", null, { class: "hint" }),
    ),
    h("div", { class: "actions" }, exportButton("archive.zip", "ZIP")),
  );

  function exportButton(file, label, cls = "") {
    const b = h("button", { type: "button", class: `export ${cls}`.trim(), dataset: { file } }, label);
    const describe = () => b.setAttribute("aria-label", t("inst.exports.download", { file }));
    describe();
    exportButtons.push(describe);
    b.addEventListener("click", async () => {
      b.disabled = true;
      await act(
        async () => {
          const name = await download(`/api/v1/competitions/${ctx.id}/exports/${file}`);
          return name;
        },
        t("inst.exports.saved", { file }),
      );
      b.disabled = false;
    });
    return b;
  }

  const exportsCard = h(
    "section",
    { class: "card", id: "exports" },
    tx("h2", "inst.exports.title"),
    note,
    ...rows,
    all,
    archive,
  );
  const importCard = h(
    "section",
    { class: "card", id: "import" },
    tx("h2", "inst.import.title"),
    importForm((result) => {
      location.href = `/instructor/${result.id}`;
    }),
  );
  const linksArea = h("div", { class: "links" });
  const linksCard = h("section", { class: "card", id: "links" }, tx("h2", "inst.links.title"), linksArea);
  panel.append(
    h(
      "div",
      { class: "exports-grid" },
      h("div", { class: "stack" }, exportsCard, peerCard(ctx)),
      h("div", { class: "stack" }, linksCard, importCard),
    ),
  );

  function link(href, key, hintKey) {
    return h(
      "li",
      {},
      h("a", { href, target: "_blank", rel: "noopener" }, tx("span", key)),
      " ",
      h("code", { class: "url" }, `${location.origin}${href}`),
      hintKey ? h("br") : null,
      hintKey ? tx("span", hintKey, null, { class: "hint" }) : null,
    );
  }

  function drawLinks() {
    const d = ctx.detail;
    linksArea.replaceChildren(
      h(
        "ul",
        { class: "link-list" },
        link(`/board/${ctx.id}`, "inst.links.board", "inst.links.boardHint"),
        link(`/board/${ctx.id}?view=judge`, "inst.links.judgeBoard", "inst.links.judgeBoardHint"),
        link(`/judge/${ctx.id}`, "inst.links.judge", "inst.links.judgeHint"),
        link(`/instructor/${ctx.id}/codes`, "inst.teams.codes", null),
      ),
      h(
        "p",
        { class: "judge-code" },
        tx("span", "inst.links.judgeCode"),
        " ",
        h("code", { class: "big-code", id: "judge-code" }, d.judge_code || "—"),
      ),
      tx("h3", "inst.links.reports"),
      (d.teams || []).length
        ? h(
            "ul",
            { class: "report-links" },
            d.teams.map((team) =>
              h(
                "li",
                {},
                h(
                  "a",
                  {
                    href: `/report/${ctx.id}/${encodeURIComponent(team.name)}`,
                    target: "_blank",
                    rel: "noopener",
                  },
                  team.name,
                ),
              ),
            ),
          )
        : tx("p", "inst.teams.empty", null, { class: "muted" }),
    );
  }

  const drawState = () => {
    const started = ctx.status.state !== "draft";
    note.hidden = started;
    for (const b of exportsCard.querySelectorAll("button.export")) b.disabled = !started;
  };
  ctx.on("status", drawState);
  ctx.on("detail", drawLinks);
  drawState();
  drawLinks();
  onLangChange(() => exportButtons.forEach((describe) => describe()));
}
