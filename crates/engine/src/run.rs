//! One replication: the timeline and the event queue, sensors and tracks, the battle manager,
//! engagements.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use rand_distr::{Distribution, StandardNormal};
use skyshield_core::{RngExt, SimTime, Stream, StreamRng, stream};
use skyshield_physics::earth::Geodetic;

use crate::policy::{AssignmentPolicy, Candidate, DefaultPolicy, ThreatView};
use crate::prepare::{ParamId, Prepared, SensorKind, asset_bit, prediction_sigma_m};
use crate::queue::EventQueue;
use crate::timeline::{Rank, Timeline};
use crate::warning::{Circle, WarningOutcome, WarningRun};

/// Prediction uncertainty, in standard deviations, within which a defended asset counts as
/// threatened (about 95 % for a circular normal error at 2.45σ; 2σ is a common planning figure).
pub const THREAT_SIGMAS: f64 = 2.0;

/// Time from an intercept to its kill assessment, s. Notional.
pub const ASSESSMENT_DELAY_S: f64 = 2.0;

/// Standard deviation of where debris of an intercepted threat lands about the intercept's
/// ground point, m per axis. Notional.
pub const DEBRIS_SIGMA_M: f64 = 1_000.0;

/// CEP to the standard deviation of a circular normal distribution per axis: CEP = 1.1774 σ.
pub(crate) const CEP_TO_SIGMA: f64 = 1.0 / 1.177_410_022_515_474_6;

/// How a threat ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Killed by an interceptor.
    Intercepted,
    /// Reached the ground (in a defended asset or not).
    Leaked,
    /// Not engaged because it was predicted to fall in open ground, and it did.
    IgnoredOpenArea,
    /// Failed in flight.
    FailedInFlight,
}

impl Fate {
    /// Every fate.
    pub const ALL: [Fate; 4] = [
        Fate::Intercepted,
        Fate::Leaked,
        Fate::IgnoredOpenArea,
        Fate::FailedInFlight,
    ];

    /// Its place in [`Fate::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Fate::Intercepted => "intercepted",
            Fate::Leaked => "leaked",
            Fate::IgnoredOpenArea => "ignored_open_area",
            Fate::FailedInFlight => "failed_in_flight",
        }
    }
}

/// The end of one threat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreatOutcome {
    pub fate: Fate,
    /// When it was launched (nominal launch time plus the run's jitter), s.
    pub launch_s: f64,
    /// Interceptors fired at it.
    pub shots: u32,
    /// When it ended, s.
    pub time_s: f64,
    /// Where: the impact point, the intercept's ground point, or where it failed.
    pub lat_deg: f64,
    pub lon_deg: f64,
    /// Height of an intercept, m (0 otherwise).
    pub height_m: f64,
    /// The battery that killed it.
    pub battery: Option<u32>,
    /// The asset its impact fell in.
    pub asset: Option<u32>,
    /// Where the debris of an intercepted threat fell.
    pub debris: Option<(f64, f64)>,
}

/// What one battery did in a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatteryTally {
    pub shots: u32,
    pub kills: u32,
    pub rounds_left: u32,
}

/// The result of one replication.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Run index.
    pub run: u64,
    /// Per threat, in the order of [`Prepared::threats`].
    pub threats: Vec<ThreatOutcome>,
    /// Per battery, in the order of [`Prepared::batteries`].
    pub batteries: Vec<BatteryTally>,
    /// Cost of the interceptors fired, US$.
    pub defense_cost_usd: f64,
    /// Cost of the threats launched, US$.
    pub offense_cost_usd: f64,
    /// Civil warning (empty when the scenario has none).
    pub warning: WarningOutcome,
}

impl Outcome {
    /// Number of threats with fate `fate`.
    pub fn count(&self, fate: Fate) -> usize {
        self.counts()[fate.index()]
    }

    /// Number of threats of each fate, in the order of [`Fate::ALL`].
    pub fn counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for t in &self.threats {
            counts[t.fate.index()] += 1;
        }
        counts
    }
}

/// Something that happened in a run, for event logs and replays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EngineEvent {
    Launch {
        time_s: f64,
        threat: usize,
    },
    /// A threat's launch detected from space; with civil warning, also a threat's first track
    /// when no such detection came before it.
    EarlyWarning {
        time_s: f64,
        threat: usize,
    },
    Track {
        time_s: f64,
        sensor: usize,
        threat: usize,
    },
    TrackLost {
        time_s: f64,
        sensor: usize,
        threat: usize,
    },
    Decision {
        time_s: f64,
        threat: usize,
        battery: Option<usize>,
        time_to_go_s: f64,
        threatened_value: f64,
    },
    InterceptorLaunch {
        time_s: f64,
        battery: usize,
        threat: usize,
        shots: u32,
        intercept_s: f64,
    },
    Intercept {
        time_s: f64,
        battery: usize,
        threat: usize,
        killed: bool,
        lat_deg: f64,
        lon_deg: f64,
        height_m: f64,
    },
    Assessment {
        time_s: f64,
        threat: usize,
        seen_alive: bool,
    },
    Failure {
        time_s: f64,
        threat: usize,
    },
    Impact {
        time_s: f64,
        threat: usize,
        lat_deg: f64,
        lon_deg: f64,
        asset: Option<usize>,
    },
    /// A warning zone's siren sounded for a threat (see [`crate::warning`]): the siren region
    /// is the circle of `radius_m` about its centre, given in the plane of the threat's
    /// trajectory's nominal impact point (`east_m`, `north_m`) and on the ground.
    Siren {
        time_s: f64,
        zone: usize,
        threat: usize,
        east_m: f64,
        north_m: f64,
        lat_deg: f64,
        lon_deg: f64,
        radius_m: f64,
    },
}

/// Receives the events of a run.
pub trait Observer {
    /// Whether it looks at events at all: when not, the run skips the events that exist only to
    /// be reported (interceptor launches, early warnings), which changes nothing else.
    const ACTIVE: bool = true;
    fn event(&mut self, event: &EngineEvent);
}

/// An observer that ignores everything (no cost).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoObserver;

impl Observer for NoObserver {
    const ACTIVE: bool = false;
    #[inline]
    fn event(&mut self, _event: &EngineEvent) {}
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Launch(u32),
    Cue(u32),
    Track(u32, u32),
    TrackLost(u32, u32),
    /// From the run's list of wakes, not the queue.
    Wake(u32),
    /// A decision again at this time, asked for by the threat's last decision (see
    /// [`ThreatState::recheck`]).
    Recheck(u32),
    /// At the run's next decision cycle, not from the queue.
    Cycle,
    InterceptorLaunch(u32),
    Intercept(u32),
    Assess(u32),
    Fail(u32),
    Impact(u32),
    Siren(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Waiting,
    Flying,
    Dead,
}

/// Per-threat state of a run.
#[derive(Debug, Clone, Copy)]
struct ThreatState {
    status: Status,
    launch: SimTime,
    impact_time: SimTime,
    /// When it fails in flight (`SimTime::MAX`: it does not).
    fail_time: SimTime,
    /// Impact point: east and north of the trajectory's nominal impact, m.
    impact: (f64, f64),
    /// First fire-control track on any sensor.
    track_time: SimTime,
    /// Sensors tracking it now.
    tracks_now: u16,
    /// Cue from space-based early warning.
    cue_time: SimTime,
    /// Standard-normal draws of the prediction error, east and north.
    prediction_z: (f64, f64),
    engagements_in_flight: u16,
    /// Waiting for a fire channel of some battery.
    waiting_channel: bool,
    believed_dead: bool,
    queued: bool,
    ignored_open: bool,
    /// The time of the latest `Recheck` event scheduled for it and not yet taken
    /// (`SimTime::MAX`: none), and whether the threat's last decision still wants it. Each
    /// decision sets its own follow-up, so the follow-ups of earlier ones are dropped.
    recheck: SimTime,
    recheck_wanted: bool,
}

/// A threat of a decision cycle as the battle manager sees it.
#[derive(Debug, Clone, Copy)]
struct Judged {
    /// Its place in the cycle's order (the policy's priority).
    key: i64,
    view: ThreatView,
    /// The assets it threatens, a bit per asset.
    threatened: u64,
}

/// One planned or flying engagement.
#[derive(Debug, Clone, Copy)]
struct Engagement {
    threat: u32,
    battery: u32,
    shots: u32,
    window: u32,
    opportunity: u32,
    intercept: SimTime,
}

/// The reusable state of replications on one thread. Vectors keep their capacity across runs,
/// so a run allocates nothing once the first has sized them.
#[derive(Debug, Default)]
pub struct Replication {
    /// What follows from the launches, drawn before the run is played.
    timeline: Timeline<Event>,
    /// What is scheduled as the run unfolds.
    queue: EventQueue<Event>,
    /// Threats to put among those of the next decision cycle, and when: a decision latency
    /// after their track, so in order of time as they come.
    wakes: VecDeque<(SimTime, u32)>,
    /// The threats of a decision cycle, as the battle manager sees them.
    ready_keys: Vec<Judged>,
    threats: Vec<ThreatState>,
    /// Track time per (threat, sensor), `SimTime::MAX` when not tracked.
    tracks: Vec<SimTime>,
    /// Whether (threat, sensor) coverage has ended: a late admission forms no track.
    coverage_over: Vec<bool>,
    /// Per sensor, threats detected while its track capacity was full, in order.
    track_waiting: Vec<VecDeque<u32>>,
    /// Per battery, threats that found all its fire channels busy, by their priority when they
    /// began to wait (most urgent first).
    channel_waiting: Vec<BinaryHeap<Reverse<(i64, u32)>>>,
    /// Whether a channel freed, or was offered, since channels were last offered.
    offer: bool,
    active_tracks: Vec<u32>,
    channels_busy: Vec<u32>,
    rounds: Vec<u32>,
    /// Whether (threat, battery) has been engaged (without shoot-look-shoot, once per battery).
    engaged_by: Vec<bool>,
    /// Per (threat, battery), the first engagement window that was still open at the last
    /// decision: the time a battery could fire only grows, so the search resumes there.
    window_from: Vec<u32>,
    engagements: Vec<Engagement>,
    ready: Vec<u32>,
    candidates: Vec<Candidate>,
    candidate_refs: Vec<(u32, u32)>,
    next_cycle: SimTime,
    /// The value of every parameter of [`Prepared::parameters`] in this run.
    values: Vec<f64>,
    /// This run's decision cycle, delay from a track to the decision on it, and per battery its
    /// reaction time and the rounds it keeps in reserve for the assets it defends.
    cycle: SimTime,
    decision_latency: SimTime,
    reaction: Vec<SimTime>,
    reserve: Vec<u32>,
    /// Flight time of each trajectory.
    flight_times: Vec<SimTime>,
    /// Draw parameters from their ranges (otherwise: nominal values).
    sample_parameters: bool,
    warning: WarningRun,
    outcome: Outcome,
}

struct Rngs {
    launch: StreamRng,
    detection: StreamRng,
    prediction: StreamRng,
    kill: StreamRng,
    assessment: StreamRng,
    debris: StreamRng,
}

impl Rngs {
    /// The streams of run `run` under master seed `seed`.
    fn new(seed: u64, run: u64) -> Self {
        Self {
            launch: stream(seed, run, Stream::Launch),
            detection: stream(seed, run, Stream::Detection),
            prediction: stream(seed, run, Stream::Prediction),
            kill: stream(seed, run, Stream::Kill),
            assessment: stream(seed, run, Stream::Assessment),
            debris: stream(seed, run, Stream::Debris),
        }
    }
}

#[inline]
fn normal(rng: &mut StreamRng) -> f64 {
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

    fn value(&self, id: ParamId) -> f64 {
        self.values[id.0 as usize]
    }

    /// Plays run `run` of `prepared` under master seed `seed` with the default policy.
    pub fn run(&mut self, prepared: &Prepared, seed: u64, run: u64) -> &Outcome {
        self.run_with(prepared, seed, run, &DefaultPolicy, &mut crate::NoObserver)
    }

    /// Plays run `run` under `seed` with `policy`, reporting every event to `observer`.
    pub fn run_with<P: AssignmentPolicy, O: Observer>(
        &mut self,
        p: &Prepared,
        seed: u64,
        run: u64,
        policy: &P,
        observer: &mut O,
    ) -> &Outcome {
        let mut rng = Rngs::new(seed, run);
        self.reset(p, run);
        let mut draws = stream(seed, run, Stream::Parameters);
        self.values.clear();
        for range in p.parameters.ranges() {
            self.values.push(if self.sample_parameters {
                triangular(range.low, range.nominal, range.high, draws.random::<f64>())
            } else {
                range.nominal
            });
        }
        self.cycle = SimTime::from_s(cycle_s(p));
        self.decision_latency = SimTime::from_s(self.value(p.decision_latency));
        self.reaction.clear();
        self.reserve.clear();
        for b in &p.batteries {
            self.reaction
                .push(SimTime::from_s(self.value(b.reaction_s)));
            self.reserve
                .push((self.value(p.reserve_fraction) * f64::from(b.rounds)).ceil() as u32);
        }
        self.flight_times.clear();
        self.flight_times.extend(
            p.trajectories
                .iter()
                .map(|t| SimTime::from_s(t.flight_time_s)),
        );
        // Launches, failures and aim dispersion are drawn for every round up front, in round
        // order, so that they do not depend on what else happens in the run.
        for (i, plan) in p.threats.iter().enumerate() {
            let kind = &p.types[plan.group];
            let traj = &p.trajectories[plan.trajectory];
            let launch = SimTime::from_s(
                plan.launch_s + crate::prepare::LAUNCH_JITTER_S * normal(&mut rng.launch),
            );
            let fails = rng.launch.random::<f64>() >= self.value(kind.reliability);
            let fail_at = rng.launch.random::<f64>() * traj.flight_time_s;
            let sigma = self.value(kind.cep_m) * CEP_TO_SIGMA;
            let impact = (
                sigma * normal(&mut rng.launch),
                sigma * normal(&mut rng.launch),
            );
            let s = &mut self.threats[i];
            s.launch = launch;
            s.impact_time = launch + self.flight_times[plan.trajectory];
            s.fail_time = if fails {
                launch + SimTime::from_s(fail_at)
            } else {
                SimTime::MAX
            };
            s.impact = impact;
            self.outcome.threats[i].launch_s = launch.as_s();
        }
        // So are detections, and put in the timeline with what else follows from the launches.
        // The timeline, wakes and the decision cycle are merged with the queue, which holds
        // what is scheduled as the run unfolds. At one instant, the timeline's launches come
        // first, then its other entries, then queued events, then wakes, and the decision
        // cycle last.
        let start = self.threats.iter().map(|s| s.launch).min();
        let start = start.unwrap_or(SimTime::ZERO);
        self.timeline.clear(start);
        for i in 0..p.threats.len() {
            self.plan::<O>(p, &mut rng, i);
        }
        self.timeline.sort();
        self.queue.clear(start);
        loop {
            let planned = self.timeline.next_time();
            let wake = self.wakes.front().map_or(SimTime::MAX, |w| w.0);
            let cycle = self.next_cycle;
            let due = planned.min(wake).min(cycle);
            let limit = if planned == due {
                SimTime(due.0 - 1)
            } else {
                due
            };
            let (now, event) = if let Some(queued) = self.queue.pop_until(limit) {
                queued
            } else if due == SimTime::MAX {
                break;
            } else if planned == due {
                (due, self.timeline.take())
            } else if wake == due
                && let Some((_, i)) = self.wakes.pop_front()
            {
                (due, Event::Wake(i))
            } else {
                self.next_cycle = SimTime::MAX;
                (due, Event::Cycle)
            };
            self.handle(p, policy, observer, &mut rng, now, event);
        }
        let o = &mut self.outcome;
        for (b, tally) in o.batteries.iter_mut().enumerate() {
            tally.rounds_left = self.rounds[b];
        }
        if let Some(w) = &p.warning {
            self.warning.finish(w, &o.threats, &mut o.warning);
        }
        &self.outcome
    }

    fn reset(&mut self, p: &Prepared, run: u64) {
        let (nt, ns, nb) = (p.threats.len(), p.sensors.len(), p.batteries.len());
        self.wakes.clear();
        self.threats.clear();
        self.threats.resize(
            nt,
            ThreatState {
                status: Status::Waiting,
                launch: SimTime::ZERO,
                impact_time: SimTime::ZERO,
                fail_time: SimTime::MAX,
                impact: (0.0, 0.0),
                track_time: SimTime::MAX,
                tracks_now: 0,
                cue_time: SimTime::MAX,
                prediction_z: (0.0, 0.0),
                engagements_in_flight: 0,
                waiting_channel: false,
                believed_dead: false,
                queued: false,
                ignored_open: false,
                recheck: SimTime::MAX,
                recheck_wanted: false,
            },
        );
        self.tracks.clear();
        self.tracks.resize(nt * ns, SimTime::MAX);
        self.coverage_over.clear();
        self.coverage_over.resize(nt * ns, false);
        self.track_waiting.resize_with(ns, VecDeque::new);
        self.track_waiting.iter_mut().for_each(VecDeque::clear);
        self.channel_waiting.resize_with(nb, BinaryHeap::new);
        self.channel_waiting.iter_mut().for_each(BinaryHeap::clear);
        self.offer = false;
        self.active_tracks.clear();
        self.active_tracks.resize(ns, 0);
        self.channels_busy.clear();
        self.channels_busy.resize(nb, 0);
        self.rounds.clear();
        self.rounds.extend(p.batteries.iter().map(|b| b.rounds));
        self.engaged_by.clear();
        self.engaged_by.resize(nt * nb, false);
        self.window_from.clear();
        self.window_from.resize(nt * nb, 0);
        self.engagements.clear();
        self.ready.clear();
        self.next_cycle = SimTime::MAX;
        let o = &mut self.outcome;
        o.run = run;
        o.threats.clear();
        o.threats.resize(
            nt,
            ThreatOutcome {
                fate: Fate::Leaked,
                launch_s: 0.0,
                shots: 0,
                time_s: 0.0,
                lat_deg: 0.0,
                lon_deg: 0.0,
                height_m: 0.0,
                battery: None,
                asset: None,
                debris: None,
            },
        );
        o.batteries.clear();
        o.batteries.resize(nb, BatteryTally::default());
        o.defense_cost_usd = 0.0;
        o.offense_cost_usd = 0.0;
        self.warning.reset(p, &mut o.warning);
    }

    /// Draws what follows from the launch of threat `i` without depending on the rest of the
    /// run, and puts it in the timeline: the launch, failure, impact, the early-warning cue
    /// (only for an observer), and per radar the track and the end of its coverage. Sensors of
    /// given tracking (those of abstract scenarios, which have no others) draw at the launch.
    fn plan<O: Observer>(&mut self, p: &Prepared, rng: &mut Rngs, i: usize) {
        let plan = p.threats[i];
        let id = i as u32;
        let launch = self.threats[i].launch;
        self.timeline.put(launch, Rank::Launch, Event::Launch(id));
        // Space-based early warning first: it cues the radars.
        for cov in &p.coverage[plan.trajectory] {
            if let SensorKind::SpaceIr {
                latency_s,
                detection_probability,
                ..
            } = p.sensors[cov.sensor].kind
                && rng.detection.random::<f64>() < self.value(detection_probability)
            {
                let cue = launch + SimTime::from_s(cov.intervals[0].0 + self.value(latency_s));
                self.threats[i].cue_time = self.threats[i].cue_time.min(cue);
            }
        }
        let s = self.threats[i];
        if s.fail_time < SimTime::MAX {
            self.timeline.put(s.fail_time, Rank::Later, Event::Fail(id));
        }
        self.timeline
            .put(s.impact_time, Rank::Later, Event::Impact(id));
        if O::ACTIVE && s.cue_time < SimTime::MAX {
            self.timeline.put(s.cue_time, Rank::Later, Event::Cue(id));
        }
        for cov in &p.coverage[plan.trajectory] {
            let SensorKind::Radar {
                scan_period_s,
                detection_probability,
                detections_to_track,
                ..
            } = p.sensors[cov.sensor].kind
            else {
                continue;
            };
            for &(start, end) in &cov.intervals {
                let first_scan = start + scan_period_s * rng.detection.random::<f64>();
                let cued = s.cue_time <= launch + SimTime::from_s(first_scan);
                let needed = if cued { 1 } else { detections_to_track };
                // Scans until `needed` detections: a sum of geometric draws.
                let mut scans = 0u32;
                for _ in 0..needed {
                    scans += 1;
                    while rng.detection.random::<f64>() >= self.value(detection_probability) {
                        scans += 1;
                        if scans > 100_000 {
                            break;
                        }
                    }
                }
                let at = first_scan + scan_period_s * f64::from(scans - 1);
                if at <= end {
                    let sensor = cov.sensor as u32;
                    self.timeline.put(
                        launch + SimTime::from_s(at),
                        Rank::Later,
                        Event::Track(sensor, id),
                    );
                    self.timeline.put(
                        launch + SimTime::from_s(end),
                        Rank::Later,
                        Event::TrackLost(sensor, id),
                    );
                    break;
                }
            }
        }
    }

    fn push(&mut self, at: SimTime, event: Event) {
        self.queue.push(at, event);
    }

    /// Puts threat `i` among the threats of the next decision cycle from `now` on.
    fn wake(&mut self, i: usize, now: SimTime) {
        let s = &mut self.threats[i];
        if s.status == Status::Flying && !s.queued {
            s.queued = true;
            self.ready.push(i as u32);
        }
        self.request_cycle(now);
    }

    /// Asks for a decision on threat `i` again at `at`, in place of any other follow-up of its
    /// earlier decisions.
    fn recheck(&mut self, i: usize, at: SimTime) {
        let s = &mut self.threats[i];
        s.recheck_wanted = true;
        if s.recheck != at {
            s.recheck = at;
            self.push(at, Event::Recheck(i as u32));
        }
    }

    fn request_cycle(&mut self, at: SimTime) {
        let period = self.cycle.0;
        if self.next_cycle >= at && (self.next_cycle - at).0 < period {
            // The cycle already asked for is the first from `at` on.
            return;
        }
        let late = at.0.rem_euclid(period);
        let aligned = SimTime(at.0 - late + if late == 0 { 0 } else { period });
        self.next_cycle = self.next_cycle.min(aligned);
    }

    /// Ends threat `i`: it flies no more, and the radars tracking it free their track.
    fn kill_threat(&mut self, p: &Prepared, i: usize, now: SimTime) {
        self.threats[i].status = Status::Dead;
        let ns = p.sensors.len();
        for s in 0..ns {
            let k = i * ns + s;
            self.coverage_over[k] = true;
            if self.tracks[k] < SimTime::MAX {
                self.release_track(p, s, i, now);
            }
        }
    }

    /// Frees the track of sensor `s` on threat `i`, and admits the first waiting threat still
    /// in the sensor's coverage.
    fn release_track(&mut self, p: &Prepared, s: usize, i: usize, now: SimTime) {
        let ns = p.sensors.len();
        self.tracks[i * ns + s] = SimTime::MAX;
        self.active_tracks[s] -= 1;
        self.threats[i].tracks_now -= 1;
        while let Some(w) = self.track_waiting[s].pop_front() {
            let w = w as usize;
            if self.threats[w].status == Status::Flying && !self.coverage_over[w * ns + s] {
                self.push(now, Event::Track(s as u32, w as u32));
                break;
            }
        }
    }

    fn handle<P: AssignmentPolicy, O: Observer>(
        &mut self,
        p: &Prepared,
        policy: &P,
        observer: &mut O,
        rng: &mut Rngs,
        now: SimTime,
        event: Event,
    ) {
        let t_s = now.as_s();
        match event {
            Event::Launch(i) => {
                let i = i as usize;
                let plan = p.threats[i];
                self.threats[i].status = Status::Flying;
                self.outcome.offense_cost_usd += p.types[plan.group].cost_usd;
                observer.event(&EngineEvent::Launch {
                    time_s: t_s,
                    threat: i,
                });
                if p.warning.is_some() {
                    self.warning
                        .launched(i, self.threats[i].cue_time, self.threats[i].impact_time);
                }
                // Sensors of given tracking track it from launch.
                for cov in &p.coverage[plan.trajectory] {
                    if let SensorKind::Given {
                        tracking_probability,
                    } = p.sensors[cov.sensor].kind
                        && rng.detection.random::<f64>() < self.value(tracking_probability)
                    {
                        self.track(p, observer, rng, now, cov.sensor, i);
                    }
                }
            }
            Event::Cue(i) => {
                if self.threats[i as usize].status == Status::Flying {
                    observer.event(&EngineEvent::EarlyWarning {
                        time_s: t_s,
                        threat: i as usize,
                    });
                }
            }
            Event::Track(s, i) => self.track(p, observer, rng, now, s as usize, i as usize),
            Event::TrackLost(s, i) => {
                let (s, i) = (s as usize, i as usize);
                let k = i * p.sensors.len() + s;
                self.coverage_over[k] = true;
                if self.tracks[k] < SimTime::MAX {
                    self.release_track(p, s, i, now);
                    observer.event(&EngineEvent::TrackLost {
                        time_s: t_s,
                        sensor: s,
                        threat: i,
                    });
                }
            }
            Event::Wake(i) => self.wake(i as usize, now),
            Event::Cycle => self.decide(p, policy, observer, now),
            Event::Recheck(i) => {
                let i = i as usize;
                let s = &mut self.threats[i];
                if s.recheck == now {
                    s.recheck = SimTime::MAX;
                    if std::mem::take(&mut s.recheck_wanted) {
                        self.wake(i, now);
                    }
                }
            }
            Event::InterceptorLaunch(e) => {
                let eng = self.engagements[e as usize];
                observer.event(&EngineEvent::InterceptorLaunch {
                    time_s: t_s,
                    battery: eng.battery as usize,
                    threat: eng.threat as usize,
                    shots: eng.shots,
                    intercept_s: eng.intercept.as_s(),
                });
            }
            Event::Intercept(e) => {
                let eng = self.engagements[e as usize];
                let (i, b) = (eng.threat as usize, eng.battery as usize);
                self.channels_busy[b] -= 1;
                if !self.channel_waiting[b].is_empty() {
                    // The next cycle offers the free channel to the most urgent waiting threat.
                    self.offer = true;
                    self.request_cycle(now);
                }
                self.threats[i].engagements_in_flight -= 1;
                if self.threats[i].status != Status::Flying {
                    return;
                }
                let plan = p.threats[i];
                let kind = &p.types[plan.group];
                let battery = &p.batteries[b];
                let window = p.opportunities[plan.trajectory][eng.opportunity as usize].windows
                    [eng.window as usize];
                let mut pk =
                    self.value(battery.kill_probability(kind.class)) * window.crossing_factor;
                if kind.manoeuvre_g > 0.0 {
                    pk *= self.value(battery.manoeuvre_kill_factor);
                }
                let mut killed = false;
                for _ in 0..eng.shots {
                    killed |= rng.kill.random::<f64>() < pk;
                }
                let ground = window.ground.point();
                observer.event(&EngineEvent::Intercept {
                    time_s: t_s,
                    battery: b,
                    threat: i,
                    killed,
                    lat_deg: ground.lat_deg(),
                    lon_deg: ground.lon_deg(),
                    height_m: window.height_m,
                });
                if killed {
                    self.kill_threat(p, i, now);
                    self.outcome.batteries[b].kills += 1;
                    let (de, dn) = (
                        DEBRIS_SIGMA_M * normal(&mut rng.debris),
                        DEBRIS_SIGMA_M * normal(&mut rng.debris),
                    );
                    let debris = window.ground.offset(de, dn);
                    self.outcome.threats[i] = ThreatOutcome {
                        fate: Fate::Intercepted,
                        time_s: t_s,
                        lat_deg: ground.lat_deg(),
                        lon_deg: ground.lon_deg(),
                        height_m: window.height_m,
                        battery: Some(b as u32),
                        asset: None,
                        debris: Some((debris.lat_deg(), debris.lon_deg())),
                        ..self.outcome.threats[i]
                    };
                    if p.warning.is_some() {
                        let end = self.outcome.threats[i];
                        self.warning.intercepted(
                            p,
                            i,
                            now,
                            &end,
                            &mut self.outcome.warning,
                            observer,
                        );
                    }
                } else if p.shoot_look_shoot {
                    self.push(
                        now + SimTime::from_s(ASSESSMENT_DELAY_S),
                        Event::Assess(i as u32),
                    );
                }
            }
            Event::Assess(i) => {
                let i = i as usize;
                if self.threats[i].status != Status::Flying {
                    return;
                }
                let seen_alive =
                    rng.assessment.random::<f64>() < self.value(p.kill_assessment_probability);
                observer.event(&EngineEvent::Assessment {
                    time_s: t_s,
                    threat: i,
                    seen_alive,
                });
                if seen_alive {
                    self.wake(i, now);
                } else {
                    self.threats[i].believed_dead = true;
                }
            }
            Event::Fail(i) => {
                let i = i as usize;
                if self.threats[i].status != Status::Flying {
                    return;
                }
                self.kill_threat(p, i, now);
                let plan = p.threats[i];
                let traj = &p.trajectories[plan.trajectory];
                let k = ((now - self.threats[i].launch).as_s().max(0.0) as usize)
                    .min(traj.positions.len() - 1);
                let g = Geodetic::from_ecef(traj.positions[k]);
                self.outcome.threats[i] = ThreatOutcome {
                    fate: Fate::FailedInFlight,
                    time_s: t_s,
                    lat_deg: g.lat_deg(),
                    lon_deg: g.lon_deg(),
                    height_m: 0.0,
                    battery: None,
                    asset: None,
                    debris: None,
                    ..self.outcome.threats[i]
                };
                observer.event(&EngineEvent::Failure {
                    time_s: t_s,
                    threat: i,
                });
            }
            Event::Impact(i) => {
                let i = i as usize;
                if self.threats[i].status != Status::Flying {
                    return;
                }
                self.kill_threat(p, i, now);
                let traj = &p.trajectories[p.threats[i].trajectory];
                let (e, n) = self.threats[i].impact;
                let asset = traj.assets.iter().position(|a| a.within_m(e, n, 0.0));
                let impact = traj.impact.offset(e, n);
                let fate = if asset.is_none() && self.threats[i].ignored_open {
                    Fate::IgnoredOpenArea
                } else {
                    Fate::Leaked
                };
                self.outcome.threats[i] = ThreatOutcome {
                    fate,
                    time_s: t_s,
                    lat_deg: impact.lat_deg(),
                    lon_deg: impact.lon_deg(),
                    height_m: 0.0,
                    battery: None,
                    asset: asset.map(|a| a as u32),
                    debris: None,
                    ..self.outcome.threats[i]
                };
                observer.event(&EngineEvent::Impact {
                    time_s: t_s,
                    threat: i,
                    lat_deg: impact.lat_deg(),
                    lon_deg: impact.lon_deg(),
                    asset,
                });
                if let Some(w) = &p.warning {
                    self.warning
                        .impact(p, w, i, now, (e, n), &mut self.outcome.warning);
                }
            }
            Event::Siren(i) => {
                let i = i as usize;
                let Some(w) = &p.warning else {
                    return;
                };
                if self.threats[i].status != Status::Flying {
                    return;
                }
                let (east_m, north_m, sigma) = self.predicted(p, i, now);
                let region = Circle {
                    east_m,
                    north_m,
                    radius_m: w.sigmas * sigma,
                };
                self.warning
                    .sound(p, i, now, region, &mut self.outcome.warning, observer);
                // Later regions, about `I + σz` with radius `kσ` for a shrinking σ, lie inside
                // this one when |z| <= k: they could add no zone, so they are not evaluated.
                let (ze, zn) = self.threats[i].prediction_z;
                let next = now + self.cycle;
                if ze.hypot(zn) > w.sigmas && next < self.threats[i].impact_time {
                    self.push(next, Event::Siren(i as u32));
                }
            }
        }
    }

    /// Sensor `s` forms a track on threat `i`, if the threat still flies in its coverage and it
    /// has a free track.
    fn track<O: Observer>(
        &mut self,
        p: &Prepared,
        observer: &mut O,
        rng: &mut Rngs,
        now: SimTime,
        s: usize,
        i: usize,
    ) {
        if self.threats[i].status != Status::Flying || self.coverage_over[i * p.sensors.len() + s] {
            return;
        }
        if let SensorKind::Radar { track_capacity, .. } = p.sensors[s].kind
            && self.active_tracks[s] >= track_capacity
        {
            // Full: the threat waits for a free track while it stays in coverage.
            self.track_waiting[s].push_back(i as u32);
            return;
        }
        self.active_tracks[s] += 1;
        self.threats[i].tracks_now += 1;
        self.tracks[i * p.sensors.len() + s] = now;
        observer.event(&EngineEvent::Track {
            time_s: now.as_s(),
            sensor: s,
            threat: i,
        });
        let first = self.threats[i].track_time == SimTime::MAX;
        self.threats[i].track_time = self.threats[i].track_time.min(now);
        if first {
            self.threats[i].prediction_z =
                (normal(&mut rng.prediction), normal(&mut rng.prediction));
            if let Some(w) = &p.warning {
                let (early, decide) = self.warning.tracked(w, i, now);
                if early {
                    observer.event(&EngineEvent::EarlyWarning {
                        time_s: now.as_s(),
                        threat: i,
                    });
                }
                if let Some(at) = decide {
                    self.push(at, Event::Siren(i as u32));
                }
            }
        }
        // On a network, a second sensor's track changes nothing for the battle manager;
        // the first track, or one after all were lost, or a battery's own radar does.
        if !p.network || self.threats[i].tracks_now == 1 {
            self.wakes
                .push_back((now + self.decision_latency, i as u32));
        }
    }

    /// Which assets tracked threat `i` threatens at `now` (a bit per asset), given the
    /// predicted impact point and the scale of its error.
    fn threatened(&self, p: &Prepared, i: usize, now: SimTime) -> u64 {
        let assets = &p.trajectories[p.threats[i].trajectory].assets;
        if assets.is_empty() {
            return 0;
        }
        let (e, n, sigma) = self.predicted(p, i, now);
        assets
            .iter()
            .enumerate()
            .filter(|(_, a)| a.within_m(e, n, THREAT_SIGMAS * sigma))
            .fold(0u64, |m, (k, _)| m | asset_bit(k))
    }

    /// The predicted impact point of tracked threat `i` at `now`, east and north of its
    /// trajectory's nominal impact (m), and the scale of its error (m).
    fn predicted(&self, p: &Prepared, i: usize, now: SimTime) -> (f64, f64, f64) {
        let s = &self.threats[i];
        let kind = &p.types[p.threats[i].group];
        let sigma = prediction_sigma_m(
            (now - s.track_time).as_s(),
            (s.impact_time - now).as_s(),
            kind.manoeuvre_g,
        );
        (
            s.impact.0 + sigma * s.prediction_z.0,
            s.impact.1 + sigma * s.prediction_z.1,
            sigma,
        )
    }

    /// One decision cycle: evaluate the ready threats, most urgent first, and assign batteries.
    /// Each free fire channel is offered to the most urgent threat waiting for one of its
    /// battery, with the ready threats; while a battery still has a free channel and threats
    /// waiting for it after that (those offered it went elsewhere), it is offered again.
    fn decide<P: AssignmentPolicy, O: Observer>(
        &mut self,
        p: &Prepared,
        policy: &P,
        observer: &mut O,
        now: SimTime,
    ) {
        let mut keys = std::mem::take(&mut self.ready_keys);
        loop {
            if std::mem::take(&mut self.offer) {
                self.offer_channels(p);
            }
            if self.ready.is_empty() {
                break;
            }
            keys.clear();
            for k in 0..self.ready.len() {
                let i = self.ready[k] as usize;
                let s = &mut self.threats[i];
                s.queued = false;
                if s.status == Status::Flying && !s.believed_dead {
                    let threatened = self.threatened(p, i, now);
                    let view = self.view(p, i, threatened, now);
                    keys.push(Judged {
                        key: ordered(policy.priority(&view)),
                        view,
                        threatened,
                    });
                }
            }
            self.ready.clear();
            keys.sort_unstable_by_key(|j| (j.key, j.view.threat));
            for &judged in &keys {
                self.decide_one(p, policy, observer, now, judged);
            }
        }
        self.ready_keys = keys;
    }

    /// Readies, for each battery with free fire channels, as many of the threats waiting for
    /// it, most urgent first, as it has free channels; if it readies any, channels are offered
    /// again after their decisions, in case some went elsewhere.
    fn offer_channels(&mut self, p: &Prepared) {
        for (b, battery) in p.batteries.iter().enumerate() {
            let mut free = battery.fire_channels.saturating_sub(self.channels_busy[b]);
            while free > 0
                && let Some(Reverse((_, w))) = self.channel_waiting[b].pop()
            {
                let s = &mut self.threats[w as usize];
                s.waiting_channel = false;
                if s.status == Status::Flying && !s.believed_dead && !s.queued {
                    s.queued = true;
                    self.ready.push(w);
                    self.offer = true;
                    free -= 1;
                }
            }
        }
    }

    fn view(&self, p: &Prepared, i: usize, threatened: u64, now: SimTime) -> ThreatView {
        let threatened_value = p
            .asset_values
            .iter()
            .enumerate()
            .filter(|(k, _)| threatened & asset_bit(*k) != 0)
            .map(|(_, v)| *v)
            .fold(0.0, f64::max);
        ThreatView {
            threat: i,
            time_to_go_s: (self.threats[i].impact_time - now).as_s(),
            threatened_value,
        }
    }

    fn decide_one<P: AssignmentPolicy, O: Observer>(
        &mut self,
        p: &Prepared,
        policy: &P,
        observer: &mut O,
        now: SimTime,
        judged: Judged,
    ) {
        let Judged {
            key,
            view,
            threatened,
        } = judged;
        let i = view.threat;
        self.threats[i].recheck_wanted = false;
        if p.shoot_look_shoot && self.threats[i].engagements_in_flight > 0 {
            return;
        }
        if p.engage_only_defended && threatened == 0 {
            self.threats[i].ignored_open = true;
            observer.event(&EngineEvent::Decision {
                time_s: now.as_s(),
                threat: i,
                battery: None,
                time_to_go_s: view.time_to_go_s,
                threatened_value: 0.0,
            });
            // The prediction narrows as the track ages: judged again next cycle.
            let next = now + self.cycle;
            if next < self.threats[i].impact_time {
                self.recheck(i, next);
            }
            return;
        }
        self.threats[i].ignored_open = false;
        let plan = p.threats[i];
        let class = p.types[plan.group].class;
        let launch = self.threats[i].launch;
        let cycle = self.cycle;
        let horizon = now + cycle;
        let mut wake = SimTime::MAX;
        // A battery that could fire but for its busy fire channels.
        let mut blocked: Option<usize> = None;
        self.candidates.clear();
        self.candidate_refs.clear();
        // On a network, every battery may fire on any sensor's track.
        let network_track = if self.threats[i].tracks_now > 0 {
            self.threats[i].track_time
        } else {
            SimTime::MAX
        };
        for (o, opp) in p.opportunities[plan.trajectory].iter().enumerate() {
            let b = opp.battery;
            let rounds = self.rounds[b];
            let battery = &p.batteries[b];
            if rounds == 0
                || (!p.shoot_look_shoot && self.engaged_by[i * p.batteries.len() + b])
                || (battery.defends != 0 && threatened & battery.defends == 0)
            {
                continue;
            }
            // Off a network, a battery fires on its own radar's track.
            let track = if p.network {
                network_track
            } else {
                battery
                    .radar
                    .map_or(SimTime::MAX, |r| self.tracks[i * p.sensors.len() + r])
            };
            if track == SimTime::MAX {
                continue;
            }
            let ready_at = (track + self.reaction[b]).max(now);
            let shots = battery.salvo.min(rounds);
            // The reserve is held back but for threats to the battery's own assets (to any
            // asset, for a battery that defends all).
            let usable = if battery.defends != 0 || threatened != 0 {
                rounds
            } else {
                rounds.saturating_sub(self.reserve[b])
            };
            if shots == 0 || usable < shots {
                continue;
            }
            // The earliest window whose launch time is still to come.
            let from = &mut self.window_from[i * p.batteries.len() + b];
            let w = first_open(&opp.launches, *from as usize, |(latest, _)| {
                launch + latest >= ready_at
            });
            *from = w as u32;
            let Some(&(_, window_launch)) = opp.launches.get(w) else {
                continue;
            };
            let fire = launch + window_launch;
            if fire > horizon {
                wake = wake.min(fire);
                continue;
            }
            if self.channels_busy[b] >= battery.fire_channels {
                blocked = blocked.or(Some(b));
                continue;
            }
            let window = &opp.windows[w];
            let mut pk = self.value(battery.kill_probability(class)) * window.crossing_factor;
            if p.types[plan.group].manoeuvre_g > 0.0 {
                pk *= self.value(battery.manoeuvre_kill_factor);
            }
            self.candidates.push(Candidate {
                battery: b,
                tier: battery.tier,
                launch: fire,
                intercept: launch + window.intercept,
                kill_probability: pk,
            });
            self.candidate_refs.push((o as u32, w as u32));
        }
        let choice = policy.choose(&view, &self.candidates);
        observer.event(&EngineEvent::Decision {
            time_s: now.as_s(),
            threat: i,
            battery: choice.map(|c| self.candidates[c].battery),
            time_to_go_s: view.time_to_go_s,
            threatened_value: view.threatened_value,
        });
        match choice {
            Some(c) => {
                let cand = self.candidates[c];
                let (o, w) = self.candidate_refs[c];
                let b = cand.battery;
                let shots = p.batteries[b].salvo.min(self.rounds[b]);
                self.rounds[b] -= shots;
                self.channels_busy[b] += 1;
                self.engaged_by[i * p.batteries.len() + b] = true;
                self.threats[i].engagements_in_flight += 1;
                self.outcome.batteries[b].shots += shots;
                self.outcome.threats[i].shots += shots;
                self.outcome.defense_cost_usd += f64::from(shots) * p.batteries[b].cost_usd;
                let e = self.engagements.len() as u32;
                self.engagements.push(Engagement {
                    threat: i as u32,
                    battery: b as u32,
                    shots,
                    window: w,
                    opportunity: o,
                    intercept: cand.intercept,
                });
                if O::ACTIVE {
                    self.push(cand.launch, Event::InterceptorLaunch(e));
                }
                self.push(cand.intercept, Event::Intercept(e));
                if !p.shoot_look_shoot {
                    // Other layers may engage without waiting for the look.
                    self.recheck(i, horizon);
                }
            }
            None => {
                if let Some(b) = blocked
                    && !self.threats[i].waiting_channel
                {
                    // Decided again when a channel of that battery frees.
                    self.threats[i].waiting_channel = true;
                    self.channel_waiting[b].push(Reverse((key, i as u32)));
                }
                if wake < SimTime::MAX {
                    // Decided again one cycle before a later window opens.
                    self.recheck(i, (wake - cycle).max(horizon));
                }
            }
        }
    }
}

/// Shortest decision cycle, s: with a decision latency of zero, decisions still come in cycles
/// of this length, and a battery may fire at any moment within the cycle. Notional.
pub const MIN_DECISION_CYCLE_S: f64 = 1.0;

/// The decision cycle of a scenario, s.
fn cycle_s(p: &Prepared) -> f64 {
    p.decision_latency_s.max(MIN_DECISION_CYCLE_S)
}

/// The first index from `from` on where `open` holds, over values along which it holds from
/// some index on: a galloping search, which touches few values when the answer is near `from`.
fn first_open<T: Copy>(values: &[T], from: usize, open: impl Fn(T) -> bool) -> usize {
    let (mut lo, mut step) = (from, 1);
    let hi = loop {
        let probe = lo + step - 1;
        if probe >= values.len() {
            break values.len();
        }
        if open(values[probe]) {
            break probe;
        }
        lo = probe + 1;
        step *= 2;
    };
    lo + values[lo..hi].partition_point(|&v| !open(v))
}

/// The inverse distribution function of the triangular distribution on `[low, high]` with mode
/// `mode`, at `u` in `[0, 1)`.
fn triangular(low: f64, mode: f64, high: f64, u: f64) -> f64 {
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

/// A total order on finite priorities.
fn ordered(x: f64) -> i64 {
    skyshield_core::round_to_i64(x * 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An abstract scenario of `threats` threats against one layer with one fire channel.
    fn one_channel(threats: u32) -> Prepared {
        let text = format!(
            "name: one channel\nkind: abstract\nthreats: {threats}\nlayers:\n  - {{id: layer, kill_probability: 0.5}}\n"
        );
        let scenario = skyshield_scenario::from_str(&text, std::path::Path::new("test.yaml"))
            .expect("scenario");
        let mut p = crate::prepare(&scenario).expect("prepared");
        p.batteries[0].fire_channels = 1;
        p
    }

    #[test]
    fn fates_are_indexed_in_the_order_of_all() {
        for (k, fate) in Fate::ALL.into_iter().enumerate() {
            assert_eq!(fate.index(), k, "{}", fate.name());
        }
    }

    #[test]
    fn a_free_channel_goes_to_the_most_urgent_waiting_threat() {
        let p = one_channel(4);
        let mut rep = Replication::new();
        rep.reset(&p, 0);
        for s in &mut rep.threats {
            s.status = Status::Flying;
        }
        // Threats 0, 1 and 3 wait, in that order, with priorities 30, 10 and 20; threat 2
        // waited too but was killed since.
        for (i, key) in [(0u32, 30), (1, 10), (2, 5), (3, 20)] {
            rep.threats[i as usize].waiting_channel = true;
            rep.channel_waiting[0].push(Reverse((key, i)));
        }
        rep.threats[2].status = Status::Dead;
        rep.channels_busy[0] = 1;
        rep.offer_channels(&p);
        assert!(rep.ready.is_empty(), "no channel is free");
        rep.channels_busy[0] = 0;
        rep.offer_channels(&p);
        assert_eq!(rep.ready, [1], "the most urgent living threat, and only it");
        assert!(rep.offer, "offered again after the decisions");
        assert!(!rep.threats[1].waiting_channel && rep.threats[3].waiting_channel);
        // Threat 1 went elsewhere: the channel is still free, and goes to the next.
        rep.ready.clear();
        rep.threats[1].queued = false;
        rep.offer_channels(&p);
        assert_eq!(rep.ready, [3]);
        assert_eq!(
            rep.channel_waiting[0].peek(),
            Some(&Reverse((30, 0))),
            "threat 0 still waits"
        );
    }

    #[test]
    fn a_later_follow_up_replaces_an_earlier_one() {
        let p = one_channel(1);
        let mut rep = Replication::new();
        rep.reset(&p, 0);
        rep.threats[0].status = Status::Flying;
        rep.queue.clear(SimTime::ZERO);
        rep.cycle = SimTime::from_s(1.0);
        rep.recheck(0, SimTime::from_s(5.0));
        // A decision at 2 s asks for 8 s instead; another at 3 s asks for 8 s again, which
        // reuses the event already queued.
        rep.threats[0].recheck_wanted = false;
        rep.recheck(0, SimTime::from_s(8.0));
        rep.threats[0].recheck_wanted = false;
        rep.recheck(0, SimTime::from_s(8.0));
        let mut rng = Rngs::new(1, 0);
        let mut woken = Vec::new();
        while let Some((t, event)) = rep.queue.pop_until(SimTime::MAX) {
            rep.handle(&p, &DefaultPolicy, &mut NoObserver, &mut rng, t, event);
            if std::mem::take(&mut rep.threats[0].queued) {
                woken.push(t.as_s());
                rep.ready.clear();
            }
        }
        assert_eq!(woken, [8.0]);
    }
}
