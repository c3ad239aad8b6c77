// The run page: progress while it runs, then the summary with its intervals, the charts, the
// map replay and the output files.

import { api, el, fmt, interval } from './api.js';
import { barChart, lineChart } from './charts.js';
import { mapReplay } from './map.js';

export async function runView(root, id) {
  let run = await api(`/api/runs/${id}`);
  const title = el('h1', {}, `Run #${id}: ${run.name}`);
  const state = el('p', { id: 'run-status', role: 'status', 'aria-live': 'polite' });
  const bar = el('progress', { id: 'run-progress', max: 1, value: 0 });
  const cancel = el('button', { class: 'danger', id: 'cancel-button' }, 'Cancel');
  const remove = el('button', { class: 'secondary', id: 'delete-button' }, 'Delete');
  const body = el('div', { id: 'run-body' });
  root.append(title,
    el('p', { class: 'meta' }, `${run.options.runs} runs · seed ${run.options.seed}${run.options.uncertainty ? ` · ${run.options.uncertainty}` : ''}${run.options.campaign ? ' · campaign' : ''} · scenario sha256 ${run.scenario_sha256.slice(0, 12)}…`),
    state, bar, el('div', { class: 'row' }, cancel, remove), body);
  cancel.addEventListener('click', async () => {
    try { await api(`/api/runs/${id}/cancel`, { method: 'POST' }); } catch (e) { state.textContent = e.message; }
  });
  remove.addEventListener('click', async () => {
    try { await api(`/api/runs/${id}`, { method: 'DELETE' }); location.hash = '#/runs'; } catch (e) { state.textContent = e.message; }
  });
  const show = (p) => {
    bar.max = Math.max(1, p.total); bar.value = p.done;
    state.textContent = p.status === 'running' ? `running: ${p.done} of ${p.total} runs` : p.status;
    state.className = `status-${p.status}`;
    cancel.hidden = !(p.status === 'queued' || p.status === 'running');
    remove.hidden = !cancel.hidden;
  };
  show(run);
  let source = null;
  const finish = async () => {
    run = await api(`/api/runs/${id}`);
    show(run);
    if (run.status === 'finished') await renderResult(body, run);
    else if (run.error) body.replaceChildren(el('p', { class: 'error' }, run.error));
  };
  if (run.status === 'queued' || run.status === 'running') {
    source = new EventSource(`/api/runs/${id}/events`);
    source.addEventListener('progress', (ev) => {
      const p = JSON.parse(ev.data);
      show(p);
      if (!['queued', 'running'].includes(p.status)) { source.close(); source = null; finish(); }
    });
    source.onerror = () => { if (source) { source.close(); source = null; finish(); } };
  } else {
    await finish();
  }
  return () => source?.close();
}

function summaryTable(s) {
  const rows = [
    ['threats per run', s.threats, ''],
    ['leakers per run', fmt(s.leakers.mean), interval(s.leakers.ci95)],
    ['leakers p5 / p50 / p95', `${s.leakers.quantiles.p5} / ${s.leakers.quantiles.p50} / ${s.leakers.quantiles.p95}`, ''],
    ['P(no leaker)', fmt(s.leakers.p_zero, 3), interval(s.leakers.p_zero_ci95, 3)],
    ['intercepted per run', fmt(s.fates.intercepted), ''],
    ['ignored (open area) per run', fmt(s.fates.ignored_open_area), ''],
    ['failed in flight per run', fmt(s.fates.failed_in_flight), ''],
    ['defense cost per run, US$', fmt(s.cost_usd.defense, 0), interval(s.cost_usd.defense_ci95, 0)],
    ['offense cost per run, US$', fmt(s.cost_usd.offense, 0), ''],
    ['exchange ratio', fmt(s.cost_usd.exchange_ratio), ''],
  ];
  for (const [a, v] of Object.entries(s.assets)) rows.push([`${a}: hits per run, P(hit)`, `${fmt(v.hits_mean)}, ${fmt(v.p_hit, 3)}`, interval(v.p_hit_ci95, 3)]);
  if (s.warning) {
    const l = s.warning.siren_lead_s;
    rows.push(['siren lead p5 / p50 / p95, s', `${fmt(l.p5, 0)} / ${fmt(l.p50, 0)} / ${fmt(l.p95, 0)}`, '']);
    rows.push(['false-alarm zones per run', fmt(s.warning.false_alarm_zones_mean), interval(s.warning.false_alarm_zones_ci95)]);
  }
  rows.push(['wall time', `${fmt(s.timing.wall_s)} s (${fmt(s.timing.runs_per_s, 0)} runs/s)`, '']);
  return el('table', { id: 'summary' },
    el('thead', {}, el('tr', {}, el('th', {}, 'metric'), el('th', { class: 'num' }, 'value'), el('th', { class: 'num' }, '95% interval'))),
    el('tbody', {}, rows.map(([k, v, c]) => el('tr', {}, el('th', {}, k), el('td', { class: 'num' }, v), el('td', { class: 'num' }, c)))));
}

// The scenario's reported figures beside the simulated distribution (`reported` of the
// summary, as in report.html).
function reportedTable(s) {
  const value = (lo, hi) => (lo === hi ? fmt(lo) : `${fmt(lo)}–${fmt(hi)}`);
  return el('table', { id: 'reported' },
    el('thead', {}, el('tr', {}, ['reported figure', 'reported', 'simulated', 'runs p5–p95', 'rank', 'agreement', 'metric']
      .map((h, k) => el('th', k > 0 && k < 5 ? { class: 'num' } : {}, h)))),
    el('tbody', {}, s.reported.map((f) => el('tr', {},
      el('th', { title: f.source }, f.figure),
      el('td', { class: 'num' }, value(f.low, f.high)),
      el('td', { class: 'num' }, fmt(f.simulated)),
      el('td', { class: 'num' }, f.simulated_p5 === null ? '–' : value(f.simulated_p5, f.simulated_p95)),
      el('td', { class: 'num' }, fmt(f.rank, 0)),
      el('td', { class: `agreement ${f.agreement}` }, f.agreement.replaceAll('_', ' ')),
      el('td', {}, el('code', {}, f.metric))))));
}

function figure(id, caption, draw, width = 460, height = 260) {
  const canvas = el('canvas', { id, width, height, role: 'img', 'aria-label': caption });
  const f = el('figure', {}, el('figcaption', {}, caption), canvas);
  requestAnimationFrame(() => draw(canvas));
  return f;
}

function leadBins(lead) {
  const cats = []; const vals = [];
  lead.histogram.forEach((c, k) => {
    const from = k * lead.histogram_bin_s;
    cats.push(from >= lead.histogram_cap_s ? `≥${from}` : String(from));
    vals.push(c);
  });
  return { cats, vals };
}

// A campaign's result (`skyshield campaign`): totals, and its days as charts with their bands.
function renderCampaign(root, run) {
  const s = run.summary;
  const days = s.by_day.map((d) => d.day);
  const band = (x) => [x.p5, x.p95];
  // The types that run out in some run (all types when none does): their stocks are of a
  // size to share a scale.
  const running = s.interceptor_types.filter((t) => s.exhaustion[t] && s.exhaustion[t].p_never < 1);
  const types = (running.length ? running : s.interceptor_types).filter((t) => s.by_day[0].stock_total[t]);
  const launched = Object.values(s.total_launches).reduce((a, x) => a + x.mean, 0);
  const rows = [
    ['days', s.days, ''],
    ['leakers over the campaign', fmt(s.total_leakers.mean), interval(s.total_leakers.ci95)],
    ['threats launched over the campaign', fmt(launched), ''],
    ['defense cost over the campaign, US$', fmt(s.total_defense_cost_usd.mean, 0), interval(s.total_defense_cost_usd.ci95, 0)],
  ];
  for (const [t, e] of Object.entries(s.exhaustion)) {
    rows.push([`${t}: first exhausted (p5 / p50 / p95 day)`, e.p50 === null ? `never in ${fmt(100 * e.p_never, 0)}% of runs` : `${e.p5} / ${e.p50} / ${e.p95}`, '']);
  }
  const table = el('table', { id: 'summary' },
    el('thead', {}, el('tr', {}, el('th', {}, 'campaign'), el('th', { class: 'num' }, 'value'), el('th', { class: 'num' }, '95% interval'))),
    el('tbody', {}, rows.map(([k, v, c]) => el('tr', {}, el('th', {}, k), el('td', { class: 'num' }, v), el('td', { class: 'num' }, c)))));
  const charts = el('div', { class: 'charts' },
    figure('chart-stocks', 'Interceptors left at day end (deployed and depot) of the types that run out, mean and 5th-95th percentile band', (c) => lineChart(c, {
      categories: days, yLabel: 'rounds',
      series: types.map((t) => ({ name: t, values: s.by_day.map((d) => d.stock_total[t].mean), band: s.by_day.map((d) => band(d.stock_total[t])) })) }), 620, 300),
    figure('chart-day-leakers', 'Leakers per day, mean (95% CI)', (c) => barChart(c, {
      categories: days, yLabel: 'leakers',
      series: [{ name: 'leakers', values: s.by_day.map((d) => d.leakers.mean), ci: s.by_day.map((d) => d.leakers.ci95), color: '#c62828' }] })),
    figure('chart-exhaustion', 'P(interceptor type exhausted by the end of day D)', (c) => lineChart(c, {
      categories: days, yLabel: 'probability', yMax: 1,
      series: Object.entries(s.exhaustion).filter(([, e]) => e.p_never < 1).map(([t, e]) => ({ name: t, values: e.p_by_day })) }), 620, 300),
    figure('chart-day-cost', 'Defense cost per day, M US$, mean (95% CI)', (c) => barChart(c, {
      categories: days, yLabel: 'M US$',
      series: [{ name: 'cost', values: s.by_day.map((d) => d.defense_cost_usd.mean / 1e6), ci: s.by_day.map((d) => d.defense_cost_usd.ci95.map((x) => x / 1e6)), color: '#6a1b9a' }] })));
  const files = ['summary.json', 'campaign.parquet'];
  root.replaceChildren(
    el('h2', {}, 'Campaign'), table,
    el('h2', {}, 'Charts'), charts,
    el('h2', {}, 'Files'),
    el('p', {}, files.map((f) => [el('a', { href: `/api/runs/${run.id}/files/${f}`, download: f }, f), ' '])));
}

async function renderResult(root, run) {
  const s = run.summary;
  if (run.options.campaign) {
    renderCampaign(root, run);
    return;
  }
  const layers = Object.entries(s.by_layer);
  const charts = el('div', { class: 'charts' },
    figure('chart-leakers', 'Leakers per run: runs with each count', (c) => barChart(c, {
      categories: s.leakers.histogram.map((_, k) => k), series: [{ name: 'runs', values: s.leakers.histogram }], yLabel: 'runs' })),
    figure('chart-layers', 'Shots and kills per layer, mean per run (95% CI)', (c) => barChart(c, {
      categories: layers.map(([k]) => k), rotate: true,
      series: [
        { name: 'shots', values: layers.map(([, l]) => l.shots), ci: layers.map(([, l]) => l.shots_ci95) },
        { name: 'kills', values: layers.map(([, l]) => l.kills), ci: layers.map(([, l]) => l.kills_ci95), color: '#2e7d32' }] })),
    figure('chart-cost', 'Defense cost per layer, mean per run, M US$', (c) => barChart(c, {
      categories: layers.map(([k]) => k), rotate: true,
      series: [{ name: 'cost', values: layers.map(([, l]) => l.cost_usd / 1e6), color: '#6a1b9a' }], yLabel: 'M US$' })));
  if (s.leak_causes) {
    const causes = Object.entries(s.leak_causes).filter(([, v]) => v > 0);
    charts.append(figure('chart-causes', 'Leakers by cause, mean per run', (c) => barChart(c, {
      categories: causes.map(([k]) => k.replaceAll('_', ' ')), rotate: true,
      series: [{ name: 'leakers', values: causes.map(([, v]) => v), color: '#c62828' }] })));
  }
  if (s.warning) {
    const siren = leadBins(s.warning.siren_lead_s);
    charts.append(figure('chart-lead', 'Siren lead time before impact (s): impacts in zones, all runs', (c) => barChart(c, {
      categories: siren.cats, series: [{ name: 'impacts', values: siren.vals, color: '#e65100' }], rotate: true })));
    const early = leadBins(s.warning.early_warning_lead_s);
    charts.append(figure('chart-early', 'Early-warning lead time before arrival (s): all runs', (c) => barChart(c, {
      categories: early.cats, series: [{ name: 'threats', values: early.vals, color: '#00838f' }], rotate: true })));
  }
  const files = ['summary.json', 'runs.parquet', 'events.parquet', 'impacts.geojson', 'replay.czml', 'replay.kml', 'zones.geojson', 'scenario.yaml'];
  root.replaceChildren(
    el('h2', {}, 'Summary'), summaryTable(s),
    ...(s.reported?.length ? [el('h2', {}, 'Reported and simulated'), reportedTable(s)] : []),
    el('h2', {}, 'Charts'), charts,
    el('h2', {}, 'Map replay'), el('div', { id: 'replay' }),
    el('h2', {}, 'Files'),
    el('p', {}, files.map((f) => [el('a', { href: `/api/runs/${run.id}/files/${f}`, download: f }, f), ' '])));
  if (s.representative_run !== null && s.representative_run !== undefined) {
    await mapReplay(root.querySelector('#replay'), run);
  } else {
    root.querySelector('#replay').append(el('p', { class: 'meta' }, 'No replay: the scenario has no geometry.'));
  }
}
