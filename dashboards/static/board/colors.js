// Team colours: one stable colour per team (by name order), the same in the table, the
// sparklines and the chart, chosen to stay apart from each other on the dark projector theme.

const PALETTE = [
  "#4cc9f0", "#f72585", "#ffd166", "#06d6a0", "#b388ff", "#ff8c42",
  "#90e0ef", "#ef476f", "#c5e063", "#f4a5ae", "#7b9cff", "#2ec4b6",
  "#e9c46a", "#ff6b6b", "#a0c4ff", "#caffbf",
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
