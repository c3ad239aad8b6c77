//! The prepared scenario: everything computed once and shared by all runs.

use skyshield_core::SimTime;
use skyshield_physics::earth::{
    EFFECTIVE_EARTH_RADIUS_FACTOR, EnuFrame, Geodetic, MEAN_EARTH_RADIUS_M, geodesic_direct,
    radar_horizon_m,
};
use skyshield_physics::earth_model::{EarthModel, Shape as EarthShape};
use skyshield_physics::flight::{self, FlightError, TrajectoryShape, Vehicle};
use skyshield_physics::frame::{Ecef, Vector};
use skyshield_scenario::threat_model::{self, ModelError};
use skyshield_scenario::{
    Aim, Class, LaunchSites, LayeredScenario, ParameterError, ResolvedType, Scenario, ScenarioKind,
    Shape, Uncertain,
};

use crate::geometry::{GroundPoint, PlaneArea};
use crate::zones::WarningPlan;

/// Why a scenario could not be prepared.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PrepareError {
    /// More defended assets than the battle manager tracks.
    #[error("{count} defended assets: at most {max} are supported")]
    TooManyAssets { count: usize, max: usize },
    /// A type lacks a parameter the model needs.
    #[error("{element} `{id}`: {source}")]
    Parameter {
        element: &'static str,
        id: String,
        #[source]
        source: ParameterError,
    },
    /// A threat type cannot be flown.
    #[error("raid group `{group}`: {source}")]
    Model {
        group: String,
        #[source]
        source: ModelError,
    },
    /// No trajectory reaches the aim from a launch site.
    #[error("raid group `{group}`, launch site {site_lat:.3},{site_lon:.3}: {source}")]
    Flight {
        group: String,
        site_lat: f64,
        site_lon: f64,
        #[source]
        source: FlightError,
    },
}

/// Most defended assets of a scenario (the battle manager keeps a set of them in 64 bits).
pub const MAX_ASSETS: usize = 64;

/// The bit of asset `k` in a set of assets ([`MAX_ASSETS`] at most).
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
/// Track age over which the velocity error halves, s. Notional.
pub const PREDICTION_HALVING_S: f64 = 20.0;
/// Smallest prediction error of a mature track, m. Notional.
pub const PREDICTION_FLOOR_M: f64 = 200.0;
/// Duration of the terminal manoeuvre that a manoeuvring threat may fly, s: the prediction
/// error of such a threat keeps `½·a·t²` of it. Notional.
pub const MANOEUVRE_DURATION_S: f64 = 5.0;

/// Scale (one standard deviation per axis) of the impact-point prediction error, m, for a track
/// of age `track_age_s` of a threat `time_to_go_s` from impact that can manoeuvre at
/// `manoeuvre_g`: the track's velocity error, which shrinks as the track ages, carried over the
/// time to go, no less than a mature track's floor; plus what a manoeuvre can add.
pub fn prediction_sigma_m(track_age_s: f64, time_to_go_s: f64, manoeuvre_g: f64) -> f64 {
    let velocity_m_s = PREDICTION_VELOCITY_SIGMA0_M_S * PREDICTION_HALVING_S
        / (PREDICTION_HALVING_S + track_age_s.max(0.0));
    let track = (velocity_m_s * time_to_go_s.max(0.0)).max(PREDICTION_FLOOR_M);
    let manoeuvre = 0.5
        * manoeuvre_g
        * skyshield_physics::ballistic::STANDARD_GRAVITY_M_S2
        * MANOEUVRE_DURATION_S.powi(2);
    track + manoeuvre
}

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
    /// Its nominal trajectory.
    pub trajectory: usize,
    /// Planned launch time, s from the scenario's time origin.
    pub launch_s: f64,
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
    /// Assets it defends, bit k for asset k; 0: all.
    pub defends: u64,
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
}

/// Every engagement window of one battery against one trajectory, in time order.
#[derive(Debug, Clone)]
pub struct Opportunity {
    pub battery: usize,
    pub windows: Vec<Window>,
    /// Per window, the latest `launch` of it and all earlier ones (non-decreasing, so the first
    /// window still open at a time is found by bisection), and its own `launch`: a compact copy
    /// of what a decision reads of every window it looks at, which keeps it in cache.
    pub launches: Vec<(SimTime, SimTime)>,
}

impl Opportunity {
    /// The opportunity of `battery` over `windows` (in time order).
    pub fn new(battery: usize, windows: Vec<Window>) -> Self {
        let launches = windows
            .iter()
            .scan(SimTime(i64::MIN), |latest, w| {
                *latest = (*latest).max(w.launch);
                Some((*latest, w.launch))
            })
            .collect();
        Self {
            battery,
            windows,
            launches,
        }
    }
}

/// The time intervals in which a sensor sees a trajectory, s since launch.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub sensor: usize,
    pub intervals: Vec<(f64, f64)>,
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
    pub network: bool,
    pub shoot_look_shoot: bool,
    pub engage_only_defended: bool,
    pub reserve_fraction: ParamId,
    /// Probability that a kill assessment sees a surviving threat as alive.
    pub kill_assessment_probability: ParamId,
    /// Every parameter that a run may draw from its range.
    pub parameters: Parameters,
    /// Civil warning zones and policy, when the scenario asks for them.
    pub warning: Option<WarningPlan>,
    /// Wall time that [`prepare`] took, s (a measurement, not part of the model).
    pub prepare_s: f64,
}

/// A parameter that a run may draw from its range: an index into [`Parameters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamId(pub u32);

/// The parameters of a prepared scenario that carry a `{low, nominal, high}` range.
#[derive(Debug, Clone, Default)]
pub struct Parameters {
    ranges: Vec<Uncertain>,
    names: Vec<String>,
}

impl Parameters {
    /// Registers a parameter.
    pub fn add(&mut self, name: String, range: Uncertain) -> ParamId {
        self.ranges.push(range);
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
}

/// Probability that a kill assessment sees a surviving threat as alive. Notional: radars
/// discriminate a missed target from debris most of the time.
pub const KILL_ASSESSMENT_PROBABILITY: f64 = 0.9;

/// Kill-probability factor against the crossing angle between interceptor and threat: 1
/// head-on, falling to 0.5 in a tail chase (notional: `0.75 + 0.25·cos θ`).
fn crossing_factor(cos_head_on: f64) -> f64 {
    0.75 + 0.25 * cos_head_on.clamp(-1.0, 1.0)
}

fn uncertain<'a>(
    element: &'static str,
    id: &'a str,
) -> impl Fn(Result<Uncertain, ParameterError>) -> Result<Uncertain, PrepareError> + 'a {
    move |r| {
        r.map_err(|source| PrepareError::Parameter {
            element,
            id: id.to_string(),
            source,
        })
    }
}

fn param<'a>(
    element: &'static str,
    id: &'a str,
) -> impl Fn(Result<Uncertain, ParameterError>) -> Result<f64, PrepareError> + 'a {
    let uncertain = uncertain(element, id);
    move |r| uncertain(r).map(|u| u.nominal)
}

/// Sites of a raid group, in the order rounds are shared among them.
fn launch_sites(sites: &LaunchSites) -> Vec<Geodetic> {
    match sites {
        LaunchSites::Points(points) => points.clone(),
        LaunchSites::Area {
            center,
            radius_m,
            sites,
        } => {
            // A sunflower (Vogel) spiral spreads the sites evenly over the disc.
            let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
            (0..*sites)
                .map(|j| {
                    let r = radius_m * ((j as f64 + 0.5) / *sites as f64).sqrt();
                    let azimuth = (j as f64 * golden).to_degrees();
                    geodesic_direct(center, azimuth, r)
                })
                .collect()
        }
    }
}

/// Prepares a scenario: trajectories, coverage, engagement windows (for an abstract scenario,
/// their geometry-free equivalents).
pub fn prepare(scenario: &Scenario) -> Result<Prepared, PrepareError> {
    let start = std::time::Instant::now();
    let mut prepared = match &scenario.kind {
        ScenarioKind::Layered(layered) => prepare_layered(scenario, layered)?,
        ScenarioKind::Abstract(a) => crate::abstract_kind::prepare(scenario, a),
    };
    prepared.prepare_s = start.elapsed().as_secs_f64();
    Ok(prepared)
}

fn prepare_layered(
    scenario: &Scenario,
    layered: &LayeredScenario,
) -> Result<Prepared, PrepareError> {
    if layered.assets.len() > MAX_ASSETS {
        return Err(PrepareError::TooManyAssets {
            count: layered.assets.len(),
            max: MAX_ASSETS,
        });
    }
    let earth = match layered.earth.model {
        skyshield_scenario::EarthModel::Sphere => EarthModel {
            shape: EarthShape::Sphere,
            rotation: layered.earth.rotation,
            j2: false,
            atmosphere: layered.earth.atmosphere,
        },
        skyshield_scenario::EarthModel::Wgs84 => EarthModel {
            shape: EarthShape::Wgs84,
            rotation: layered.earth.rotation,
            j2: true,
            atmosphere: layered.earth.atmosphere,
        },
    };

    // Threat types, trajectories and rounds.
    let mut params = Parameters::default();
    let mut types = Vec::new();
    let mut jobs = Vec::new();
    let mut threats = Vec::new();
    for (g, group) in layered.raid.iter().enumerate() {
        let t = &group.threat;
        let p = param("raid group", &group.id);
        let u = uncertain("raid group", &group.id);
        let manoeuvre_g = if t.class.is_rocket_powered() {
            p(t.number("terminal_manoeuvre_g"))?
        } else {
            0.0
        };
        types.push(ThreatType {
            group: group.id.clone(),
            type_id: t.id.clone(),
            class: t.class,
            reliability: params.add(
                format!("{} reliability", group.id),
                u(t.number("reliability"))?,
            ),
            cep_m: params.add(format!("{} cep_m", group.id), group.cep_m),
            rcs_m2: p(t.number("rcs_m2"))?,
            cost_usd: p(t.number("cost_usd"))?,
            manoeuvre_g,
        });
        let vehicle =
            threat_model::vehicle(t, |u| u.nominal).map_err(|source| PrepareError::Model {
                group: group.id.clone(),
                source,
            })?;
        let aim = match &group.aim {
            Aim::Asset(i) => layered.assets[*i].area.aim_point(),
            Aim::Point(p) => *p,
        };
        let apogee_m = group.apogee_m.map(|u| u.nominal);
        let shape = match group.shape {
            Some(Shape::Lofted) => TrajectoryShape::Lofted { apogee_m },
            Some(Shape::Depressed) => TrajectoryShape::Depressed { apogee_m },
            _ => TrajectoryShape::MinEnergy,
        };
        let sites = launch_sites(&group.sites);
        let first = jobs.len();
        for site in sites.iter().copied() {
            jobs.push(FlightJob {
                group: g,
                vehicle: vehicle.clone(),
                site,
                aim,
                shape,
            });
        }
        let (t0, t1) = group.window_s;
        for i in 0..group.count {
            let launch_s = t0 + (t1 - t0) * (i as f64 + 0.5) / group.count as f64;
            threats.push(ThreatPlan {
                group: g,
                trajectory: first + i as usize % sites.len().max(1),
                launch_s,
            });
        }
    }

    let trajectories = fly_all(&jobs, layered, &earth)?;

    // Sensors.
    let mut sensors = Vec::new();
    let mut radar_geometry = Vec::new();
    let raid_centre = raid_centroid(&trajectories);
    for s in &layered.sensors {
        let t = &s.sensor_type;
        let p = param("sensor", &s.id);
        let u = uncertain("sensor", &s.id);
        let kind = if t.class == Class::SpaceIr {
            radar_geometry.push(None);
            SensorKind::SpaceIr {
                latency_s: params.add(format!("{} latency_s", s.id), u(t.number("latency_s"))?),
                detection_probability: params.add(
                    format!("{} detection_probability", s.id),
                    u(t.number("detection_probability"))?,
                ),
                min_burn_time_s: p(t.number("min_burn_time_s"))?,
            }
        } else {
            let antenna = p(t.number("antenna_height_m"))?;
            let site = s.position.unwrap_or(raid_centre);
            let site = site.with_height_m(site.height_m() + antenna);
            let sector = p(t.number("azimuth_sector_deg"))?.to_radians();
            let facing = s.facing_rad.unwrap_or_else(|| {
                skyshield_physics::earth::geodesic_inverse(&site, &raid_centre)
                    .azimuth1_deg
                    .to_radians()
            });
            let reference_rcs = p(t.number("reference_rcs_m2"))?;
            let range_ref = p(t.number_si("detection_range_km"))?;
            radar_geometry.push(Some(RadarGeometry {
                frame: EnuFrame::at(site),
                antenna_m: site.height_m(),
                half_sector_rad: 0.5 * sector,
                facing_rad: facing,
                min_el_rad: p(t.number("min_elevation_deg"))?.to_radians(),
                max_el_rad: p(t.number("max_elevation_deg"))?.to_radians(),
            }));
            SensorKind::Radar {
                position: site.to_ecef(),
                range_1m2_m: range_ref / reference_rcs.powf(0.25),
                scan_period_s: p(t.number("scan_period_s"))?,
                detection_probability: params.add(
                    format!("{} detection_probability", s.id),
                    u(t.number("detection_probability"))?,
                ),
                detections_to_track: p(t.number("detections_to_track"))?.round().max(1.0) as u32,
                track_capacity: p(t.number("track_capacity"))?.round().max(1.0) as u32,
            }
        };
        sensors.push(Sensor {
            id: s.id.clone(),
            type_id: t.id.clone(),
            kind,
        });
    }

    // Batteries.
    let mut batteries = Vec::new();
    for b in &layered.batteries {
        let t: &ResolvedType = &b.interceptor;
        let p = param("battery", &b.id);
        let u = uncertain("battery", &b.id);
        let mut kill_probability = [ParamId(0); 5];
        for (k, class) in CLASSES.iter().enumerate() {
            kill_probability[k] = params.add(
                format!("{} kill_probability_{}", b.id, class.name()),
                u(t.kill_probability(*class))?,
            );
        }
        let tier = match t.text("tier") {
            Ok("upper") => 0,
            Ok("mid") => 1,
            _ => 2,
        };
        batteries.push(BatteryBuild {
            battery: Battery {
                id: b.id.clone(),
                type_id: t.id.clone(),
                tier,
                position: b.position,
                rounds: b.rounds,
                fire_channels: b.fire_channels,
                salvo: layered.command.doctrine.shots_per_engagement,
                reaction_s: params.add(
                    format!("{} reaction_time_s", b.id),
                    u(t.number("reaction_time_s"))?,
                ),
                cost_usd: p(t.number("cost_usd"))?,
                kill_probability,
                manoeuvre_kill_factor: params.add(
                    format!("{} manoeuvre_kill_factor", b.id),
                    u(t.number("manoeuvre_kill_factor"))?,
                ),
                radar: b.radar,
                defends: b.defends.iter().fold(0, |m, &a| m | asset_bit(a)),
            },
            envelope: Envelope {
                frame: EnuFrame::at(b.position),
                min_alt_m: p(t.number_si("min_altitude_km"))?,
                max_alt_m: p(t.number_si("max_altitude_km"))?,
                min_range_m: p(t.number_si("min_range_km"))?,
                max_range_m: p(t.number_si("max_range_km"))?,
                speed_m_s: p(t.number("speed_m_s"))?,
                min_flight_s: p(t.number("min_flight_time_s"))?,
            },
        });
    }

    // Coverage and engagement windows, for the pairs within reach (bounding-sphere test first).
    let bounds: Vec<(Vector<Ecef>, f64)> = trajectories.iter().map(bounding_sphere).collect();
    let mut coverage = Vec::with_capacity(trajectories.len());
    let mut opportunities = Vec::with_capacity(trajectories.len());
    for (tr, traj) in trajectories.iter().enumerate() {
        let class = types[traj.group].class;
        let rcs = types[traj.group].rcs_m2;
        let (centre, radius) = bounds[tr];
        let mut cov = Vec::new();
        for (s, sensor) in sensors.iter().enumerate() {
            let intervals = match (&sensor.kind, &radar_geometry[s]) {
                (
                    SensorKind::SpaceIr {
                        min_burn_time_s, ..
                    },
                    _,
                ) => match traj.burnout_s {
                    Some(burn) if burn >= *min_burn_time_s => vec![(0.0, burn)],
                    _ => Vec::new(),
                },
                (
                    SensorKind::Radar {
                        position,
                        range_1m2_m,
                        ..
                    },
                    Some(geo),
                ) => {
                    let range = range_1m2_m * rcs.powf(0.25);
                    if (*position - centre).norm() > range + radius {
                        continue;
                    }
                    radar_intervals(traj, geo, range)
                }
                _ => Vec::new(),
            };
            if !intervals.is_empty() {
                cov.push(Coverage {
                    sensor: s,
                    intervals,
                });
            }
        }
        coverage.push(cov);
        let mut opp = Vec::new();
        for (b, build) in batteries.iter().enumerate() {
            if params.range(build.battery.kill_probability(class)).high <= 0.0 {
                continue;
            }
            let reach = build.envelope.max_range_m.hypot(build.envelope.max_alt_m);
            if (build.envelope.frame.origin_ecef() - centre).norm() > reach + radius {
                continue;
            }
            let windows = build.envelope.windows(traj);
            if !windows.is_empty() {
                opp.push(Opportunity::new(b, windows));
            }
        }
        opportunities.push(opp);
    }

    let doctrine = &layered.command.doctrine;
    let reserve_fraction = params.add("reserve_fraction".into(), doctrine.reserve_fraction);
    let decision_latency = params.add(
        "decision_latency_s".into(),
        layered.command.decision_latency_s,
    );
    let kill_assessment_probability = params.add(
        "kill_assessment_probability".into(),
        Uncertain::exact(KILL_ASSESSMENT_PROBABILITY),
    );
    let warning = layered
        .warning
        .as_ref()
        .map(|w| crate::zones::plan(w, layered, &trajectories, &types, &opportunities, &params));
    Ok(Prepared {
        name: scenario.name.clone(),
        seed: scenario.seed,
        runs: scenario.runs,
        start: scenario.start,
        earth,
        types,
        trajectories,
        threats,
        asset_ids: layered.assets.iter().map(|a| a.id.clone()).collect(),
        asset_values: layered.assets.iter().map(|a| a.value).collect(),
        sensors,
        batteries: batteries.into_iter().map(|b| b.battery).collect(),
        coverage,
        opportunities,
        decision_latency_s: layered.command.decision_latency_s.nominal,
        decision_latency,
        network: layered.command.network,
        shoot_look_shoot: doctrine.shoot_look_shoot,
        engage_only_defended: doctrine.engage_only_defended,
        reserve_fraction,
        kill_assessment_probability,
        parameters: params,
        prepare_s: 0.0,
        warning,
    })
}

/// One nominal trajectory to solve.
struct FlightJob {
    group: usize,
    vehicle: Vehicle,
    site: Geodetic,
    aim: Geodetic,
    shape: TrajectoryShape,
}

/// Solves every nominal trajectory, in parallel on the machine's cores (each solve is
/// independent and deterministic, so the result does not depend on the number of threads).
fn fly_all(
    jobs: &[FlightJob],
    layered: &LayeredScenario,
    earth: &EarthModel,
) -> Result<Vec<Trajectory>, PrepareError> {
    let solve = |job: &FlightJob| -> Result<Trajectory, PrepareError> {
        let group = &layered.raid[job.group];
        let f = flight::fly(
            &job.vehicle,
            earth,
            &job.site,
            &group.route,
            &job.aim,
            job.shape,
        )
        .map_err(|source| PrepareError::Flight {
            group: group.id.clone(),
            site_lat: job.site.lat_deg(),
            site_lon: job.site.lon_deg(),
            source,
        })?;
        let mut traj = sampled(job.group, &job.site, &job.aim, &f);
        let frame = EnuFrame::at(f.impact.with_height_m(0.0));
        traj.assets = layered
            .assets
            .iter()
            .map(|a| PlaneArea::new(&a.area, &frame))
            .collect();
        Ok(traj)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let per_thread = jobs.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<Vec<Result<Trajectory, PrepareError>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(per_thread)
            .map(|chunk| scope.spawn(move || chunk.iter().map(solve).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    parts.into_iter().flatten().collect()
}

/// A flight sampled every second, as a trajectory table.
///
/// The engine's geometry (radars, batteries, assets, these positions) is on the WGS84 ellipsoid
/// whatever Earth model the flight was solved with: a flight over the sphere keeps its
/// latitudes, longitudes and heights, placed on the ellipsoid.
fn sampled(group: usize, launch: &Geodetic, aim: &Geodetic, f: &flight::Flight) -> Trajectory {
    let mut positions = Vec::with_capacity(f.samples.len());
    let mut heights_m = Vec::with_capacity(f.samples.len());
    let mut times_s = Vec::with_capacity(f.samples.len());
    for s in &f.samples {
        let g = Geodetic::from_radians_unchecked(
            s.lat_deg.to_radians(),
            s.lon_deg.to_radians(),
            s.alt_m,
        );
        positions.push(g.to_ecef());
        heights_m.push(s.alt_m);
        times_s.push(s.t_s);
    }
    Trajectory {
        group,
        launch: *launch,
        aim: *aim,
        impact: GroundPoint::new(f.impact),
        assets: Vec::new(),
        flight_time_s: f.flight_time_s,
        apogee_m: f.apogee_m,
        burnout_s: f.burnout.map(|b| b.time_s),
        positions,
        heights_m,
        times_s,
    }
}

/// Centre and radius of a sphere holding every sample of a trajectory.
fn bounding_sphere(t: &Trajectory) -> (Vector<Ecef>, f64) {
    let n = t.positions.len().max(1) as f64;
    let centre = t.positions.iter().fold(Vector::zero(), |acc, p| acc + *p) / n;
    let radius = t
        .positions
        .iter()
        .map(|p| (*p - centre).norm())
        .fold(0.0, f64::max);
    (centre, radius)
}

/// The point the radars without a position of their own, and the facing of radars without a
/// boresight, refer to: the mean launch site of the raid.
fn raid_centroid(trajectories: &[Trajectory]) -> Geodetic {
    if trajectories.is_empty() {
        return Geodetic::from_radians_unchecked(0.0, 0.0, 0.0);
    }
    let n = trajectories.len() as f64;
    let sum = trajectories
        .iter()
        .fold(Vector::<Ecef>::zero(), |acc, t| acc + t.launch.to_ecef());
    let g = Geodetic::from_ecef(sum / n);
    g.with_height_m(0.0)
}

struct RadarGeometry {
    frame: EnuFrame,
    antenna_m: f64,
    half_sector_rad: f64,
    facing_rad: f64,
    min_el_rad: f64,
    max_el_rad: f64,
}

/// Intervals in which a radar sees a trajectory: within range for the threat's RCS, inside its
/// azimuth sector and elevation limits, and above the 4/3-Earth radio horizon.
fn radar_intervals(t: &Trajectory, g: &RadarGeometry, range_m: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut open: Option<f64> = None;
    let mut last_t = 0.0;
    for (i, p) in t.positions.iter().enumerate() {
        let look = g.frame.azimuth_elevation_range(*p);
        let off = (look.azimuth_rad - g.facing_rad + std::f64::consts::PI)
            .rem_euclid(std::f64::consts::TAU)
            - std::f64::consts::PI;
        // Apparent elevation over the 4/3 effective Earth: refraction lifts a target at range d
        // by about d·(1 − 1/k)/(2R) (Skolnik, ch. 8).
        let apparent_el = look.elevation_rad
            + look.range_m * (1.0 - 1.0 / EFFECTIVE_EARTH_RADIUS_FACTOR)
                / (2.0 * MEAN_EARTH_RADIUS_M);
        let visible = look.range_m <= range_m
            && (g.half_sector_rad >= std::f64::consts::PI || off.abs() <= g.half_sector_rad)
            && look.elevation_rad <= g.max_el_rad
            && apparent_el >= g.min_el_rad
            && look.range_m <= radar_horizon_m(g.antenna_m, t.heights_m[i]);
        let ti = t.times_s[i];
        match (visible, open) {
            (true, None) => open = Some(ti),
            (false, Some(start)) => {
                out.push((start, last_t));
                open = None;
            }
            _ => {}
        }
        last_t = ti;
    }
    if let Some(start) = open {
        out.push((start, last_t));
    }
    out
}

struct Envelope {
    frame: EnuFrame,
    min_alt_m: f64,
    max_alt_m: f64,
    min_range_m: f64,
    max_range_m: f64,
    speed_m_s: f64,
    min_flight_s: f64,
}

impl Envelope {
    /// Every sample of the trajectory inside the envelope, as engagement windows.
    fn windows(&self, t: &Trajectory) -> Vec<Window> {
        let mut out = Vec::new();
        let last = t.positions.len().saturating_sub(1);
        for i in 1..last {
            let h = t.heights_m[i];
            if h < self.min_alt_m || h > self.max_alt_m {
                continue;
            }
            let rel = self.frame.position_to_enu(t.positions[i]);
            let ground = rel.x.hypot(rel.y);
            if ground < self.min_range_m || ground > self.max_range_m {
                continue;
            }
            let line = t.positions[i] - self.frame.origin_ecef();
            let slant = line.norm();
            let flyout = (slant / self.speed_m_s).max(self.min_flight_s);
            let head_on = -line.unit().dot(t.velocity(i).unit());
            let ground = GroundPoint::new(Geodetic::from_ecef(t.positions[i]).with_height_m(0.0));
            out.push(Window {
                intercept: SimTime::from_s(t.times_s[i]),
                launch: SimTime::from_s(t.times_s[i] - flyout),
                crossing_factor: crossing_factor(head_on),
                ground,
                height_m: h,
            });
        }
        out
    }
}

struct BatteryBuild {
    battery: Battery,
    envelope: Envelope,
}
