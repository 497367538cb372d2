// A sparkline: a small inline SVG of one team's composite over time, on scales shared by every
// team (so that a higher line is a higher score), ending in a dot at the latest value.

const NS = "http://www.w3.org/2000/svg";
const W = 160;
const H = 40;
const PAD = 4;

function svg(tag, attrs = {}) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** A new, empty sparkline element in the team's colour. */
export function sparkline(color) {
  const root = svg("svg", {
    viewBox: `0 0 ${W} ${H}`,
    preserveAspectRatio: "none",
    class: "spark",
    "aria-hidden": "true",
  });
  root.style.setProperty("--team", color);
  const area = svg("path", { class: "spark-area" });
  const line = svg("path", { class: "spark-line", "vector-effect": "non-scaling-stroke" });
  const dot = svg("circle", { class: "spark-dot", r: "3.2" });
  root.append(area, line, dot);
  return root;
}

/** Draw `values` (aligned with `times`) into a sparkline made by sparkline(). */
export function drawSparkline(root, times, values, extent) {
  const [area, line, dot] = root.children;
  const { lo, hi, t0, t1 } = extent;
  const x = (t) => PAD + ((t - t0) / (t1 - t0)) * (W - 2 * PAD);
  const y = (v) => H - PAD - ((v - lo) / (hi - lo)) * (H - 2 * PAD);
  let d = "";
  let first = null;
  let last = null;
  for (let i = 0; i < times.length; i++) {
    const v = values[i];
    if (v == null) continue;
    const px = x(times[i]).toFixed(1);
    const py = y(v).toFixed(1);
    d += `${first ? "L" : "M"}${px} ${py}`;
    if (!first) first = [px, py];
    last = [px, py];
  }
  if (!last) {
    line.setAttribute("d", "");
    area.setAttribute("d", "");
    dot.setAttribute("visibility", "hidden");
    return;
  }
  line.setAttribute("d", d);
  area.setAttribute("d", `${d}L${last[0]} ${H}L${first[0]} ${H}Z`);
  dot.setAttribute("cx", last[0]);
  dot.setAttribute("cy", last[1]);
  dot.setAttribute("visibility", "visible");
}
