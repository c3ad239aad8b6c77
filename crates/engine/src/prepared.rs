//! The prepared scenario: everything computed once and shared by all runs (trajectories,
//! sensor coverage, engagement windows, parameters with their ranges), and the constants of the
//! models that read it.

use skyshield_core::{SimTime, key_of, mix_keys};
use skyshield_physics::ballistic::TerminalBody;
use skyshield_physics::earth::Geodetic;
use skyshield_physics::earth_model::EarthModel;
use skyshield_physics::frame::{Ecef, Vector};
use skyshield_scenario::{Class, Policy, Uncertain};

use crate::geometry::{GroundPoint, PlaneArea};
use crate::outcome::ThreatOutcome;
use crate::zones::WarningPlan;

/// The bit of asset `k` in a set of assets ([`skyshield_scenario::MAX_ASSETS`] at most).
pub(crate) fn asset_bit(k: usize) -> u64 {
    1u64 << k
}

/// Threat classes in a fixed order, for per-class tables.
pub(crate) const CLASSES: [Class; 5] = [
    Class::Ballistic,
    Class::QuasiBallistic,
    Class::Rocket,
    Class::Cruise,
    Class::Drone,
];

pub(crate) fn class_index(c: Class) -> usize {
    CLASSES.iter().position(|&k| k == c).unwrap_or(0)
}

/// Standard deviation of launch-time jitter about a round's planned time, s. Notional: crews
/// fire within tens of seconds of their slot.
pub const LAUNCH_JITTER_S: f64 = 10.0;

/// Velocity error of a new track, m/s (per axis). Carried over the time to go, it makes the
/// impact-point prediction error: about 20 km for a ballistic missile first tracked 400 s before
/// impact, 2 km for a rocket tracked 40 s before. Notional.
pub const PREDICTION_VELOCITY_SIGMA0_M_S: f64 = 50.0;
/// Track updates over which the velocity error halves: 20 s of tracking by a radar that
/// updates its tracks every second. Notional.
pub const PREDICTION_HALVING_UPDATES: f64 = 20.0;
/// Smallest prediction error of a mature track, m. Notional.
pub const PREDICTION_FLOOR_M: f64 = 200.0;
/// Duration of the terminal manoeuvre that a manoeuvring threat may fly, s: the prediction
/// error of such a threat keeps `½·a·t²` of it. Notional.
pub const MANOEUVRE_DURATION_S: f64 = 5.0;

/// Scale (one standard deviation per axis) of the impact-point prediction error, m, for a track
/// that has had `track_updates` updates, of a threat `time_to_go_s` from impact that can
/// manoeuvre at `manoeuvre_g`: the track's velocity error, which shrinks as updates come in,
/// carried over the time to go, no less than a mature track's floor; plus what a manoeuvre can
/// add. A track is updated at the rate of the fastest radar holding it: every
/// `track_revisit_s` for an electronically scanned radar, every scan for a rotating one
/// ([`SensorKind::Radar`]).
pub fn prediction_sigma_m(track_updates: f64, time_to_go_s: f64, manoeuvre_g: f64) -> f64 {
    let velocity_m_s = PREDICTION_VELOCITY_SIGMA0_M_S * PREDICTION_HALVING_UPDATES
        / (PREDICTION_HALVING_UPDATES + track_updates.max(0.0));
    let track = (velocity_m_s * time_to_go_s.max(0.0)).max(PREDICTION_FLOOR_M);
    let manoeuvre = 0.5
        * manoeuvre_g
        * skyshield_physics::units::STANDARD_GRAVITY_M_S2
        * MANOEUVRE_DURATION_S.powi(2);
    track + manoeuvre
}

/// Standard deviation of where debris of an intercepted threat lands about its mean fall point
/// (the fall of [`skyshield_physics::debris`] from the threat's state at the intercept), m per
/// axis: the spread of the fragments' ballistic coefficients and of the velocities the kill
/// gives them. Notional.
pub const DEBRIS_SIGMA_M: f64 = 1_000.0;

/// CEP to the standard deviation of a circular normal distribution per axis: CEP = 1.1774 σ.
pub(crate) const CEP_TO_SIGMA: f64 = 1.0 / 1.177_410_022_515_474_6;

/// A threat type as the engine uses it (one per raid group).
#[derive(Debug, Clone)]
pub struct ThreatType {
    /// Raid group id.
    pub group: String,
    /// Catalog type id.
    pub type_id: String,
    pub class: Class,
    /// Probability of no failure in flight.
    pub reliability: ParamId,
    /// Circular error probable, m.
    pub cep_m: ParamId,
    /// Radar cross-section, m².
    pub rcs_m2: f64,
    pub cost_usd: f64,
    /// Terminal manoeuvre capability, g (0: none).
    pub manoeuvre_g: f64,
    /// The body that manoeuvres, for a rocket-powered threat with a manoeuvre capability: its
    /// mass and area set the height below which the air lets it manoeuvre.
    pub manoeuvre_body: Option<TerminalBody>,
}

/// A nominal trajectory, sampled every second from launch to impact.
#[derive(Debug, Clone)]
pub struct Trajectory {
    /// Raid group flying it.
    pub group: usize,
    pub launch: Geodetic,
    pub aim: Geodetic,
    /// The nominal impact point, from which aim dispersion offsets the actual one.
    pub impact: GroundPoint,
    pub flight_time_s: f64,
    pub apogee_m: f64,
    /// End of the boost, for rocket-powered threats.
    pub burnout_s: Option<f64>,
    /// The defended assets in the east-north plane tangent to the ellipsoid at the nominal
    /// impact point, where impact offsets are planar.
    pub assets: Vec<PlaneArea>,
    /// Earth-fixed position at each whole second, and at impact.
    pub positions: Vec<Vector<Ecef>>,
    /// Height above the ellipsoid of each sample, m.
    pub heights_m: Vec<f64>,
    /// Time of each sample since launch, s.
    pub times_s: Vec<f64>,
}

impl Trajectory {
    /// Where the trajectory is `since_launch_s` after launch: its sample at the whole second
    /// before (the last sample after impact, the first before launch).
    pub fn position_at(&self, since_launch_s: f64) -> Geodetic {
        let k = (since_launch_s.max(0.0) as usize).min(self.positions.len() - 1);
        Geodetic::from_ecef(self.positions[k])
    }

    /// Earth-fixed velocity at sample `i`, by central differences, m/s.
    pub fn velocity(&self, i: usize) -> Vector<Ecef> {
        let n = self.positions.len();
        let (a, b) = (i.saturating_sub(1), (i + 1).min(n - 1));
        let dt = self.times_s[b] - self.times_s[a];
        if dt > 0.0 {
            (self.positions[b] - self.positions[a]) / dt
        } else {
            Vector::zero()
        }
    }
}

/// One round of the raid.
#[derive(Debug, Clone, Copy)]
pub struct ThreatPlan {
    /// Raid group.
    pub group: usize,
    /// The key of its random draws: its raid group's id and its index in the group
    /// ([`ThreatPlan::key_of`]).
    pub key: u64,
    /// Its nominal trajectory.
    pub trajectory: usize,
    /// Planned launch time, from the scenario's time origin.
    pub launch: SimTime,
}

impl ThreatPlan {
    /// The key of the draws of round `index` of raid group `group`, the same in every variant
    /// of a scenario that has the group.
    pub fn key_of(group: &str, index: usize) -> u64 {
        mix_keys(key_of(group), index as u64)
    }
}

/// What a sensor is.
#[derive(Debug, Clone)]
pub enum SensorKind {
    Radar {
        /// Antenna position.
        position: Vector<Ecef>,
        /// Detection range against a 1 m² target, m (ranges scale with RCS^1/4).
        range_1m2_m: f64,
        scan_period_s: f64,
        /// Time between the beams that confirm a first detection, s, for an electronically
        /// scanned radar; `None` for a rotating one, which confirms on its next scans.
        confirmation_dwell_s: Option<f64>,
        /// Time between the updates of a held track, s: `track_revisit_s` for an
        /// electronically scanned radar, the scan period for a rotating one.
        track_revisit_s: f64,
        detection_probability: ParamId,
        detections_to_track: u32,
        track_capacity: u32,
    },
    SpaceIr {
        latency_s: ParamId,
        detection_probability: ParamId,
        min_burn_time_s: f64,
    },
    /// A sensor without geometry (abstract scenarios): it tracks each threat it covers, at
    /// launch, with this probability, and keeps the track to the end.
    Given { tracking_probability: ParamId },
}

/// A sensor of the scenario.
#[derive(Debug, Clone)]
pub struct Sensor {
    pub id: String,
    pub type_id: String,
    pub kind: SensorKind,
}

/// A battery of the scenario.
#[derive(Debug, Clone)]
pub struct Battery {
    pub id: String,
    /// Interceptor type id (the layer it reports under).
    pub type_id: String,
    /// 0 upper tier, 1 mid tier, 2 lower tier.
    pub tier: u8,
    pub position: Geodetic,
    pub rounds: u32,
    pub fire_channels: u32,
    /// Interceptors per engagement.
    pub salvo: u32,
    /// Reaction time from a track to a launch, s.
    pub reaction_s: ParamId,
    pub cost_usd: f64,
    /// Single-shot kill probability against each class (order of [`Class`] threat classes).
    pub kill_probability: [ParamId; 5],
    /// Kill-probability factor against a manoeuvring threat.
    pub manoeuvre_kill_factor: ParamId,
    /// Index of its own radar.
    pub radar: Option<usize>,
    /// Whether it may fire on other sensors' tracks, and how late they reach it, s.
    pub remote_tracks: bool,
    pub network_delay_s: ParamId,
    /// Assets it defends, bit k for asset k; 0: all.
    pub defends: u64,
    /// The largest value (hardness deducted) among the assets it defends.
    pub defended_value: f64,
    /// Launchers, rounds in its depot, and the time to reload an empty launcher from it, s.
    pub launchers: u32,
    pub depot_rounds: u32,
    pub reload_s: ParamId,
    /// Fraction of its ready rounds held back for threats that no other battery can engage.
    pub reserve_fraction: ParamId,
}

impl Battery {
    /// Single-shot kill probability against `class`.
    pub fn kill_probability(&self, class: Class) -> ParamId {
        self.kill_probability[class_index(class)]
    }
}

/// A moment at which a battery can meet a trajectory inside its envelope.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Intercept time, since the threat's launch.
    pub intercept: SimTime,
    /// Interceptor launch time (the intercept time less the fly-out), since the threat's launch.
    pub launch: SimTime,
    /// Kill-probability factor of the crossing angle.
    pub crossing_factor: f64,
    /// Ground point under the intercept.
    pub ground: GroundPoint,
    /// Intercept height, m.
    pub height_m: f64,
    /// The threat can manoeuvre here: it has a manoeuvre capability and flies below the height
    /// where the air carries its weight ([`skyshield_physics::aerodynamics::manoeuvre_ceiling_m`]
    /// for one g at its speed), after its burnout. Only then does a battery's
    /// `manoeuvre_kill_factor` apply.
    pub manoeuvring: bool,
    /// Where the debris of a kill here falls on average: the ballistic fall with drag from the
    /// threat's position and velocity at the intercept ([`skyshield_physics::debris::fall`]).
    pub debris: GroundPoint,
    /// Time from the intercept to the debris' landing.
    pub debris_fall: SimTime,
}

/// Every engagement window of one battery against one trajectory, in time order.
#[derive(Debug, Clone)]
pub struct Opportunity {
    pub battery: usize,
    pub windows: Vec<Window>,
    /// Per window, what a decision reads of it: a compact copy, which keeps in cache the
    /// windows that the search for the first one open touches.
    pub launches: Vec<WindowKey>,
}

/// What a decision reads of a window ([`Opportunity::launches`]).
#[derive(Debug, Clone, Copy)]
pub struct WindowKey {
    /// The latest `launch` of this window and all earlier ones: non-decreasing, so the first
    /// window still open at a time is found by bisection.
    pub latest: SimTime,
    /// The window's own [`Window::launch`].
    pub launch: SimTime,
    /// Its [`Window::intercept`].
    pub intercept: SimTime,
    /// Its [`Window::crossing_factor`].
    pub crossing_factor: f64,
    /// Its [`Window::manoeuvring`].
    pub manoeuvring: bool,
}

impl Opportunity {
    /// The opportunity of `battery` over `windows` (in time order).
    pub fn new(battery: usize, windows: Vec<Window>) -> Self {
        let launches = windows
            .iter()
            .scan(SimTime(i64::MIN), |latest, w| {
                *latest = (*latest).max(w.launch);
                Some(WindowKey {
                    latest: *latest,
                    launch: w.launch,
                    intercept: w.intercept,
                    crossing_factor: w.crossing_factor,
                    manoeuvring: w.manoeuvring,
                })
            })
            .collect();
        Self {
            battery,
            windows,
            launches,
        }
    }
}

/// The time intervals in which a sensor sees a trajectory, since launch.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub sensor: usize,
    pub intervals: Vec<(SimTime, SimTime)>,
}

/// A scenario prepared for replications.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub name: String,
    pub seed: u64,
    pub runs: u64,
    /// Calendar time of the scenario's time zero, when the scenario gives it.
    pub start: Option<jiff::Timestamp>,
    pub earth: EarthModel,
    pub types: Vec<ThreatType>,
    pub trajectories: Vec<Trajectory>,
    pub threats: Vec<ThreatPlan>,
    pub asset_ids: Vec<String>,
    /// The value of each asset for threat evaluation, less the share its hardness absorbs.
    pub asset_values: Vec<f64>,
    pub sensors: Vec<Sensor>,
    pub batteries: Vec<Battery>,
    /// Per trajectory: sensors that see it.
    pub coverage: Vec<Vec<Coverage>>,
    /// Per trajectory: batteries that can engage it.
    pub opportunities: Vec<Vec<Opportunity>>,
    /// Decision cycle length (the nominal decision latency), s.
    pub decision_latency_s: f64,
    /// Delay from a track to the decision on it, drawn per run.
    pub decision_latency: ParamId,
    /// The weapon-target assignment policy the scenario names; [`crate::Replication::run`]
    /// plays it.
    pub policy: Policy,
    pub shoot_look_shoot: bool,
    pub engage_only_defended: bool,
    /// Whether two batteries may engage one threat at once.
    pub double_engagement: bool,
    /// Kill probability that the `cost-aware` policy requires of a salvo.
    pub required_kill_probability: f64,
    /// Probability that a kill assessment sees a surviving threat as alive.
    pub kill_assessment_probability: ParamId,
    /// Every parameter that a run may draw from its range.
    pub parameters: Parameters,
    /// Civil warning zones and policy, when the scenario asks for them.
    pub warning: Option<WarningPlan>,
    /// Wall time that [`crate::prepare`] took, s (a measurement, not part of the model).
    pub prepare_s: f64,
    /// For an abstract scenario, how its runs draw: [`crate::Replication::run`] then plays them
    /// with the abstract kernel instead of the battle manager. `None` for a layered scenario.
    pub abstract_plan: Option<AbstractPlan>,
}

/// How the runs of an abstract scenario draw. Layer `l` is battery `l`, its engagements the
/// windows of opportunity `l` of the one trajectory, in time order; the sensors are
/// [`SensorKind::Given`].
#[derive(Debug, Clone, PartialEq)]
pub struct AbstractPlan {
    /// Per threat, its key ([`ThreatPlan::key`]), side by side for the kernel's passes.
    pub threat_keys: Vec<u64>,
    /// Per sensor, the key of its tracking draws (its id's).
    pub sensor_keys: Vec<u64>,
    /// Per layer, the sensor whose track it fires on.
    pub layer_sensor: Vec<usize>,
    /// Per layer and engagement, the key of the engagement's kill and assessment draws (the
    /// layer's id and the engagement's index).
    pub engagement_keys: Vec<Vec<u64>>,
    /// The ends of a threat, before its shots and leak cause: its impact, then a kill by each
    /// engagement in turn (layer by layer, as [`AbstractPlan::engagement_keys`]).
    pub ends: Vec<ThreatOutcome>,
}

/// A parameter that a run may draw from its range: an index into [`Parameters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamId(pub u32);

/// The parameters of a prepared scenario that carry a `{low, nominal, high}` range.
#[derive(Debug, Clone, Default)]
pub struct Parameters {
    ranges: Vec<Uncertain>,
    names: Vec<String>,
    keys: Vec<u64>,
}

impl Parameters {
    /// Registers a parameter.
    pub fn add(&mut self, name: String, range: Uncertain) -> ParamId {
        self.ranges.push(range);
        self.keys.push(key_of(&name));
        self.names.push(name);
        ParamId(self.ranges.len() as u32 - 1)
    }

    /// The range of parameter `id`.
    pub fn range(&self, id: ParamId) -> Uncertain {
        self.ranges[id.0 as usize]
    }

    /// Its name (`<element id> <parameter>`).
    pub fn name(&self, id: ParamId) -> &str {
        &self.names[id.0 as usize]
    }

    /// Every range, in registration order.
    pub fn ranges(&self) -> &[Uncertain] {
        &self.ranges
    }

    /// The key of each parameter's draws (its name's), in registration order.
    pub fn keys(&self) -> &[u64] {
        &self.keys
    }
}

/// Probability that a kill assessment sees a surviving threat as alive. Notional: radars
/// discriminate a missed target from debris most of the time.
pub const KILL_ASSESSMENT_PROBABILITY: f64 = 0.9;
