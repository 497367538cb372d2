// The reveal ceremony: start from the frozen table, then, step by step as the server ordered them
// (bottom of the table first), light up the team, count its score from the frozen composite to
// the final one and move it to its final place; end on the final table.

import { fmt, t } from "/static/common/i18n.js";
import { fill, h } from "/static/common/ui.js";

class Cancelled extends Error {}

const INTRO_MS = 2000;
const LIGHT_MS = 450;
const COUNT_MS = 800;
const MOVE_MS = 1000;
const SUSPENSE_MS = 700;

export class Ceremony {
  constructor({ table, panel, text, dots }) {
    this.table = table;
    this.panel = panel;
    this.text = text;
    this.dots = dots;
    this.generation = 0;
    this.running = false;
    this.message = null;
  }

  cancel() {
    this.generation += 1;
    this.running = false;
  }

  async wait(ms, generation) {
    await new Promise((resolve) => {
      setTimeout(resolve, ms);
    });
    if (generation !== this.generation) throw new Cancelled();
  }

  say(key, vars = {}) {
    this.message = { key, vars };
    this.text.textContent = t(key, vars);
  }

  relabel() {
    if (this.message && !this.panel.hidden) this.say(this.message.key, this.message.vars);
  }

  /** Play `reveal` ({frozen, steps, final}); resolves true when it ran to the end. */
  async play(reveal) {
    this.cancel();
    const generation = this.generation;
    this.running = true;
    document.body.dataset.ceremony = "running";
    try {
      await this.run(reveal, generation);
      return true;
    } catch (error) {
      if (error instanceof Cancelled) return false;
      throw error;
    } finally {
      if (generation === this.generation) this.running = false;
    }
  }

  async run(reveal, generation) {
    const { frozen, steps, final } = reveal;
    const frozenBy = new Map(frozen.map((r) => [r.team, r]));
    const finalBy = new Map(final.map((r) => [r.team, r]));
    const revealed = new Set();
    const shown = (team, i) => ({
      ...(revealed.has(team) ? finalBy.get(team) : frozenBy.get(team)),
      rank: i + 1,
    });

    this.panel.hidden = false;
    this.panel.dataset.phase = "intro";
    fill(
      this.dots,
      steps.map((s) => h("li", { dataset: { step: s.step } })),
    );
    this.table.clearMarks("revealing", "revealed", "pending");
    this.table.render(
      frozen.map((r, i) => ({ ...r, rank: i + 1 })),
      { animate: true, flash: false },
    );
    for (const r of frozen) this.table.mark(r.team, "pending");
    this.say("board.reveal.intro");
    await this.wait(INTRO_MS, generation);

    for (const step of steps) {
      const near = step.to_rank <= 3 || step.from_rank <= 3;
      this.panel.dataset.phase = "step";
      this.say("board.reveal.step", { step: fmt.num(step.step), steps: fmt.num(steps.length) });
      this.dots.children[step.step - 1]?.classList.add("current");
      if (near) await this.wait(SUSPENSE_MS, generation);
      this.table.mark(step.team, "pending", false);
      this.table.mark(step.team, "revealing");
      await this.wait(LIGHT_MS, generation);

      this.say("board.reveal.team", {
        team: step.team,
        from: fmt.score(step.frozen_composite),
        to: fmt.score(step.final_composite),
      });
      await this.table.tween(step.team, step.frozen_composite, step.final_composite, COUNT_MS);
      if (generation !== this.generation) throw new Cancelled();

      revealed.add(step.team);
      this.table.render(step.order.map(shown), { animate: true, flash: false });
      const moved = step.to_rank - step.from_rank;
      const vars = { team: step.team, from: fmt.num(step.from_rank), to: fmt.num(step.to_rank) };
      this.say(moved < 0 ? "board.reveal.up" : moved > 0 ? "board.reveal.down" : "board.reveal.stays", vars);
      await this.wait(MOVE_MS, generation);

      this.table.mark(step.team, "revealing", false);
      this.table.mark(step.team, "revealed");
      const dot = this.dots.children[step.step - 1];
      dot?.classList.replace("current", "done");
    }

    this.table.render(final, { animate: true, flash: false });
    this.table.clearMarks("revealing", "pending");
    this.panel.dataset.phase = "done";
    this.say("board.reveal.done");
    document.body.dataset.ceremony = "done";
  }

  /** Put the panel away (some time after the end). */
  hide() {
    if (this.running) return;
    this.panel.hidden = true;
    this.table.clearMarks("revealed");
  }
}
