// Rubric entry: a grid of teams × criteria (per-round criteria for the chosen round) where the
// judge types points, checked as typed, with an optional note; Save sends each changed score
// (PUT …/rubric/scores), Withdraw sends points null. The judge's own current scores are filled
// in; the log of every score and correction is shown for the selected team. A new score from
// another judge redraws the grid, but not while the judge types in it or presses on it
// (common/hold.js): what they typed stays, drafts survive the redraw that follows.

import { api } from "/static/common/api.js";
import { handOver, held, justUsed } from "/static/common/hold.js";
import { fmt, t } from "/static/common/i18n.js";
import { confirmAction, fill, h, showError, toast } from "/static/common/ui.js";
import { criterionName } from "/static/explain.js";

const key = (criterionId, team, round) => `${criterionId}|${team}|${round ?? ""}`;

/** The points typed in a box: {empty} | {points} | {problem}. */
export function parsePoints(text, criterion) {
  const raw = String(text ?? "")
    .trim()
    .replace(",", ".");
  const name = criterionName(criterion);
  if (!raw) return { empty: true };
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(raw)) return { problem: t("judge.badNumber", { criterion: name }) };
  const points = Number(raw);
  if (!Number.isFinite(points) || points < 0 || points > criterion.max_points) {
    return {
      problem: t("judge.outOfRange", {
        criterion: name,
        max: fmt.num(criterion.max_points, criterion.max_points % 1 ? 1 : 0),
      }),
    };
  }
  return { points };
}

/** The round a judge scores by default: the one running, or the one that just ended. */
export function defaultRound(status) {
  if (!status || !status.round) return 1;
  return Math.max(1, Math.min(status.rounds, status.round)); // the server's: running or just ended
}

export function createRubric(root, { competitionId, status, session, onPickTeam, onRelogin }) {
  const $ = (selector) => root.querySelector(selector);
  let data = null; // GET /rubric
  let log = [];
  let round = defaultRound(status());
  let roundChosen = false;
  let selected = null;
  let lastRubric = null;
  let reloadTimer = null;
  const drafts = new Map(); // key → {points, note}: what the judge typed and has not saved

  const isInstructor = () => session().role === "instructor";
  const me = () => (isInstructor() ? $("#as-judge").value.trim() : session().member || "");
  const teams = () => Object.keys(data?.component || {});
  const roundOf = (criterion) => (criterion.per_round ? round : null);

  function own(criterion, team) {
    const r = roundOf(criterion);
    const score = (data?.scores || []).find(
      (s) =>
        s.criterion_id === criterion.id && s.team === team && s.judge === me() && (s.round ?? null) === r,
    );
    if (!score) return null;
    const line = [...log]
      .reverse()
      .find(
        (e) =>
          e.criterion_id === criterion.id && e.team === team && e.judge === me() && (e.round ?? null) === r,
      );
    return { points: score.points, note: line?.note || "" };
  }

  function message(text, kind = "error") {
    const el = $("#rubric-message");
    el.textContent = text;
    el.className = `form-message ${kind}`;
  }

  function checkCell(td) {
    const criterion = data.criteria.find((c) => c.id === Number(td.dataset.criterion));
    const input = td.querySelector("input.points");
    const result = parsePoints(input.value, criterion);
    const stored = own(criterion, td.dataset.team);
    const note = td.querySelector("input.note").value.trim();
    let problem = result.problem;
    let hint = "";
    if (!problem && result.empty && note && !stored)
      problem = t("judge.needPoints", { criterion: criterionName(criterion) });
    if (!problem && result.empty && stored)
      hint = t("judge.emptyKeeps", { criterion: criterionName(criterion) });
    input.setAttribute("aria-invalid", problem ? "true" : "false");
    const msg = td.querySelector(".cell-message");
    msg.textContent = problem || hint;
    msg.className = `form-message cell-message ${problem ? "error" : "warn"}`;
    const changed =
      !problem && !result.empty && (!stored || stored.points !== result.points || stored.note !== note);
    return { criterion, problem, changed, points: result.points, note };
  }

  function cell(criterion, team) {
    const k = key(criterion.id, team, roundOf(criterion));
    const stored = own(criterion, team);
    const draft = drafts.get(k);
    const max = fmt.num(criterion.max_points, criterion.max_points % 1 ? 1 : 0);
    const name = criterionName(criterion);
    const points = h("input", {
      class: "points",
      inputmode: "decimal",
      autocomplete: "off",
      size: "4",
      "aria-label": t("judge.pointsFor", { criterion: name, team, max }),
      value: draft ? draft.points : stored ? String(stored.points) : "",
    });
    const note = h("input", {
      class: "note",
      maxlength: "500",
      autocomplete: "off",
      placeholder: t("judge.notePlaceholder"),
      "aria-label": t("judge.noteFor", { criterion: name, team }),
      value: draft ? draft.note : stored ? stored.note : "",
    });
    const withdraw = h(
      "button",
      { type: "button", class: "withdraw", title: t("judge.withdrawTitle"), hidden: !stored },
      t("judge.withdraw"),
    );
    const label = `${name} · ${t(criterion.per_round ? "judge.perRound" : "judge.once", { max })}`;
    const others = criterion.per_round
      ? (data.scores || [])
          .filter(
            (s) =>
              s.criterion_id === criterion.id && s.team === team && s.judge === me() && s.round !== round,
          )
          .sort((a, b) => a.round - b.round)
      : [];
    const td = h(
      "td",
      { class: "score", dataset: { criterion: criterion.id, team, label } },
      h(
        "div",
        { class: "score-line" },
        points,
        h("span", { class: "max" }, t("judge.outOf", { max })),
        withdraw,
      ),
      note,
      others.length
        ? h(
            "p",
            { class: "hint other-rounds" },
            t("judge.otherRounds", {
              list: others
                .map((s) =>
                  t("judge.roundScore", {
                    round: fmt.num(s.round),
                    points: fmt.num(s.points, s.points % 1 ? 1 : 0),
                  }),
                )
                .join(" · "),
            }),
          )
        : null,
      h("p", { class: "form-message cell-message", role: "alert" }),
    );
    const typed = () => {
      drafts.set(k, { points: points.value, note: note.value });
      checkCell(td);
    };
    points.addEventListener("input", typed);
    note.addEventListener("input", typed);
    for (const input of [points, note]) {
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          justUsed(input); // the saved row shows at once, the judge still in the field
          saveRow(team);
        }
      });
    }
    withdraw.addEventListener("click", () => withdrawScore(criterion, team));
    if (draft) queueMicrotask(() => checkCell(td));
    return td;
  }

  function drawGrid() {
    const grid = $("#rubric-grid");
    const criteria = data?.criteria || [];
    $("#rubric-none").hidden = !data || criteria.length > 0;
    const needsName = session().role === "judge" && !session().member;
    $("#rubric-needs-name").hidden = !needsName;
    $("#as-judge-wrap").hidden = !isInstructor();
    $("#rubric-round-wrap").hidden = !criteria.some((c) => c.per_round);
    $("#rubric-weight").textContent = !data
      ? ""
      : data.weight > 0
        ? t("judge.weight", { weight: fmt.num(data.weight, data.weight % 1 ? 1 : 0) })
        : t("judge.weightZero");
    if (held(grid, drawGrid)) return; // drawn once the judge has let go of it
    if (!data || !criteria.length || needsName) {
      grid.replaceChildren();
      return;
    }
    const active = /** @type {HTMLInputElement | null} */ (document.activeElement);
    const focus =
      active && grid.contains(active)
        ? {
            team: /** @type {HTMLElement | null} */ (active.closest("td,th"))?.dataset.team,
            criterion: /** @type {HTMLElement | null} */ (active.closest("td"))?.dataset.criterion,
            cls: active.className,
            selection: active.selectionStart == null ? null : [active.selectionStart, active.selectionEnd],
          }
        : null;
    const head = h(
      "tr",
      {},
      h("th", { scope: "col" }, t("common.team")),
      criteria.map((c) =>
        h(
          "th",
          { scope: "col", dataset: { criterion: c.id } },
          h("span", { class: "criterion" }, criterionName(c)),
          h(
            "span",
            { class: "hint" },
            t(c.per_round ? "judge.perRound" : "judge.once", {
              max: fmt.num(c.max_points, c.max_points % 1 ? 1 : 0),
            }),
          ),
        ),
      ),
      h("th", { scope: "col", class: "num" }, t("judge.component")),
      h("th", { scope: "col" }),
    );
    const body = teams().map((team) => {
      const pick = h("button", { type: "button", class: "team-pick" }, team);
      pick.addEventListener("click", () => onPickTeam(team));
      const save = h("button", { type: "button", class: "primary save" }, t("judge.save"));
      save.addEventListener("click", () => saveRow(team));
      return h(
        "tr",
        { dataset: { team }, class: team === selected ? "selected" : null },
        h("th", { scope: "row", dataset: { team } }, pick),
        criteria.map((c) => cell(c, team)),
        h(
          "td",
          { class: "num component", dataset: { label: t("judge.component") } },
          fmt.score(data.component[team]),
        ),
        h("td", { class: "row-actions" }, save),
      );
    });
    fill(grid, h("thead", {}, head), h("tbody", {}, body));
    if (focus?.team) {
      const scope = grid.querySelector(`tr[data-team="${CSS.escape(focus.team)}"]`);
      const target = focus.criterion
        ? scope?.querySelector(`td[data-criterion="${focus.criterion}"] .${focus.cls.split(" ")[0]}`)
        : scope?.querySelector("th button");
      if (target) {
        target.focus({ preventScroll: true });
        handOver(active, target);
        if (focus.selection && target.setSelectionRange) target.setSelectionRange(...focus.selection);
      }
    }
  }

  function drawRounds() {
    const select = $("#rubric-round");
    if (held(select, drawRounds)) return; // its list is not rebuilt while the judge opens it
    const s = status();
    const last = Math.max(1, defaultRound(s));
    const max = s?.state === "finished" ? s.rounds : Math.max(last, round);
    select.replaceChildren(
      ...Array.from({ length: max }, (_, i) =>
        h(
          "option",
          { value: String(i + 1), selected: i + 1 === round },
          t("judge.roundN", { round: fmt.num(i + 1) }),
        ),
      ),
    );
  }

  function drawLog() {
    const table = $("#rubric-log");
    $("#rubric-log-title").textContent = selected ? t("judge.logFor", { team: selected }) : t("judge.log");
    const note = $("#rubric-log-note");
    if (!selected) {
      table.replaceChildren();
      note.textContent = t("judge.logPick");
      return;
    }
    const lines = log.filter((e) => e.team === selected);
    note.textContent = lines.length ? "" : t("judge.logNone");
    if (!lines.length) {
      table.replaceChildren();
      return;
    }
    const names = new Map((data?.criteria || []).map((c) => [c.id, c]));
    const earlier = new Set();
    const marks = new Map();
    for (const line of [...lines].sort((a, b) => a.seq - b.seq)) {
      const k = `${key(line.criterion_id, line.team, line.round)}|${line.judge}`;
      marks.set(line.seq, earlier.has(k));
      earlier.add(k);
    }
    const label = (c) => t(`judge.log.${c}`);
    const rows = [...lines]
      .sort((a, b) => b.seq - a.seq)
      .map((line) =>
        h(
          "tr",
          { dataset: { seq: line.seq } },
          h(
            "td",
            { class: "when", dataset: { label: label("when") } },
            h("span", {}, fmt.date(line.at)),
            h("span", { class: "hint" }, fmt.simTime(line.t_sim, status())),
          ),
          h(
            "td",
            { dataset: { label: label("criterion") } },
            criterionName(names.get(line.criterion_id)) || `#${line.criterion_id}`,
          ),
          h(
            "td",
            { dataset: { label: label("round") } },
            line.round == null ? t("judge.log.once") : fmt.num(line.round),
          ),
          h("td", { dataset: { label: label("judge") } }, line.judge),
          h(
            "td",
            { class: "num points", dataset: { label: label("points") } },
            line.points == null
              ? h("span", { class: "badge warn" }, t("judge.log.withdrawn"))
              : fmt.num(line.points, line.points % 1 ? 1 : 0),
          ),
          h("td", { class: "note", dataset: { label: label("note") } }, line.note || "—"),
          h(
            "td",
            { dataset: { label: label("by") } },
            line.by === "instructor" ? t("judge.instructorHere") : line.by,
            " ",
            h(
              "span",
              { class: `badge ${marks.get(line.seq) ? "warn correction" : "first"}` },
              t(marks.get(line.seq) ? "judge.log.correction" : "judge.log.first"),
            ),
          ),
        ),
      );
    fill(
      table,
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["when", "criterion", "round", "judge", "points", "note", "by"].map((c) =>
            h("th", { scope: "col", class: c === "points" ? "num" : null }, t(`judge.log.${c}`)),
          ),
        ),
      ),
      h("tbody", {}, rows),
    );
  }

  async function load() {
    try {
      [data, log] = await Promise.all([
        api(`/api/v1/competitions/${competitionId}/rubric`),
        api(`/api/v1/competitions/${competitionId}/rubric/log`),
      ]);
    } catch (error) {
      showError(error);
      return;
    }
    drawRounds();
    drawGrid();
    drawLog();
  }

  async function send(body) {
    if (isInstructor()) body.judge = me();
    return api(`/api/v1/competitions/${competitionId}/rubric/scores`, { method: "PUT", body });
  }

  async function saveRow(team) {
    if (!me()) {
      message(t("judge.asJudgeMissing"));
      return;
    }
    const row = $(`#rubric-grid tr[data-team="${CSS.escape(team)}"]`);
    const checks = [...row.querySelectorAll("td.score")].map(checkCell);
    const problem = checks.find((c) => c.problem);
    if (problem) {
      message(t("judge.fixFirst", { problem: problem.problem }));
      row.querySelector('input[aria-invalid="true"]')?.focus();
      return;
    }
    const changes = checks.filter((c) => c.changed);
    if (!changes.length) {
      message(t("judge.nothingToSave"), "warn");
      return;
    }
    message("", "ok");
    for (const change of changes) {
      const r = roundOf(change.criterion);
      try {
        await send({
          criterion_id: change.criterion.id,
          team,
          round: r,
          points: change.points,
          note: change.note,
        });
      } catch (error) {
        message(error.detail || error.message);
        showError(error);
        break;
      }
      drafts.delete(key(change.criterion.id, team, r));
      toast(
        t("judge.saved", {
          team,
          criterion: criterionName(change.criterion),
          points: fmt.num(change.points, change.points % 1 ? 1 : 0),
        }),
      );
    }
    await load();
  }

  async function withdrawScore(criterion, team) {
    if (!confirmAction(t("judge.withdrawConfirm", { team, criterion: criterionName(criterion) }))) return;
    const r = roundOf(criterion);
    try {
      await send({ criterion_id: criterion.id, team, round: r, points: null, note: "" });
    } catch (error) {
      message(error.detail || error.message);
      showError(error);
      return;
    }
    drafts.delete(key(criterion.id, team, r));
    toast(t("judge.withdrawn", { team, criterion: criterionName(criterion) }));
    await load();
  }

  $("#rubric-round").addEventListener("change", (event) => {
    round = Number(event.target.value);
    roundChosen = true;
    drawGrid();
  });
  $("#as-judge").addEventListener("change", () => {
    drafts.clear();
    drawGrid();
  });
  $("#rubric-relogin").addEventListener("click", onRelogin);

  return {
    load,
    /** The criteria as last read (null before the first read). */
    get criteria() {
      return data?.criteria || null;
    },
    select(team) {
      selected = team;
      for (const tr of root.querySelectorAll("#rubric-grid tbody tr"))
        tr.classList.toggle("selected", tr.dataset.team === team);
      drawLog();
    },
    status() {
      const next = defaultRound(status());
      if (!roundChosen && next !== round) {
        round = next;
        drawGrid();
      }
      drawRounds();
    },
    standings(rows) {
      const now = JSON.stringify(rows.map((r) => [r.team, r.rubric]).sort());
      if (lastRubric !== null && now !== lastRubric) {
        clearTimeout(reloadTimer);
        reloadTimer = setTimeout(load, 800);
      }
      lastRubric = now;
    },
    redraw() {
      drawRounds();
      drawGrid();
      drawLog();
    },
  };
}
