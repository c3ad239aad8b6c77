//! The validated scenario ([`Scenario`]): what the engine reads.
//!
//! Everything here has been checked: references are indices into the scenario's own lists,
//! catalog types are resolved with their overrides, positions are [`Geodetic`] (checked by
//! the physics crate), and quantities are SI (metres, seconds, radians) unless their name says
//! otherwise. Catalog parameters in [`ResolvedType`] keep the unit of their key; read them in SI
//! with [`ResolvedType::number_si`].

use std::path::PathBuf;

use skyshield_physics::earth::Geodetic;

use crate::catalog::ResolvedType;
use crate::params::{InterceptorParams, SensorParams, ThreatParams};
use crate::uncertain::Uncertain;

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Short title.
    pub name: String,
    /// What it represents.
    pub description: Option<String>,
    /// Citations of the figures.
    pub sources: Vec<String>,
    /// Master seed of the random streams.
    pub seed: u64,
    /// Number of Monte Carlo replications.
    pub runs: u64,
    /// Calendar time of the scenario's time zero, when given.
    pub start: Option<jiff::Timestamp>,
    /// The body of the scenario.
    pub kind: ScenarioKind,
    /// Figures reported for the event it reconstructs.
    pub reported: Vec<crate::reported::ReportedFigure>,
    /// Days of raids with state carried over, when the scenario is a campaign.
    pub campaign: Option<Campaign>,
}

impl Scenario {
    /// The layered scenario, when it is one.
    pub fn as_layered(&self) -> Option<&LayeredScenario> {
        match &self.kind {
            ScenarioKind::Layered(l) => Some(l),
            ScenarioKind::Abstract(_) => None,
        }
    }

    /// The abstract scenario, when it is one.
    pub fn as_abstract(&self) -> Option<&AbstractScenario> {
        match &self.kind {
            ScenarioKind::Abstract(a) => Some(a),
            ScenarioKind::Layered(_) => None,
        }
    }
}

/// What a scenario describes.
#[derive(Debug, Clone, PartialEq)]
pub enum ScenarioKind {
    /// Geometry, sensors, batteries and a raid.
    Layered(Box<LayeredScenario>),
    /// Threats against layers with probabilities, no geometry.
    Abstract(AbstractScenario),
}

/// A raid against a layered defense on the Earth.
#[derive(Debug, Clone, PartialEq)]
pub struct LayeredScenario {
    /// Earth model.
    pub earth: Earth,
    /// Defended places.
    pub assets: Vec<Asset>,
    /// Sensors.
    pub sensors: Vec<Sensor>,
    /// Interceptor batteries.
    pub batteries: Vec<Battery>,
    /// Command and control.
    pub command: Command,
    /// Raid groups, in file order.
    pub raid: Vec<RaidGroup>,
    /// Civil warning, when asked for.
    pub warning: Option<Warning>,
}

impl LayeredScenario {
    /// Index of the asset with this id.
    pub fn asset_index(&self, id: &str) -> Option<usize> {
        self.assets.iter().position(|a| a.id == id)
    }

    /// Index of the sensor with this id.
    pub fn sensor_index(&self, id: &str) -> Option<usize> {
        self.sensors.iter().position(|s| s.id == id)
    }

    /// Total number of threats in the raid.
    pub fn threat_count(&self) -> u64 {
        self.raid.iter().map(|g| u64::from(g.count)).sum()
    }
}

/// The Earth model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Earth {
    /// Figure of the Earth.
    pub model: EarthModel,
    /// Rotating frame terms on.
    pub rotation: bool,
    /// Atmosphere (drag) on.
    pub atmosphere: bool,
}

impl Default for Earth {
    fn default() -> Self {
        Self {
            model: EarthModel::Wgs84,
            rotation: true,
            atmosphere: true,
        }
    }
}

/// Figure of the Earth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarthModel {
    /// WGS84 ellipsoid.
    Wgs84,
    /// Sphere of the mean Earth radius.
    Sphere,
}

/// A defended place.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    /// Id.
    pub id: String,
    /// What it is.
    pub kind: AssetKind,
    /// Its ground area.
    pub area: Area,
    /// People living there.
    pub population: u64,
    /// Relative value for threat evaluation.
    pub value: f64,
    /// Share of a hit's harm that its protection absorbs, in [0, 1).
    pub hardness: f64,
}

pub use crate::file::AssetKind;

/// A ground area.
#[derive(Debug, Clone, PartialEq)]
pub enum Area {
    /// A circle.
    Circle {
        /// Centre.
        center: Geodetic,
        /// Radius, m.
        radius_m: f64,
    },
    /// A polygon (vertices in order, not closed: the last joins the first).
    Polygon {
        /// Vertices, at least three.
        vertices: Vec<Geodetic>,
        /// Mean of the vertices (longitudes taken across the antimeridian where needed);
        /// adequate for the small areas of assets.
        centroid: Geodetic,
    },
}

impl Area {
    /// The point a threat aimed at the area is aimed at: the centre of a circle, the centroid
    /// of a polygon.
    pub fn aim_point(&self) -> Geodetic {
        match self {
            Area::Circle { center, .. } => *center,
            Area::Polygon { centroid, .. } => *centroid,
        }
    }
}

/// A sensor.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensor {
    /// Id.
    pub id: String,
    /// Its type with overrides (class `radar` or `space_ir`).
    pub sensor_type: ResolvedType,
    /// What the engine reads of its type.
    pub params: SensorParams,
    /// Position of a radar; `None` for a space-based sensor.
    pub position: Option<Geodetic>,
    /// Boresight azimuth, rad clockwise from north, in [0, 2π); `None` for all-round or
    /// space-based sensors.
    pub facing_rad: Option<f64>,
}

/// An interceptor battery.
#[derive(Debug, Clone, PartialEq)]
pub struct Battery {
    /// Id.
    pub id: String,
    /// Its interceptor type with overrides.
    pub interceptor: ResolvedType,
    /// What the engine reads of its interceptor type.
    pub params: InterceptorParams,
    /// Position.
    pub position: Geodetic,
    /// Launchers.
    pub launchers: u32,
    /// Ready rounds in all.
    pub rounds: u32,
    /// Simultaneous engagements.
    pub fire_channels: u32,
    /// Index of its radar in [`LayeredScenario::sensors`].
    pub radar: Option<usize>,
    /// Indices of the assets it defends in [`LayeredScenario::assets`]; empty: any.
    pub defends: Vec<usize>,
    /// Whether it may fire on other sensors' tracks.
    pub remote_tracks: bool,
    /// Delay of a remote track reaching it, s.
    pub network_delay_s: Uncertain,
    /// Rounds in its depot.
    pub depot_rounds: u32,
    /// Fraction of its ready rounds held back for threats that no other battery can engage,
    /// in [0, 1).
    pub reserve_fraction: Uncertain,
}

/// Command and control.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// Time from a track to a decision, s.
    pub decision_latency_s: Uncertain,
    /// Whether batteries may engage on any sensor's track (unless a battery says otherwise).
    pub network: bool,
    /// Delay of a remote track reaching a battery, s (unless a battery says otherwise).
    pub network_delay_s: Uncertain,
    /// Weapon-target assignment policy.
    pub policy: Policy,
    /// Doctrine.
    pub doctrine: Doctrine,
}

/// Engagement doctrine.
#[derive(Debug, Clone, PartialEq)]
pub struct Doctrine {
    /// Interceptors per engagement.
    pub shots_per_engagement: u32,
    /// Look before firing again.
    pub shoot_look_shoot: bool,
    /// Engage only threats predicted to hit a defended asset.
    pub engage_only_defended: bool,
    /// Fraction of each battery's rounds held back, in [0, 1).
    pub reserve_fraction: Uncertain,
    /// Reserve fractions of the batteries of each tier (order of [`crate::Tier::ALL`]), in
    /// place of `reserve_fraction` where given.
    pub reserve_by_tier: [Option<Uncertain>; 3],
    /// Whether two batteries may engage one threat at once.
    pub double_engagement: bool,
    /// Kill probability that the `cost-aware` policy requires of a salvo.
    pub required_kill_probability: f64,
}

/// A group of threats of one type.
#[derive(Debug, Clone, PartialEq)]
pub struct RaidGroup {
    /// Id.
    pub id: String,
    /// Threat type with overrides.
    pub threat: ResolvedType,
    /// What the engine reads of its threat type.
    pub params: ThreatParams,
    /// Rounds fired.
    pub count: u32,
    /// Launch sites.
    pub sites: LaunchSites,
    /// Launch pulses in file order (a group written with `window_s` is one pulse of all its
    /// rounds); their counts sum to `count`. Rounds are numbered across the pulses in order and
    /// shared among the sites in turn by that number.
    pub pulses: Vec<LaunchPulse>,
    /// What it is aimed at.
    pub aim: Aim,
    /// Trajectory shape for rocket-powered classes; `None` for cruise missiles and drones.
    pub shape: Option<Shape>,
    /// Requested apogee of a lofted or depressed trajectory, m.
    pub apogee_m: Option<Uncertain>,
    /// Circular error probable, m (the type's `cep_m` unless overridden).
    pub cep_m: Uncertain,
    /// Waypoints of a cruise missile or drone.
    pub route: Vec<Geodetic>,
}

/// A pulse of launches: `count` rounds spread evenly over `window_s`, round `j` of the pulse
/// at `start + (end - start) (j + 1/2) / count`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LaunchPulse {
    /// Window `(start, end)`, s from time zero; start <= end.
    pub window_s: (f64, f64),
    /// Rounds launched in it, >= 1.
    pub count: u32,
}

pub use crate::file::{MAX_ASSETS, MAX_PULSES, Policy, Shape};

/// Where a raid group is launched from.
#[derive(Debug, Clone, PartialEq)]
pub enum LaunchSites {
    /// Listed sites; rounds are shared among them in turn.
    Points(Vec<Geodetic>),
    /// `sites` sites placed in a circular area.
    Area {
        /// Centre.
        center: Geodetic,
        /// Radius, m.
        radius_m: f64,
        /// Number of sites.
        sites: u32,
    },
}

impl LaunchSites {
    /// Number of sites.
    pub fn count(&self) -> u64 {
        match self {
            LaunchSites::Points(points) => points.len() as u64,
            LaunchSites::Area { sites, .. } => u64::from(*sites),
        }
    }
}

/// What a raid group is aimed at.
#[derive(Debug, Clone, PartialEq)]
pub enum Aim {
    /// An asset, by index in [`LayeredScenario::assets`].
    Asset(usize),
    /// A point.
    Point(Geodetic),
}

/// Civil warning: the zones, and the policy that sounds their sirens.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// The zones.
    pub zones: WarningZones,
    /// Probability that the siren region of a prediction holds the impact point.
    pub confidence: f64,
    /// Lead time the siren policy aims for, s.
    pub min_lead_s: f64,
    /// Whether debris of intercepted threats is warned for.
    pub warn_debris: bool,
    /// Time people stay sheltered after the last impact of an alert, s.
    pub all_clear_s: f64,
}

/// How warning zones are made.
#[derive(Debug, Clone, PartialEq)]
pub enum WarningZones {
    /// A grid of cells over assets.
    Grid {
        /// Cell size, m: the side of a square, the width across flats of a hexagon.
        cell_m: f64,
        /// Cell shape.
        shape: GridShape,
        /// Indices of the assets covered.
        over: Vec<usize>,
        /// Time to reach shelter, s.
        shelter_time_s: Uncertain,
    },
    /// Polygons from a GeoJSON file, read and checked.
    GeoJson {
        /// Where the file was read from, as the [`crate::FileResolver`] gives it (for a
        /// [`crate::FolderResolver`], the scenario's folder joined with the path).
        path: PathBuf,
        /// Its zones, in feature order.
        zones: Vec<WarningZone>,
    },
}

pub use crate::file::GridShape;

/// A warning zone: an area whose people are warned together.
#[derive(Debug, Clone, PartialEq)]
pub struct WarningZone {
    /// Unique name.
    pub name: String,
    /// People in the zone.
    pub population: f64,
    /// Time its people need to reach shelter, s.
    pub shelter_time_s: f64,
    /// Its area: polygons, each an outer ring and its holes, each ring without the closing
    /// repetition of its first vertex (heights 0).
    pub polygons: Vec<Vec<Vec<Geodetic>>>,
}

/// An abstract scenario: threats against layers, no geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct AbstractScenario {
    /// Number of threats.
    pub threats: u32,
    /// Tracking model.
    pub tracking: Tracking,
    /// Probability that a threat is tracked (`Common`: by the one shared track).
    pub tracking_probability: Uncertain,
    /// Probability that a kill assessment is correct.
    pub kill_assessment_probability: Uncertain,
    /// Layers, outermost first.
    pub layers: Vec<Layer>,
}

pub use crate::file::Tracking;

/// A layer of an abstract scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Id.
    pub id: String,
    /// Single-shot kill probability of an interceptor that works.
    pub kill_probability: Uncertain,
    /// Probability that an interceptor works.
    pub reliability: Uncertain,
    /// Interceptors per engagement.
    pub shots_per_engagement: u32,
    /// Engagement opportunities per threat.
    pub engagements: u32,
    /// Probability that the layer tracks a threat (with `Tracking::Common`, the scenario's).
    pub tracking_probability: Uncertain,
    /// Interceptors available; `None`: unlimited.
    pub rounds: Option<u32>,
}

/// A campaign: the scenario's raid played day after day (see [`crate::file::Campaign`]).
/// Threat types are indices into [`Campaign::threat_types`], interceptor types into
/// [`Campaign::interceptor_types`], raid groups and batteries into the layered scenario's
/// `raid` and `batteries`.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// Number of days.
    pub days: u32,
    /// What each day launches, day 1 first (`days` entries).
    pub raids: Vec<DayRaid>,
    /// The distinct threat types of the raid groups, sorted.
    pub threat_types: Vec<String>,
    /// Per raid group, its threat type.
    pub group_type: Vec<usize>,
    /// Per threat type, missiles in stock at the start; `None`: unlimited.
    pub stocks: Vec<Option<u32>>,
    /// Per threat type, production: rounds on day 1, and the change from one day to the next.
    pub production: Vec<(f64, f64)>,
    /// Launcher pools.
    pub launchers: Vec<LauncherPool>,
    /// The distinct interceptor types of the batteries, sorted.
    pub interceptor_types: Vec<String>,
    /// Per battery, its interceptor type.
    pub battery_type: Vec<usize>,
    /// Per interceptor type, rounds in the national depot at the start.
    pub depot: Vec<u32>,
    /// Deliveries to the national depot.
    pub deliveries: Vec<Delivery>,
    /// Per battery, when it is away.
    pub availability: Vec<BatteryAvailability>,
}

/// What a day launches.
#[derive(Debug, Clone, PartialEq)]
pub enum DayRaid {
    /// Nothing.
    None,
    /// Rounds per raid group (each at most the group's `count`).
    Explicit(Vec<u32>),
    /// A salvo drawn in each run, shared among raid groups.
    Generated {
        /// Rounds in the day, drawn from a triangular distribution on `[low, high]`.
        salvo: Uncertain,
        /// Per raid group, its share (they sum to 1).
        shares: Vec<f64>,
    },
}

/// A pool of launchers (TELs).
#[derive(Debug, Clone, PartialEq)]
pub struct LauncherPool {
    /// Id.
    pub id: String,
    /// Threat types it fires.
    pub threat_types: Vec<usize>,
    /// Launchers at the start.
    pub count: u32,
    /// Rounds one launcher fires in a day.
    pub rounds_per_day: u32,
    /// Fraction of the launchers left destroyed each day.
    pub loss_per_day: Uncertain,
}

pub use crate::file::DeliverySource;

/// Rounds ordered on each of a range of days.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// Interceptor type.
    pub interceptor_type: usize,
    /// Rounds per day of ordering.
    pub rounds: u32,
    /// First and last day of ordering (from 1, inclusive).
    pub days: (u32, u32),
    /// Days from order to delivery.
    pub lead_days: u32,
    /// Where they come from.
    pub source: DeliverySource,
}

/// When a battery is away.
#[derive(Debug, Clone, PartialEq)]
pub struct BatteryAvailability {
    /// Days on which it relocates (from 1, sorted).
    pub relocate_days: Vec<u32>,
    /// Probability that it relocates on another day.
    pub relocate_rate_per_day: f64,
    /// March duration, s.
    pub march_s: Uncertain,
    /// Probability of being lost on a march.
    pub loss_probability: Uncertain,
    /// Days it is down for maintenance (from 1, sorted).
    pub maintenance_days: Vec<u32>,
    /// Probability that it is down on another day.
    pub maintenance_rate_per_day: f64,
}
