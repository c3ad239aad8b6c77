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
//!   when they are out); each interceptor kills with the layer's kill probability, drawn shot by
//!   shot until the first kill;
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
//! # Draws
//! Counter-based: each draw is one SplitMix64 mix of a seed and a key, compared as an integer
//! with the probability scaled to 2⁶⁴. A threat's seed in a stream is
//! `splitmix64(stream_seed(master seed, run, stream) ^ threat key)`
//! ([`skyshield_core::stream_seed`]); its draws in that stream mix in what draws:
//! - tracking ([`Stream::Detection`]): the sensor's key;
//! - kills ([`Stream::Kill`]): the engagement's key (layer id and engagement index), plus the
//!   shot's index times the golden ratio of 2⁶⁴;
//! - kill assessment ([`Stream::Assessment`]): the engagement's key.
//!
//! So a draw depends only on the seed, the run, the threat and what it decides: adding a layer,
//! a sensor or an engagement, or changing a probability, leaves every other draw of every threat
//! as it was (common random numbers), and run `k` replays alone. [`Replication::abstract_draws`]
//! counts the mixes of a run (seeds and draws).
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

/// The golden ratio of 2⁶⁴ (SplitMix64's increment): successive shots of a salvo add it to the
/// key of their draws.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The draws of a run, each one SplitMix64 mix, and their count.
struct Draws {
    count: u64,
}

impl Draws {
    /// The seed of the draws of what `key` names, in the stream of `stream_seed`.
    #[inline]
    fn seed(&mut self, stream_seed: u64, key: u64) -> u64 {
        self.count += 1;
        splitmix64(stream_seed ^ key)
    }

    /// Whether the event of `chance` happens, by the draw of `part` under `seed` (not read
    /// when the chance needs no draw).
    #[inline]
    fn happens(&mut self, chance: Chance, seed: u64, part: u64) -> bool {
        match chance {
            Chance::Never => false,
            Chance::Always => true,
            Chance::Below(t) => {
                self.count += 1;
                splitmix64(seed ^ part) < t
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
        let track_drawn = self.abstract_chances.iter().any(|c| c.drawn());
        self.abstract_threats.clear();
        self.abstract_threats.resize(nt, AbstractThreat::default());
        self.abstract_tracked.clear();
        self.abstract_tracked.resize(nt * ns, false);
        for (i, threat) in p.threats.iter().enumerate() {
            let base = if track_drawn {
                draws.seed(detection, threat.key)
            } else {
                0
            };
            let mut any = false;
            for (s, (&chance, &key)) in self
                .abstract_chances
                .iter()
                .zip(&plan.sensor_keys)
                .enumerate()
            {
                let tracked = draws.happens(chance, base, key);
                self.abstract_tracked[i * ns + s] = tracked;
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
            if any {
                self.abstract_threats[i].flags = AbstractThreat::TRACKED;
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
        for (l, keys) in plan.engagement_keys.iter().enumerate() {
            let battery = &p.batteries[l];
            let mut rounds = battery.rounds;
            let pk = Chance::of(self.value(battery.kill_probability(class)));
            let sensor = plan.layer_sensor[l];
            let windows = &p.opportunities[0][l].windows;
            let tally = &mut self.outcome.batteries[l];
            for (e, (&key, window)) in keys.iter().zip(windows).enumerate() {
                let (launch_s, intercept_s) = (window.launch.as_s(), window.intercept.as_s());
                for (i, threat) in p.threats.iter().enumerate() {
                    let st = &mut self.abstract_threats[i];
                    if st.flags & AbstractThreat::TRACKED == 0
                        || st.flags & (AbstractThreat::KILLED | AbstractThreat::BELIEVED_DEAD) != 0
                    {
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
                    tally.shots += shots;
                    defense_cost_usd += f64::from(shots) * battery.cost_usd;
                    if pk.drawn() && st.flags & AbstractThreat::KILL_BASE == 0 {
                        st.kill_base = draws.seed(kill, threat.key);
                        st.flags |= AbstractThreat::KILL_BASE;
                    }
                    // Shot by shot until the first kill.
                    let killed = (0..u64::from(shots)).any(|shot| {
                        let part = key.wrapping_add(shot.wrapping_mul(GOLDEN_GAMMA));
                        draws.happens(pk, st.kill_base, part)
                    });
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
                    if killed {
                        tally.kills += 1;
                        st.flags |= AbstractThreat::KILLED;
                        st.killed_by = (l as u32, e as u32);
                        continue;
                    }
                    let base = if seen_alive.drawn() {
                        draws.seed(assessment, threat.key)
                    } else {
                        0
                    };
                    let alive = draws.happens(seen_alive, base, key);
                    if !alive {
                        st.flags |= AbstractThreat::BELIEVED_DEAD;
                    }
                    if O::ACTIVE {
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
            tally.rounds_left = rounds;
        }
        // Every threat's end.
        let traj = &p.trajectories[0];
        let impact = traj.impact.point();
        let o = &mut self.outcome;
        o.run = run;
        o.defense_cost_usd = defense_cost_usd;
        o.offense_cost_usd = p.threats.iter().map(|t| p.types[t.group].cost_usd).sum();
        self.warning.reset(p, &mut o.warning);
        o.threats.clear();
        o.threats.extend(
            p.threats
                .iter()
                .zip(&self.abstract_threats)
                .map(|(threat, st)| {
                    let leaked = ThreatOutcome {
                        fate: Fate::Leaked,
                        launch_s: threat.launch.as_s(),
                        shots: st.shots,
                        time_s: (threat.launch.as_s() + traj.flight_time_s),
                        lat_deg: impact.lat_deg(),
                        lon_deg: impact.lon_deg(),
                        height_m: 0.0,
                        battery: None,
                        asset: None,
                        debris: None,
                        leak_cause: None,
                    };
                    if st.flags & AbstractThreat::KILLED == 0 {
                        return ThreatOutcome {
                            leak_cause: Some(leak_cause(st)),
                            ..leaked
                        };
                    }
                    let (l, e) = (st.killed_by.0 as usize, st.killed_by.1 as usize);
                    let window = &p.opportunities[0][l].windows[e];
                    let ground = window.ground.point();
                    ThreatOutcome {
                        fate: Fate::Intercepted,
                        time_s: (threat.launch + window.intercept).as_s(),
                        lat_deg: ground.lat_deg(),
                        lon_deg: ground.lon_deg(),
                        height_m: window.height_m,
                        battery: Some(l),
                        ..leaked
                    }
                }),
        );
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

/// Why a threat that was not killed leaked: the first cause of [`LeakCause::ALL`] that applies.
fn leak_cause(st: &AbstractThreat) -> LeakCause {
    if st.flags & AbstractThreat::TRACKED == 0 {
        LeakCause::NeverDetected
    } else if st.shots > 0 {
        if st.flags & AbstractThreat::BELIEVED_DEAD != 0 {
            LeakCause::JudgedKilledWrongly
        } else {
            LeakCause::AllShotsMissed
        }
    } else if st.flags & AbstractThreat::NO_ROUNDS != 0 {
        LeakCause::NoRounds
    } else if st.flags & AbstractThreat::NO_WINDOW != 0 {
        LeakCause::NoWindow
    } else {
        LeakCause::TrackedTooLate
    }
}
