// The report of a real run, opened in Chromium with the network cut off: it must show every
// plot, and ask for nothing but its own file.
//
// Usage: SKYSHIELD_BIN=target/release/skyshield node --test   (in tests/browser)
// Environment:
//   SKYSHIELD_BIN   path of the skyshield binary (required; relative paths are taken from the
//                   repository root)
//   CHROMIUM_PATH   Chromium to drive (default /usr/bin/chromium)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The default scenario has warning zones, so the civil warning section has its two plots.
const FIGURES = ['plot-leakers', 'plot-leak-causes', 'plot-layers', 'plot-cost', 'plot-map', 'plot-timeline', 'plot-zones', 'plot-lead'];
// The coastline's stroke colour in the map (COAST in crates/report/src/plots.rs).
const COAST_STROKE = '#5A5A5A';
// The land borders' stroke colour (BORDER in crates/report/src/plots/canvas.rs).
const BORDER_STROKE = '#A0522D';

let work;
let context;
let page;
let reportUrl;
let octoberUrl;
const requests = [];
const aborted = [];
const pageErrors = [];

function skyshield(args) {
  const bin = process.env.SKYSHIELD_BIN;
  assert.ok(bin, 'SKYSHIELD_BIN names the skyshield binary');
  const exe = path.resolve(repo, bin);
  assert.ok(existsSync(exe), `${exe} exists`);
  const run = spawnSync(exe, args, { encoding: 'utf8' });
  assert.equal(run.status, 0, `skyshield ${args.join(' ')}: ${run.stderr}`);
  return run;
}

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'skyshield-browser-'));
  const out = path.join(work, 'out');
  // The built-in default scenario, few runs: the report needs data, not precision.
  skyshield(['run', '--runs', '20', '--seed', '3', '--out', out]);
  skyshield(['report', out]);
  const report = path.join(out, 'report.html');
  reportUrl = pathToFileURL(report).href;
  // A reconstructed event with reported figures: its report sets them beside the runs.
  const october = path.join(work, 'october');
  skyshield(['run', path.join(repo, 'scenarios', 'oct-2024.yaml'), '--runs', '40', '--out', october]);
  skyshield(['report', october]);
  octoberUrl = pathToFileURL(path.join(october, 'report.html')).href;

  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Every request is counted; any but the report itself is aborted.
  context.on('request', (request) => requests.push(request.url()));
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === reportUrl || url === octoberUrl) {
      return route.continue();
    }
    aborted.push(url);
    return route.abort();
  });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(reportUrl, { waitUntil: 'load' });
});

after(async () => {
  await context?.close();
  if (work) {
    rmSync(work, { recursive: true, force: true });
  }
});

test('the page asks for nothing but its own file', () => {
  assert.deepEqual(aborted, [], 'no request was routed away from the file');
  // The counter saw the report's own request, and nothing else.
  assert.deepEqual(requests, [reportUrl], 'no request other than the report');
  assert.deepEqual(pageErrors, [], 'no script error');
});

test('no element refers to the network', async () => {
  const refs = await page.$$eval('[src], [href], [srcset]', (elements) =>
    elements.map((e) => e.getAttribute('src') ?? e.getAttribute('href') ?? e.getAttribute('srcset')),
  );
  assert.deepEqual(
    refs.filter((r) => /^\s*(https?:)?\/\//i.test(r)),
    [],
    'no src, href or srcset to the network',
  );
});

test('the page shows the summary and how to reproduce it', async () => {
  const text = await page.textContent('body');
  for (const words of ['Leakers per run', 'P(no leaker)', 'Reproduce', '--seed 3', 'skyshield report']) {
    assert.ok(text.includes(words), `the page says ${words}`);
  }
  assert.ok(await page.locator('table#layers tbody tr').count() > 0, 'a row per layer');
});

// Fill colours of the plots' marks (crates/report/src/plots.rs).
const BLUE = '#0072B2';
const GREEN = '#009E73';
const VERMILLION = '#D55E00';
const SKY = '#56B4E9';

/** The filled rects of colour `fill` in figure `id`, as {x, y, w, h}. */
async function rects(id, fill) {
  return page.locator(`figure#${id} > svg`).evaluate(
    (e, colour) =>
      [...e.querySelectorAll('rect')]
        .filter((r) => (r.getAttribute('fill') ?? '').toUpperCase() === colour)
        .map((r) => ({
          x: Number(r.getAttribute('x')),
          y: Number(r.getAttribute('y')),
          w: Number(r.getAttribute('width')),
          h: Number(r.getAttribute('height')),
        })),
    fill,
  );
}

/** The bars among rects: those standing on the lowest bottom edge (the plot's baseline), which
 * leaves out the legend's swatches; left to right. */
function bars(marks) {
  const base = Math.max(...marks.map((m) => m.y + m.h));
  return marks.filter((m) => Math.abs(m.y + m.h - base) <= 1.01).sort((a, b) => a.x - b.x);
}

/** Asserts that bars' heights are proportional to `values`, to a pixel of rounding. */
function proportional(found, values, what) {
  assert.equal(found.length, values.length, `${what}: ${found.length} bars for ${values.length} values`);
  const k = values.indexOf(Math.max(...values));
  const perUnit = found[k].h / values[k];
  found.forEach((b, i) => {
    assert.ok(Math.abs(b.h - values[i] * perUnit) <= 1.01, `${what} ${i}: ${b.h} px for ${values[i]}`);
  });
}

for (const id of FIGURES) {
  test(`figure ${id} shows a plot`, async () => {
    const svg = page.locator(`figure#${id} > svg`);
    assert.equal(await svg.count(), 1, `one svg in #${id}`);
    assert.ok(await svg.isVisible(), `#${id} svg is visible`);
    const box = await svg.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 100, `#${id} svg has a size: ${JSON.stringify(box)}`);
    const text = await svg.evaluate((e) => e.querySelectorAll('text').length);
    assert.ok(text > 0, `#${id} has axis labels`);
    const caption = await page.locator(`figure#${id} > figcaption`).textContent();
    assert.ok(caption.trim().length > 20, `#${id} has a caption`);
  });
}

test('the leaker plot draws a bar per non-empty count of the summary, at its height', async () => {
  const summary = JSON.parse(readFileSync(path.join(work, 'out', 'summary.json'), 'utf8'));
  const counts = summary.leakers.histogram.filter((n) => n > 0);
  const found = bars(await rects('plot-leakers', BLUE)).filter((b) => b.h > 0.5);
  proportional(found, counts, 'leaker bar');
});

test('the leak-cause chart draws a bar per cause with leakers, at its length, and writes every value', async () => {
  const summary = JSON.parse(readFileSync(path.join(work, 'out', 'summary.json'), 'utf8'));
  // summary.json lists the causes in the order of the classification, the chart's order from the top.
  const causes = Object.entries(summary.leak_causes);
  assert.equal(causes.length, 9, 'every cause, zeros included');
  const total = causes.reduce((a, [, v]) => a + v, 0);
  assert.ok(Math.abs(total - summary.fates.leaked) < 1e-9, `causes sum to ${total}, leaked ${summary.fates.leaked}`);
  const drawn = causes.filter(([, v]) => v > 0);
  assert.ok(drawn.length > 0, 'the run has leakers');
  // Horizontal bars from the axis: the same left edge, top to bottom, lengths proportional.
  const found = (await rects('plot-leak-causes', VERMILLION)).sort((a, b) => a.y - b.y);
  assert.equal(found.length, drawn.length, 'a bar per cause with leakers');
  const left = Math.min(...found.map((b) => b.x));
  assert.ok(found.every((b) => Math.abs(b.x - left) <= 1.01), 'every bar starts at the axis');
  const k = drawn.findIndex(([, v]) => v === Math.max(...drawn.map(([, x]) => x)));
  const perUnit = found[k].w / drawn[k][1];
  drawn.forEach(([cause, v], i) => {
    assert.ok(Math.abs(found[i].w - v * perUnit) <= 1.01, `${cause}: ${found[i].w} px for ${v}`);
  });
  const texts = await page
    .locator('figure#plot-leak-causes > svg')
    .evaluate((e) => [...e.querySelectorAll('text')].map((t) => t.textContent.trim()));
  for (const [cause, v] of causes) {
    assert.ok(texts.includes(cause), `${cause} labels its bar`);
    assert.ok(texts.includes(v.toFixed(2)), `${cause}: the value ${v.toFixed(2)} is written`);
  }
  const title = await page.locator('figure#plot-leak-causes > figcaption strong').textContent();
  assert.equal(title, 'Why threats leaked.');
});

test('the layer table shows the rounds reloaded', async () => {
  const head = await page.locator('table#layers thead').textContent();
  assert.ok(head.includes('rounds reloaded per run'), head);
});

test('the layer and cost plots draw a bar per layer at its mean', async () => {
  const summary = JSON.parse(readFileSync(path.join(work, 'out', 'summary.json'), 'utf8'));
  const layers = Object.keys(summary.by_layer).sort();
  const fired = layers.filter((l) => summary.by_layer[l].shots > 0);
  const shots = bars(await rects('plot-layers', BLUE)).filter((b) => b.h > 0.5);
  proportional(shots, fired.map((l) => summary.by_layer[l].shots), 'shots');
  const killed = layers.filter((l) => summary.by_layer[l].kills > 0);
  const kills = bars(await rects('plot-layers', GREEN)).filter((b) => b.h > 0.5);
  assert.equal(kills.length, killed.length, 'a kills bar per layer with kills');
  const cost = bars(await rects('plot-cost', VERMILLION)).filter((b) => b.h > 0.5);
  proportional(cost, fired.map((l) => summary.by_layer[l].cost_usd), 'cost');
});

test('the map draws the coastline, the borders, the assets by name and points', async () => {
  const svg = page.locator('figure#plot-map > svg');
  const { coast, borders, texts, points } = await svg.evaluate((e, [coastStroke, borderStroke]) => {
    const lines = (stroke) => [...e.querySelectorAll(`polyline[stroke="${stroke}"]`)];
    return {
      // The legend's sample is a two-point line; a coastline has more points.
      coast: lines(coastStroke).filter((l) => l.getAttribute('points').trim().split(/\s+/).length > 2).length,
      // Borders are dashed: many short lines beside the legend's sample.
      borders: lines(borderStroke).length - 1,
      texts: [...e.querySelectorAll('text')].map((t) => t.textContent.trim()),
      points: e.querySelectorAll('circle').length,
    };
  }, [COAST_STROKE, BORDER_STROKE]);
  assert.ok(coast > 0, 'a coastline');
  assert.ok(borders > 10, `${borders} border dashes`);
  // Every asset and battery of the scenario is named on the map.
  const scenario = readFileSync(path.join(work, 'out', 'scenario.yaml'), 'utf8');
  const section = (name) => scenario.split(new RegExp(`^${name}:`, 'm'))[1].split(/^\S/m)[0];
  const ids = (name) => [...section(name).matchAll(/^ {2}- (?:\{)?id: ([\w-]+)/gm)].map((m) => m[1]);
  const named = [...ids('assets'), ...ids('batteries')];
  assert.ok(named.length >= 3, `ids ${named}`);
  for (const id of named) assert.ok(texts.includes(id), `${id} is written on the map`);
  assert.ok(texts.some((t) => / km$/.test(t)), 'a scale bar');
  assert.ok(points > 0, 'impact or intercept points');
  await svg.screenshot({ path: path.join(repo, 'target', 'browser', 'report-map.png') });
});

test('the civil warning section shows the zones and the lead-time histogram', async () => {
  const section = page.locator('section#warning');
  assert.ok(await section.isVisible(), 'the section is visible');
  const text = await section.textContent();
  for (const words of ['Civil warning', 'Siren lead time', 'People warned too late', '95 % CI']) {
    assert.ok(text.includes(words), `the section says ${words}`);
  }
  const zones = await section.locator('figure#plot-zones > svg').evaluate((e) => ({
    polygons: e.querySelectorAll('polygon').length,
    // Zone polygons are filled; a path or polygon with no fill is an outline.
    filled: [...e.querySelectorAll('polygon')].filter((p) => {
      const fill = p.getAttribute('fill');
      return fill && fill !== 'none';
    }).length,
  }));
  assert.ok(zones.polygons > 0 && zones.filled > 0, `filled zone polygons: ${JSON.stringify(zones)}`);
  // One bar per non-empty bin after the plot merges the bins below the cap into at most 120
  // bars, and one for the bin at the cap (every longer lead) when it holds impacts.
  const summary = JSON.parse(readFileSync(path.join(work, 'out', 'summary.json'), 'utf8'));
  const lead = summary.warning.siren_lead_s;
  const last = Math.round(lead.histogram_cap_s / lead.histogram_bin_s);
  const regular = lead.histogram.slice(0, last);
  const merge = Math.max(1, Math.ceil(regular.length / 120));
  const merged = [];
  for (let i = 0; i < regular.length; i += merge) {
    merged.push(regular.slice(i, i + merge).reduce((a, b) => a + b, 0));
  }
  const expected = merged.filter((n) => n > 0);
  assert.ok(expected.length > 0, 'the run measured siren lead times');
  const blue = bars(await rects('plot-lead', BLUE));
  const sky = bars(await rects('plot-lead', SKY));
  const overflow = (lead.histogram[last] ?? 0) > 0 ? [lead.histogram[last]] : [];
  proportional([...blue, ...sky], [...expected, ...overflow], 'lead-time bar');
});

test('the headline is the first section, with the figures and their intervals', async () => {
  const order = await page.locator('section').evaluateAll((s) => s.map((e) => e.id));
  assert.equal(order[0], 'headline', `sections in order: ${order}`);
  assert.ok(order.indexOf('headline') < order.indexOf('summary'), `${order}`);
  const text = await page.locator('section#headline').textContent();
  const summary = JSON.parse(readFileSync(path.join(work, 'out', 'summary.json'), 'utf8'));
  const fixed = (x) => x.toFixed(2);
  for (const words of [
    `${summary.threats} launched`,
    `Leakers${fixed(summary.leakers.mean)} (95 % CI ${fixed(summary.leakers.ci95[0])} to ${fixed(summary.leakers.ci95[1])})`,
    'Intercept rate',
    'Interceptors fired',
    'Defense cost',
    'Hits on defended assets',
    'people warned too late (95 % CI',
  ]) {
    assert.ok(text.includes(words), `the headline says ${words}: ${text}`);
  }
});

/** The top of the zone map's colour scale for a largest probability `most` (fitted_top in
 * crates/report/src/plots/zone_map.rs). */
function fittedTop(most) {
  if (!(most > 0) || most >= 1) return 1;
  const decade = 10 ** Math.floor(Math.log10(most));
  return Math.min(1, [1, 2, 2.5, 5, 10].map((m) => m * decade).find((t) => t >= most * (1 - 1e-12)) ?? 1);
}

test('the warning per area: a bounded table by people at risk, and a choropleth with a fitted scale', async () => {
  const summary = JSON.parse(readFileSync(path.join(work, 'out', 'summary.json'), 'utf8'));
  const zones = Object.entries(summary.warning.zones);
  const section = page.locator('section#warning');
  const head = await section.locator('table#areas thead').textContent();
  for (const words of ['people', 'P(hit)', 'siren lead', 'P(too late)', 'P(false alarm)']) {
    assert.ok(head.includes(words), `the table has ${words}: ${head}`);
  }
  const rows = await section.locator('table#areas tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
  assert.equal(rows.length, Math.min(30, zones.length), 'at most 30 rows');
  const number = (t) => Number(t.replace(/,/g, ''));
  for (const [k, row] of rows.entries()) {
    // Areas named after the asset they cover, with their row and column.
    assert.match(row[0], /^[\w-]+ r\d+c\d+$/, `an area name: ${row}`);
    const zone = summary.warning.zones[row[0]];
    assert.ok(zone, `${row[0]} is a zone of the summary`);
    assert.equal(number(row[1]), zone.population, `${row[0]}: its people`);
    if (k > 0) assert.ok(number(row[3]) <= number(rows[k - 1][3]), `sorted by people at risk: ${row}`);
  }
  const more = section.locator('#areas-more');
  if (zones.length > 30) {
    assert.ok((await more.textContent()).includes(`${zones.length - 30} more areas`));
  } else {
    assert.equal(await more.count(), 0);
  }
  // The choropleth's scale runs from 0 to a round number fitted to the zones, named.
  const most = Math.max(...zones.map(([, z]) => z.p_too_late));
  const top = fittedTop(most);
  const map = section.locator('figure#plot-zones');
  const texts = await map.locator('svg').evaluate((e) => [...e.querySelectorAll('text')].map((t) => t.textContent.trim()));
  assert.ok(texts.includes('P(warned too late)'), `the scale is named: ${texts}`);
  const digits = top < 0.1 ? 3 : 2;
  for (const tick of [(0).toFixed(digits), top.toFixed(digits)]) {
    assert.ok(texts.includes(tick), `a tick ${tick} on the scale: ${texts}`);
  }
  const caption = await map.locator('figcaption').textContent();
  assert.ok(caption.includes(`from 0 to ${top.toFixed(2)}`), caption);
  await section.screenshot({ path: path.join(repo, 'target', 'browser', 'report-warning-areas.png') });
});

test('the report of a reconstructed event sets each reported figure beside the runs', async () => {
  const scenario = readFileSync(path.join(repo, 'scenarios', 'oct-2024.yaml'), 'utf8');
  const reported = scenario.split(/^reported:/m)[1].split(/^\S/m)[0];
  const figures = [...reported.matchAll(/^ {2}- /gm)].length;
  assert.ok(figures >= 3, `${figures} reported figures`);
  const october = await context.newPage();
  await october.goto(octoberUrl, { waitUntil: 'load' });
  const section = october.locator('section#reported');
  assert.equal(await section.locator('h2').textContent(), 'Reported and simulated');
  const rows = await section.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
  assert.equal(rows.length, figures);
  const labels = ['consistent', 'in the tail', 'outside', 'by construction'];
  for (const row of rows) {
    assert.ok(labels.includes(row[5]), `a label: ${row}`);
    assert.match(row[1], /^[\d,.–]+$/, `a reported value: ${row}`);
    if (row[5] !== 'by construction') assert.match(row[4], /^\d+$/, `a rank: ${row}`);
  }
  // The section comes before the plots, right after the summary.
  const order = await october.locator('section').evaluateAll((s) => s.map((e) => e.id));
  assert.ok(order.indexOf('reported') < order.indexOf('plots'), `${order}`);
  await section.screenshot({ path: path.join(repo, 'target', 'browser', 'report-reported.png') });
  await october.close();
});

test('a full-page screenshot is a non-trivial PNG', async () => {
  const dir = path.join(repo, 'target', 'browser');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'report.png');
  await page.screenshot({ path: file, fullPage: true });
  const png = readFileSync(file);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.equal(width, 1200, 'the viewport width');
  assert.ok(height > 2000, `the full page, taller than the viewport: ${height}`);
  assert.ok(png.length > 50_000, `a picture, not a blank page: ${png.length} bytes`);
});
