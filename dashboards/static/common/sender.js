// The control a request was sent from: the button clicked or the form submitted that made the
// page call the API. While a command is in flight — its waits for a busy server included —
// its control is held: aria-disabled, and a click or submit on it is stopped before the page
// sees it, so the same command cannot be sent twice. While the server is busy a calm notice
// ("Server busy — retrying…") stands next to the control; a command sent from no control says
// so in a toast instead, a read sent from none (a background refresh) not at all.
//
// The control is known from the event being handled: a listener on the window, in the capture
// phase (before the page's own handlers), notes the control of each click and submit, and the
// note is dropped once that event has been handled (its bubbling reaches the window, or at the
// latest the next task). A request the page sends later, from a timer or a socket, has none.

import { t } from "/static/common/i18n.js";
import { h, toast } from "/static/common/ui.js";

const CONTROLS = "button, input, select, textarea, a[href], summary, [role=button], [role=tab]";
const HELD = "sending"; // data-sending on a held control: "" in flight, "waiting" while busy

/** @type {Element | null} */
let current = null;

function controlOf(event) {
  if (event.type === "submit") return event.submitter || event.target;
  return event.target instanceof Element ? event.target.closest(CONTROLS) : null;
}

function noteControl(event) {
  const control = controlOf(event);
  if (!(control instanceof HTMLElement)) return;
  if (control.dataset[HELD] != null || (event.type === "submit" && isHeldForm(event.target))) {
    event.preventDefault(); // a second click while its first request is in flight sends nothing
    event.stopImmediatePropagation();
    return;
  }
  current = control;
  setTimeout(() => forget(control), 0);
}

function isHeldForm(form) {
  return (
    form instanceof HTMLFormElement && (form.dataset[HELD] != null || !!form.querySelector("[data-sending]"))
  );
}

function forget(control) {
  if (current === control) current = null;
}

addEventListener("click", noteControl, true);
addEventListener("submit", noteControl, true);
addEventListener("click", () => (current = null));
addEventListener("submit", () => (current = null));

class Sender {
  /**
   * @param {HTMLElement | null} control
   * @param {boolean} command
   */
  constructor(control, command) {
    this.control = control;
    this.command = command;
    this.notice = null;
    this.toasted = false;
    this.held = command && control != null;
    this.ariaDisabled = control?.getAttribute("aria-disabled") ?? null;
    if (this.held) {
      control.dataset[HELD] = "";
      control.setAttribute("aria-disabled", "true");
    }
  }

  /** The server is busy and the request will be sent again: say so, calmly. */
  waiting() {
    const control = this.control;
    if (control?.isConnected) {
      if (this.held) control.dataset[HELD] = "waiting";
      if (!this.notice) {
        this.notice = h("span", { class: "resend-notice", role: "status", "aria-live": "polite" });
        control.after(this.notice);
      }
      this.notice.textContent = t("common.busyRetrying");
    } else if (this.command && !this.toasted) {
      this.toasted = true;
      toast(t("common.busyRetrying"), "wait");
    }
  }

  /** The request is over (answered, refused or given up): the control is free again. */
  release() {
    this.notice?.remove();
    const control = this.control;
    if (!this.held) return;
    delete control.dataset[HELD];
    if (this.ariaDisabled == null) control.removeAttribute("aria-disabled");
    else control.setAttribute("aria-disabled", this.ariaDisabled);
  }
}

/**
 * The control of the event being handled (if any), for a request now being sent; a command's
 * control is held until `release()`.
 * @param {boolean} command whether the request changes something
 */
export function holdSender(command) {
  const control = current instanceof HTMLElement && current.dataset[HELD] == null ? current : null;
  return new Sender(control, command);
}
