// The list page: every competition with its state, round and teams; import an archive; create
// a new competition from a preset.

import { api } from "/static/common/api.js";
import { fmt } from "/static/common/i18n.js";
import { h, showError } from "/static/common/ui.js";
import { mountCreate, presetName } from "/static/instructor/create.js";
import { bindText, card, stateBadge, table, td, tx } from "/static/instructor/dom.js";
import { importForm } from "/static/instructor/exports.js";

export async function mountList(main) {
  document.getElementById("crumbs").replaceChildren();
  const listBody = h("div", { id: "competitions" }, tx("p", "common.loading", null, { class: "muted" }));
  const listCard = card(
    "inst.list.title",
    { id: "list", class: "card list-card" },
    tx("p", "inst.list.lead", null, { class: "hint" }),
    listBody,
  );
  const importCard = card(
    "inst.import.title",
    { id: "import", class: "card" },
    importForm((result) => {
      location.href = `/instructor/${result.id}`;
    }),
  );
  const create = h("div", { id: "create-area" });
  main.replaceChildren(h("div", { class: "list-top" }, listCard, importCard), create);
  await Promise.all([drawList(listBody), mountCreate(create)]);
}

async function drawList(body) {
  let competitions;
  try {
    competitions = await api("/api/v1/competitions");
  } catch (error) {
    showError(error);
    body.replaceChildren(bindText(h("p", { class: "form-message error" }), () => error.detail));
    return;
  }
  competitions.sort((a, b) => b.id - a.id);
  // the list has no team counts: one detail each (a class has a handful of competitions)
  const details = await Promise.all(
    competitions.map((c) => api(`/api/v1/competitions/${c.id}`).catch(() => null)),
  );
  const rows = competitions.map((c, i) => {
    const teams = details[i]?.teams?.length;
    const link = h("a", { href: `/instructor/${c.id}`, class: "open" }, c.name);
    return h(
      "tr",
      { dataset: { id: c.id } },
      td(fmt.num(c.id), "num"),
      td(link),
      td(stateBadge(c)),
      td(
        c.state === "draft"
          ? tx("span", "inst.list.rounds", { rounds: c.rounds })
          : tx("span", "inst.roundOf", { round: Math.min(c.round, c.rounds), rounds: c.rounds }),
      ),
      td(teams == null ? "—" : fmt.num(teams), "num"),
      td(tx("span", `inst.mode.${c.mode}`)),
      td(bindText(h("span"), () => presetName(c.preset))),
      td(h("a", { href: `/board/${c.id}`, class: "button" }, tx("span", "inst.list.board"))),
    );
  });
  body.replaceChildren(
    table(
      [
        ["inst.list.id", "num"],
        "inst.list.name",
        "inst.list.state",
        "common.round",
        ["inst.list.teams", "num"],
        "param.mode.label",
        "inst.list.preset",
        "inst.list.links",
      ],
      rows,
      { empty: "inst.list.empty", cls: "competitions" },
    ),
  );
}
