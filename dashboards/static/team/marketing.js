// Cash, campaigns and the team's automation: a campaign buys a segment more inquiries for a
// while; policies answer routine work by themselves (a standing quote per segment, reminders
// some days after due, an apology for minor complaints) so that people handle the exceptions.

import { fmt, lang, t } from "/static/common/i18n.js";
import { act } from "/static/common/ui.js";
import { digest, drafts, field, h, message, redraw, segmentName } from "/static/team/dom.js";
import { can, command, desk, id, store } from "/static/team/store.js";

/**
 * The page's element with this id, of the kind the page's HTML gives it (an input, a form …).
 * @param {string} id
 * @returns {any}
 */
const $ = (id) => document.getElementById(id);
const EPS = 1e-9;

function drawCash(state, rules) {
  const aging = state.aging;
  const receivable = Object.values(aging).reduce((s, x) => s + x, 0);
  const overdue = receivable - (aging.current || 0);
  const rows = [
    [t("team.cash"), fmt.money(state.cash)],
    [t("team.freeCash"), fmt.money(state.free_cash), t("team.cashFreeHint")],
    [t("team.cashCommitted"), fmt.money(state.cash - state.free_cash)],
    [t("team.cashReceivable"), fmt.money(receivable)],
    [t("team.cashOverdue"), fmt.money(overdue)],
    [t("team.cashCampaigns"), fmt.num(rules.campaign.launched)],
  ];
  return h(
    "dl",
    { class: "facts cash-facts" },
    rows.map(([k, v, hint]) => [
      h("dt", {}, k),
      h("dd", {}, v, hint ? h("div", { class: "hint" }, hint) : null),
    ]),
  );
}

// --- campaigns ----------------------------------------------------------------------------------

/**
 * Whether the student has typed a budget or tried to launch: an untouched empty field at the first
 * draw shows the hint, not an error (the error appears once they type or try).
 */
let budgetTouched = false;

/**
 * Check the campaign form and say what is wrong; Launch is disabled while the form shows an error
 * (as Send on the quote form), so a launch the desk would refuse is not sent. Returns whether the
 * form shows an error.
 */
function checkCampaign() {
  const rules = desk();
  const state = store.state;
  if (!rules || !state) return false;
  const out = $("cp-check");
  const raw = $("cp-budget").value;
  const budget = Number(raw);
  let kind = "",
    text = "";
  if (raw === "" && !budgetTouched) {
    // untouched and empty: the hint above says what a campaign costs (and who may launch one)
    if (!can("launch_campaign")) [kind, text] = ["error", t("team.cp.noRole")];
  } else if (raw === "" || !Number.isFinite(budget) || budget < rules.campaign.min_budget) {
    kind = "error";
    text = t("team.cp.badBudget", { min: fmt.money(rules.campaign.min_budget) });
  } else if (budget > state.cash + EPS) {
    kind = "error";
    text = t("team.cp.noCash", { cash: fmt.money(state.cash) });
  } else if (budget > state.free_cash + EPS) {
    kind = "warn";
    text = t("team.cp.freeCash", { free: fmt.money(state.free_cash) });
  } else if (!can("launch_campaign")) {
    kind = "error";
    text = t("team.cp.noRole");
  }
  $("cp-budget").setAttribute("aria-invalid", kind === "error" ? "true" : "false");
  message(out, text, kind);
  const launch = $("cp-launch");
  launch.disabled = !can("launch_campaign") || kind === "error";
  launch.title = kind === "error" ? t("team.cp.fixFirst") : "";
  return kind === "error";
}

function drawCampaign(rules) {
  const select = $("cp-segment");
  const ids = rules.segments.map((s) => s.id);
  const key = digest(lang, ids);
  if (select.dataset.drawn !== key) {
    const chosen = select.value;
    select.dataset.drawn = key;
    select.replaceChildren(...ids.map((s) => h("option", { value: s }, segmentName(s))));
    if (ids.includes(chosen)) select.value = chosen;
  }
  $("cp-hint").textContent = t("team.cp.hint", {
    days: fmt.num(rules.campaign.days, 0),
    scale: fmt.money(rules.campaign.scale),
    lift: fmt.pct(rules.campaign.lift),
  });
  checkCampaign();
}

$("cp-budget").addEventListener("input", () => {
  budgetTouched = true;
  checkCampaign();
});
$("campaign-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  budgetTouched = true;
  if (checkCampaign()) return; // the form says what is wrong; nothing is sent
  const segment = $("cp-segment").value;
  const budget = Number($("cp-budget").value);
  const rules = desk();
  await act(
    () => command("POST", "/campaigns", { segment, budget }),
    t("team.cp.launched", {
      segment: segmentName(segment),
      budget: fmt.money(budget),
      days: fmt.num(rules?.campaign.days, 0),
    }),
  );
});

// --- policies ----------------------------------------------------------------------------------------

function quotePolicyRow(seg, policy, rules, editable) {
  const base = `pol:${seg.id}`;
  const d = policy ?? {
    discount: 0,
    terms_days: seg.requested_terms[1],
    delivery_days: rules.lead_time_days,
    delay_hours: 0.25,
  };
  const inputs = {
    enabled: field("input", `${base}:on`, { type: "checkbox", disabled: !editable }, Boolean(policy)),
    discount: field(
      "input",
      `${base}:discount`,
      { type: "number", min: "0", max: "99", step: "0.5", inputmode: "decimal", disabled: !editable },
      String(Math.round(d.discount * 1000) / 10),
    ),
    terms: field(
      "input",
      `${base}:terms`,
      { type: "number", min: "0", step: "1", inputmode: "decimal", disabled: !editable },
      String(d.terms_days),
    ),
    delivery: field(
      "input",
      `${base}:delivery`,
      { type: "number", min: "0", step: "0.5", inputmode: "decimal", disabled: !editable },
      String(d.delivery_days),
    ),
    delay: field(
      "input",
      `${base}:delay`,
      { type: "number", min: "0.01", step: "any", inputmode: "decimal", disabled: !editable },
      String(d.delay_hours),
    ),
  };
  const note = h("p", { class: "form-message" });
  const check = () => {
    const discount = Number(inputs.discount.value) / 100;
    let text = "",
      kind = "";
    if (inputs.discount.value === "" || !Number.isFinite(discount) || discount < 0)
      [text, kind] = [t("team.q.badDiscount"), "error"];
    else if (discount > rules.policy_max_discount + EPS)
      [text, kind] = [t("team.pol.aboveMax", { max: fmt.pct(rules.policy_max_discount) }), "error"];
    else if (
      inputs.enabled.checked &&
      rules.list_price * (1 - seg.list_discount - discount) < rules.unit_cost - EPS
    )
      [text, kind] = [t("team.pol.belowCost"), "error"];
    else if (Number(inputs.delay.value) < 0.01 || inputs.delay.value === "")
      [text, kind] = [t("team.pol.badDelay"), "error"];
    else if (inputs.enabled.checked) {
      const price = rules.list_price * (1 - seg.list_discount - discount);
      [text, kind] = [
        t("team.pol.preview", { price: fmt.money(price, 2), delay: fmt.hours(Number(inputs.delay.value)) }),
        "ok",
      ];
    }
    message(note, text, kind);
    inputs.discount.setAttribute("aria-invalid", kind === "error" ? "true" : "false");
  };
  const form = h(
    "form",
    {
      class: "policy",
      novalidate: true,
      dataset: { segment: seg.id },
      onsubmit: async (event) => {
        event.preventDefault();
        const body = {
          enabled: inputs.enabled.checked,
          discount: Math.round(Number(inputs.discount.value) * 1000) / 100000,
          terms_days: Number(inputs.terms.value),
          delivery_days: Number(inputs.delivery.value),
          delay_hours: Number(inputs.delay.value),
        };
        const done = await act(
          () => command("PUT", `/policies/quotes/${id(seg.id)}`, body),
          t(body.enabled ? "team.pol.quoteOn" : "team.pol.quoteOff", { segment: segmentName(seg.id) }),
        );
        if (done) for (const key of [...drafts.keys()]) if (key.startsWith(base)) drafts.delete(key);
      },
      oninput: check,
    },
    h(
      "div",
      { class: "policy-head" },
      h("label", { class: "inline" }, inputs.enabled, h("strong", {}, segmentName(seg.id))),
      h("span", { class: "muted" }, policy ? t("team.pol.active") : t("team.pol.inactive")),
    ),
    h(
      "div",
      { class: "policy-fields" },
      h("label", {}, h("span", {}, t("team.discount")), inputs.discount),
      h("label", {}, h("span", {}, t("team.pol.terms")), inputs.terms),
      h("label", {}, h("span", {}, t("team.delivery")), inputs.delivery),
      h("label", {}, h("span", {}, t("team.pol.delay")), inputs.delay),
      editable ? h("button", { type: "submit" }, t("common.save")) : null,
    ),
    note,
  );
  check();
  return form;
}

function reminderPolicy(policies, editable) {
  const on = field(
    "input",
    "pol:rem:on",
    { type: "checkbox", disabled: !editable },
    policies.reminder_days != null,
  );
  const days = field(
    "input",
    "pol:rem:days",
    { type: "number", min: "0", step: "0.5", inputmode: "decimal", disabled: !editable },
    String(policies.reminder_days ?? 1),
  );
  return h(
    "form",
    {
      class: "policy",
      novalidate: true,
      id: "reminder-policy",
      onsubmit: async (event) => {
        event.preventDefault();
        const body = { enabled: on.checked, days_after_due: Number(days.value) };
        const done = await act(
          () => command("PUT", "/policies/reminders", body),
          body.enabled
            ? t("team.pol.remindersOn", { days: fmt.num(body.days_after_due, 1) })
            : t("team.pol.remindersOff"),
        );
        if (done) {
          drafts.delete("pol:rem:on");
          drafts.delete("pol:rem:days");
        }
      },
    },
    h(
      "div",
      { class: "policy-head" },
      h("label", { class: "inline" }, on, h("strong", {}, t("team.pol.reminders"))),
    ),
    h(
      "div",
      { class: "policy-fields" },
      h("label", {}, h("span", {}, t("team.pol.daysAfterDue")), days),
      editable ? h("button", { type: "submit" }, t("common.save")) : null,
    ),
  );
}

function apologyPolicy(policies, editable) {
  const on = field("input", "pol:apology", { type: "checkbox", disabled: !editable }, policies.apology);
  return h(
    "form",
    {
      class: "policy",
      novalidate: true,
      id: "apology-policy",
      onsubmit: async (event) => {
        event.preventDefault();
        const done = await act(
          () => command("PUT", "/policies/apology", { enabled: on.checked }),
          on.checked ? t("team.pol.apologyOn") : t("team.pol.apologyOff"),
        );
        if (done) drafts.delete("pol:apology");
      },
    },
    h(
      "div",
      { class: "policy-head" },
      h("label", { class: "inline" }, on, h("strong", {}, t("team.pol.apology"))),
      editable ? h("button", { type: "submit" }, t("common.save")) : null,
    ),
    h("p", { class: "hint" }, t("team.pol.apologyHint")),
  );
}

export function drawMarketing() {
  const state = store.state;
  const rules = desk();
  if (!state || !rules) return;
  redraw($("cash"), digest(lang, state.cash, state.free_cash, state.aging, rules.campaign.launched), () =>
    drawCash(state, rules),
  );
  drawCampaign(rules);
  const editable = can("set_quote_policy");
  redraw(
    $("policies"),
    digest(lang, editable, state.policies, rules.segments, rules.policy_max_discount),
    () => [
      h("h3", {}, t("team.pol.title")),
      h("p", { class: "hint" }, editable ? t("team.pol.hint") : t("team.pol.readOnly")),
      rules.segments.map((seg) => quotePolicyRow(seg, state.policies.quotes[seg.id], rules, editable)),
      reminderPolicy(state.policies, can("set_reminder_policy")),
      apologyPolicy(state.policies, can("set_apology_policy")),
    ],
  );
}
