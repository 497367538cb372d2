// The debrief's charts as SVG drawn at the size they are shown (so that type keeps its size on a
// projector and on a phone): grouped horizontal bars, a labelled scatter, and lines over time.
// Each takes plain numbers and formatters; colours come with the points (one per team).

const NS = "http://www.w3.org/2000/svg";

function el(tag, attrs = {}, text = null) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs))
    if (value != null) node.setAttribute(name, String(value));
  if (text != null) node.textContent = text;
  return node;
}

/** Type sizes (px) from the page's CSS: --chart-font (axes, labels), --chart-small (ticks). */
function sizes(host) {
  const style = getComputedStyle(host);
  const font = Number.parseFloat(style.getPropertyValue("--chart-font")) || 16;
  const small = Number.parseFloat(style.getPropertyValue("--chart-small")) || 14;
  return { font, small };
}

/** About `count` round tick values between lo and hi. */
export function ticks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.round(v / step) * step);
  return out;
}

function extent(values, { zero = false, pad = 0.08 } = {}) {
  const finite = values.filter((v) => Number.isFinite(v));
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (zero) lo = Math.min(0, lo);
  if (hi === lo) hi = lo + (Math.abs(lo) || 1);
  const span = hi - lo;
  return [zero && lo === 0 ? 0 : lo - span * pad, hi + span * pad];
}

function frame(host, height) {
  const width = Math.max(280, Math.floor(host.clientWidth || 600));
  const svg = el("svg", {
    class: "chart-svg",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
  });
  return { svg, width };
}

function axisTitle(svg, text, x, y, size, rotate = false) {
  const node = el(
    "text",
    {
      x,
      y,
      class: "axis-title",
      "font-size": size,
      "text-anchor": "middle",
      transform: rotate ? `rotate(-90 ${x} ${y})` : null,
    },
    text,
  );
  svg.append(node);
}

/**
 * Horizontal grouped bars: rows [{label, color, values: [a, b]}], series [{name, format}].
 * Values are fractions shown as percentages; the chart grows with the rows (a long class scrolls).
 */
export function bars(host, rows, series, { title }) {
  const { font, small } = sizes(host);
  const barH = Math.max(8, Math.round(font * 0.62));
  const rowH = barH * series.length + Math.round(font * 0.55);
  const top = font * 2.2;
  const height = top + rows.length * rowH + font * 1.6;
  const { svg, width } = frame(host, height);
  const labelW = Math.min(width * 0.32, font * 11);
  const right = font * 4.2;
  const plotW = width - labelW - right;
  const max = Math.max(0.01, ...rows.flatMap((r) => r.values.filter(Number.isFinite)));
  series.forEach((s, i) => {
    const x = labelW + i * font * 9;
    svg.append(
      el("rect", { x, y: font * 0.35, width: font * 0.9, height: font * 0.9, class: `series-swatch s${i}` }),
    );
    svg.append(
      el("text", { x: x + font * 1.2, y: font * 1.1, "font-size": small, class: "legend-text" }, s.name),
    );
  });
  rows.forEach((row, r) => {
    const y0 = top + r * rowH;
    svg.append(
      el(
        "text",
        {
          x: labelW - font * 0.5,
          y: y0 + (barH * series.length) / 2 + font * 0.35,
          "font-size": font,
          "text-anchor": "end",
          class: "row-label",
        },
        row.label,
      ),
    );
    svg.append(
      el("rect", {
        x: labelW - font * 0.3,
        y: y0,
        width: font * 0.18,
        height: barH * series.length,
        fill: row.color,
      }),
    );
    series.forEach((s, i) => {
      const value = row.values[i];
      const w = Number.isFinite(value) ? Math.max(1, (value / max) * plotW) : 0;
      svg.append(el("rect", { x: labelW, y: y0 + i * barH, width: w, height: barH - 2, class: `bar s${i}` }));
      svg.append(
        el(
          "text",
          { x: labelW + w + font * 0.3, y: y0 + i * barH + barH - 3, "font-size": small, class: "bar-value" },
          s.format(value),
        ),
      );
    });
  });
  svg.setAttribute("aria-label", title);
  host.replaceChildren(svg);
}

/**
 * A scatter of labelled points [{label, color, x, y, size?}] with axis titles and formatters.
 * Points without both numbers are left out (the caller says which).
 */
export function scatter(host, points, { x, y, title, zeroX = false, zeroY = true }) {
  const { font, small } = sizes(host);
  const height = Math.round(Math.min(620, Math.max(300, (host.clientWidth || 600) * 0.48)));
  const { svg, width } = frame(host, height);
  const left = font * 4.6;
  const bottom = font * 3.2;
  const top = font * 1;
  const right = font * 1.5;
  const [x0, x1] = extent(
    points.map((p) => p.x),
    { zero: zeroX },
  );
  const [y0, y1] = extent(
    points.map((p) => p.y),
    { zero: zeroY },
  );
  const sx = (v) => left + ((v - x0) / (x1 - x0)) * (width - left - right);
  const sy = (v) => height - bottom - ((v - y0) / (y1 - y0)) * (height - bottom - top);
  for (const v of ticks(y0, y1)) {
    svg.append(el("line", { x1: left, x2: width - right, y1: sy(v), y2: sy(v), class: "grid" }));
    svg.append(
      el(
        "text",
        {
          x: left - font * 0.4,
          y: sy(v) + small * 0.35,
          "font-size": small,
          "text-anchor": "end",
          class: "tick",
        },
        y.format(v),
      ),
    );
  }
  for (const v of ticks(x0, x1)) {
    svg.append(el("line", { x1: sx(v), x2: sx(v), y1: top, y2: height - bottom, class: "grid" }));
    svg.append(
      el(
        "text",
        {
          x: sx(v),
          y: height - bottom + small * 1.3,
          "font-size": small,
          "text-anchor": "middle",
          class: "tick",
        },
        x.format(v),
      ),
    );
  }
  axisTitle(svg, x.name, left + (width - left - right) / 2, height - font * 0.4, font);
  axisTitle(svg, y.name, font * 1, top + (height - bottom - top) / 2, font, true);
  const labelled = points.length <= 24; // a crowded class: the points speak through their colours and the list
  for (const p of points) {
    const r = Math.max(font * 0.35, p.size ?? font * 0.42);
    const g = el("g", { class: "point" });
    g.append(el("circle", { cx: sx(p.x), cy: sy(p.y), r, fill: p.color, class: "dot" }));
    g.append(el("title", {}, `${p.label}: ${x.format(p.x)} · ${y.format(p.y)}`));
    if (labelled) {
      const anchorEnd = sx(p.x) > width * 0.75;
      g.append(
        el(
          "text",
          {
            x: sx(p.x) + (anchorEnd ? -r - 4 : r + 4),
            y: sy(p.y) + small * 0.35,
            "font-size": small,
            "text-anchor": anchorEnd ? "end" : "start",
            class: "point-label",
          },
          p.label,
        ),
      );
    }
    svg.append(g);
  }
  svg.setAttribute("aria-label", title);
  host.replaceChildren(svg);
}

/** Lines over time: t (x values), series [{label, color, values}], formatters for x and y. */
export function lines(host, t, series, { x, y, title }) {
  const { font, small } = sizes(host);
  const height = Math.round(Math.min(620, Math.max(300, (host.clientWidth || 600) * 0.45)));
  const { svg, width } = frame(host, height);
  const left = font * 5.2;
  const bottom = font * 3.2;
  const top = font * 1;
  const right = font * 1.5;
  const [x0, x1] = t.length > 1 ? [t[0], t[t.length - 1]] : [0, 1];
  const [y0, y1] = extent(
    series.flatMap((s) => s.values),
    { zero: true, pad: 0.05 },
  );
  const sx = (v) => left + ((v - x0) / (x1 - x0 || 1)) * (width - left - right);
  const sy = (v) => height - bottom - ((v - y0) / (y1 - y0)) * (height - bottom - top);
  for (const v of ticks(y0, y1)) {
    svg.append(
      el("line", {
        x1: left,
        x2: width - right,
        y1: sy(v),
        y2: sy(v),
        class: v === 0 ? "grid zero" : "grid",
      }),
    );
    svg.append(
      el(
        "text",
        {
          x: left - font * 0.4,
          y: sy(v) + small * 0.35,
          "font-size": small,
          "text-anchor": "end",
          class: "tick",
        },
        y.format(v),
      ),
    );
  }
  for (const v of ticks(x0, x1, 6)) {
    svg.append(
      el(
        "text",
        {
          x: sx(v),
          y: height - bottom + small * 1.3,
          "font-size": small,
          "text-anchor": "middle",
          class: "tick",
        },
        x.format(v),
      ),
    );
  }
  axisTitle(svg, x.name, left + (width - left - right) / 2, height - font * 0.4, font);
  axisTitle(svg, y.name, font * 1, top + (height - bottom - top) / 2, font, true);
  for (const s of series) {
    const d = s.values.map((v, i) => `${i ? "L" : "M"}${sx(t[i]).toFixed(1)},${sy(v).toFixed(1)}`).join("");
    const path = el("path", { d, stroke: s.color, class: "line" });
    path.append(el("title", {}, s.label));
    svg.append(path);
  }
  svg.setAttribute("aria-label", title);
  host.replaceChildren(svg);
}
