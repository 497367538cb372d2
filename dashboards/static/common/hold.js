// What a person has in hand: a panel of a page (the team console, the instructor panel, the
// judges' rubric) is not redrawn while the person is in one of its controls (an input, a
// select, a textarea, a button or a link has the focus) or presses on it (a pointer is down in
// it). The field they are in stays the same element, with its value, its selection
// (a number field has none a rebuilt twin could be given back) and its IME composition; a
// button reached with Tab keeps the focus for Enter; a click lands on the button it was pressed
// on. Once the focus has left the panel and the pointer is up, the redraw that was put off runs
// (the page keeps what was typed as a draft: team/dom.js, judge/rubric.js).
//
// A control just used — a button clicked, a form sent from a field with Enter — lets its panel
// be redrawn at once, so that the answer shows while the focus is still there; the next key or
// press on it holds the panel again.

/** The controls the member works with. */
const CONTROLS = "a[href], button, input, select, textarea";
/** Those a click uses (a click in a field only puts the caret there). */
const CLICKED =
  "a[href], button, input:is([type=button], [type=submit], [type=reset], [type=checkbox], [type=radio])";

/** @type {EventTarget | null} the element a pointer is pressed on */
let pressed = null;
/** The control just used (a click on it, its form sent from it), until a key or a press on it. */
let used = null;
/** @type {Set<() => void>} the redraws put off while held, run once let go */
const owed = new Set();

function isControl(el) {
  return el instanceof Element && el.matches(CONTROLS);
}

/**
 * Whether `panel` must not be redrawn now; if so `again` is called once let go (to draw it from
 * the newest data then).
 * @param {Element} panel
 * @param {() => void} again
 */
export function held(panel, again) {
  const active = document.activeElement;
  if (isControl(active) && panel.contains(active) && active !== used) {
    owed.add(again);
    return true;
  }
  return pressedIn(panel, again);
}

/**
 * Whether the pointer is pressed inside `el` (a row kept as it is until it is let go, then
 * `again` is called).
 * @param {Element} el
 * @param {() => void} again
 */
export function pressedIn(el, again) {
  const touched = pressed instanceof Node && el.contains(pressed);
  if (touched) owed.add(again);
  return touched;
}

/**
 * `control` has just been used (a row saved with Enter in one of its fields, which sends no
 * form): its panel may show the answer at once; the next key or press on it holds it again.
 * @param {Element | null} control
 */
export function justUsed(control) {
  if (isControl(control)) used = control;
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
  if (!owed.size) return;
  const redraws = [...owed];
  owed.clear();
  setTimeout(() => {
    for (const redraw of redraws) redraw();
  }, 0);
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
    justUsed(active);
    letGo();
  }
});
