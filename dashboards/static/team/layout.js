// Layout and keys: several columns on a wide screen, one panel at a time behind tabs on a
// phone; on a laptop the same counted tabs stay in view under the header and jump to their
// panel, so that complaints and overdue invoices far below the fold are counted in view.
// Shortcut keys move between the panels (documented on the page). On a phone the tab bar scrolls
// sideways: an edge with more tabs past it fades (data-more-start / data-more-end), and the
// active tab is scrolled into view.

const PHONE = window.matchMedia("(max-width: 900px)");
const tabs = [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("#tabs [data-tab]"))];
let current = "inbox";

export function isPhone() {
  return PHONE.matches;
}

/** Show panel `name` (on a phone the other panels hide behind their tabs). */
export function showTab(name) {
  current = name;
  for (const tab of tabs) {
    const on = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", on ? "true" : "false");
    tab.tabIndex = on ? 0 : -1;
  }
  for (const card of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-panel]")))
    card.classList.toggle("shown", card.dataset.panel === name);
  if (isPhone()) {
    const active = tabs.find((t) => t.dataset.tab === name);
    // the first tab scrolls the bar back to its start, the round's clock in view again
    if (active === tabs[0]) document.getElementById("tabs").scrollLeft = 0;
    else active?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
}

/** Bring panel `name` into view and focus `target` (an element, or the panel's card). */
export function goTo(name, target) {
  showTab(name);
  const card = /** @type {HTMLElement | null} */ (document.querySelector(`[data-panel="${name}"]`));
  const el = target || card;
  if (!el) return;
  if (!isPhone()) el.scrollIntoView({ block: "nearest", behavior: "smooth" });
  el.focus({ preventScroll: !isPhone() ? true : false });
}

/** Counts on the tabs: {inbox: 3, approvals: 1, …}. */
export function setCounts(counts) {
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("#tabs [data-count]"))) {
    const n = counts[el.dataset.count] || 0;
    el.textContent = n ? String(n) : "";
    el.hidden = !n;
  }
}

/** Mark the edges of the tab bar that have more tabs past them (the fade drawn in team.css). */
function markEdges() {
  const bar = document.getElementById("tabs");
  const mark = () => {
    const start = bar.scrollLeft > 1;
    const end = bar.scrollLeft + bar.clientWidth < bar.scrollWidth - 1;
    bar.toggleAttribute("data-more-start", start);
    bar.toggleAttribute("data-more-end", end);
  };
  bar.addEventListener("scroll", mark, { passive: true });
  new ResizeObserver(mark).observe(bar);
  for (const tab of tabs) new ResizeObserver(mark).observe(tab); // a count that appears widens it
  mark();
}

/** Keep --bar-h at the header's height: the laptop's tab bar sticks right under it. */
function trackHeader() {
  const bar = document.getElementById("bar");
  const set = () => document.documentElement.style.setProperty("--bar-h", `${bar.offsetHeight}px`);
  new ResizeObserver(set).observe(bar);
  set();
}

export function startLayout(defaultTab) {
  trackHeader();
  markEdges();
  // on a phone a tab shows its panel; on a laptop every panel shows and the tab jumps to it
  for (const tab of tabs)
    tab.addEventListener("click", () => (isPhone() ? showTab(tab.dataset.tab) : goTo(tab.dataset.tab)));
  document.getElementById("tabs").addEventListener("keydown", (event) => {
    const i = tabs.findIndex((t) => t.dataset.tab === current);
    let next = null;
    if (event.key === "ArrowRight") next = tabs[(i + 1) % tabs.length];
    else if (event.key === "ArrowLeft") next = tabs[(i - 1 + tabs.length) % tabs.length];
    if (next) {
      event.preventDefault();
      showTab(next.dataset.tab);
      next.focus();
    }
  });
  showTab(defaultTab);
}

/** Shortcut keys outside text fields: `keys` maps a key to an action. */
export function bindShortcuts(keys) {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = /** @type {HTMLElement} */ (event.target);
    const typing = target.closest?.("input, textarea, select, [contenteditable]");
    if (event.key === "Escape" && keys.Escape) {
      keys.Escape(event);
      return;
    }
    if (typing) return;
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action(event);
    }
  });
}
