// The peer review as the instructor reads it: per student, the mean rating teammates gave
// (1–5), how many rated them, how many they rated, and each rating with its comment. Members
// rate at the end; the grade sheet carries the same figures (GET …/peer-reviews).

import { api } from "/static/common/api.js";
import { fmt, onLangChange, t } from "/static/common/i18n.js";
import { h } from "/static/common/ui.js";
import { bindText, table, td, tx } from "/static/instructor/dom.js";

const REFRESH_MS = 10_000;

export function peerCard(ctx) {
  const area = h("div", { class: "peer-area" });
  const note = h("p", { class: "hint", id: "peer-note" });
  const section = h(
    "section",
    { class: "card", id: "peer-reviews" },
    tx("h2", "inst.peer.title"),
    note,
    area,
  );
  let data = null;

  function draw() {
    if (!data) return;
    bindText(note, () =>
      data.open ? t("inst.peer.open", { n: fmt.num(data.reviews) }) : t("inst.peer.closed"),
    );
    const rows = data.members.map((m) =>
      h(
        "tr",
        { dataset: { member: m.name } },
        td(m.team),
        td([h("strong", {}, m.name), " ", h("span", { class: "hint" }, t(`role.${m.role}`))]),
        td(m.mean == null ? "—" : fmt.num(m.mean, 2), "num mean"),
        td(fmt.num(m.received), "num"),
        td(fmt.num(m.given), "num"),
        td(
          m.ratings.length
            ? h(
                "ul",
                { class: "people" },
                m.ratings.map((r) =>
                  h(
                    "li",
                    {},
                    t("inst.peer.by", { name: r.by, rating: fmt.num(r.rating) }),
                    r.comment ? [" — ", h("q", {}, r.comment)] : null,
                  ),
                ),
              )
            : "—",
          "comment",
        ),
      ),
    );
    area.replaceChildren(
      table(
        [
          "common.team",
          "inst.peer.student",
          ["inst.peer.mean", "num"],
          ["inst.peer.received", "num"],
          ["inst.peer.given", "num"],
          "inst.peer.ratings",
        ],
        rows,
        { empty: "inst.peer.nobody", cls: "peer-table" },
      ),
    );
  }

  async function load() {
    if (ctx.status.state === "draft") return;
    try {
      data = await api(`/api/v1/competitions/${ctx.id}/peer-reviews`);
      draw();
    } catch (error) {
      bindText(note, () => error.detail || error.message);
    }
  }

  // ratings come in after the end: read them again whenever the tab is shown, and while it is open
  let shown = false;
  ctx.on("tab", (name) => {
    shown = name === "exports";
    if (shown) load();
  });
  setInterval(() => {
    if (shown && ctx.status.state === "finished" && !document.hidden) load();
  }, REFRESH_MS);
  ctx.on("status", load);
  onLangChange(draw);
  load();
  if (ctx.status.state === "draft") bindText(note, () => t("inst.peer.closed"));
  return section;
}
