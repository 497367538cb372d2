// Team colours: one stable colour per team (by name order), the same in the table, the
// sparklines, the chart and the debrief. Chosen (tests/browser/test_palette.py) so that every
// two stay apart for normal sight and for protan, deutan and tritan colour blindness, and each
// stands out on the dark projector theme; past twelve teams the colours repeat.

const PALETTE = [
  "#56b4e9",
  "#e69f00",
  "#ddddbb",
  "#ff2255",
  "#9966ff",
  "#55ff77",
  "#ee33aa",
  "#bbeeff",
  "#559966",
  "#ddaabb",
  "#dd6622",
  "#eedd00",
];

const assigned = new Map();

/** Give every team its colour (call with all team names; the order of names decides). */
export function assignColors(teams) {
  const sorted = [...new Set(teams)].sort((a, b) => a.localeCompare(b));
  if (sorted.every((team) => assigned.has(team)) && assigned.size === sorted.length) return;
  assigned.clear();
  sorted.forEach((team, i) => assigned.set(team, PALETTE[i % PALETTE.length]));
}

export function colorOf(team) {
  if (!assigned.has(team)) assignColors([...assigned.keys(), team]);
  return assigned.get(team);
}
