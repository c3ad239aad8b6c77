// The web page of `skyshield serve`, driven in Chromium like a user: the library, the editor
// (an error marked at its line), a run with its progress, summary and charts, the map replay
// (tracks and impacts checked by pixels), and the comparison of two runs. Every request outside
// the server is refused and counted as a failure. Screenshots go to target/browser/.
//
// Usage: SKYSHIELD_BIN=target/release/skyshield node --test   (in tests/browser)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = path.join(repo, 'target', 'browser');
// The scenario run through the page: a ballistic raid of which a part leaks.
const SCENARIO = 'oct-2024.yaml';

let work;
let server;
let base;
let context;
let page;
const outside = [];
const requests = [];
const pageErrors = [];

async function startServer() {
  const bin = process.env.SKYSHIELD_BIN;
  assert.ok(bin, 'SKYSHIELD_BIN names the skyshield binary');
  const exe = path.resolve(repo, bin);
  assert.ok(existsSync(exe), `${exe} exists`);
  server = spawn(exe, ['serve', '--addr', '127.0.0.1:0', '--db', path.join(work, 'store.db')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines = createInterface({ input: server.stderr });
  return new Promise((resolve, reject) => {
    server.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    lines.on('line', (line) => {
      const m = /^skyshield serving (http:\/\/\S+?)\/? /.exec(line);
      if (m) resolve(m[1]);
    });
  });
}

async function apiPost(pathname, body) {
  const r = await fetch(`${base}${pathname}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.ok(r.ok, `${pathname}: ${r.status}`);
  return r.json();
}

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'skyshield-serve-browser-'));
  mkdirSync(shots, { recursive: true });
  base = await startServer();
  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === base || url.startsWith(`${base}/`)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  context.on('request', (r) => requests.push(r.url()));
  // Every text the run's status line shows, in order, to see the progress as it goes.
  await context.addInitScript(() => {
    window.statuses = [];
    new MutationObserver(() => {
      const s = document.getElementById('run-status')?.textContent;
      if (s && s !== window.statuses[window.statuses.length - 1]) window.statuses.push(s);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.setViewportSize({ width: 1280, height: 900 });
});

after(async () => {
  await context?.close();
  server?.kill('SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
});

// Pixels of `canvas` (a selector) within `tolerance` of a colour, over the whole canvas.
async function countColour(selector, rgb, tolerance = 24) {
  return page.$eval(selector, (c, [rgb, tol]) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - rgb[0]) <= tol && Math.abs(d[i + 1] - rgb[1]) <= tol && Math.abs(d[i + 2] - rgb[2]) <= tol) n++;
    }
    return n;
  }, [rgb, tolerance]);
}

// Canvas pixels that are not the background.
async function inked(selector) {
  return page.$eval(selector, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) n++;
    return n;
  });
}

let runId;

test('the library lists every scenario with its description and sources', async () => {
  await page.goto(`${base}/#/library`);
  await page.waitForSelector('#library .card');
  const cards = await page.$$eval('#library .card', (cs) => cs.map((c) => ({
    file: c.dataset.file, text: c.textContent, sources: c.querySelectorAll('.sources li').length })));
  assert.ok(cards.length >= 10, `${cards.length} cards`);
  const card = cards.find((c) => c.file === SCENARIO);
  assert.ok(card, `${SCENARIO} is listed`);
  assert.ok(card.sources > 0 && /October 2024/.test(card.text));
  await page.screenshot({ path: path.join(shots, 'serve-library.png'), fullPage: true });
});

test('the editor marks an error at its line and column, then runs the fixed scenario', async () => {
  await page.click(`#library .card[data-file="${SCENARIO}"] a.button`);
  await page.waitForFunction(() => document.querySelector('#validation')?.textContent.startsWith('Valid'));
  const area = page.locator('#scenario-text');
  const original = await area.inputValue();
  // Highlighting: keys and numbers are marked up.
  assert.ok(await page.locator('.code pre .hl-key').count() > 10);
  // An unknown field on a known line.
  const lines = original.split('\n');
  const at = lines.findIndex((l) => /^runs:/.test(l));
  assert.ok(at >= 0);
  lines[at] = lines[at].replace('runs:', 'rnus:');
  await area.fill(lines.join('\n'));
  const line = at + 1;
  await page.waitForSelector(`#problems li[data-line="${line}"]`);
  const problem = await page.textContent(`#problems li[data-line="${line}"]`);
  assert.match(problem, new RegExp(`:${line}:1: `));
  assert.match(problem, /rnus/);
  assert.equal(await page.locator(`.gutter div.err[data-line="${line}"]`).count(), 1);
  assert.equal(await page.locator(`.code pre .line.err[data-line="${line}"]`).count(), 1);
  assert.ok(await page.locator('#run-button').isDisabled());
  // Going to the problem puts the cursor there and shows the fields of that level.
  await page.click(`#problems li[data-line="${line}"] button`);
  await page.waitForFunction(() => document.querySelector('#docs dl')?.textContent.includes('seed'));
  const shown = await page.$eval('.editor', (box, n) => {
    const r = box.querySelector(`.code pre .line[data-line="${n}"]`).getBoundingClientRect();
    const b = box.getBoundingClientRect();
    return r.top >= b.top && r.bottom <= b.bottom;
  }, line);
  assert.ok(shown, `line ${line} is scrolled into view`);
  await page.screenshot({ path: path.join(shots, 'serve-editor-error.png'), fullPage: true });
  // A lint: valid, listed as a warning at its line, and the scenario may still run.
  const wide = original.split('\n');
  const asset = wide.findIndex((l) => /circle: \{center: \[32\.147, 34\.806\], radius_km: 1\.5\}/.test(l));
  assert.ok(asset >= 0, 'an asset of 1.5 km in radius');
  wide[asset] = wide[asset].replace('radius_km: 1.5', 'radius_km: 150');
  await area.fill(wide.join('\n'));
  await page.waitForSelector(`#problems li.warning[data-line="${asset + 1}"]`);
  assert.match(await page.textContent('#validation'), /^Valid: .* · 1 warning\(s\)$/);
  assert.match(await page.textContent(`#problems li.warning[data-line="${asset + 1}"]`), /warning: asset `[\w-]+` is 150 km in radius/);
  assert.ok(await page.locator('#run-button').isEnabled());
  // The documentation of the field under the cursor, from the JSON Schema.
  await area.fill(original);
  await page.waitForFunction(() => /^Valid: .* threats per run$/.test(document.querySelector('#validation')?.textContent));
  assert.equal(await page.locator('#problems li').count(), 0);
  await page.fill('#opt-runs', '3000');
  await page.fill('#opt-seed', '9');
  await page.click('#run-button');
  await page.waitForURL(/#\/run\/\d+$/);
  runId = Number(page.url().split('/').pop());
  assert.ok(runId > 0);
});

test('the run page shows progress, then the summary with intervals and the charts', async () => {
  await page.waitForSelector('#run-status');
  await page.waitForSelector('#summary', { timeout: 120_000 });
  assert.equal(await page.textContent('#run-status'), 'finished');
  assert.equal(await page.$eval('#run-progress', (p) => p.value), 3000);
  // Progress came as server-sent events, with runs done on the way.
  assert.ok(requests.some((u) => u.endsWith(`/api/runs/${runId}/events`)));
  const statuses = await page.evaluate(() => window.statuses);
  assert.ok(statuses.some((s) => /^running: [1-9]\d* of 3000 runs$/.test(s)), statuses.join(' | '));
  assert.equal(statuses[statuses.length - 1], 'finished');
  const summary = await page.textContent('#summary');
  assert.match(summary, /leakers per run/);
  assert.match(summary, /\d\.\d\d–\d/); // an interval
  // The scenario's reported figures, scored as `skyshield run` scores them.
  const run = await (await fetch(`${base}/api/runs/${runId}`)).json();
  assert.ok(run.summary.reported.length >= 3, `${run.summary.reported.length} reported figures`);
  const reported = await page.$$eval('#reported tbody tr', (rs) => rs.map((r) => [...r.children].map((c) => c.textContent)));
  assert.equal(reported.length, run.summary.reported.length);
  reported.forEach((row, k) => {
    assert.equal(row[0], run.summary.reported[k].figure);
    assert.equal(row[5], run.summary.reported[k].agreement.replaceAll('_', ' '));
    assert.equal(row[6], run.summary.reported[k].metric);
  });
  for (const id of ['chart-leakers', 'chart-layers', 'chart-cost', 'chart-causes']) {
    await page.waitForSelector(`#${id}`);
    assert.ok(await inked(`#${id}`) > 500, `${id} is drawn`);
  }
  // Shots are drawn in the first series' blue, kills in green.
  assert.ok(await countColour('#chart-layers', [11, 99, 182], 4) > 50);
  assert.ok(await countColour('#chart-layers', [46, 125, 50], 4) > 20);
  await page.screenshot({ path: path.join(shots, 'serve-run.png'), fullPage: true });
});

test('the replay draws threat tracks and impacts on the map, and plays', async () => {
  await page.waitForFunction(() => document.querySelector('#map')?.replay);
  const caption = await page.textContent('#replay-caption');
  assert.match(caption, /representative/);
  // At the end of the run: every impact mark is drawn in its colour at its place, and each
  // threat's track runs through its samples.
  const check = () => page.$eval('#map', (c) => {
    const { scene, at, t } = c.replay;
    const g = c.getContext('2d');
    const near = (x, y, rgb, tol) => {
      const d = g.getImageData(Math.round(x) - 1, Math.round(y) - 1, 3, 3).data;
      for (let i = 0; i < d.length; i += 4) {
        if (Math.abs(d[i] - rgb[0]) <= tol && Math.abs(d[i + 1] - rgb[1]) <= tol && Math.abs(d[i + 2] - rgb[2]) <= tol) return true;
      }
      return false;
    };
    const impacts = scene.marks.filter((m) => m.kind === 'impact' && m.t <= t);
    const impactsDrawn = impacts.filter((m) => near(...at(m.lon, m.lat), m.colour, 2)).length;
    const debris = scene.marks.filter((m) => m.kind === 'debris' && m.t <= t);
    // Drawn, or under an impact mark (radius 5 px) drawn over it.
    const underImpact = (m) => impacts.some((i) => {
      const [a, b] = at(m.lon, m.lat); const [c, d] = at(i.lon, i.lat);
      return Math.hypot(a - c, b - d) <= 6;
    });
    const debrisDrawn = debris.filter((m) => near(...at(m.lon, m.lat), m.colour, 2) || underImpact(m)).length;
    // Tracks cross and cover one another: each flown track shows its colour somewhere.
    const threats = scene.tracks.filter((x) => x.kind === 'threat');
    let flown = 0; let drawn = 0;
    for (const tr of threats) {
      const seen = tr.samples.filter((s) => s.t <= t);
      if (seen.length < 2) continue;
      flown++;
      if (seen.some((s) => near(...at(s.lon, s.lat), tr.colour, 60))) drawn++;
    }
    return { t, begin: scene.begin, end: scene.end, impacts: impacts.length, impactsDrawn, debris: debris.length, debrisDrawn, flown, drawn, threats: threats.length };
  });
  const end = await check();
  assert.ok(end.threats > 0 && end.impacts > 0, JSON.stringify(end));
  assert.equal(end.impactsDrawn, end.impacts, JSON.stringify(end));
  // Debris: a brown mark at the mean fall point of each intercepted threat's debris, drawn
  // over the intercepts and beneath the impacts.
  assert.ok(end.debris > 0, JSON.stringify(end));
  assert.equal(end.debrisDrawn, end.debris, JSON.stringify(end));
  assert.equal(end.flown, end.threats, JSON.stringify(end));
  assert.ok(end.drawn / end.flown > 0.9, JSON.stringify(end));
  // Leaked threats in red, on the map.
  const redAtEnd = await countColour('#map', [230, 30, 30], 10);
  assert.ok(redAtEnd > 200, `${redAtEnd} red pixels`);
  assert.ok(await inked('#altitude') > 200);
  await page.screenshot({ path: path.join(shots, 'serve-replay-end.png'), fullPage: true });
  // At the start nothing has flown; playing moves time on and draws tracks.
  await page.$eval('#time-slider', (s) => { s.value = s.min; s.dispatchEvent(new Event('input')); });
  const start = await check();
  assert.equal(start.impacts, 0);
  const redAtStart = await countColour('#map', [230, 30, 30], 10);
  // The basemap: land borders dashed in their colour (BASEMAP.border in web/map.js, #a0522d),
  // drawn before anything has flown.
  const borders = await countColour('#map', [0xa0, 0x52, 0x2d], 12);
  assert.ok(borders > 60, `${borders} border pixels`);
  await page.click('#play-button');
  await page.waitForFunction(() => Number(document.querySelector('#map').dataset.time) > Number(document.querySelector('#time-slider').min) + 1);
  await page.click('#play-button');
  const later = await check();
  assert.ok(later.t > start.t);
  assert.ok(later.flown > 0 && later.flown < end.flown, JSON.stringify(later));
  // Only the launch points of the first threats, no tracks.
  assert.ok(redAtStart < redAtEnd / 10, `${redAtStart} red pixels at the start, ${redAtEnd} at the end`);
  // Any run by number.
  await page.fill('#replay-run', '3');
  await page.click('#replay-load');
  await page.waitForFunction(() => document.querySelector('#map').dataset.run === '3');
  assert.match(await page.textContent('#replay-caption'), /^Run 3/);
});

test('two runs are compared side by side with their difference', async () => {
  const other = await apiPost('/api/runs', { library: SCENARIO, runs: 3000, seed: 9, nominal: true });
  await page.goto(`${base}/#/run/${other.id}`);
  await page.waitForSelector('#summary', { timeout: 120_000 });
  await page.goto(`${base}/#/runs`);
  await page.waitForSelector('#runs');
  await page.check(`input[aria-label="Select run ${runId}"]`);
  await page.check(`input[aria-label="Select run ${other.id}"]`);
  await page.click('text=Compare selected');
  await page.waitForSelector('#compare-table');
  const head = await page.textContent('#compare-table thead');
  assert.match(head, new RegExp(`#${other.id} − #${runId}|#${runId} − #${other.id}`));
  const rows = await page.$$eval('#compare-table tbody tr', (rs) => rs.map((r) => r.textContent));
  assert.ok(rows.some((r) => r.startsWith('leakers per run')));
  assert.ok(rows.some((r) => /^arrow-3 shots/.test(r)), rows.join('\n'));
  assert.ok(await inked('#chart-compare') > 500);
  await page.screenshot({ path: path.join(shots, 'serve-compare.png'), fullPage: true });
});

test('a campaign plays its days and draws stocks with bands, leakers, exhaustion and cost', async () => {
  await page.goto(`${base}/#/library`);
  await page.click('#library .card[data-file="jun-2025-12-day.yaml"] a.button');
  await page.waitForFunction(() => document.querySelector('#validation')?.textContent.startsWith('Valid'));
  assert.ok(await page.locator('#opt-campaign').isEnabled());
  await page.fill('#opt-runs', '40');
  await page.check('#opt-campaign');
  await page.click('#run-button');
  await page.waitForURL(/#\/run\/\d+$/);
  const id = Number(page.url().split('/').pop());
  await page.waitForSelector('#summary', { timeout: 120_000 });
  assert.equal(await page.textContent('#run-status'), 'finished');
  const summary = await page.textContent('#summary');
  assert.match(summary, /leakers over the campaign/);
  assert.match(summary, /thaad: first exhausted/);
  for (const chart of ['chart-stocks', 'chart-day-leakers', 'chart-exhaustion', 'chart-day-cost']) {
    await page.waitForSelector(`#${chart}`);
    assert.ok(await inked(`#${chart}`) > 500, `${chart} is drawn`);
  }
  // The first type's stock curve in the palette's blue, and its band in a light tint of it.
  assert.ok(await countColour('#chart-stocks', [11, 99, 182], 4) > 50);
  assert.ok(await countColour('#chart-stocks', [214, 228, 241], 12) > 200);
  // The summary is that of `skyshield campaign`, and the folder has its table.
  const run = await (await fetch(`${base}/api/runs/${id}`)).json();
  assert.equal(run.summary.runs, 40);
  assert.equal(run.summary.by_day.length, 12);
  const parquet = await fetch(`${base}/api/runs/${id}/files/campaign.parquet`);
  assert.equal(parquet.status, 200);
  await page.screenshot({ path: path.join(shots, 'serve-campaign.png'), fullPage: true });
});

test('the page asked for nothing outside the server and threw nothing', () => {
  assert.deepEqual(outside, []);
  assert.deepEqual(pageErrors, []);
});
