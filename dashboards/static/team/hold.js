// What the member has in hand: a panel is not redrawn while the member types in one of its
// fields (an input, a select, a textarea has the focus) or presses on it (a pointer is down in
// it). The field they are in stays the same element, with its value, its selection (a number
// field has none a rebuilt twin could be given back) and its IME composition; a click lands on
// the button it was pressed on. Once the focus has left the panel and the pointer is up, the
// panel is drawn from the newest data (what the member typed is kept as a draft, dom.js).
//
// A form sent from a field (Enter) lets its panel be redrawn at once, so that what was sent
// shows while the member is still in the field; the next key or press in it holds it again.

import { changed } from "/static/team/store.js";

/** Controls that are buttons: a redraw gives their focus back by data-key, nothing is typed. */
const BUTTONS = new Set(["button", "submit", "reset", "image"]);

/** @type {EventTarget | null} the element a pointer is pressed on */
let pressed = null;
/** The field whose form was just sent from it (Enter), until a key or a press in it. */
let sentFrom = null;
/** Whether a redraw was put off while held. */
let owed = false;

function isTyping(el) {
  if (el instanceof HTMLInputElement) return !BUTTONS.has(el.type);
  return el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;
}

/**
 * Whether `panel` must not be redrawn now; if so it is redrawn (changed()) once let go.
 * @param {HTMLElement} panel
 */
export function held(panel) {
  const active = document.activeElement;
  const typing = isTyping(active) && panel.contains(active) && active !== sentFrom;
  const touched = pressed instanceof Node && panel.contains(pressed);
  if (typing || touched) owed = true;
  return typing || touched;
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
  if (sentFrom === field) sentFrom = twin;
}

/** Draw what waited, in the next task (after the click the press made). */
function letGo() {
  if (!owed) return;
  owed = false;
  setTimeout(changed, 0);
}

document.addEventListener("pointerdown", (event) => (pressed = event.target), true);
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
// the member is at the field again: held again
for (const type of ["pointerdown", "keydown", "compositionstart", "input"]) {
  document.addEventListener(
    type,
    (event) => {
      if (event.target === sentFrom) sentFrom = null;
    },
    true,
  );
}
document.addEventListener("submit", (event) => {
  const active = document.activeElement;
  if (isTyping(active) && /** @type {HTMLFormElement} */ (event.target).contains(active)) {
    sentFrom = active;
    letGo();
  }
});
