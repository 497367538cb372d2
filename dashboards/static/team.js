// The team's CRM console: join with the team code, then work the team's customers live —
// inbox with SLA timers, quotes with the discount authority checked as you type, approvals,
// orders, receivables, complaints, campaigns and policies. Follows /ws/team and re-reads the
// team's records (at most every 500 ms) whenever its events arrive.

import { logout, onSessionExpired, whoami } from "/static/common/api.js";
import { addStrings, applyStatic, bindLangButton, onLangChange, t } from "/static/common/i18n.js";
import { follow } from "/static/common/live.js";
import { connectionBadge, showError } from "/static/common/ui.js";
import STRINGS from "/static/strings/team.js";
import { addEvent, drawActivity, loadActivity } from "/static/team/activity.js";
import { drawApprovals } from "/static/team/approvals.js";
import { drawComplaints } from "/static/team/complaints.js";
import { drawCustomer } from "/static/team/customer.js";
import { tickCountdowns } from "/static/team/dom.js";
import { drawClock, drawHeader } from "/static/team/header.js";
import { drawInbox, focusInbox, onInquiryOpen } from "/static/team/inbox.js";
import { showJoin } from "/static/team/join.js";
import { bindShortcuts, goTo, isPhone, setCounts, startLayout } from "/static/team/layout.js";
import { drawMarketing } from "/static/team/marketing.js";
import { drawOrders } from "/static/team/orders.js";
import { drawPeerReview, startPeerReview } from "/static/team/peer.js";
import { drawQuote, focusQuote, openInquiry } from "/static/team/quote.js";
import { drawReceivables } from "/static/team/receivables.js";
import { relabelRoundReport, showRoundReport } from "/static/team/roundreport.js";
import {
  changed,
  loadOverview,
  refresh,
  setStatus,
  store,
  subscribe,
  whenSessionLost,
} from "/static/team/store.js";

addStrings(STRINGS);
applyStatic();
bindLangButton(document.getElementById("lang"));

/**
 * The page's element with this id, of the kind the page's HTML gives it (an input, a form …).
 * @param {string} id
 * @returns {any}
 */
const $ = (id) => document.getElementById(id);
const DEFAULT_TAB = { manager: "inbox", sales: "inbox", service: "service", finance: "money" };
let started = false;

function drawAll() {
  const inConsole = Boolean(store.overview);
  $("wait-view").hidden = !(inConsole && store.waiting);
  $("console").hidden = !(inConsole && !store.waiting && store.state);
  if (store.waiting) $("wait-members").textContent = (store.overview?.members ?? []).join(", ") || "—";
  drawHeader();
  if (!store.state) return;
  drawPeerReview();
  drawInbox();
  drawQuote();
  drawCustomer();
  drawApprovals();
  drawOrders();
  const overdue = drawReceivables();
  drawComplaints();
  drawMarketing();
  drawActivity();
  const inbox = store.state.inbox.length;
  setCounts({
    inbox,
    approvals: store.state.approvals.length,
    money: overdue,
    service: store.state.complaints.filter((c) => c.status === "open").length,
  });
  const title = `${t("team.title")} · ${store.overview?.team ?? ""} · Salesfloor`;
  document.title = inbox ? `(${inbox}) ${title}` : title;
}

function open(inquiryId) {
  openInquiry(inquiryId);
  changed();
  goTo("deal", document.getElementById("q-discount"));
  // once the form is drawn, its first field; unless the user has moved on meanwhile (Escape
  // back to the inbox in the same instant must keep its place there)
  setTimeout(() => {
    const now = document.activeElement;
    if (!now || now === document.body || $("quote-card").contains(now)) focusQuote();
  }, 0);
}

/**
 * Events that change nothing in the team's state: the event itself says everything (an
 * announcement goes to every team at once, and a refresh of every console in the class
 * for it would be one request per member in the same instant).
 */
const NOTHING_TO_REFRESH = new Set(["announcement_made"]);

function onMessage(message) {
  const { type, data } = message;
  if (type === "hello" || type === "resync") {
    setStatus(data.status);
    store.standings = data.standings || [];
    refresh();
  } else if (type === "standings") {
    store.standings = data || [];
  } else if (type === "state") {
    setStatus(data);
    refresh();
    if (store.waiting) loadOverview().catch(() => {});
  } else if (type === "event") {
    addEvent(data);
    if (data.kind === "inquiry_received") {
      store.newInquiries.add(data.inquiry_id);
      setTimeout(() => {
        store.newInquiries.delete(data.inquiry_id);
        changed();
      }, 4000);
    }
    if (data.kind === "round_ended") roundOver(data.round);
    if (!NOTHING_TO_REFRESH.has(data.kind)) refresh();
  }
  changed();
}

/** A round has ended: the team's own report of it opens by itself. */
function roundOver(round) {
  const id = store.status?.id;
  const team = store.overview?.team;
  showRoundReport(round, id, id && team ? `/report/${id}/${encodeURIComponent(team)}` : null);
}

async function start() {
  if (started) return;
  let overview;
  try {
    overview = await loadOverview();
  } catch (error) {
    if (error.status === 401 || error.status === 403) return showJoin(null, start);
    showError(error);
    return;
  }
  started = true;
  $("logout").hidden = false;
  subscribe(drawAll);
  startPeerReview();
  startLayout(DEFAULT_TAB[overview.role] || "inbox");
  follow("/ws/team", { onMessage, onState: connectionBadge($("link")) });
  refresh();
  loadActivity().then(changed, (error) => console.warn(error));
  setInterval(() => {
    drawClock();
    tickCountdowns();
  }, 1000);
  setInterval(() => {
    refresh();
    if (store.waiting) loadOverview().catch(() => {});
  }, 5000);
}

onInquiryOpen(open);
onLangChange(() => {
  changed();
  relabelRoundReport();
});
whenSessionLost(() => {
  location.href = `/team${location.search}`;
});
// a command that finds the session expired: start again, with the join form saying why
onSessionExpired(() => {
  if (started) location.href = `/team${location.search}`;
});

$("logout").addEventListener("click", async () => {
  try {
    await logout();
  } catch (error) {
    showError(error);
    return;
  }
  location.href = "/team";
});

document.addEventListener("click", (event) => {
  const link = /** @type {HTMLElement | null} */ (
    /** @type {HTMLElement} */ (event.target).closest?.("[data-customer]")
  );
  if (!link) return;
  store.customer = link.dataset.customer;
  changed();
  goTo("deal", $("customer-card"));
});

bindShortcuts({
  "/": () => {
    goTo("inbox");
    focusInbox();
  },
  q: () => {
    goTo("deal");
    focusQuote();
  },
  u: () => goTo("deal", $("customer-card")),
  a: () => goTo("approvals"),
  o: () => goTo("orders"),
  r: () => goTo("money"),
  c: () => goTo("service"),
  m: () => goTo("marketing"),
  "?": () => {
    const help = $("shortcuts");
    help.open = !help.open;
    if (help.open) help.querySelector("summary").focus();
  },
  Escape: (event) => {
    if (/** @type {HTMLElement} */ (event.target).closest?.("#quote-card, #customer-card")) {
      goTo("inbox");
      focusInbox();
    }
  },
});

async function boot() {
  let session = null;
  try {
    session = await whoami();
  } catch (error) {
    showError(error);
  }
  if (session?.role === "member") await start();
  else showJoin(session, start);
}

if (isPhone()) document.body.classList.add("phone");
boot();
