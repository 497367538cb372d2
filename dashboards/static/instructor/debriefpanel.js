// The Debrief tab: the round's pictures (debrief/view.js) in the panel, and a link that opens
// them on the projector. Loads when the tab is opened and again when a round ends.

import { addStrings, onLangChange, t } from "/static/common/i18n.js";
import { h } from "/static/common/ui.js";
import { DebriefView } from "/static/debrief/view.js";
import STRINGS from "/static/strings/debrief.js";

addStrings(STRINGS);

export function mountDebrief(panel, ctx) {
  const lead = h("p", { class: "hint" });
  const open = h("a", {
    class: "button primary",
    href: `/debrief/${ctx.id}`,
    target: "_blank",
    rel: "noopener",
    id: "open-debrief",
  });
  const host = h("div", { class: "debrief" });
  panel.append(
    h("section", { class: "card debrief-card" }, h("div", { class: "debrief-head" }, lead, open), host),
  );
  const view = new DebriefView(host, { id: ctx.id });
  const label = () => {
    lead.textContent = t("debrief.panelLead");
    open.textContent = t("debrief.open");
  };
  label();
  let shown = false;
  let loadedAt = null;
  const refresh = () => {
    const key = `${ctx.status.state}:${ctx.status.round}:${ctx.status.between_rounds}`;
    if (!shown || key === loadedAt) return;
    loadedAt = key;
    view.load();
  };
  ctx.on("tab", (name) => {
    shown = name === "debrief";
    refresh();
  });
  ctx.on("status", refresh);
  onLangChange(() => {
    label();
    view.relabel();
  });
}
