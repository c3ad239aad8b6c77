// The peer loop: an abstract barrage Monte Carlo as the "SHIELD demo" (JavaScript) plays it.
// Per trial, for each of N threats, one uniform draw for detection and tracking (probability
// 0.8), then a barrage of two shots of kill probability 0.6, drawing until the first kill; the
// counts of each trial are pushed into arrays. Math.random, one thread.
//
// Run alone: node shield_demo.mjs [threats] [seconds]  (prints trials per second as JSON).

export const TRACKING = 0.8;
export const KILL = 0.6;
export const SHOTS = 2;

/** Plays `trials` trials of `threats` threats; returns the per-trial counts. */
export function play(threats, trials) {
  const leakers = [];
  const kills = [];
  const shots = [];
  for (let t = 0; t < trials; t++) {
    let leaked = 0;
    let killed = 0;
    let fired = 0;
    for (let i = 0; i < threats; i++) {
      if (Math.random() >= TRACKING) {
        leaked++;
        continue;
      }
      let hit = false;
      for (let s = 0; s < SHOTS && !hit; s++) {
        fired++;
        hit = Math.random() < KILL;
      }
      if (hit) killed++;
      else leaked++;
    }
    leakers.push(leaked);
    kills.push(killed);
    shots.push(fired);
  }
  return { leakers, kills, shots };
}

/** Trials per second of `threats` threats, over batches until `seconds` have passed. */
export function rate(threats, seconds) {
  let trials = 0;
  let batch = 16;
  let mean = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < seconds) {
    const { leakers } = play(threats, batch);
    mean += leakers.reduce((a, b) => a + b, 0);
    trials += batch;
    batch = Math.min(batch * 2, 4096);
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return { trials, seconds: elapsed, trials_per_s: trials / elapsed, leakers_mean: mean / trials };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const threats = Number(process.argv[2] ?? 400);
  const seconds = Number(process.argv[3] ?? 2);
  console.log(JSON.stringify({ threats, ...rate(threats, seconds) }));
}
