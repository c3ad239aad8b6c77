// Side by side, on one thread: the peer loop (shield_demo.mjs, Node and Math.random) and
// skyshield on the equivalent abstract scenario, each timed in turns, the fastest of the
// repeats kept (other work on the machine only ever slows a repeat down). Prints both rates
// and their ratio.
//
//   node benches/peer/compare.mjs [--threats N] [--seconds S] [--repeats R] [--bin PATH]
//
// skyshield's rate is the `timing.runs_per_s` of `skyshield run --threads 1 --format json`
// (the batch's wall time: runs and their aggregation, without start-up and preparation).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { KILL, SHOTS, TRACKING, rate } from './shield_demo.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && k + 1 < args.length ? args[k + 1] : fallback;
};
const threats = Number(option('threats', 400));
const seconds = Number(option('seconds', 2));
const repeats = Number(option('repeats', 3));
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = option('bin', join(here, '..', '..', 'target', 'release', 'skyshield'));

// The peer's barrage as a skyshield abstract scenario: one common track, one layer firing one
// salvo of two; perfect kill assessment (the peer does not look).
const scenario = `name: peer barrage
kind: abstract
threats: ${threats}
tracking: common
tracking_probability: ${TRACKING}
layers:
  - {id: barrage, kill_probability: ${KILL}, shots_per_engagement: ${SHOTS}}
`;
const dir = mkdtempSync(join(tmpdir(), 'skyshield-peer-'));
const file = join(dir, 'peer.yaml');
writeFileSync(file, scenario);

function skyshield(runs) {
  const out = spawnSync(
    bin,
    ['run', file, '--runs', String(runs), '--threads', '1', '--seed', '1', '--format', 'json'],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (out.status !== 0) {
    throw new Error(`${bin} failed (${out.status}): ${out.stderr || out.error}`);
  }
  const summary = JSON.parse(out.stdout);
  return { runsPerS: summary.timing.runs_per_s, leakers: summary.leakers.mean };
}

try {
  // Size skyshield's batch to about `seconds`, from a short first run.
  const probe = skyshield(Math.max(10, Math.round(2000 * seconds)));
  const runs = Math.max(10, Math.round(probe.runsPerS * seconds));
  let peer = { trials_per_s: 0 };
  let ours = { runsPerS: 0 };
  for (let k = 0; k < repeats; k++) {
    const p = rate(threats, seconds);
    if (p.trials_per_s > peer.trials_per_s) peer = p;
    const s = skyshield(runs);
    if (s.runsPerS > ours.runsPerS) ours = s;
  }
  console.log(
    `peer loop (node ${process.version}, Math.random), ${threats} threats: ` +
      `${peer.trials_per_s.toFixed(0)} trials/s (mean leakers ${peer.leakers_mean.toFixed(2)})`,
  );
  console.log(
    `skyshield (1 thread), ${threats} threats: ${ours.runsPerS.toFixed(0)} runs/s ` +
      `(mean leakers ${ours.leakers.toFixed(2)})`,
  );
  console.log(`ratio skyshield / peer: ${(ours.runsPerS / peer.trials_per_s).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
