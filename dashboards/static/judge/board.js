// The judges' live board: the standings as they change, a row per team that opens its record
// (click, or arrow keys and Enter), rank moves shown for a while after they happen.

import { fmt, t } from "/static/common/i18n.js";
import { h } from "/static/common/ui.js";

const MOVE_MS = 8000;

/** Conversion and receivables as the boards write them: a percentage with one decimal. */
const rate = (v) => (v == null ? "—" : fmt.pct(v / 100, 1));

export function createBoard(table, { onSelect }) {
  const body = table.tBodies[0];
  const rows = new Map(); // team → <tr>
  const moves = new Map(); // team → {delta, until}
  let standings = [];
  let selected = null;

  function cells(row) {
    const move = moves.get(row.team);
    const moving = move && move.until > Date.now() ? move.delta : 0;
    const arrow = moving
      ? h(
          "span",
          {
            class: `move ${moving > 0 ? "up" : "down"}`,
            title: t(moving > 0 ? "judge.up" : "judge.down", { n: Math.abs(moving) }),
          },
          moving > 0 ? `▲${moving}` : `▼${-moving}`,
        )
      : null;
    return [
      h("td", { class: "num rank" }, fmt.num(row.rank)),
      h("td", { class: "team" }, h("span", { class: "name" }, row.team), arrow),
      h("td", { class: "num composite" }, fmt.score(row.composite)),
      h("td", { class: "num" }, rate(row.conversion)),
      h("td", { class: "num" }, fmt.score(row.satisfaction)),
      h("td", { class: "num" }, rate(row.receivables)),
      h("td", { class: "num" }, fmt.money(row.profit)),
      h("td", { class: "num" }, fmt.score(row.rubric)),
    ];
  }

  function rowFor(team) {
    let tr = rows.get(team);
    if (!tr) {
      tr = h("tr", { tabindex: "0", dataset: { team } });
      tr.addEventListener("click", () => onSelect(team));
      tr.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          onSelect(team);
        } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          const next = event.key === "ArrowDown" ? tr.nextElementSibling : tr.previousElementSibling;
          next?.focus();
        }
      });
      rows.set(team, tr);
    }
    return tr;
  }

  function draw() {
    const focused = /** @type {HTMLElement | null | undefined} */ (
      document.activeElement?.closest?.("tr[data-team]")
    )?.dataset.team;
    const order = standings.map((row) => row.team);
    const current = [...body.children].map((tr) => tr.dataset.team);
    for (const row of standings) {
      const tr = rowFor(row.team);
      tr.replaceChildren(...cells(row));
      tr.classList.toggle("selected", row.team === selected);
      tr.setAttribute("aria-selected", row.team === selected ? "true" : "false");
    }
    if (order.join("\u0000") !== current.join("\u0000")) {
      body.replaceChildren(...order.map((team) => rows.get(team)));
      if (focused && rows.has(focused)) rows.get(focused).focus({ preventScroll: true });
    }
  }

  return {
    update(next) {
      const before = new Map(standings.map((row) => [row.team, row.rank]));
      for (const row of next) {
        const was = before.get(row.team);
        if (was != null && was !== row.rank)
          moves.set(row.team, { delta: was - row.rank, until: Date.now() + MOVE_MS });
      }
      standings = next;
      draw();
    },
    select(team) {
      selected = team;
      draw();
    },
    row(team) {
      return standings.find((row) => row.team === team) || null;
    },
    get standings() {
      return standings;
    },
    draw,
  };
}
