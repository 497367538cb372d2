// What the member has in hand: a panel is not redrawn while the member is in one of its controls
// (an input, a select, a textarea, a button or a link has the focus) or presses on it (a pointer
// is down in it). The field they are in stays the same element, with its value, its selection
// (a number field has none a rebuilt twin could be given back) and its IME composition; a
// button reached with Tab keeps the focus for Enter; a click lands on the button it was pressed
// on. Once the focus has left the panel and the pointer is up, the panel is drawn from the
// newest data (what the member typed is kept as a draft, dom.js).
//
// A control just used — a button clicked, a form sent from a field with Enter — lets its panel
// be redrawn at once, so that the answer shows while the focus is still there; the next key or
// press on it holds the panel again.

import { changed } from "/static/team/store.js";

/** The controls the member works with. */
const CONTROLS = "a[href], button, input, select, textarea";
/** Those a click uses (a click in a field only puts the caret there). */
const CLICKED =
  "a[href], button, input:is([type=button], [type=submit], [type=reset], [type=checkbox], [type=radio])";

/** @type {EventTarget | null} the element a pointer is pressed on */
let pressed = null;
/** The control just used (a click on it, its form sent from it), until a key or a press on it. */
let used = null;
/** Whether a redraw was put off while held. */
let owed = false;

function isControl(el) {
  return el instanceof Element && el.matches(CONTROLS);
}

/**
 * Whether `panel` must not be redrawn now; if so it is redrawn (changed()) once let go.
 * @param {HTMLElement} panel
 */
export function held(panel) {
  const active = document.activeElement;
  const inHand = isControl(active) && panel.contains(active) && active !== used;
  const touched = pressed instanceof Node && panel.contains(pressed);
  if (inHand || touched) owed = true;
  return inHand || touched;
}

/**
 * Whether the pointer is pressed inside `el` (a row kept as it is until it is let go).
 * @param {Element} el
 */
export function pressedIn(el) {
  const touched = pressed instanceof Node && el.contains(pressed);
  if (touched) owed = true;
  return touched;
}

/**
 * A redraw has given the focus from `field` to its rebuilt twin: a form just sent from the
 * field still lets the panel redraw (its answer is to show).
 * @param {Element} field
 * @param {Element} twin
 */
export function handOver(field, twin) {
  if (used === field) used = twin;
}

/** Draw what waited, in the next task (after the click the press made). */
function letGo() {
  if (!owed) return;
  owed = false;
  setTimeout(changed, 0);
}

document.addEventListener("pointerdown", (event) => (pressed = event.target), true);
document.addEventListener("click", (event) => {
  const control = event.target instanceof Element ? event.target.closest(CONTROLS) : null;
  if (control?.matches(CLICKED)) used = control;
});
for (const type of ["pointerup", "pointercancel", "click"]) {
  document.addEventListener(
    type,
    () => {
      pressed = null;
      letGo();
    },
    true,
  );
}
document.addEventListener("focusout", () => {
  if (!pressed) letGo(); // pressed elsewhere: the pointer's release lets go, after its click
});
// the member is at the control again: held again
for (const type of ["pointerdown", "keydown", "compositionstart", "beforeinput"]) {
  document.addEventListener(
    type,
    (event) => {
      if (event.target === used) used = null;
    },
    true,
  );
}
document.addEventListener("submit", (event) => {
  const active = document.activeElement;
  if (isControl(active) && /** @type {HTMLFormElement} */ (event.target).contains(active)) {
    used = active;
    letGo();
  }
});
