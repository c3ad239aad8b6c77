//! The reusable state of replications on one thread, shared by the stages of a run
//! ([`crate::sensing`], [`crate::battle`], [`crate::engagement`], [`crate::threats`]) and
//! played by [`crate::replication`].

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use rand_distr::{Distribution, StandardNormal};
use skyshield_core::{RngExt, SimTime, Stream, StreamRng, seeded_stream, stream_seed};

use crate::outcome::{EngineEvent, LeakCause, Outcome};
use crate::policy::{Candidate, ThreatView};
use crate::prepared::{ParamId, Prepared};
use crate::queue::EventQueue;
use crate::timeline::Timeline;
use crate::warning::WarningRun;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    Launch(u32),
    Cue(u32),
    Track(u32, u32),
    TrackLost(u32, u32),
    /// A decision again at this time, asked for by the threat's last decision (see
    /// [`ThreatState::recheck`]).
    Recheck(u32),
    /// At the run's next decision cycle, not from the queue.
    Cycle,
    InterceptorLaunch(u32),
    Intercept(u32),
    Assess(u32),
    /// A launcher of a battery reloaded with a number of rounds.
    Reload(u32, u32),
    Fail(u32),
    Impact(u32),
    Siren(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Waiting,
    Flying,
    Dead,
}

/// Per-threat state of a run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ThreatState {
    pub(crate) status: Status,
    pub(crate) launch: SimTime,
    pub(crate) impact_time: SimTime,
    /// When it fails in flight (`SimTime::MAX`: it does not).
    pub(crate) fail_time: SimTime,
    /// Impact point: east and north of the trajectory's nominal impact, m.
    pub(crate) impact: (f64, f64),
    /// First fire-control track on any sensor.
    pub(crate) track_time: SimTime,
    /// Updates of its track until `updates_mark`, and their rate since, per s: that of the
    /// fastest radar holding a track on it (0 when none does).
    pub(crate) track_updates: f64,
    pub(crate) updates_mark: SimTime,
    pub(crate) update_rate_hz: f64,
    /// Sensors tracking it now.
    pub(crate) tracks_now: u16,
    /// Cue from space-based early warning.
    pub(crate) cue_time: SimTime,
    /// Standard-normal draws of the prediction error, east and north.
    pub(crate) prediction_z: (f64, f64),
    pub(crate) engagements_in_flight: u16,
    /// Waiting for a fire channel of some battery.
    pub(crate) waiting_channel: bool,
    pub(crate) believed_dead: bool,
    pub(crate) queued: bool,
    pub(crate) ignored_open: bool,
    /// The time of the latest `Recheck` event scheduled for it and not yet taken
    /// (`SimTime::MAX`: none), and whether the threat's last decision still wants it. Each
    /// decision sets its own follow-up, so the follow-ups of earlier ones are dropped.
    pub(crate) recheck: SimTime,
    pub(crate) recheck_wanted: bool,
    /// Intercepts of it so far: the n-th draws its kills, and the assessment that follows it,
    /// from the streams keyed by (threat, n).
    pub(crate) intercepts: u32,
    /// The strongest reason, over its decisions so far, why no battery could fire at it
    /// (order of [`LeakCause`]; `None`: none yet).
    pub(crate) blocked: Option<LeakCause>,
}

/// A threat of a decision cycle as the battle manager sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Judged {
    /// Its place in the cycle's order (the policy's priority).
    pub(crate) key: i64,
    pub(crate) view: ThreatView,
    /// The assets it threatens, a bit per asset.
    pub(crate) threatened: u64,
}

/// One planned or flying engagement.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Engagement {
    pub(crate) threat: u32,
    pub(crate) battery: u32,
    pub(crate) shots: u32,
    pub(crate) window: u32,
    pub(crate) opportunity: u32,
    pub(crate) intercept: SimTime,
}

/// The reusable state of replications on one thread. Vectors keep their capacity across runs,
/// so a run allocates nothing once the first has sized them.
#[derive(Debug, Default)]
pub struct Replication {
    /// What follows from the launches, drawn before the run is played.
    pub(crate) timeline: Timeline<Event>,
    /// What is scheduled as the run unfolds.
    pub(crate) queue: EventQueue<Event>,
    /// Threats to put among those of a decision cycle, and that cycle: the first a decision
    /// latency after their track, so in order of time as they come.
    pub(crate) wakes: VecDeque<(SimTime, u32)>,
    /// The threats of a decision cycle, as the battle manager sees them.
    pub(crate) ready_keys: Vec<Judged>,
    pub(crate) threats: Vec<ThreatState>,
    /// Track time per (threat, sensor), `SimTime::MAX` when not tracked.
    pub(crate) tracks: Vec<SimTime>,
    /// Whether (threat, sensor) coverage has ended: a late admission forms no track.
    pub(crate) coverage_over: Vec<bool>,
    /// Per sensor, threats detected while its track capacity was full, in order.
    pub(crate) track_waiting: Vec<VecDeque<u32>>,
    /// Per battery, threats that found all its fire channels busy, by their priority when they
    /// began to wait (most urgent first).
    pub(crate) channel_waiting: Vec<BinaryHeap<Reverse<(i64, u32)>>>,
    /// Whether a channel freed, or was offered, since channels were last offered.
    pub(crate) offer: bool,
    pub(crate) active_tracks: Vec<u32>,
    pub(crate) channels_busy: Vec<u32>,
    pub(crate) rounds: Vec<u32>,
    /// Whether (threat, battery) has been engaged (without shoot-look-shoot, once per battery).
    pub(crate) engaged_by: Vec<bool>,
    /// Per (threat, battery), the first engagement window that was still open at the last
    /// decision: the time a battery could fire only grows, so the search resumes there.
    pub(crate) window_from: Vec<u32>,
    pub(crate) engagements: Vec<Engagement>,
    pub(crate) ready: Vec<u32>,
    /// The batteries that can fire at the threat being decided on within the cycle, with
    /// their opportunity and window, and those that can only later.
    pub(crate) candidates: Vec<Candidate>,
    pub(crate) candidate_refs: Vec<(u32, u32)>,
    pub(crate) later: Vec<Candidate>,
    /// Per battery: rounds left in its depot, and launchers being reloaded.
    pub(crate) depot: Vec<u32>,
    pub(crate) reloading: Vec<u32>,
    pub(crate) next_cycle: SimTime,
    /// The value of every parameter of [`Prepared::parameters`] in this run.
    pub(crate) values: Vec<f64>,
    /// This run's decision cycle, delay from a track to the decision on it, and per battery its
    /// reaction time, the delay of remote tracks, its reload time and the rounds it keeps in
    /// reserve for threats that no other battery can engage.
    pub(crate) cycle: SimTime,
    pub(crate) decision_latency: SimTime,
    pub(crate) reaction: Vec<SimTime>,
    pub(crate) network_delay: Vec<SimTime>,
    pub(crate) reload_time: Vec<SimTime>,
    pub(crate) reserve: Vec<u32>,
    /// Per battery, the window in which it is away this run (empty: present all along), and
    /// per sensor, the window in which it forms no track; both empty outside campaigns.
    pub(crate) away: Vec<(SimTime, SimTime)>,
    pub(crate) sensor_away: Vec<(SimTime, SimTime)>,
    /// Per sensor, whether it is some battery's own radar (its tracks may let that battery
    /// fire).
    pub(crate) fire_control: Vec<bool>,
    /// Per sensor, the rate at which it updates its tracks, per s.
    pub(crate) update_rates_hz: Vec<f64>,
    /// The key of each sensor's draws (its id's), in the mixed form that combines with a
    /// threat's ([`skyshield_core::part_key`]).
    pub(crate) sensor_keys: Vec<u64>,
    /// Flight time of each trajectory.
    pub(crate) flight_times: Vec<SimTime>,
    /// Draw parameters from their ranges (otherwise: nominal values).
    pub(crate) sample_parameters: bool,
    pub(crate) warning: WarningRun,
    /// Per threat, in an abstract run ([`crate::abstract_run`]): its flags
    /// (`crate::abstract_run`'s bits), the interceptors fired at it, and its end (an index into
    /// [`crate::AbstractPlan::ends`]: 0, its impact; otherwise the kill by the engagement of
    /// that rank, from 1); the shots of the current engagement at it. Per sensor and threat,
    /// whether the sensor tracks it. The events of an observed abstract run, with their
    /// times, before they are reported in time order; and the SplitMix64 mixes that the last
    /// abstract run made.
    pub(crate) abstract_flags: Vec<u8>,
    pub(crate) abstract_shots: Vec<u32>,
    pub(crate) abstract_end: Vec<u32>,
    pub(crate) abstract_salvo: Vec<u32>,
    pub(crate) abstract_tracked: Vec<bool>,
    pub(crate) abstract_events: Vec<(f64, EngineEvent)>,
    pub(crate) abstract_draws: u64,
    /// The vector instructions the processor has, for the abstract kernel's passes.
    pub(crate) arch: pulp::Arch,
    /// Leave [`Outcome::threats`] empty (see [`Replication::set_threat_outcomes`]).
    pub(crate) skip_threat_outcomes: bool,
    pub(crate) outcome: Outcome,
}

/// The random streams of a run: one per component and per what draws (a threat, a threat seen
/// by a sensor, a parameter), keyed so that two variants of a scenario share the draws of what
/// they have in common ([`skyshield_core::stream`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rngs {
    /// The seed of each stream a replication draws from ([`stream_seed`]), by its number.
    seeds: [u64; Stream::Debris as usize + 1],
}

impl Rngs {
    /// The streams of run `run` under master seed `seed`.
    pub(crate) fn new(seed: u64, run: u64) -> Self {
        let mut seeds = [0; Stream::Debris as usize + 1];
        for s in [
            Stream::Launch,
            Stream::Detection,
            Stream::Prediction,
            Stream::Kill,
            Stream::Assessment,
            Stream::Parameters,
            Stream::Debris,
        ] {
            seeds[s as usize] = stream_seed(seed, run, s);
        }
        Self { seeds }
    }

    /// The generator of component `s` for what `key` names: that of
    /// [`skyshield_core::stream`].
    pub(crate) fn of(&self, s: Stream, key: u64) -> StreamRng {
        seeded_stream(self.seeds[s as usize], key)
    }
}

#[inline]
pub(crate) fn normal(rng: &mut StreamRng) -> f64 {
    StandardNormal.sample(rng)
}

impl Replication {
    /// A replication with empty state, playing parameters at their nominal values.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether each run draws every parameter with a `{low, nominal, high}` range from a
    /// triangular distribution on `[low, high]` with its mode at `nominal` (its own stream,
    /// [`Stream::Parameters`]), instead of taking the nominal value.
    pub fn with_parameter_sampling(mut self, sample: bool) -> Self {
        self.sample_parameters = sample;
        self
    }

    /// Whether the runs that follow write each threat's outcome ([`Outcome::threats`]; the
    /// default) or leave it empty. Either way a run writes the counts of the threats' fates
    /// and leak causes ([`Outcome::tally`]) and everything else of its outcome; a batch that
    /// needs no threat's own outcome spares an abstract run most of its writing.
    pub fn set_threat_outcomes(&mut self, write: bool) {
        self.skip_threat_outcomes = !write;
    }

    pub(crate) fn value(&self, id: ParamId) -> f64 {
        self.values[id.0 as usize]
    }

    /// Sets the value of every parameter of `p` for the run of `rng`: drawn from its range
    /// ([`triangular`], its own stream keyed by its name) or nominal.
    pub(crate) fn draw_values(&mut self, p: &Prepared, rng: Rngs) {
        self.values.clear();
        for (range, &key) in p.parameters.ranges().iter().zip(p.parameters.keys()) {
            // A range of no width is its nominal value, with no draw.
            self.values
                .push(if self.sample_parameters && range.high > range.low {
                    let u = rng.of(Stream::Parameters, key).random::<f64>();
                    triangular(range.low, range.nominal, range.high, u)
                } else {
                    range.nominal
                });
        }
    }

    pub(crate) fn push(&mut self, at: SimTime, event: Event) {
        self.queue.push(at, event);
    }
}

/// The inverse distribution function of the triangular distribution on `[low, high]` with mode
/// `mode`, at `u` in `[0, 1)`: how a run draws a parameter from its `{low, nominal, high}` range.
pub fn triangular(low: f64, mode: f64, high: f64, u: f64) -> f64 {
    let width = high - low;
    if width <= 0.0 {
        return mode;
    }
    let split = (mode - low) / width;
    if u < split {
        low + (u * width * (mode - low)).sqrt()
    } else {
        high - ((1.0 - u) * width * (high - mode)).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inverse of the triangular distribution function on [2, 6] with mode 3:
    /// F(x) = (x − 2)² / 4 up to the mode, 1 − (6 − x)² / 12 beyond it; both give the mode at
    /// F = 1/4.
    #[test]
    fn triangular_inverts_the_distribution_function() {
        let (low, mode, high) = (2.0, 3.0, 6.0);
        let cdf = |x: f64| {
            if x <= mode {
                (x - low).powi(2) / ((high - low) * (mode - low))
            } else {
                1.0 - (high - x).powi(2) / ((high - low) * (high - mode))
            }
        };
        for x in [2.0, 2.1, 2.5, 2.9, 3.0, 3.2, 4.0, 5.5, 5.99] {
            let drawn = triangular(low, mode, high, cdf(x));
            assert!((drawn - x).abs() < 1e-12, "F⁻¹(F({x})) = {drawn}");
        }
        assert_eq!(triangular(low, mode, high, 0.25), mode);
        // A range of no width is its mode.
        assert_eq!(triangular(4.0, 4.0, 4.0, 0.7), 4.0);
    }
}
