// Bar charts drawn on a canvas: grouped bars, with 95% intervals as whiskers where given.

const PALETTE = ['#0b63b6', '#e65100', '#2e7d32', '#6a1b9a', '#c62828', '#00838f', '#795548'];

function niceMax(x) {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

// Sets `canvas` up for the device's pixel ratio on a white ground, and draws the y axis's grid
// lines from 0 to `ymax` with their values and `yLabel`; gives the context and the plot area.
function frame(canvas, { top, bottom, ymax, yLabel }) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.width; const h = canvas.height;
  canvas.style.width = `${w}px`;
  canvas.width = w * dpr; canvas.height = h * dpr;
  const g = canvas.getContext('2d');
  g.scale(dpr, dpr);
  g.fillStyle = '#fff'; g.fillRect(0, 0, w, h);
  const left = 56; const right = 12;
  const pw = w - left - right; const ph = h - top - bottom;
  g.font = '11px system-ui, sans-serif'; g.fillStyle = '#333'; g.strokeStyle = '#ddd';
  g.textAlign = 'right'; g.textBaseline = 'middle';
  for (let k = 0; k <= 4; k++) {
    const v = (ymax * k) / 4; const y = top + ph - (ph * k) / 4;
    g.beginPath(); g.moveTo(left, y); g.lineTo(left + pw, y); g.stroke();
    g.fillText(Number.isInteger(v) ? String(v) : v.toPrecision(3), left - 4, y);
  }
  if (yLabel) {
    g.save(); g.translate(12, top + ph / 2); g.rotate(-Math.PI / 2); g.textAlign = 'center'; g.fillText(yLabel, 0, 0); g.restore();
  }
  return { g, left, top, pw, ph };
}

// Draws `categories` along x, one bar per series in each; `ci[i]` = [lo, hi] draws a whisker.
// Gives the bars' rectangles (for tests and for tooltips).
export function barChart(canvas, { categories, series, yLabel = '', rotate = false }) {
  const top_value = Math.max(1e-12, ...series.flatMap((s) => s.values.map((v, i) => Math.max(v, s.ci?.[i]?.[1] ?? 0))));
  const ymax = niceMax(top_value);
  const { g, left, top, pw, ph } = frame(canvas, { top: series.length > 1 ? 26 : 12, bottom: rotate ? 90 : 40, ymax, yLabel });
  const n = Math.max(1, categories.length); const slot = pw / n;
  const bw = Math.max(1, (slot * 0.8) / series.length);
  const bars = [];
  series.forEach((s, j) => {
    const colour = s.color ?? PALETTE[j % PALETTE.length];
    s.values.forEach((v, i) => {
      const x = left + i * slot + slot * 0.1 + j * bw;
      const bh = (ph * Math.max(0, v)) / ymax;
      g.fillStyle = colour;
      g.fillRect(x, top + ph - bh, Math.max(1, bw - 1), bh);
      bars.push({ x, y: top + ph - bh, w: bw, h: bh, value: v });
      const ci = s.ci?.[i];
      if (ci) {
        const y0 = top + ph - (ph * ci[0]) / ymax; const y1 = top + ph - (ph * ci[1]) / ymax;
        const cx = x + bw / 2;
        g.strokeStyle = '#111'; g.beginPath();
        g.moveTo(cx, y0); g.lineTo(cx, y1);
        g.moveTo(cx - bw / 4, y0); g.lineTo(cx + bw / 4, y0);
        g.moveTo(cx - bw / 4, y1); g.lineTo(cx + bw / 4, y1);
        g.stroke();
      }
    });
  });
  g.fillStyle = '#333'; g.strokeStyle = '#888';
  g.beginPath(); g.moveTo(left, top); g.lineTo(left, top + ph); g.lineTo(left + pw, top + ph); g.stroke();
  const every = Math.ceil(n / Math.floor(pw / (rotate ? 14 : 40)));
  categories.forEach((c, i) => {
    if (i % every) return;
    const x = left + i * slot + slot / 2;
    if (rotate) {
      g.save(); g.translate(x, top + ph + 6); g.rotate(-Math.PI / 4); g.textAlign = 'right'; g.textBaseline = 'middle';
      g.fillText(String(c), 0, 0); g.restore();
    } else {
      g.textAlign = 'center'; g.textBaseline = 'top'; g.fillText(String(c), x, top + ph + 6);
    }
  });
  if (series.length > 1) {
    let x = left;
    g.textAlign = 'left'; g.textBaseline = 'middle';
    series.forEach((s, j) => {
      g.fillStyle = s.color ?? PALETTE[j % PALETTE.length]; g.fillRect(x, 6, 10, 10);
      g.fillStyle = '#333'; g.fillText(s.name, x + 14, 11);
      x += 24 + g.measureText(s.name).width;
    });
  }
  return bars;
}

// Draws one line per series over `categories`, each with a shaded band where `band[i]` =
// [lo, hi] is given. Gives the points drawn (for tests).
export function lineChart(canvas, { categories, series, yLabel = '', yMax = null }) {
  const highest = Math.max(1e-12, ...series.flatMap((s) => s.values.map((v, i) => Math.max(v, s.band?.[i]?.[1] ?? 0))));
  const ymax = yMax ?? niceMax(highest);
  const { g, left, top, pw, ph } = frame(canvas, { top: 26, bottom: 40, ymax, yLabel });
  const n = Math.max(1, categories.length);
  const x = (i) => left + (n === 1 ? pw / 2 : (pw * i) / (n - 1));
  const y = (v) => top + ph - (ph * Math.max(0, Math.min(v, ymax))) / ymax;
  const points = [];
  series.forEach((s, j) => {
    const colour = s.color ?? PALETTE[j % PALETTE.length];
    if (s.band) {
      g.globalAlpha = 0.18; g.fillStyle = colour; g.beginPath();
      s.band.forEach(([lo], i) => (i ? g.lineTo(x(i), y(lo)) : g.moveTo(x(i), y(lo))));
      for (let i = s.band.length - 1; i >= 0; i--) g.lineTo(x(i), y(s.band[i][1]));
      g.closePath(); g.fill(); g.globalAlpha = 1;
    }
    g.strokeStyle = colour; g.lineWidth = 2; g.beginPath();
    s.values.forEach((v, i) => {
      if (i) g.lineTo(x(i), y(v)); else g.moveTo(x(i), y(v));
      points.push({ x: x(i), y: y(v), value: v, series: s.name });
    });
    g.stroke(); g.lineWidth = 1;
  });
  g.fillStyle = '#333'; g.strokeStyle = '#888';
  g.beginPath(); g.moveTo(left, top); g.lineTo(left, top + ph); g.lineTo(left + pw, top + ph); g.stroke();
  g.textAlign = 'center'; g.textBaseline = 'top';
  categories.forEach((c, i) => g.fillText(String(c), x(i), top + ph + 6));
  let lx = left;
  g.textAlign = 'left'; g.textBaseline = 'middle';
  series.forEach((s, j) => {
    g.fillStyle = s.color ?? PALETTE[j % PALETTE.length]; g.fillRect(lx, 6, 10, 10);
    g.fillStyle = '#333'; g.fillText(s.name, lx + 14, 11);
    lx += 24 + g.measureText(s.name).width;
  });
  return points;
}
