//! The kernel of abstract scenarios: one run without events, threats against layers.
//!
//! An abstract scenario has no geometry and no time worth simulating: every threat is launched
//! at 0 s, is tracked at launch or never, and meets the layers' engagements in their fixed
//! order (outermost layer first, each layer's engagements in turn; see
//! `crate::prepare::abstract_kind`). A run is therefore played engagement by engagement, and
//! within an engagement threat by threat in the order of [`Prepared::threats`]:
//! - **tracking**: each sensor tracks each threat with its tracking probability (one draw per
//!   sensor; with `tracking: common` one sensor serves every layer);
//! - **engagement**: a layer fires at a threat that is alive, not judged killed, and tracked by
//!   its sensor, a salvo of its `shots_per_engagement` (fewer when its rounds run short; none
//!   when they are out); each interceptor kills with the layer's kill probability;
//! - **kill assessment** after a salvo that missed: the threat is seen alive with the
//!   scenario's kill-assessment probability, and engaged again at the next engagement that can;
//!   otherwise it is judged killed and left alone.
//!
//! This is what the battle manager does with the same prepared scenario, decision cycle by
//! decision cycle; the kernel skips what cannot change the outcome: the draws of launch jitter,
//! in-flight failure, aim dispersion and prediction error (an abstract threat has none) and of
//! debris (it falls nowhere), and every draw whose probability is 0 or 1. Rounds go to the
//! threats of an engagement in their order in the scenario rather than in the order of their
//! jittered launches: threats are alike, so no figure of a run changes in distribution.
//!
//! The order of engagements is that of the `earliest-intercept` policy, which abstract
//! scenarios name: an assignment policy handed to [`Replication::run_with`] is not consulted.
//!
//! # Passes
//! The threats' state is kept side by side (flags, shots, end, keys), and a run is a few passes
//! over it: a sensor's tracking; per engagement the salvos aimed (while rounds last, the
//! threats in their order) and the salvos shot, kills and assessment; the counts of fates and
//! leak causes. No pass branches on what goes either way at random (a threat's mix is made
//! whether it is engaged or not, and used only if it is), so that the passes are compiled
//! (`pulp`, chosen when the program starts) for the widest vector instructions the processor
//! has: AVX-512 plays eight threats at once. They are the same integer operations on any
//! processor, so the same numbers (tested against the scalar code). A batch that needs no
//! threat's own outcome ([`Replication::set_threat_outcomes`]) has the counts alone.
//!
//! # Draws
//! Counter-based: each draw is one half of a SplitMix64 mix of the seed of its stream in the
//! run ([`skyshield_core::stream_seed`]), the threat's key and the key of what it decides,
//! compared as a 32-bit integer with the probability scaled to 2³²:
//! - tracking ([`Stream::Detection`]): the high half of the mix with the sensor's key;
//! - kills ([`Stream::Kill`]): with the engagement's key (layer id and engagement index), shots
//!   `2k` and `2k + 1` of a salvo the high and low halves of the mix with `k` times the golden
//!   ratio of 2⁶⁴ (one mix for a salvo of two);
//! - kill assessment ([`Stream::Assessment`]): the high half of the mix with the engagement's
//!   key.
//!
//! The keys are themselves SplitMix64 mixes of names and indices, so distinct draws mix distinct,
//! unrelated words, and SplitMix64 (a bijection with full avalanche) makes unrelated uniform
//! numbers of them. A draw thus depends only on the seed, the run, the threat and what it
//! decides: adding a layer, a sensor or an engagement, or changing a probability, leaves every
//! other draw of every threat as it was (common random numbers), and run `k` replays alone.
//! [`Replication::abstract_draws`] counts the mixes of a run. A probability is thus played to
//! within 2⁻³², far below what any number of runs can resolve.
//!
//! # Outcome
//! As the battle manager's: a killed threat ends at the intercept time of the engagement that
//! killed it, with that layer's battery, and no debris; a leaker at the trajectory's impact
//! time, with the first cause that applies of never detected, judged killed wrongly and all
//! shots missed, and otherwise no rounds: a tracked threat is its turn for the first layer that
//! tracks it, which fires at it unless it has no rounds left (so no abstract threat leaks for
//! want of a window or for a track too late). Parameters with a range are drawn per run as for
//! layered scenarios.

use skyshield_core::{Stream, splitmix64, stream_seed};

use crate::engagement::ASSESSMENT_DELAY_S;
use crate::outcome::{
    BatteryTally, EngineEvent, Fate, LeakCause, Observer, Outcome, Tally, ThreatOutcome,
};
use crate::prepared::{AbstractPlan, Prepared, SensorKind, Window};
use crate::state::{Replication, Rngs};

/// The golden ratio of 2⁶⁴ (SplitMix64's increment): the `k`th mix of a salvo mixes `k` times
/// it into the key of its draws.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// What happened to a threat of an abstract run, as bits: tracked by some sensor.
const TRACKED: u8 = 1;
/// Fired at.
const FIRED_AT: u8 = 2;
/// Killed.
const KILLED: u8 = 4;
/// Judged killed after a miss: not engaged again.
const BELIEVED_DEAD: u8 = 8;

/// A probability `p` as a threshold on a uniform 32-bit draw: the event happens when the draw
/// is below `p × 2³²` (0: never; 2³²: always, whatever the draw).
#[derive(Debug, Clone, Copy)]
struct Chance(u64);

impl Chance {
    fn of(p: f64) -> Chance {
        // The conversion truncates; NaN gives 0.
        Chance((p.clamp(0.0, 1.0) * 4_294_967_296.0) as u64)
    }

    /// Whether the event can go either way: only then is it drawn.
    fn drawn(self) -> bool {
        self.0 != 0 && self.0 >> 32 == 0
    }

    /// Whether it happens by the draw `u`.
    #[inline]
    fn by(self, u: u32) -> bool {
        u64::from(u) < self.0
    }
}

/// The high and low halves of the SplitMix64 mix of `word`: two uniform 32-bit draws.
#[inline]
fn halves(word: u64) -> (u32, u32) {
    let h = splitmix64(word);
    ((h >> 32) as u32, h as u32)
}

impl Replication {
    /// The SplitMix64 mixes (seeds of streams aside) that the last run of an abstract scenario
    /// made: one per draw, one per salvo of two.
    pub fn abstract_draws(&self) -> u64 {
        self.abstract_draws
    }

    /// Plays run `run` of abstract scenario `p` under master seed `seed` with its plan (see the
    /// module documentation), reporting its events to `observer` in time order.
    pub(crate) fn play_abstract<O: Observer>(
        &mut self,
        p: &Prepared,
        plan: &AbstractPlan,
        seed: u64,
        run: u64,
        observer: &mut O,
    ) -> &Outcome {
        self.draw_values(p, Rngs::new(seed, run));
        let arch = self.arch;
        let (nt, nb) = (plan.threat_keys.len(), p.batteries.len());
        let keys = &plan.threat_keys[..];
        let mut mixes = 0u64;
        self.abstract_events.clear();
        // Tracking, sensor by sensor: `abstract_tracked[s * nt + i]`.
        let detection = stream_seed(seed, run, Stream::Detection);
        // Every element written before it is read: resized, not cleared.
        self.abstract_tracked.resize(nt * p.sensors.len(), false);
        // Tracked by some sensor.
        self.abstract_flags.resize(nt, 0);
        self.abstract_flags.fill(0);
        for (s, (sensor, &key)) in p.sensors.iter().zip(&plan.sensor_keys).enumerate() {
            let chance = match sensor.kind {
                SensorKind::Given {
                    tracking_probability,
                } => Chance::of(self.value(tracking_probability)),
                SensorKind::Radar { .. } | SensorKind::SpaceIr { .. } => Chance::of(0.0),
            };
            let tracked = &mut self.abstract_tracked[s * nt..][..nt];
            let flags = &mut self.abstract_flags[..];
            if chance.drawn() {
                mixes += nt as u64;
                let word = detection ^ key;
                arch.dispatch(Tracking {
                    tracked,
                    flags,
                    keys,
                    word,
                    chance,
                });
            } else {
                let always = chance.by(0);
                tracked.fill(always);
                flags.iter_mut().for_each(|f| *f |= flag(always, TRACKED));
            }
        }
        if O::ACTIVE {
            let ns = p.sensors.len();
            for threat in 0..nt {
                for sensor in 0..ns {
                    if self.abstract_tracked[sensor * nt + threat] {
                        let track = EngineEvent::Track {
                            time_s: 0.0,
                            sensor,
                            threat,
                        };
                        self.abstract_events.push((0.0, track));
                    }
                }
            }
        }
        // Each threat's shots and end, recorded for its outcome and its events.
        let outcomes = !self.skip_threat_outcomes || O::ACTIVE;
        if outcomes {
            self.abstract_shots.clear();
            self.abstract_shots.resize(nt, 0);
            self.abstract_end.clear();
            self.abstract_end.resize(nt, 0);
        }
        // Written by each engagement before it is read.
        self.abstract_salvo.resize(nt, 0);
        // Engagements, in time order.
        let kill = stream_seed(seed, run, Stream::Kill);
        let assessment = stream_seed(seed, run, Stream::Assessment);
        let seen_alive = Chance::of(self.value(p.kill_assessment_probability));
        let class = p.types[0].class;
        self.outcome.batteries.clear();
        self.outcome.batteries.resize(nb, BatteryTally::default());
        let mut defense_cost_usd = 0.0;
        let mut killed_total = 0u32;
        // The rank of the current engagement's end in `plan.ends`.
        let mut end = 0u32;
        for (l, engagement_keys) in plan.engagement_keys.iter().enumerate() {
            let battery = &p.batteries[l];
            let pk = Chance::of(self.value(battery.kill_probability(class)));
            let mut pass = Engagement {
                full_salvo: battery.salvo.max(1),
                rounds: battery.rounds,
                pk,
                seen_alive,
                end: 0,
                kill_word: 0,
                assessment_word: 0,
                fired: 0,
                kills: 0,
                mixes: 0,
            };
            let tracked = &self.abstract_tracked[plan.layer_sensor[l] * nt..][..nt];
            let windows = &p.opportunities[0][l].windows;
            for (&engagement, window) in engagement_keys.iter().zip(windows) {
                end += 1;
                pass.end = end;
                pass.kill_word = kill ^ engagement;
                pass.assessment_word = assessment ^ engagement;
                let threats = Threats {
                    flags: &mut self.abstract_flags,
                    salvo: &mut self.abstract_salvo,
                    keys,
                    tracked,
                    ends: outcomes.then_some(Ends {
                        shots: &mut self.abstract_shots,
                        end: &mut self.abstract_end,
                    }),
                };
                arch.dispatch(Play(&mut pass, threats));
                if O::ACTIVE {
                    let fired_at = self.abstract_flags.iter().zip(&self.abstract_salvo);
                    report_engagement(l, window, fired_at, &mut self.abstract_events);
                }
            }
            mixes += pass.mixes;
            self.outcome.batteries[l] = BatteryTally {
                shots: pass.fired,
                kills: pass.kills,
                reloaded: 0,
                rounds_left: pass.rounds,
            };
            killed_total += pass.kills;
            defense_cost_usd += f64::from(pass.fired) * battery.cost_usd;
        }
        self.abstract_draws = mixes;
        let o = &mut self.outcome;
        o.run = run;
        o.defense_cost_usd = defense_cost_usd;
        // Its threats are one raid group.
        o.offense_cost_usd = p.types[0].cost_usd * nt as f64;
        o.tally = arch.dispatch(Counts {
            flags: &self.abstract_flags,
            killed: killed_total,
        });
        self.warning.reset(p, &mut o.warning);
        // Every threat's end: that of its template (its impact, or the intercept of the
        // engagement that killed it), its shots, and the leak cause its flags give.
        o.threats.clear();
        if !self.skip_threat_outcomes {
            let threats = self
                .abstract_flags
                .iter()
                .zip(&self.abstract_shots)
                .zip(&self.abstract_end);
            o.threats
                .extend(threats.map(|((&flags, &shots), &end)| ThreatOutcome {
                    shots,
                    leak_cause: LEAK_CAUSES[usize::from(flags)],
                    ..plan.ends[end as usize]
                }));
        }
        if O::ACTIVE {
            let impact = &plan.ends[0];
            for (i, &end) in self.abstract_end.iter().enumerate() {
                let launch = EngineEvent::Launch {
                    time_s: 0.0,
                    threat: i,
                };
                self.abstract_events.push((0.0, launch));
                if end == 0 {
                    let event = EngineEvent::Impact {
                        time_s: impact.time_s,
                        threat: i,
                        lat_deg: impact.lat_deg,
                        lon_deg: impact.lon_deg,
                        asset: None,
                    };
                    self.abstract_events.push((impact.time_s, event));
                }
            }
            // In time order, launches first at an instant, otherwise in the order made.
            let later = |e: &EngineEvent| !matches!(e, EngineEvent::Launch { .. });
            self.abstract_events
                .sort_by(|a, b| a.0.total_cmp(&b.0).then(later(&a.1).cmp(&later(&b.1))));
            for (_, event) in &self.abstract_events {
                observer.event(event);
            }
        }
        &self.outcome
    }
}

/// The events of the engagement of layer `l` in `window` just played, to `events`: per threat
/// fired at (its flags and shots in `fired_at`), in their order, the launch, the intercept and, after a miss, the assessment.
fn report_engagement<'a>(
    l: usize,
    window: &Window,
    fired_at: impl Iterator<Item = (&'a u8, &'a u32)>,
    events: &mut Vec<(f64, EngineEvent)>,
) {
    let (launch_s, intercept_s) = (window.launch.as_s(), window.intercept.as_s());
    let ground = window.ground.point();
    for (i, (&flags, &shots)) in fired_at.enumerate() {
        if shots == 0 {
            continue;
        }
        let killed = flags & KILLED != 0;
        let launch = EngineEvent::InterceptorLaunch {
            time_s: launch_s,
            battery: l,
            threat: i,
            shots,
            intercept_s,
        };
        let intercept = EngineEvent::Intercept {
            time_s: intercept_s,
            battery: l,
            threat: i,
            killed,
            lat_deg: ground.lat_deg(),
            lon_deg: ground.lon_deg(),
            height_m: window.height_m,
        };
        events.push((launch_s, launch));
        events.push((intercept_s, intercept));
        if !killed {
            let time_s = intercept_s + ASSESSMENT_DELAY_S;
            let assessed = EngineEvent::Assessment {
                time_s,
                threat: i,
                seen_alive: flags & BELIEVED_DEAD == 0,
            };
            events.push((time_s, assessed));
        }
    }
}

/// The tracking draws of one sensor: whether it tracks each threat of `keys`, by the high half
/// of the mix of `word` with the threat's key; the threats it tracks flagged as tracked.
struct Tracking<'a> {
    tracked: &'a mut [bool],
    flags: &'a mut [u8],
    keys: &'a [u64],
    word: u64,
    chance: Chance,
}

impl pulp::WithSimd for Tracking<'_> {
    type Output = ();

    // Inlined into the code compiled for the processor's vector instructions.
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) {
        let (word, chance) = (self.word, self.chance);
        let threats = self.tracked.iter_mut().zip(self.flags.iter_mut());
        for ((t, f), &k) in threats.zip(self.keys) {
            *t = chance.by(halves(word ^ k).0);
            *f |= flag(*t, TRACKED);
        }
    }
}

/// An engagement played on the threats.
struct Play<'a, 'b>(&'a mut Engagement, Threats<'b>);

impl pulp::WithSimd for Play<'_, '_> {
    type Output = ();

    // Inlined into the code compiled for the processor's vector instructions.
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) {
        self.0.play(self.1);
    }
}

/// The per-threat state an engagement reads and writes, side by side.
struct Threats<'a> {
    flags: &'a mut [u8],
    /// The shots of this engagement at each threat.
    salvo: &'a mut [u32],
    keys: &'a [u64],
    /// Whether the layer's sensor tracks each threat.
    tracked: &'a [bool],
    /// Recorded when the threats' outcomes or events are wanted.
    ends: Option<Ends<'a>>,
}

/// Each threat's shots so far, and its end: the rank in [`AbstractPlan::ends`] of the
/// engagement that killed it (0: none did).
struct Ends<'a> {
    shots: &'a mut [u32],
    end: &'a mut [u32],
}

/// A layer's engagements: what they draw with, and what they tallied so far.
struct Engagement {
    full_salvo: u32,
    rounds: u32,
    pk: Chance,
    seen_alive: Chance,
    /// The rank of this engagement's end in [`AbstractPlan::ends`].
    end: u32,
    kill_word: u64,
    assessment_word: u64,
    fired: u32,
    kills: u32,
    mixes: u64,
}

impl Engagement {
    /// Plays the engagement on `t`, in passes over the threats, each without a branch on what
    /// goes either way at random, so that the processor's vector instructions play several
    /// threats at once (the same integer operations, so the same numbers, on any processor).
    #[inline(always)]
    fn play(&mut self, t: Threats) {
        self.aim(t.flags, t.salvo, t.tracked);
        if self.full_salvo > 2 {
            self.shoot::<true>(t);
        } else {
            self.shoot::<false>(t);
        }
    }

    /// Who is fired at, and how many shots (`salvo`): a threat whose turn it is (tracked,
    /// neither killed nor judged killed) with its track and rounds left for it, the rounds
    /// going to the threats in their order.
    #[inline(always)]
    fn aim(&mut self, flags: &mut [u8], salvo: &mut [u32], tracked: &[bool]) {
        let full = self.full_salvo;
        let enough = u64::from(self.rounds) >= flags.len() as u64 * u64::from(full);
        let salvos = flags.iter_mut().zip(salvo.iter_mut()).zip(tracked);
        if enough {
            // Rounds for every threat: none waits for the rounds of those before it.
            let mut fired = 0u32;
            for ((flags, salvo), &tracked) in salvos {
                let turn = *flags & (TRACKED | KILLED | BELIEVED_DEAD) == TRACKED;
                let fire = turn & tracked;
                *salvo = u32::from(fire) * full;
                fired += *salvo;
                *flags |= flag(fire, FIRED_AT);
            }
            self.rounds -= fired;
        } else {
            for ((flags, salvo), &tracked) in salvos {
                let turn = *flags & (TRACKED | KILLED | BELIEVED_DEAD) == TRACKED;
                let fire = turn & tracked & (self.rounds > 0);
                *salvo = if fire { full.min(self.rounds) } else { 0 };
                self.rounds -= *salvo;
                *flags |= flag(fire, FIRED_AT);
            }
        }
    }

    /// The salvos aimed: each kills or misses, and after a miss the threat is seen alive or
    /// judged killed. A threat's mixes are made whether it is fired at or not, and used only if
    /// it is (only those used count as draws); the shots after a salvo's second, when
    /// `LONG_SALVOS`, two by a further mix. Each threat's shots and end are recorded when
    /// wanted.
    #[inline(always)]
    fn shoot<const LONG_SALVOS: bool>(&mut self, t: Threats) {
        // Kills, and the tallies of the engagement.
        let (pk, kill_word) = (self.pk, self.kill_word);
        let (mut fired, mut kills, mut mixes) = (0u32, 0u32, 0u32);
        let threats = t.flags.iter_mut().zip(t.salvo.iter()).zip(t.keys);
        for ((flags, &n), &key) in threats {
            let word = kill_word ^ key;
            let (a, b) = halves(word);
            let mut killed = (n > 0 && pk.by(a)) | (n > 1 && pk.by(b));
            mixes += u32::from(n > 0);
            if LONG_SALVOS {
                for k in 1..n.div_ceil(2) {
                    let (a, b) = halves(word ^ u64::from(k).wrapping_mul(GOLDEN_GAMMA));
                    killed |= pk.by(a) | (2 * k + 1 < n && pk.by(b));
                    mixes += 1;
                }
            }
            *flags |= flag(killed, KILLED);
            fired += n;
            kills += u32::from(killed);
        }
        if pk.drawn() {
            self.mixes += u64::from(mixes);
        }
        self.fired += fired;
        self.kills += kills;
        // Each threat's shots, and the end of those it killed: fired at and killed now (a
        // threat killed before is fired at no more).
        if let Some(Ends { shots, end: ends }) = t.ends {
            let threats = t.flags.iter().zip(t.salvo.iter());
            for ((&flags, &n), (shots, threat_end)) in threats.zip(shots.iter_mut().zip(ends)) {
                *shots += n;
                let killed = n > 0 && flags & KILLED != 0;
                *threat_end = if killed { self.end } else { *threat_end };
            }
        }
        // After a miss, seen alive or judged killed.
        let (seen_alive, assessment_word) = (self.seen_alive, self.assessment_word);
        let threats = t.flags.iter_mut().zip(t.salvo.iter()).zip(t.keys);
        if seen_alive.drawn() {
            let mut mixes = 0u32;
            for ((flags, &n), &key) in threats {
                let missed = n > 0 && *flags & KILLED == 0;
                let alive = seen_alive.by(halves(assessment_word ^ key).0);
                mixes += u32::from(missed);
                *flags |= flag(missed & !alive, BELIEVED_DEAD);
            }
            self.mixes += u64::from(mixes);
        } else if !seen_alive.by(0) {
            for ((flags, &n), _) in threats {
                let missed = n > 0 && *flags & KILLED == 0;
                *flags |= flag(missed, BELIEVED_DEAD);
            }
        }
    }
}

/// The counts of a run of `flags.len()` threats whose flags are `flags`, `killed` of them
/// killed (the others leaked).
struct Counts<'a> {
    flags: &'a [u8],
    killed: u32,
}

impl pulp::WithSimd for Counts<'_> {
    type Output = Tally;

    // Inlined into the code compiled for the processor's vector instructions.
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> Tally {
        // Per cause, counts in bytes, one per threat of a block of 64 (a block adds at most
        // 1 to each), added up every 255 blocks before they overflow. The last block is
        // filled up with killed threats, which count for no cause, so that every block is
        // whole.
        let mut counts = [0u32; CAUSES.len()];
        let (whole, rest) = self.flags.as_chunks::<64>();
        let mut last = Block([KILLED; 64]);
        last.0[..rest.len()].copy_from_slice(rest);
        let blocks = whole.iter().chain((!rest.is_empty()).then_some(&last.0));
        let mut lanes = [Block([0u8; 64]); CAUSES.len()];
        for (k, block) in blocks.enumerate() {
            for (lane, &f) in block.iter().enumerate() {
                let bits = cause_bits(f);
                for (c, cause) in lanes.iter_mut().enumerate() {
                    cause.0[lane] += (bits >> c) & 1;
                }
            }
            if k % 255 == 254 {
                add_lanes(&mut counts, &mut lanes);
            }
        }
        add_lanes(&mut counts, &mut lanes);
        let mut fates = [0; 4];
        fates[Fate::Intercepted.index()] = self.killed;
        fates[Fate::Leaked.index()] = self.flags.len() as u32 - self.killed;
        let mut leak_causes = [0; LeakCause::ALL.len()];
        for (cause, count) in CAUSES.iter().zip(counts) {
            leak_causes[cause.index()] = count;
        }
        Tally { fates, leak_causes }
    }
}

/// 64 bytes on a cache line of their own, so that a pass reads and writes them whole from one
/// line (unaligned, the abstract run of `skyshield bench` took a tenth longer).
#[derive(Clone, Copy)]
#[repr(align(64))]
struct Block([u8; 64]);

/// Adds the counts per cause of `lanes` to `counts`, and sets them to 0.
#[inline(always)]
fn add_lanes(counts: &mut [u32; CAUSES.len()], lanes: &mut [Block; CAUSES.len()]) {
    for (count, cause) in counts.iter_mut().zip(lanes.iter_mut()) {
        *count += cause.0.iter().map(|&k| u32::from(k)).sum::<u32>();
        *cause = Block([0; 64]);
    }
}

/// The leak causes of an abstract run, in the order of the bits of [`cause_bits`]: the others
/// (out of reach, judged harmless wrongly, no free channel, no window, tracked too late) do not
/// arise without geometry (see the module documentation).
const CAUSES: [LeakCause; 4] = [
    LeakCause::NeverDetected,
    LeakCause::JudgedKilledWrongly,
    LeakCause::AllShotsMissed,
    LeakCause::NoRounds,
];

/// Per value of the flags, the threat's leak cause (`None`: killed).
const LEAK_CAUSES: [Option<LeakCause>; 16] = {
    let mut table = [None; 16];
    let mut flags = 0;
    while flags < 16 {
        let bits = cause_bits(flags as u8);
        if bits != 0 {
            table[flags] = Some(CAUSES[bits.trailing_zeros() as usize]);
        }
        flags += 1;
    }
    table
};

/// Why a threat with `flags` leaked, as one bit: bit `c` for cause `c` of [`CAUSES`] (the
/// first that applies); no bit when it was killed.
#[inline(always)]
const fn cause_bits(flags: u8) -> u8 {
    let (killed, tracked, fired_at) = (
        has(flags, KILLED),
        has(flags, TRACKED),
        has(flags, FIRED_AT),
    );
    let believed_dead = has(flags, BELIEVED_DEAD);
    let leaked = 1 - killed;
    leaked & (1 - tracked)
        | (leaked & tracked & fired_at & believed_dead) << 1
        | (leaked & tracked & fired_at & (1 - believed_dead)) << 2
        | (leaked & tracked & (1 - fired_at)) << 3
}

/// `flag` when `on`, otherwise no flag.
#[inline(always)]
const fn flag(on: bool, flag: u8) -> u8 {
    on as u8 * flag
}

/// 1 when `flags` has `flag`, otherwise 0.
#[inline(always)]
const fn has(flags: u8, flag: u8) -> u8 {
    (flags >> flag.trailing_zeros()) & 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::NoObserver;

    fn prepared(text: &str) -> Prepared {
        let scenario = skyshield_scenario::from_str(text, std::path::Path::new("test.yaml"))
            .expect("scenario");
        crate::prepare(&scenario).expect("prepared")
    }

    /// Scenarios that take every pass of the kernel: rounds for every threat and short rounds,
    /// salvos of one, two and three, a fallible and a perfect kill assessment, common and
    /// independent tracking, probabilities of 0 and 1.
    fn scenarios() -> Vec<Prepared> {
        [
            "name: a\nkind: abstract\nthreats: 203\ntracking: common\ntracking_probability: 0.8\n\
             layers:\n  - {id: l, kill_probability: 0.6, shots_per_engagement: 2}\n",
            "name: b\nkind: abstract\nthreats: 97\ntracking: common\ntracking_probability: 0.9\n\
             kill_assessment_probability: 0.7\n\
             layers:\n  - {id: upper, kill_probability: 0.5, shots_per_engagement: 2, engagements: 2, rounds: 90}\n  \
             - {id: lower, kill_probability: 0.6, shots_per_engagement: 3, rounds: 40}\n",
            "name: c\nkind: abstract\nthreats: 70\ntracking: independent\nkill_assessment_probability: 0.0\n\
             layers:\n  - {id: upper, kill_probability: 1.0, tracking_probability: 0.6, rounds: 30}\n  \
             - {id: lower, kill_probability: 0.7, shots_per_engagement: 5, tracking_probability: 1.0}\n",
        ]
        .iter()
        .map(|text| prepared(text))
        .collect()
    }

    /// Every outcome, and the mixes made, are the same whatever vector instructions the
    /// passes are compiled for: the same integer operations on each.
    #[test]
    fn every_instruction_set_plays_the_same_runs() {
        let mut archs = vec![pulp::Arch::Scalar, pulp::Arch::new()];
        #[cfg(target_arch = "x86_64")]
        archs.extend(pulp::x86::V3::try_new().map(pulp::Arch::V3));
        for p in scenarios() {
            let plan = p.abstract_plan.as_ref().expect("abstract");
            let play = |arch: pulp::Arch| {
                let mut rep = Replication::new();
                rep.arch = arch;
                (0..50)
                    .map(|run| {
                        let o = rep
                            .play_abstract(&p, plan, 11, run, &mut NoObserver)
                            .clone();
                        (format!("{o:?}"), rep.abstract_draws())
                    })
                    .collect::<Vec<_>>()
            };
            let scalar = play(pulp::Arch::Scalar);
            for &arch in &archs {
                assert_eq!(play(arch), scalar, "{} on {arch:?}", p.name);
            }
        }
    }

    /// Counts above what a byte holds: a raid of more than 255 blocks of 64 threats, all of one
    /// cause, so that each of the kernel's per-lane counters would wrap without being added up
    /// in time.
    #[test]
    fn more_threats_of_one_cause_than_a_byte_counts_are_all_counted() {
        let threats = 64 * 256 + 17;
        let p = prepared(&format!(
            "name: unseen\nkind: abstract\nthreats: {threats}\ntracking: common\n\
             tracking_probability: 0.0\nlayers:\n  - {{id: l, kill_probability: 0.5}}\n"
        ));
        let mut rep = Replication::new();
        let o = rep.run(&p, 3, 0);
        assert_eq!(o.tally, Tally::of(&o.threats));
        assert_eq!(
            o.tally.leak_causes[LeakCause::NeverDetected.index()],
            threats
        );
    }

    /// The kernel's counts are those of the threats' outcomes, and a run that leaves them out
    /// writes the same counts and everything else alike.
    #[test]
    fn the_counts_are_those_of_the_threats_written_or_not() {
        for p in scenarios() {
            let (mut with, mut without) = (Replication::new(), Replication::new());
            without.set_threat_outcomes(false);
            for run in 0..50 {
                let o = with.run(&p, 5, run).clone();
                assert_eq!(o.tally, Tally::of(&o.threats), "{} run {run}", p.name);
                assert_eq!(o.threats.len(), p.threats.len());
                let bare = without.run(&p, 5, run);
                assert!(bare.threats.is_empty());
                assert_eq!(
                    format!("{bare:?}"),
                    format!(
                        "{:?}",
                        Outcome {
                            threats: Vec::new(),
                            ..o
                        }
                    ),
                    "{} run {run}",
                    p.name
                );
            }
        }
    }
}
