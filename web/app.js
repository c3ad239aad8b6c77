// The page: a router over the views, the library, the list of runs and the comparison.

import { api, el, fmt, interval } from './api.js';
import { editorView } from './editor.js';
import { runView } from './run.js';
import { barChart } from './charts.js';

const view = document.getElementById('view');
let leave = null;

function params() {
  const hash = location.hash || '#/library';
  const [route, query] = hash.slice(2).split('?');
  const parts = route.split('/');
  return { parts, query: new URLSearchParams(query ?? '') };
}

async function render() {
  if (leave) { leave(); leave = null; }
  const { parts, query } = params();
  view.replaceChildren();
  try {
    switch (parts[0]) {
      case 'edit': leave = await editorView(view, query); break;
      case 'runs': await runsView(view); break;
      case 'run': leave = await runView(view, Number(parts[1])); break;
      case 'compare': await compareView(view, query); break;
      default: await libraryView(view);
    }
  } catch (e) {
    view.append(el('p', { class: 'error', role: 'alert' }, `Error: ${e.message}`));
  }
  document.title = `skyshield · ${view.querySelector('h1')?.textContent ?? ''}`;
}

window.addEventListener('hashchange', render);
render();

async function libraryView(root) {
  const [entries, uploads] = await Promise.all([api('/api/library'), api('/api/uploads')]);
  root.append(el('h1', {}, 'Scenario library'));
  root.append(el('p', { class: 'meta' },
    'Each scenario names its sources; every figure is public or notional. Open one in the editor to change it and run it.'));
  const cards = el('div', { class: 'cards', id: 'library' });
  for (const e of entries) {
    cards.append(el('article', { class: 'card', 'data-file': e.file },
      el('h3', {}, e.name),
      el('p', { class: 'meta' }, `${e.file} · ${e.kind} · ${e.threats} threats per run · ${e.runs} runs · seed ${e.seed}`),
      e.description ? el('p', {}, e.description) : null,
      e.sources.length ? el('ul', { class: 'sources', 'aria-label': 'Sources' }, e.sources.map((s) => el('li', {}, s))) : null,
      el('div', { class: 'row' },
        el('a', { class: 'button', href: `#/edit?library=${encodeURIComponent(e.file)}` }, 'Open'),
      )));
  }
  root.append(cards);
  root.append(el('h2', {}, 'Uploaded scenarios'));
  const input = el('input', { type: 'file', accept: '.yaml,.yml', 'aria-label': 'Upload a scenario file' });
  const note = el('span', { class: 'meta', role: 'status' });
  input.addEventListener('change', async () => {
    const file = input.files[0];
    if (!file) return;
    try {
      const up = await api('/api/uploads', { method: 'POST', body: { name: file.name, text: await file.text() } });
      location.hash = `#/edit?upload=${up.id}`;
    } catch (e) {
      note.textContent = e.message;
    }
  });
  root.append(el('div', { class: 'row' }, input, note));
  if (uploads.length === 0) root.append(el('p', { class: 'meta' }, 'None yet: save one from the editor, or upload a file.'));
  const list = el('div', { class: 'cards', id: 'uploads' });
  for (const u of uploads) {
    list.append(el('article', { class: 'card' },
      el('h3', {}, u.name),
      el('p', { class: 'meta' }, `upload ${u.id} · ${new Date(u.created_at * 1000).toLocaleString()}`),
      u.description ? el('p', {}, u.description) : null,
      el('a', { class: 'button', href: `#/edit?upload=${u.id}` }, 'Open')));
  }
  root.append(list);
}

async function runsView(root) {
  const runs = await api('/api/runs');
  root.append(el('h1', {}, 'Runs'));
  if (runs.length === 0) {
    root.append(el('p', {}, 'No runs yet. Open a scenario from the library and run it.'));
    return;
  }
  const picked = new Set();
  const compare = el('button', { disabled: true, onclick: () => { location.hash = `#/compare?ids=${[...picked].join(',')}`; } }, 'Compare selected');
  const table = el('table', { id: 'runs' },
    el('thead', {}, el('tr', {}, ['', 'run', 'scenario', 'status', 'runs', 'seed', 'created'].map((h) => el('th', {}, h)))));
  const body = el('tbody');
  for (const r of runs) {
    // Runs of one day are compared; a campaign's summary is of another kind.
    const box = el('input', { type: 'checkbox', 'aria-label': `Select run ${r.id}`, disabled: r.status !== 'finished' || r.options.campaign });
    box.addEventListener('change', () => {
      if (box.checked) picked.add(r.id); else picked.delete(r.id);
      compare.disabled = picked.size < 2;
    });
    body.append(el('tr', {},
      el('td', {}, box),
      el('td', {}, el('a', { href: `#/run/${r.id}` }, `#${r.id}`)),
      el('td', {}, r.name),
      el('td', { class: `status-${r.status}` }, r.status === 'running' ? `running ${r.done}/${r.total}` : r.status),
      el('td', { class: 'num' }, r.options.runs),
      el('td', { class: 'num' }, r.options.seed),
      el('td', { class: 'meta' }, new Date(r.created_at * 1000).toLocaleString())));
  }
  table.append(body);
  root.append(el('div', { class: 'row' }, compare), table);
}

// Two or more finished runs side by side: each metric's mean with its 95% interval, and the
// difference of each run from the first (with the interval of a difference of independent
// means).
async function compareView(root, query) {
  const ids = (query.get('ids') ?? '').split(',').map(Number).filter((n) => n > 0);
  root.append(el('h1', {}, 'Compare runs'));
  if (ids.length < 2) {
    root.append(el('p', {}, 'Pick two or more finished runs in ', el('a', { href: '#/runs' }, 'Runs'), '.'));
    return;
  }
  const runs = await Promise.all(ids.map((id) => api(`/api/runs/${id}`)));
  const missing = runs.filter((r) => !r.summary);
  if (missing.length) {
    root.append(el('p', { class: 'error' }, `Run ${missing.map((r) => r.id).join(', ')} has no summary yet.`));
    return;
  }
  const metrics = compareMetrics(runs.map((r) => r.summary));
  const head = el('tr', {}, el('th', {}, 'metric'),
    runs.map((r) => el('th', { class: 'num' }, `#${r.id} ${r.name}`,
      el('div', { class: 'meta' }, `${r.options.runs} runs, seed ${r.options.seed}${r.options.uncertainty ? `, ${r.options.uncertainty}` : ''}`))),
    runs.slice(1).map((r) => el('th', { class: 'num' }, `#${r.id} − #${runs[0].id}`)));
  const body = el('tbody');
  for (const m of metrics) {
    const cells = m.values.map((v) => el('td', { class: 'num' }, v ? `${fmt(v.mean)} (${interval(v.ci)})` : '–'));
    const diffs = m.values.slice(1).map((v) => {
      const a = m.values[0];
      if (!v || !a) return el('td', { class: 'num' }, '–');
      const d = v.mean - a.mean;
      const se = Math.hypot(halfWidth(v.ci), halfWidth(a.ci)) ;
      return el('td', { class: 'num' }, `${d >= 0 ? '+' : ''}${fmt(d)} (±${fmt(se)})`);
    });
    body.append(el('tr', {}, el('th', {}, m.name), cells, diffs));
  }
  root.append(el('table', { id: 'compare-table' }, el('thead', {}, head), body));
  root.append(el('p', { class: 'meta' },
    'Intervals are 95% confidence intervals of the mean; ± on a difference is the 95% half-width for independent runs (for paired runs on common random numbers, `skyshield compare` gives tighter ones).'));
  // Counts per run only: costs and probabilities have scales of their own.
  const counts = metrics.filter((m) => m.count);
  const chart = el('canvas', { id: 'chart-compare', width: 900, height: 340, role: 'img', 'aria-label': 'Leakers, shots and kills per layer, each run' });
  root.append(el('figure', {}, el('figcaption', {}, 'Leakers, shots and kills, mean per run with 95% interval'), chart));
  barChart(chart, {
    categories: counts.map((m) => m.name), rotate: true,
    series: runs.map((r, i) => ({ name: `#${r.id}`, values: counts.map((m) => m.values[i]?.mean ?? 0), ci: counts.map((m) => m.values[i]?.ci) })),
  });
}

function halfWidth(ci) {
  return ci ? (ci[1] - ci[0]) / 2 : 0;
}

function compareMetrics(summaries) {
  const rows = [
    { name: 'leakers per run', count: true, get: (s) => ({ mean: s.leakers.mean, ci: s.leakers.ci95 }) },
    { name: 'P(no leaker)', get: (s) => ({ mean: s.leakers.p_zero, ci: s.leakers.p_zero_ci95 }) },
    { name: 'defense cost, M US$', get: (s) => ({ mean: s.cost_usd.defense / 1e6, ci: s.cost_usd.defense_ci95?.map((x) => x / 1e6) }) },
  ];
  const layers = [...new Set(summaries.flatMap((s) => Object.keys(s.by_layer)))].sort();
  for (const l of layers) {
    rows.push({ name: `${l} shots`, count: true, get: (s) => s.by_layer[l] && { mean: s.by_layer[l].shots, ci: s.by_layer[l].shots_ci95 } });
    rows.push({ name: `${l} kills`, count: true, get: (s) => s.by_layer[l] && { mean: s.by_layer[l].kills, ci: s.by_layer[l].kills_ci95 } });
  }
  return rows.map((r) => ({ name: r.name, count: Boolean(r.count), values: summaries.map((s) => r.get(s) ?? null) }));
}
