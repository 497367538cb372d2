// Small DOM helpers shared by the pages: building elements, toasts, confirmations, the
// connection badge and clocks that count down between server updates.

import { t } from "/static/common/i18n.js";
import { refusalText } from "/static/common/refusals.js";

/** h("td", {class: "num"}, "12") — an element with attributes and children (text or nodes). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let toasts = null;

/** A short message at the corner: kind "ok" (confirms an action) or "error" (the server's reason). */
export function toast(text, kind = "ok") {
  if (!toasts) {
    toasts = h("div", { class: "toasts", role: "status", "aria-live": "polite" });
    document.body.append(toasts);
  }
  const item = h("div", { class: `toast ${kind}`, dataset: { kind } }, text);
  toasts.append(item);
  setTimeout(() => item.remove(), kind === "error" ? 9000 : 4000);
  return item;
}

/** Show an error: a refusal in the page's language and units, else the server's own reason. */
export function showError(error) {
  console.warn(error);
  toast(refusalText(error) || t("error.unknown"), "error");
}

/** Run an action; confirm its success with `okText`, or show the server's refusal. */
export async function act(action, okText) {
  try {
    const result = await action();
    if (okText) toast(okText, "ok");
    return result;
  } catch (error) {
    showError(error);
    return undefined;
  }
}

/** Ask before something that cannot be undone (the browser's own dialog, in the page's language). */
export function confirmAction(text) {
  return window.confirm(text);
}

/** Keep a connection badge (data-state live / connecting / down) and its text up to date. */
export function connectionBadge(el) {
  return (state) => {
    el.dataset.state = state;
    el.textContent = t(`link.${state}`);
  };
}

/** Replace the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c != null));
}
