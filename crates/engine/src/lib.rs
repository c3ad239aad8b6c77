//! One replication of a skyshield scenario, from the first launch to the last impact.
//!
//! # What this crate owns, and what it must not depend on
//! It owns one replication: sensors and tracks, impact-point prediction, the battle manager
//! (threat evaluation, weapon-target assignment, doctrine), engagements and civil warning, as a
//! single-threaded, deterministic discrete-event simulation, and the preparation of a scenario
//! for it. It must not do I/O nor depend on rayon, on the Monte Carlo, report or front-end
//! crates: batches of runs, files and outputs belong to those.
//!
//! # Layout
//! The modules follow the data flow, each depending only on those before it:
//! - prepared data ([`Prepared`], in `prepared`), built once by [`prepare`] (`prepare`: flights,
//!   sensor coverage and engagement windows, warning zones in reach, abstract scenarios);
//!   warning zones on the ground ([`zones`]);
//! - what a run produces (`outcome`: [`Outcome`], [`EngineEvent`], [`Observer`]);
//! - a run's reusable state (`state`: [`Replication`]), and the stages that act on it:
//!   sensing (`sensing`: detections, tracks, early warning), battle management (`battle`:
//!   decision cycles, threat evaluation, assignment by an [`AssignmentPolicy`] from `policy`),
//!   engagement (`engagement`: interceptors, intercepts, kill assessment), threats in flight
//!   (`threats`: launch, failure, impact, sirens) and civil warning ([`warning`]);
//! - the kernel of abstract scenarios (`abstract_run`), which plays their runs without events;
//! - the replication loop (`replication`), which plays the events in order and hands each to
//!   its stage, or an abstract scenario's run to its kernel;
//! - the parameter space (`space`: [`ParameterSpace`]): every parameter with a range, fixed at
//!   the values of a [`ParameterSet`] before a scenario is prepared.
//!
//! # Conventions
//! Time, positions, ids and units follow [`skyshield_core`]'s conventions: in particular,
//! threats, sensors, batteries, assets and warning zones are indices into the vectors of
//! [`Prepared`] (`threats`, `sensors`, `batteries`, `asset_ids`, `warning.zones`).
//!
//! # Two stages
//! [`prepare`] turns a validated [`skyshield_scenario::Scenario`] into a [`Prepared`] scenario
//! once: the nominal trajectory of every distinct (threat type, launch site, aim point, shape),
//! the time intervals in which each sensor can see each trajectory, and the engagement windows in
//! which each battery can meet each trajectory inside its envelope. A spatial index keeps this
//! work proportional to what is within reach. `Prepared` is immutable and shared by all runs.
//!
//! [`Replication`] owns the flat, reusable state of one run; [`Replication::run`] plays run `k`
//! as a deterministic discrete-event simulation: events in order of (integer time, launches
//! first, order of scheduling), and random draws from the streams of `(seed, k, stream)` (see
//! [`skyshield_core::stream`]). What follows from the launches alone (failures, impacts, radar
//! tracks and the ends of coverage) is drawn before the run is played and sorted once into a
//! timeline; what the run schedules as it unfolds goes to a calendar queue of buckets of about
//! a second, since time never runs backwards in a run; the threats woken for a decision wait
//! in a list of their own, in time order, which each decision cycle takes. The same scenario,
//! seed and run index give the same outcome, bit for bit. An abstract scenario (its
//! [`Prepared::abstract_plan`]) is played instead by a kernel without events or geometry, in
//! vectorised passes over the threats, with counter-based draws
//! ([`Replication::abstract_draws`] counts them): the same outcomes in distribution as the
//! battle manager gives it, at a fraction of the cost.
//!
//! # The model of a run
//! - **Threats** launch at their nominal time plus a jitter, may fail in flight (their type's
//!   reliability), and land at their nominal impact point plus an aim dispersion drawn from
//!   their circular error probable. Per-run variation shifts the nominal trajectory in time; it
//!   does not re-integrate it.
//! - **Sensors**: a radar that can see a threat detects it at each scan with its detection
//!   probability; a track forms after `detections_to_track` detections, if the radar has track
//!   capacity left: a rotating radar confirms its first detection on its next scans, an
//!   electronically scanned one on confirmation beams a `confirmation_dwell_s` apart. A track
//!   ends when the threat leaves the radar's coverage or dies. Space infrared early warning
//!   detects a boosting missile after its latency and cues the radars, which then form a track
//!   on their first detection.
//! - **Impact-point prediction**: a tracked threat's predicted impact point carries an error
//!   whose scale shrinks with the track's updates (at the rate of the fastest radar holding it:
//!   its `track_revisit_s`, or its scan period for a rotating radar) and time to go and grows
//!   with the threat's manoeuvre
//!   capability ([`prediction_sigma_m`]).
//! - **Battle manager**: decision cycles every `decision_latency_s`; threats are evaluated
//!   (time to go, predicted impact inside a defended asset given the prediction's uncertainty,
//!   asset value less what its hardness absorbs) and assigned by an [`AssignmentPolicy`]: the
//!   one the scenario names in `command.policy` ([`Prepared::policy`]: `earliest-intercept`,
//!   [`DefaultPolicy`]; `value-weighted`, [`ValueWeighted`]; `cost-aware`, [`CostAware`]). A
//!   battery fires on its own radar's track, or on another sensor's after its network delay
//!   when it may fire on remote tracks; it holds its reserve for threats that no battery
//!   outside its reserve can engage; a second battery engages a threat already engaged only
//!   where the doctrine allows double engagement. Empty launchers are reloaded from the
//!   battery's depot after its reload time.
//! - **Engagements**: an interceptor launched at a time the window allows meets the threat at
//!   the window's intercept point; each interceptor kills with the kill probability of its type
//!   against the threat's class, times modifiers for the crossing angle and for a target that
//!   can manoeuvre where it is met (below the height where the air carries its weight,
//!   [`Window::manoeuvring`]).
//!   A killed threat's debris falls ballistically, with drag, from the threat's position and
//!   velocity at the intercept (computed once per window when the scenario is prepared), and
//!   lands scattered about that fall point, downrange of the intercept's ground point.
//! - **Civil warning** (when the scenario has `warning`): early warnings on launch detection or
//!   first track, sirens in the zones that the prediction's uncertainty circle meets, and
//!   per-run lead times, warnings too late, false alarms and people under alert ([`warning`],
//!   zones from [`zones`]).
//! - **Outcome**: every threat ends with exactly one [`Fate`], and every leaker with exactly one
//!   [`LeakCause`].
//!
//! # What is not modelled
//! Decoys, multiple warheads, electronic warfare, terrain masking and battery losses within a
//! run are not modelled (a campaign sets, per run, when a battery is away or lost: [`Day`]). A
//! track, once formed, is held until the threat leaves coverage: a radar's revisit rate sets
//! how fast the impact prediction narrows, not whether the track is kept.

mod abstract_run;
#[cfg(feature = "audit")]
pub mod audit;
mod battle;
mod day;
mod engagement;
mod geometry;
mod outcome;
mod policy;
mod prepare;
mod prepared;
mod queue;
mod replication;
mod sensing;
mod space;
mod state;
mod threats;
mod timeline;
pub mod warning;
pub mod zones;

pub use battle::{MIN_DECISION_CYCLE_S, THREAT_SIGMAS};
pub use day::Day;
pub use engagement::ASSESSMENT_DELAY_S;
pub use geometry::{GroundPoint, PlaneArea};
pub use outcome::{
    BatteryTally, EngineEvent, Fate, LeakCause, NoObserver, Observer, Outcome, Siren, Stage, Tally,
    ThreatOutcome, WarningOutcome, ZoneImpact, ZoneTally,
};
pub use policy::{
    AssignmentPolicy, Candidate, CostAware, DefaultPolicy, Fire, ThreatView, ValueWeighted,
};
pub use prepare::{
    FlightCache, FlightCacheStats, GLOBAL_CACHE_SAMPLES, ParameterSetError, PrepareError,
    PrepareStages, prepare, prepare_timed, prepare_with,
};
pub use prepared::{
    AbstractPlan, Battery, DEBRIS_SIGMA_M, Opportunity, Prepared, Sensor, SensorKind, ThreatPlan,
    ThreatType, Trajectory, Window, WindowKey, prediction_sigma_m,
};
pub use space::{Parameter, ParameterSet, ParameterSpace};
pub use state::{Replication, triangular};
pub use zones::{PlaneZone, WarningPlan, confidence_sigmas};
