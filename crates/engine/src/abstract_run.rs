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
//! # Draws
//! Counter-based: each draw is one SplitMix64 mix of the seed of its stream in the run
//! ([`skyshield_core::stream_seed`]), the threat's key and the key of what it decides, compared
//! as an integer with the probability scaled to 2⁶⁴:
//! - tracking ([`Stream::Detection`]): the sensor's key;
//! - kills ([`Stream::Kill`]): the engagement's key (layer id and engagement index), and the
//!   shot's index times the golden ratio of 2⁶⁴;
//! - kill assessment ([`Stream::Assessment`]): the engagement's key.
//!
//! The keys are themselves SplitMix64 mixes of names and indices, so distinct draws mix distinct,
//! unrelated words, and SplitMix64 (a bijection with full avalanche) makes unrelated uniform
//! numbers of them. A draw thus depends only on the seed, the run, the threat and what it
//! decides: adding a layer, a sensor or an engagement, or changing a probability, leaves every
//! other draw of every threat as it was (common random numbers), and run `k` replays alone.
//! [`Replication::abstract_draws`] counts the draws of a run.
//!
//! # Outcome
//! As the battle manager's: a killed threat ends at the intercept time of the engagement that
//! killed it, with that layer's battery, and no debris; a leaker at the trajectory's impact
//! time, with the first cause that applies of never detected, judged killed wrongly, all shots
//! missed, no rounds (a layer that tracked it had none left) and no window (only layers without
//! its track were left). Parameters with a range are drawn per run as for layered scenarios.

use skyshield_core::{Stream, splitmix64, stream_seed};

use crate::engagement::ASSESSMENT_DELAY_S;
use crate::outcome::{
    BatteryTally, EngineEvent, Fate, LeakCause, Observer, Outcome, ThreatOutcome,
};
use crate::prepared::{AbstractPlan, Prepared, SensorKind};
use crate::state::{AbstractThreat, Chance, Replication, Rngs};

/// The golden ratio of 2⁶⁴ (SplitMix64's increment): the `k`th shot of a salvo mixes `k` times
/// it into the key of its draw.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The draws of a run, each one SplitMix64 mix, and their count.
struct Draws {
    count: u64,
}

impl Draws {
    /// Whether the event of `chance` happens, by the draw of `word` (the seed of the stream,
    /// the threat's key and the key of what is decided, together; not read when the chance
    /// needs no draw).
    #[inline]
    fn happens(&mut self, chance: Chance, word: u64) -> bool {
        match chance {
            Chance::Never => false,
            Chance::Always => true,
            Chance::Below(t) => {
                self.count += 1;
                splitmix64(word) < t
            }
        }
    }
}

impl Draws {
    /// Whether any of `n` events of `chance` happens, by the draws of `word` plus `k` times
    /// [`GOLDEN_GAMMA`] for the `k`th; every one drawn, with no branch on those before.
    #[inline]
    fn any_of(&mut self, chance: Chance, word: u64, n: u32) -> bool {
        match chance {
            Chance::Never => false,
            Chance::Always => true,
            Chance::Below(t) => {
                self.count += u64::from(n);
                (0..u64::from(n)).fold(false, |any, k| {
                    any | (splitmix64(word ^ k.wrapping_mul(GOLDEN_GAMMA)) < t)
                })
            }
        }
    }
}

impl Replication {
    /// The random draws (SplitMix64 mixes: seeds and draws) that the last run of an abstract
    /// scenario made.
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
        let (nt, ns, nb) = (p.threats.len(), plan.sensor_keys.len(), p.batteries.len());
        let mut draws = Draws { count: 0 };
        self.abstract_events.clear();
        // Tracking.
        let detection = stream_seed(seed, run, Stream::Detection);
        self.abstract_chances.clear();
        for s in &p.sensors {
            let chance = match s.kind {
                SensorKind::Given {
                    tracking_probability,
                } => Chance::of(self.value(tracking_probability)),
                SensorKind::Radar { .. } | SensorKind::SpaceIr { .. } => Chance::Never,
            };
            self.abstract_chances.push(chance);
        }
        self.abstract_threats.clear();
        self.abstract_tracked.clear();
        for (i, threat) in p.threats.iter().enumerate() {
            let word = detection ^ threat.key;
            let mut any = false;
            for (s, (&chance, &key)) in self
                .abstract_chances
                .iter()
                .zip(&plan.sensor_keys)
                .enumerate()
            {
                let tracked = draws.happens(chance, word ^ key);
                self.abstract_tracked.push(tracked);
                any |= tracked;
                if O::ACTIVE && tracked {
                    let track = EngineEvent::Track {
                        time_s: 0.0,
                        sensor: s,
                        threat: i,
                    };
                    self.abstract_events.push((0.0, track));
                }
            }
            self.abstract_threats.push(AbstractThreat {
                flags: u8::from(any) * AbstractThreat::TRACKED,
                ..AbstractThreat::default()
            });
        }
        // The ends of a threat: its impact, then a kill in each engagement in turn.
        let traj = &p.trajectories[0];
        let impact = traj.impact.point();
        self.abstract_ends.clear();
        self.abstract_ends.push(ThreatOutcome {
            fate: Fate::Leaked,
            launch_s: 0.0,
            shots: 0,
            time_s: traj.flight_time_s,
            lat_deg: impact.lat_deg(),
            lon_deg: impact.lon_deg(),
            height_m: 0.0,
            battery: None,
            asset: None,
            debris: None,
            leak_cause: None,
        });
        for (l, opportunity) in p.opportunities[0].iter().enumerate() {
            for window in &opportunity.windows {
                let ground = window.ground.point();
                self.abstract_ends.push(ThreatOutcome {
                    fate: Fate::Intercepted,
                    time_s: window.intercept.as_s(),
                    lat_deg: ground.lat_deg(),
                    lon_deg: ground.lon_deg(),
                    height_m: window.height_m,
                    battery: Some(l),
                    ..self.abstract_ends[0]
                });
            }
        }
        // Engagements, in time order.
        let kill = stream_seed(seed, run, Stream::Kill);
        let assessment = stream_seed(seed, run, Stream::Assessment);
        let seen_alive = Chance::of(self.value(p.kill_assessment_probability));
        let class = p.types[0].class;
        self.outcome.batteries.clear();
        self.outcome.batteries.resize(nb, BatteryTally::default());
        let mut defense_cost_usd = 0.0;
        // The index of the current engagement's end in `abstract_ends`.
        let mut ends = 0u32;
        for (l, keys) in plan.engagement_keys.iter().enumerate() {
            let battery = &p.batteries[l];
            let mut rounds = battery.rounds;
            let pk = Chance::of(self.value(battery.kill_probability(class)));
            let sensor = plan.layer_sensor[l];
            let windows = &p.opportunities[0][l].windows;
            // Tallied in registers, stored once.
            let (mut fired, mut kills) = (0u32, 0u32);
            for (&key, window) in keys.iter().zip(windows) {
                ends += 1;
                let end = ends;
                let (launch_s, intercept_s) = (window.launch.as_s(), window.intercept.as_s());
                for (i, threat) in p.threats.iter().enumerate() {
                    let st = &mut self.abstract_threats[i];
                    // Tracked, neither killed nor judged killed.
                    let state = AbstractThreat::TRACKED
                        | AbstractThreat::KILLED
                        | AbstractThreat::BELIEVED_DEAD;
                    if st.flags & state != AbstractThreat::TRACKED {
                        continue;
                    }
                    if !self.abstract_tracked[i * ns + sensor] {
                        st.flags |= AbstractThreat::NO_WINDOW;
                        continue;
                    }
                    if rounds == 0 {
                        st.flags |= AbstractThreat::NO_ROUNDS;
                        continue;
                    }
                    let shots = battery.salvo.clamp(1, rounds);
                    rounds -= shots;
                    st.shots += shots;
                    st.flags |= AbstractThreat::FIRED_AT;
                    fired += shots;
                    // Every shot drawn, with no branch on the draws before: faster than
                    // stopping at the first kill, which would save a draw in a few.
                    let killed = draws.any_of(pk, kill ^ threat.key ^ key, shots);
                    if O::ACTIVE {
                        let ground = window.ground.point();
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
                        self.abstract_events.push((launch_s, launch));
                        self.abstract_events.push((intercept_s, intercept));
                    }
                    kills += u32::from(killed);
                    st.flags |= u8::from(killed) * AbstractThreat::KILLED;
                    st.end = if killed { end } else { st.end };
                    // After a miss, seen alive or judged killed (a draw only when it can go
                    // either way).
                    let alive = match seen_alive {
                        Chance::Always => true,
                        Chance::Never => false,
                        Chance::Below(_) => {
                            killed || draws.happens(seen_alive, assessment ^ threat.key ^ key)
                        }
                    };
                    st.flags |= u8::from(!killed && !alive) * AbstractThreat::BELIEVED_DEAD;
                    if O::ACTIVE && !killed {
                        let time_s = intercept_s + ASSESSMENT_DELAY_S;
                        let assessed = EngineEvent::Assessment {
                            time_s,
                            threat: i,
                            seen_alive: alive,
                        };
                        self.abstract_events.push((time_s, assessed));
                    }
                }
            }
            self.outcome.batteries[l] = BatteryTally {
                shots: fired,
                kills,
                reloaded: 0,
                rounds_left: rounds,
            };
            defense_cost_usd += f64::from(fired) * battery.cost_usd;
        }
        // Every threat's end: that of its template (its impact, or the intercept of the
        // engagement that killed it), its shots, and the leak cause its flags give.
        let o = &mut self.outcome;
        o.run = run;
        o.defense_cost_usd = defense_cost_usd;
        // Its threats are one raid group.
        o.offense_cost_usd = p.types[0].cost_usd * nt as f64;
        self.warning.reset(p, &mut o.warning);
        o.threats.clear();
        o.threats
            .extend(self.abstract_threats.iter().map(|st| ThreatOutcome {
                shots: st.shots,
                leak_cause: LEAK_CAUSES[usize::from(st.flags)],
                ..self.abstract_ends[st.end as usize]
            }));
        self.abstract_draws = draws.count;
        if O::ACTIVE {
            for (i, t) in self.outcome.threats.iter().enumerate() {
                let launch = EngineEvent::Launch {
                    time_s: t.launch_s,
                    threat: i,
                };
                self.abstract_events.push((t.launch_s, launch));
                if t.fate == Fate::Leaked {
                    let impact = EngineEvent::Impact {
                        time_s: t.time_s,
                        threat: i,
                        lat_deg: t.lat_deg,
                        lon_deg: t.lon_deg,
                        asset: None,
                    };
                    self.abstract_events.push((t.time_s, impact));
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

/// Per value of [`AbstractThreat::flags`], the threat's leak cause (`None`: killed).
const LEAK_CAUSES: [Option<LeakCause>; 64] = {
    let mut table = [None; 64];
    let mut flags = 0;
    while flags < 64 {
        table[flags as usize] = leak_cause(flags);
        flags += 1;
    }
    table
};

/// Why a threat with `flags` leaked, the first cause of [`LeakCause::ALL`] that applies
/// (`None`: it was killed).
const fn leak_cause(flags: u8) -> Option<LeakCause> {
    Some(if flags & AbstractThreat::KILLED != 0 {
        return None;
    } else if flags & AbstractThreat::TRACKED == 0 {
        LeakCause::NeverDetected
    } else if flags & AbstractThreat::FIRED_AT != 0 {
        if flags & AbstractThreat::BELIEVED_DEAD != 0 {
            LeakCause::JudgedKilledWrongly
        } else {
            LeakCause::AllShotsMissed
        }
    } else if flags & AbstractThreat::NO_ROUNDS != 0 {
        LeakCause::NoRounds
    } else if flags & AbstractThreat::NO_WINDOW != 0 {
        LeakCause::NoWindow
    } else {
        LeakCause::TrackedTooLate
    })
}
