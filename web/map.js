// The map replay: one run on an offline basemap (Natural Earth coastline, land borders and
// populated places, served by the binary), with the assets, batteries (and their reach), radars
// and launch sites, and a scale bar, played by a time slider: threat tracks
// coloured by fate (and their altitude beside), interceptor fly-outs, intercepts, impacts, and
// the warning zones whose sirens sounded. The run comes as the CZML document of
// `replay.czml` (the representative run) or of `/api/runs/{id}/replay?run=k`.

import { api, el, fmt } from './api.js';

// Colours of the basemap's layers (the browser test looks for the border's).
export const BASEMAP = { coastline: '#5a5a5a', border: '#a0522d', place: '#444' };

const rgba = (c, a) => `rgba(${c[0]},${c[1]},${c[2]},${a ?? c[3] / 255})`;

// Tracks, marks and areas of a CZML document, in seconds from its epoch.
export function parseCzml(doc) {
  const tracks = []; const marks = []; const areas = [];
  const clock = doc[0]?.clock?.interval?.split('/') ?? [];
  let epoch = null;
  for (const p of doc.slice(1)) {
    if (p.position?.epoch) { epoch = p.position.epoch; break; }
  }
  epoch = Date.parse(epoch ?? clock[0]);
  const secs = (iso) => (Date.parse(iso) - epoch) / 1000;
  const begin = clock[0] ? secs(clock[0]) : 0; const end = clock[1] ? secs(clock[1]) : 0;
  for (const p of doc.slice(1)) {
    const colour = p.point?.color?.rgba ?? p.polygon?.material?.solidColor?.color?.rgba ?? [120, 120, 120, 255];
    const from = p.availability ? secs(p.availability.split('/')[0]) : begin;
    const c = p.position?.cartographicDegrees;
    if (c && p.position.epoch) {
      const samples = [];
      for (let i = 0; i + 3 < c.length; i += 4) samples.push({ t: c[i], lon: c[i + 1], lat: c[i + 2], h: c[i + 3] });
      const kind = String(p.id).startsWith('interceptor') ? 'interceptor' : 'threat';
      tracks.push({ id: p.id, kind, colour, samples });
    } else if (c) {
      const id = String(p.id);
      const kind = id.startsWith('impact') ? 'impact' : id.startsWith('debris') ? 'debris' : 'intercept';
      marks.push({ id: p.id, kind, colour, t: from, lon: c[0], lat: c[1] });
    } else if (p.polygon?.positions?.cartographicDegrees) {
      const r = p.polygon.positions.cartographicDegrees; const ring = [];
      for (let i = 0; i + 2 < r.length; i += 3) ring.push([r[i], r[i + 1]]);
      areas.push({ id: p.id, colour, t: from, ring });
    }
  }
  return { begin, end, tracks, marks, areas, title: doc[0]?.name ?? '' };
}

function frameOf(layout, scene) {
  let [x0, y0, x1, y1] = layout.bbox;
  for (const t of scene.tracks) for (const s of t.samples) {
    x0 = Math.min(x0, s.lon); x1 = Math.max(x1, s.lon); y0 = Math.min(y0, s.lat); y1 = Math.max(y1, s.lat);
  }
  return { x0, y0, x1, y1 };
}

function projection(frame, w, h, pad = 10) {
  const lat0 = (frame.y0 + frame.y1) / 2; const lon0 = (frame.x0 + frame.x1) / 2;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const spanX = (frame.x1 - frame.x0) * k; const spanY = frame.y1 - frame.y0;
  const scale = Math.min((w - 2 * pad) / spanX, (h - 2 * pad) / spanY);
  return { scale, at: (lon, lat) => [w / 2 + (lon - lon0) * k * scale, h / 2 - (lat - (frame.y0 + frame.y1) / 2) * scale] };
}

// The part of a track flown by time `t`, with its position at `t` interpolated.
function flown(samples, t) {
  const out = [];
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    if (s.t <= t) { out.push(s); continue; }
    if (i > 0) {
      const a = samples[i - 1]; const f = (t - a.t) / (s.t - a.t);
      out.push({ t, lon: a.lon + f * (s.lon - a.lon), lat: a.lat + f * (s.lat - a.lat), h: a.h + f * (s.h - a.h) });
    }
    break;
  }
  return out;
}

function drawMap(canvas, layout, zones, scene, t) {
  const w = canvas.width; const h = canvas.height; const g = canvas.getContext('2d');
  const frame = frameOf(layout, scene); const { at, scale } = projection(frame, w, h);
  // What is drawn and where, for whoever checks the drawing (the browser tests).
  canvas.replay = { scene, at, t };
  g.fillStyle = '#f4f7fa'; g.fillRect(0, 0, w, h);
  g.lineWidth = 1;
  for (const f of layout.features) {
    const kind = f.properties.kind;
    if (kind !== 'coastline' && kind !== 'border') continue;
    g.strokeStyle = BASEMAP[kind]; g.setLineDash(kind === 'border' ? [5, 3] : []); g.lineWidth = kind === 'border' ? 1.5 : 1;
    for (const line of f.geometry.coordinates) {
      g.beginPath(); line.forEach(([lon, lat], i) => { const [x, y] = at(lon, lat); if (i) g.lineTo(x, y); else g.moveTo(x, y); }); g.stroke();
    }
  }
  g.setLineDash([]);
  g.font = '10px system-ui, sans-serif';
  for (const f of layout.features) {
    if (f.properties.kind !== 'place') continue;
    const [x, y] = at(...f.geometry.coordinates);
    g.fillStyle = BASEMAP.place; g.fillRect(x - 1.5, y - 1.5, 3, 3); g.fillText(f.properties.name, x + 3, y - 3);
  }
  for (const f of zones?.features ?? []) {
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    g.strokeStyle = 'rgba(120,120,160,0.35)';
    for (const poly of polys) {
      g.beginPath(); poly[0].forEach(([lon, lat], i) => { const [x, y] = at(lon, lat); if (i) g.lineTo(x, y); else g.moveTo(x, y); }); g.closePath(); g.stroke();
    }
  }
  for (const a of scene.areas) {
    if (a.t > t) continue;
    g.fillStyle = rgba(a.colour);
    g.beginPath(); a.ring.forEach(([lon, lat], i) => { const [x, y] = at(lon, lat); if (i) g.lineTo(x, y); else g.moveTo(x, y); }); g.closePath(); g.fill();
  }
  g.font = '11px system-ui, sans-serif';
  for (const f of layout.features) {
    const p = f.properties;
    if (p.kind === 'coastline' || p.kind === 'border' || p.kind === 'place') continue;
    if (f.geometry.type === 'Polygon') {
      g.strokeStyle = '#0b63b6'; g.beginPath();
      f.geometry.coordinates[0].forEach(([lon, lat], i) => { const [x, y] = at(lon, lat); if (i) g.lineTo(x, y); else g.moveTo(x, y); });
      g.closePath(); g.stroke();
      continue;
    }
    const [x, y] = at(...f.geometry.coordinates);
    if (p.kind === 'asset') {
      const r = Math.max(3, ((p.radius_m ?? 0) / 111320) * scale);
      g.strokeStyle = '#0b63b6'; g.lineWidth = 1.5; g.beginPath(); g.arc(x, y, r, 0, 2 * Math.PI); g.stroke();
      g.fillStyle = '#0b3d6b'; g.fillText(p.id, x + r + 2, y);
    } else if (p.kind === 'battery') {
      g.fillStyle = '#1565c0'; g.beginPath(); g.moveTo(x, y - 5); g.lineTo(x + 4.5, y + 4); g.lineTo(x - 4.5, y + 4); g.closePath(); g.fill();
      if (p.reach_m) { g.strokeStyle = 'rgba(21,101,192,0.35)'; g.lineWidth = 1; g.setLineDash([2, 3]); g.beginPath(); g.arc(x, y, (p.reach_m / 111320) * scale, 0, 2 * Math.PI); g.stroke(); g.setLineDash([]); }
    } else if (p.kind === 'sensor') {
      g.strokeStyle = '#455a64'; g.strokeRect(x - 3, y - 3, 6, 6);
    } else if (p.kind === 'launch_site') {
      g.strokeStyle = '#6d1b1b'; g.lineWidth = 1.5; g.beginPath();
      g.moveTo(x - 4, y - 4); g.lineTo(x + 4, y + 4); g.moveTo(x + 4, y - 4); g.lineTo(x - 4, y + 4); g.stroke();
      if (p.radius_m) { g.setLineDash([3, 3]); g.beginPath(); g.arc(x, y, (p.radius_m / 111320) * scale, 0, 2 * Math.PI); g.stroke(); g.setLineDash([]); }
    }
  }
  g.lineWidth = 2;
  for (const tr of scene.tracks) {
    const part = flown(tr.samples, t);
    if (part.length < 1) continue;
    g.strokeStyle = rgba(tr.colour, tr.kind === 'interceptor' ? 0.9 : 1);
    g.beginPath(); part.forEach((s, i) => { const [x, y] = at(s.lon, s.lat); if (i) g.lineTo(x, y); else g.moveTo(x, y); }); g.stroke();
    const last = part[part.length - 1];
    if (last.t >= t - 1e-9 && t <= tr.samples[tr.samples.length - 1].t) {
      const [x, y] = at(last.lon, last.lat); g.fillStyle = rgba(tr.colour); g.beginPath(); g.arc(x, y, 3, 0, 2 * Math.PI); g.fill();
    }
  }
  // Intercepts beneath, then debris (which falls near them), impacts on top: where they meet,
  // the impact shows.
  const layer = { intercept: 0, debris: 1, impact: 2 };
  for (const m of [...scene.marks].sort((a, b) => layer[a.kind] - layer[b.kind])) {
    if (m.t > t) continue;
    const [x, y] = at(m.lon, m.lat);
    g.fillStyle = rgba(m.colour); g.beginPath(); g.arc(x, y, m.kind === 'impact' ? 5 : m.kind === 'debris' ? 3 : 4, 0, 2 * Math.PI); g.fill();
    g.strokeStyle = '#222'; g.lineWidth = 1; g.stroke(); g.lineWidth = 2;
  }
  g.fillStyle = '#111'; g.font = '12px system-ui, sans-serif';
  g.fillText(`t = ${fmt(t, 0)} s`, 8, h - 8);
  scaleBar(g, w, h, scale);
}

// A scale bar in the lower right corner: the roundest length of at most a fifth of the map's
// width (`scale` pixels per degree of latitude, 111.32 km).
function scaleBar(g, w, h, scale) {
  const most = (w / 5 / scale) * 111.32;
  const step = 10 ** Math.floor(Math.log10(most));
  const km = [5, 2, 1].map((k) => k * step).find((k) => k <= most);
  const px = (km / 111.32) * scale; const x = w - 12 - px; const y = h - 14;
  g.strokeStyle = '#111'; g.lineWidth = 2; g.beginPath();
  g.moveTo(x, y - 4); g.lineTo(x, y); g.lineTo(x + px, y); g.lineTo(x + px, y - 4); g.stroke();
  g.fillStyle = '#111'; g.font = '11px system-ui, sans-serif'; g.fillText(`${fmt(km, 0)} km`, x, y - 6);
}

function drawAltitude(canvas, scene, t) {
  const w = canvas.width; const h = canvas.height; const g = canvas.getContext('2d');
  g.fillStyle = '#fff'; g.fillRect(0, 0, w, h);
  const threats = scene.tracks.filter((x) => x.kind === 'threat');
  const hmax = Math.max(1000, ...threats.flatMap((x) => x.samples.map((s) => s.h))) / 1000;
  const L = 40; const B = 20; const pw = w - L - 6; const ph = h - B - 6;
  const X = (s) => L + ((s - scene.begin) / Math.max(1, scene.end - scene.begin)) * pw;
  const Y = (km) => 6 + ph - (km / hmax) * ph;
  g.strokeStyle = '#999'; g.beginPath(); g.moveTo(L, 6); g.lineTo(L, 6 + ph); g.lineTo(L + pw, 6 + ph); g.stroke();
  g.fillStyle = '#333'; g.font = '10px system-ui, sans-serif';
  g.fillText(`${fmt(hmax, 0)} km`, 2, 12); g.fillText('0', L - 10, 6 + ph); g.fillText('time →', L + pw - 40, h - 4);
  g.lineWidth = 1.2;
  for (const tr of threats) {
    const part = flown(tr.samples, t);
    if (part.length < 2) continue;
    g.strokeStyle = rgba(tr.colour);
    g.beginPath(); part.forEach((s, i) => { const x = X(s.t); const y = Y(s.h / 1000); if (i) g.lineTo(x, y); else g.moveTo(x, y); }); g.stroke();
  }
  g.strokeStyle = '#f9a825'; g.beginPath(); g.moveTo(X(t), 6); g.lineTo(X(t), 6 + ph); g.stroke();
}

export async function mapReplay(root, run) {
  const [layout, zones] = await Promise.all([
    api(`/api/runs/${run.id}/layout`),
    fetch(`/api/runs/${run.id}/files/zones.geojson`).then((r) => (r.ok ? r.json() : null)),
  ]);
  const map = el('canvas', { id: 'map', width: 820, height: 560, role: 'img', 'aria-label': 'Map replay' });
  const alt = el('canvas', { id: 'altitude', width: 300, height: 200, role: 'img', 'aria-label': 'Threat altitude against time' });
  const slider = el('input', { type: 'range', id: 'time-slider', min: 0, max: 1, step: 'any', 'aria-label': 'Replay time' });
  const play = el('button', { id: 'play-button' }, 'Play');
  const runInput = el('input', { type: 'number', id: 'replay-run', min: 0, max: run.options.runs - 1, value: run.summary.representative_run, 'aria-label': 'Run number' });
  const load = el('button', { class: 'secondary', id: 'replay-load' }, 'Show run');
  const caption = el('p', { class: 'meta', id: 'replay-caption', role: 'status' });
  const legend = el('div', { class: 'legend' },
    [['#28c828', 'intercepted'], ['#e61e1e', 'leaked'], ['#ffa500', 'ignored (open area)'], ['#a0a0a0', 'failed in flight'],
      ['#00aaff', 'interceptor'], ['#ffff00', 'missed intercept'], ['#8b5a2b', 'debris fall point'], ['#0b63b6', 'asset'], ['#1565c0', 'battery (▲, dotted: reach)'],
      ['#6d1b1b', 'launch site (×)'], [BASEMAP.border, 'border (dashed)']]
      .map(([c, n]) => el('div', {}, el('span', { style: `background:${c}` }), n)));
  root.append(el('div', { class: 'map-wrap' },
    el('div', {}, map, el('div', { class: 'row' }, play, slider)),
    el('div', {}, el('div', { class: 'row' }, el('label', {}, 'Run ', runInput), load), caption, alt, legend)));
  let scene = null; let timer = null;
  const draw = () => {
    const t = Number(slider.value);
    drawMap(map, layout, zones, scene, t);
    drawAltitude(alt, scene, t);
    map.dataset.time = String(t);
  };
  const show = (doc, k, representative) => {
    scene = parseCzml(doc);
    // A thousand steps from the start to the end, both reachable.
    slider.step = Math.max(1e-3, (scene.end - scene.begin) / 1000);
    slider.min = scene.begin; slider.max = scene.end; slider.value = scene.end;
    caption.textContent = `Run ${k}${representative ? ' (representative: the median number of leakers)' : ''}: ${scene.tracks.filter((x) => x.kind === 'threat').length} threats, ${scene.tracks.filter((x) => x.kind === 'interceptor').length} interceptors, ${scene.marks.filter((m) => m.kind === 'impact').length} impacts`;
    map.dataset.run = String(k);
    draw();
  };
  const stop = () => { clearInterval(timer); timer = null; play.textContent = 'Play'; };
  play.addEventListener('click', () => {
    if (timer) { stop(); return; }
    if (Number(slider.value) >= scene.end) slider.value = scene.begin;
    play.textContent = 'Pause';
    const stepS = (scene.end - scene.begin) / 400;
    timer = setInterval(() => {
      const t = Math.min(scene.end, Number(slider.value) + stepS);
      slider.value = t; draw();
      if (t >= scene.end) stop();
    }, 50);
  });
  slider.addEventListener('input', draw);
  load.addEventListener('click', async () => {
    stop();
    const k = Number(runInput.value);
    caption.textContent = `Playing run ${k}…`;
    try {
      show(await api(`/api/runs/${run.id}/replay?run=${k}`), k, k === run.summary.representative_run);
    } catch (e) {
      caption.textContent = e.message;
    }
  });
  show(await api(`/api/runs/${run.id}/files/replay.czml`), run.summary.representative_run, true);
  return stop;
}
