// The quote form: discount, credit terms, delivery promise and installments for the open
// inquiry, with the unit price they give and the desk's rules checked as the member types —
// within the role's discount authority the quote goes out at once, above it (up to the
// approver's) it waits in the approval queue, beyond that and below cost it is refused.
// The checks only advise: the server decides, and its reason is shown when it refuses.

import { fmt, lang, t } from "/static/common/i18n.js";
import { confirmAction, showError, toast } from "/static/common/ui.js";
import { badge, countdown, digest, h, redraw, segmentName, short } from "/static/team/dom.js";
import { goTo, isPhone } from "/static/team/layout.js";
import { can, command, customer, desk, id, inquiry, store } from "/static/team/store.js";

/**
 * The page's element with this id, of the kind the page's HTML gives it (an input, a form …).
 * @param {string} id
 * @returns {any}
 */
const $ = (id) => document.getElementById(id);
const form = $("quote-form");
const inputs = {
  discount: $("q-discount"),
  terms: $("q-terms"),
  delivery: $("q-delivery"),
  installments: $("q-installments"),
};
const EPS = 1e-9;

const round2 = (x) => Math.round(x * 100) / 100;
const floorHalf = (x) => Math.max(0, Math.floor(x * 2) / 2);

/** The largest position discount that keeps the unit price at or above the unit cost. */
export function floorDiscount(inq, rules) {
  const most = 1 - inq.list_discount - rules.unit_cost / inq.list_price;
  return Math.max(0, Math.floor(most * 1000 + EPS) / 1000);
}

/** Where a discount goes: "send" (within the role's authority), "approval" or "refuse". */
export function route(discount, rules) {
  if (discount <= rules.my_authority + EPS) return "send";
  if (discount <= rules.max_discount + EPS) return "approval";
  return "refuse";
}

function number(text) {
  if (text === "" || text == null) return NaN;
  return Number(text);
}

/**
 * Check a quote as the desk would: returns the price it gives, where it would go and the
 * lines to show ({kind: ok | warn | error, text, field}).
 */
export function checkQuote(inq, rules, values, cust, freeCash) {
  const lines = [];
  const bad = (field, text) => lines.push({ kind: "error", field, text });
  const warn = (field, text) => lines.push({ kind: "warn", field, text });
  const pct = number(values.discount);
  const terms = number(values.terms);
  const delivery = number(values.delivery);
  const installments = number(values.installments);
  let discount = Number.isFinite(pct) ? pct / 100 : NaN;
  if (!Number.isFinite(pct) || pct < 0 || pct > 99) {
    bad("discount", t("team.q.badDiscount"));
    discount = NaN;
  }
  if (!Number.isFinite(terms) || terms < 0 || terms > rules.max_terms_days)
    bad("terms", t("team.q.badTerms", { max: rules.max_terms_days }));
  if (!Number.isFinite(delivery) || delivery < 0 || delivery > rules.max_delivery_days)
    bad("delivery", t("team.q.badDelivery", { max: rules.max_delivery_days }));
  if (!Number.isInteger(installments) || installments < 1 || installments > rules.max_installments)
    bad("installments", t("team.q.badInstallments", { max: rules.max_installments }));
  const out = { lines, discount, price: null, total: null, route: null };
  if (Number.isFinite(discount)) {
    out.price = round2(inq.list_price * (1 - inq.list_discount - discount));
    out.total = round2(out.price * inq.quantity);
    out.route = route(discount, rules);
    if (out.price < rules.unit_cost) {
      bad(
        "discount",
        t("team.q.belowCost", {
          price: fmt.money(out.price, 2),
          cost: fmt.money(rules.unit_cost, 2),
          most: fmt.pct(floorDiscount(inq, rules), 1),
        }),
      );
    }
    const limits = {
      mine: fmt.pct(rules.my_authority),
      max: fmt.pct(rules.max_discount),
      approver: t(`role.${rules.approver}`),
    };
    if (out.route === "send")
      lines.push({ kind: "ok", field: "discount", text: t("team.q.routeSend", limits) });
    else if (out.route === "approval")
      lines.push({
        kind: "warn",
        field: "discount",
        text: t("team.q.routeApproval", limits),
        route: "approval",
      });
    else bad("discount", t("team.q.routeRefuse", limits));
  }
  if (Number.isFinite(delivery) && delivery > inq.wanted_delivery + EPS) {
    warn("delivery", t("team.q.tooLate", { days: fmt.num(inq.wanted_delivery, 1) }));
  } else if (Number.isFinite(delivery) && delivery < rules.lead_time_days - EPS) {
    warn("delivery", t("team.q.rushed", { days: fmt.num(rules.lead_time_days, 0) }));
  }
  if (Number.isFinite(terms) && terms > inq.requested_terms + EPS)
    warn("terms", t("team.q.longTerms", { days: fmt.num(inq.requested_terms, 0) }));
  if (
    cust &&
    cust.credit_limit != null &&
    terms > 0 &&
    out.total != null &&
    cust.open_balance + out.total > cust.credit_limit + EPS
  ) {
    bad(
      "terms",
      t("team.q.creditLimit", {
        limit: fmt.money(cust.credit_limit),
        balance: fmt.money(cust.open_balance),
        total: fmt.money(out.total),
      }),
    );
  }
  const goods = inq.quantity * rules.unit_cost + rules.order_cost;
  if (freeCash != null && goods > freeCash + EPS)
    warn(null, t("team.q.cash", { goods: fmt.money(goods), free: fmt.money(freeCash) }));
  return out;
}

// --- the form ---------------------------------------------------------------------------------

let openId = null;

function values() {
  return {
    discount: inputs.discount.value,
    terms: inputs.terms.value,
    delivery: inputs.delivery.value,
    installments: inputs.installments.value,
  };
}

/** Put inquiry `inquiryId` into the form (its current quote, else the customer's wishes). */
export function openInquiry(inquiryId) {
  const inq = inquiry(inquiryId);
  const rules = desk();
  store.selected = inquiryId;
  openId = inquiryId;
  if (!inq || !rules) return;
  store.customer = inq.customer_id;
  const quoted = inq.status === "quoted" && inq.discount != null;
  inputs.discount.value = quoted ? String(round2(inq.discount * 100)) : "0";
  inputs.terms.value = String(quoted ? inq.terms_days : inq.requested_terms);
  inputs.delivery.value = String(
    quoted ? inq.delivery_days : Math.min(floorHalf(inq.wanted_delivery), rules.lead_time_days),
  );
  drawInstallments(rules);
  inputs.installments.value = "1";
  $("q-reason").value = "";
  drawQuote(true);
}

function drawInstallments(rules) {
  const n = rules.max_installments;
  if (inputs.installments.options.length === n) return;
  const chosen = inputs.installments.value || "1";
  inputs.installments.replaceChildren(
    ...Array.from({ length: n }, (_, i) => h("option", { value: String(i + 1) }, String(i + 1))),
  );
  inputs.installments.value = chosen;
}

function summary(inq) {
  const parts = [
    h(
      "div",
      { class: "quote-head" },
      h("strong", {}, short(inq.inquiry_id)),
      " · ",
      h(
        "button",
        { type: "button", class: "linkish", dataset: { customer: inq.customer_id } },
        inq.customer_id,
      ),
      " · ",
      segmentName(inq.segment),
      " · ",
      t("team.q.units", { n: inq.quantity }),
      inq.repeat ? [" ", badge(t("team.repeat"), "ok")] : null,
    ),
    h(
      "div",
      { class: "quote-meta" },
      h(
        "span",
        {},
        t("team.q.asks", {
          terms: fmt.num(inq.requested_terms, 0),
          delivery: fmt.num(inq.wanted_delivery, 1),
        }),
      ),
      h("span", {}, t("team.q.expires"), " ", countdown(inq.expires_t, { warnHours: 2 })),
    ),
  ];
  if (inq.pending_approval)
    parts.push(h("p", { class: "banner inline warn", id: "q-pending" }, t("team.q.pending")));
  else if (inq.status === "quoted") {
    parts.push(
      h(
        "p",
        { class: "current" },
        t("team.q.current", {
          price: fmt.money(inq.unit_price, 2),
          discount: fmt.pct(inq.discount, 1),
          terms: fmt.num(inq.terms_days, 0),
          delivery: fmt.num(inq.delivery_days, 1),
          revision: inq.revision + 1,
        }),
        inq.followed_up ? [" ", badge(t("team.q.followedUp"))] : null,
      ),
    );
  }
  return parts;
}

function meter(inq, rules, discount) {
  const floor = floorDiscount(inq, rules);
  const scale = Math.min(1, Math.max(rules.max_discount * 1.4, floor + 0.03, (discount || 0) + 0.03));
  const at = (x) => `${Math.min(100, (x / scale) * 100)}%`;
  const zone = (kind, width) => {
    if (width <= EPS) return null;
    const el = h("span", { class: `zone ${kind}` });
    el.style.width = at(width);
    return el;
  };
  const bar = h(
    "div",
    { class: "meter" },
    h(
      "div",
      { class: "zones" },
      zone("send", rules.my_authority),
      zone("approval", rules.max_discount - rules.my_authority),
      zone("refuse", scale - rules.max_discount),
    ),
    floor < scale ? h("span", { class: "floor", title: t("team.q.floorMark") }) : null,
    Number.isFinite(discount) ? h("span", { class: "mark" }) : null,
  );
  const floorEl = bar.querySelector(".floor");
  if (floorEl) floorEl.style.left = at(floor);
  const mark = bar.querySelector(".mark");
  if (mark) mark.style.left = at(Math.max(0, Math.min(discount, scale)));
  const legend = h(
    "div",
    { class: "meter-legend" },
    h("span", { class: "key send" }, t("team.q.zoneSend", { upto: fmt.pct(rules.my_authority) })),
    rules.max_discount > rules.my_authority + EPS
      ? h("span", { class: "key approval" }, t("team.q.zoneApproval", { upto: fmt.pct(rules.max_discount) }))
      : null,
    h("span", { class: "key refuse" }, t("team.q.zoneRefuse")),
    h("span", { class: "key floor" }, t("team.q.zoneFloor", { at: fmt.pct(floor, 1) })),
  );
  return [bar, legend];
}

function priceLine(inq, rules, check) {
  if (check.price == null) return [];
  const margin = check.price - rules.unit_cost;
  return [
    h(
      "div",
      { class: "price-main" },
      h("span", { class: "label" }, t("team.q.unitPrice")),
      " ",
      h("strong", { id: "q-unit-price", dataset: { value: String(check.price) } }, fmt.money(check.price, 2)),
      h(
        "span",
        { class: "muted" },
        " ",
        t("team.q.priceFrom", {
          list: fmt.money(inq.list_price, 2),
          listDiscount: fmt.pct(inq.list_discount, 1),
          discount: fmt.pct(check.discount, 1),
        }),
      ),
    ),
    h(
      "div",
      { class: "price-sub" },
      h("span", {}, t("team.q.total", { total: fmt.money(check.total, 2) })),
      h(
        "span",
        { class: margin < 0 ? "bad" : "" },
        t("team.q.margin", {
          margin: fmt.money(margin, 2),
          share: check.price > 0 ? fmt.pct(margin / check.price, 1) : "—",
        }),
      ),
    ),
  ];
}

/** Redraw the form for the open inquiry; `fresh` after opening another one. */
export function drawQuote(fresh = false) {
  const inq = openId ? inquiry(openId) : null;
  const rules = desk();
  const emptyNote = $("quote-empty");
  if (!inq || !rules) {
    form.hidden = true;
    emptyNote.hidden = false;
    emptyNote.textContent =
      openId && rules ? t("team.q.closed", { id: short(openId) }) : t("team.quoteEmpty");
    return;
  }
  form.hidden = false;
  emptyNote.hidden = true;
  drawInstallments(rules);
  redraw($("quote-summary"), digest(lang, inq), () => summary(inq));
  const mine = rules.my_authority,
    max = rules.max_discount;
  $("q-discount-hint").textContent =
    mine + EPS >= max
      ? t("team.q.authorityManager", { max: fmt.pct(max) })
      : t("team.q.authority", {
          mine: fmt.pct(mine),
          max: fmt.pct(max),
          approver: t(`role.${rules.approver}`),
        });
  $("q-terms-hint").textContent = t("team.q.termsHint", {
    days: fmt.num(inq.requested_terms, 0),
    max: rules.max_terms_days,
  });
  $("q-delivery-hint").textContent = t("team.q.deliveryHint", {
    days: fmt.num(inq.wanted_delivery, 1),
    lead: fmt.num(rules.lead_time_days, 0),
  });
  const result = check(inq, rules);
  sendable(inq, result);
  $("q-follow").disabled = !(inq.status === "quoted" && !inq.followed_up && can("follow_up"));
  $("q-decline").disabled = !can("decline_inquiry");
  $("q-reason").disabled = !can("decline_inquiry");
  for (const el of Object.values(inputs)) el.disabled = !can("send_quote");
  if (fresh) form.dataset.inquiry = inq.inquiry_id;
}

/**
 * Send and Revise only for a quote the desk can take: one the form already knows the server
 * would refuse (above the largest discount, below cost, past a credit limit …) is not sent,
 * since each refused click counts against the team on the monitor and in the grades.
 */
function sendable(inq, result) {
  const pending = Boolean(inq.pending_approval);
  const refused = result.lines.some((l) => l.kind === "error");
  $("q-send").disabled = !(inq.status === "open" && !pending && can("send_quote")) || refused;
  $("q-revise").disabled = !(inq.status === "quoted" && !pending && can("revise_quote")) || refused;
  $("q-send").title = refused ? t("team.q.fixFirst") : "";
}

function check(inq, rules) {
  const result = checkQuote(inq, rules, values(), customer(inq.customer_id), store.state?.free_cash);
  if (inq.pending_approval)
    result.lines.unshift({ kind: "warn", field: null, text: t("team.q.pendingCheck") });
  if (!can("send_quote")) result.lines.unshift({ kind: "error", field: null, text: t("team.q.noRole") });
  const out = $("q-check");
  const worst = result.lines.some((l) => l.kind === "error")
    ? "error"
    : result.lines.some((l) => l.kind === "warn")
      ? "warn"
      : "ok";
  out.className = `form-message check ${worst}`;
  out.dataset.route = result.route || "";
  out.replaceChildren(...result.lines.map((l) => h("span", { class: `line ${l.kind}` }, l.text)));
  for (const [name, el] of Object.entries(inputs)) {
    el.setAttribute(
      "aria-invalid",
      result.lines.some((l) => l.kind === "error" && l.field === name) ? "true" : "false",
    );
  }
  $("q-meter").replaceChildren(...meter(inq, rules, result.discount));
  $("q-price").replaceChildren(...priceLine(inq, rules, result));
  return result;
}

function body() {
  const v = values();
  return {
    discount: Math.round(Number(v.discount) * 1000) / 100000,
    terms_days: Number(v.terms),
    delivery_days: Number(v.delivery),
    installments: Number(v.installments),
  };
}

async function quote(kind) {
  const inq = inquiry(openId);
  if (!inq) return;
  const buttons = [$("q-send"), $("q-revise")];
  for (const b of buttons) b.disabled = true;
  try {
    const result = await command("POST", `/inquiries/${id(inq.inquiry_id)}/${kind}`, body());
    const kinds = result.events.map((e) => e.kind);
    if (kinds.includes("approval_requested")) {
      toast(t("team.q.queued", { id: short(inq.inquiry_id), approver: t(`role.${desk().approver}`) }), "ok");
    } else {
      const sent = result.events.find((e) => e.kind === "quote_sent");
      toast(
        t(kind === "revise" ? "team.q.revised" : "team.q.sent", {
          id: short(inq.inquiry_id),
          price: fmt.money(sent?.unit_price, 2),
        }),
        "ok",
      );
    }
    if (isPhone()) goTo("inbox"); // on a phone, back to the list for the next inquiry
  } catch (error) {
    showError(error);
  } finally {
    drawQuote();
  }
}

form.addEventListener("input", () => {
  const inq = inquiry(openId);
  if (inq && desk()) sendable(inq, check(inq, desk()));
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const inq = inquiry(openId);
  if (!inq) return;
  quote(inq.status === "quoted" ? "revise" : "quote");
});
$("q-revise").addEventListener("click", () => quote("revise"));
$("q-follow").addEventListener("click", async () => {
  const inq = inquiry(openId);
  if (!inq) return;
  try {
    await command("POST", `/inquiries/${id(inq.inquiry_id)}/follow-up`);
    toast(t("team.q.followed", { id: short(inq.inquiry_id) }), "ok");
  } catch (error) {
    showError(error);
  }
});
$("q-decline").addEventListener("click", async () => {
  const inq = inquiry(openId);
  if (!inq) return;
  const reason = $("q-reason").value.trim();
  if (!confirmAction(t("team.q.declineConfirm", { id: short(inq.inquiry_id) }))) return;
  try {
    await command("POST", `/inquiries/${id(inq.inquiry_id)}/decline`, { reason });
    toast(t("team.q.declined", { id: short(inq.inquiry_id) }), "ok");
  } catch (error) {
    showError(error);
  }
});

/** Focus the form's first field (the "q" shortcut). */
export function focusQuote() {
  if (!form.hidden && !inputs.discount.disabled) {
    inputs.discount.focus();
    inputs.discount.select();
  } else {
    $("quote-card").focus();
  }
}
