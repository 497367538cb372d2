// Drafts: what a person typed into a field that a redraw rebuilds, kept by a key of the
// page's choosing until it is saved, and put back into the rebuilt field.

/**
 * Give `el` the draft kept under `key` in `drafts` (if any), and keep what is typed into it from
 * now on. A checkbox's draft is whether it is ticked.
 * @param {Map<string, string | boolean>} drafts
 * @param {string} key
 * @param {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} el
 */
export function keepDraft(drafts, key, el) {
  const checkbox = el instanceof HTMLInputElement && el.type === "checkbox";
  if (drafts.has(key)) {
    if (checkbox) el.checked = Boolean(drafts.get(key));
    else el.value = String(drafts.get(key) ?? "");
  }
  const remember = () => drafts.set(key, checkbox ? el.checked : el.value);
  el.addEventListener("input", remember);
  el.addEventListener("change", remember);
}
