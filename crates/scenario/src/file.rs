//! The scenario file as written ([`ScenarioFile`]): close to the text, every value with its
//! position, nothing resolved or converted. [`crate::resolve`] turns it into a
//! [`crate::Scenario`].
//!
//! Every struct refuses unknown fields. The JSON Schema printed by `skyshield schema` is derived
//! from these types, and the doc comments below are its descriptions.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::located::Located;
use crate::reported::ReportedItem;
pub use crate::values::{Over, OverrideValue, Overrides, Point, Quantity, Sites, Window};

/// A skyshield scenario: a raid and a defense (`kind: layered`, the default), or an abstract
/// engagement of layers against a number of threats (`kind: abstract`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "skyshield scenario")]
pub struct ScenarioFile {
    /// Short title.
    #[schemars(required)]
    pub name: Option<Located<String>>,
    /// What the scenario represents.
    #[serde(default)]
    pub description: Option<Located<String>>,
    /// `layered` (default): geometry, sensors, batteries and a raid. `abstract`: threats and
    /// layers with probabilities only.
    #[serde(default)]
    pub kind: Option<Located<ScenarioKindName>>,
    /// Where the figures come from: one full citation per entry.
    #[serde(default)]
    pub sources: Option<Located<Vec<Located<String>>>>,
    /// Master seed of the random streams (default 0).
    #[serde(default)]
    pub seed: Option<Located<u64>>,
    /// Calendar date and time of the scenario's time zero, as an RFC 3339 date-time
    /// (`2024-10-01T16:30:00Z`); replays are dated from it. Optional.
    #[serde(default)]
    #[schemars(extend("format" = "date-time"))]
    pub start: Option<Located<String>>,
    /// Number of Monte Carlo replications (default 1000).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub runs: Option<Located<i64>>,
    /// Model of the Earth (default `{model: wgs84, rotation: true, atmosphere: true}`).
    #[serde(default)]
    pub earth: Option<Located<Earth>>,
    /// Defended places, at most [`MAX_ASSETS`].
    #[serde(default)]
    #[schemars(length(max = MAX_ASSETS))]
    pub assets: Option<Located<Vec<Asset>>>,
    /// Radars and space-based infrared sensors.
    #[serde(default)]
    pub sensors: Option<Located<Vec<Sensor>>>,
    /// Interceptor batteries.
    #[serde(default)]
    pub batteries: Option<Located<Vec<Battery>>>,
    /// Command and control: decision latency, network, doctrine.
    #[serde(default)]
    pub command: Option<Located<Command>>,
    /// The raid: groups of threats of one type each.
    #[serde(default)]
    pub raid: Option<Located<Vec<RaidGroup>>>,
    /// Civil warning zones.
    #[serde(default)]
    pub warning: Option<Located<Warning>>,
    /// Abstract scenarios: number of threats.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub threats: Option<Located<i64>>,
    /// Abstract scenarios: `independent` (each layer tracks on its own, default) or `common`
    /// (one track serves every layer; losing it defeats them all).
    #[serde(default)]
    pub tracking: Option<Located<Tracking>>,
    /// Abstract scenarios: probability that a threat is tracked (default 1).
    #[serde(default)]
    pub tracking_probability: Option<Located<Quantity>>,
    /// Abstract scenarios: probability that a kill assessment is correct (default 1).
    #[serde(default)]
    pub kill_assessment_probability: Option<Located<Quantity>>,
    /// Abstract scenarios: the defense layers, outermost first.
    #[serde(default)]
    pub layers: Option<Located<Vec<Layer>>>,
    /// Figures reported for the event the scenario reconstructs, each with the simulated
    /// metric it is compared with.
    #[serde(default)]
    pub reported: Option<Located<Vec<ReportedItem>>>,
    /// Layered scenarios: days of raids with stocks, production, deliveries and battery
    /// availability carried from day to day (`skyshield campaign`).
    #[serde(default)]
    pub campaign: Option<Located<Campaign>>,
}

/// The kind of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioKindName {
    /// Geometry, sensors, batteries, raid.
    Layered,
    /// Threats and layers with probabilities only.
    Abstract,
}

/// Tracking model of an abstract scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tracking {
    /// Each layer tracks a threat on its own.
    Independent,
    /// One track serves every layer.
    Common,
}

/// The Earth model.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Earth {
    /// `wgs84` (default) or `sphere` (mean radius 6,371 km, for checks against closed forms).
    #[serde(default)]
    pub model: Option<Located<EarthModelName>>,
    /// Whether the Earth rotates (Coriolis and centrifugal terms; default true).
    #[serde(default)]
    pub rotation: Option<Located<bool>>,
    /// Whether there is an atmosphere (US Standard Atmosphere 1976; default true).
    #[serde(default)]
    pub atmosphere: Option<Located<bool>>,
}

/// The figure of the Earth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EarthModelName {
    /// The WGS84 ellipsoid.
    Wgs84,
    /// A sphere of the mean Earth radius.
    Sphere,
}

/// A defended place.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    /// Unique id, referred to by `defends`, `target` and `warning.zones.over`.
    pub id: Located<String>,
    /// What it is (default `other`).
    #[serde(default)]
    pub kind: Option<Located<AssetKind>>,
    /// A circular area (give `circle` or `polygon`).
    #[serde(default)]
    pub circle: Option<Located<Circle>>,
    /// A polygonal area: at least three `[lat, lon]` vertices.
    #[serde(default)]
    pub polygon: Option<Located<Vec<Point>>>,
    /// People living in the area (default 0).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub population: Option<Located<i64>>,
    /// Relative value for threat evaluation (default 1).
    #[serde(default)]
    pub value: Option<Located<f64>>,
    /// Share of a hit's harm that its protection absorbs (hardened shelters, say), from 0 up
    /// to, not including, 1 (default 0): the battle manager weighs the asset at
    /// `value × (1 − hardness)`.
    #[serde(default)]
    pub hardness: Option<Located<f64>>,
}

/// The kind of a defended asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    /// A city or town.
    City,
    /// An air base.
    Airbase,
    /// A military base other than an air base.
    MilitaryBase,
    /// A port.
    Port,
    /// A power station.
    PowerPlant,
    /// Other critical infrastructure.
    Infrastructure,
    /// Seat of government.
    Government,
    /// Anything else.
    Other,
}

/// A circle on the ground.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Circle {
    /// Centre, `[lat, lon]`.
    pub center: Point,
    /// Radius, km.
    pub radius_km: Located<f64>,
}

/// A sensor.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sensor {
    /// Unique id, referred to by a battery's `radar`.
    pub id: Located<String>,
    /// Sensor type: a catalog id (`skyshield catalog list`).
    #[serde(rename = "type")]
    pub type_id: Located<String>,
    /// Position `[lat, lon]` or `[lat, lon, height_m]`; required for radars.
    #[serde(default)]
    pub at: Option<Point>,
    /// Boresight azimuth of a sector radar, degrees clockwise from north.
    #[serde(default)]
    pub facing_deg: Option<Located<f64>>,
    /// Catalog parameters of the type changed for this sensor.
    #[serde(default)]
    pub overrides: Option<Located<Overrides>>,
}

/// An interceptor battery (or a ship's magazine).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Battery {
    /// Unique id.
    pub id: Located<String>,
    /// Interceptor type: a catalog id.
    #[serde(rename = "type")]
    pub type_id: Located<String>,
    /// Position `[lat, lon]` or `[lat, lon, height_m]`.
    pub at: Point,
    /// Number of launchers (default: the type's `launchers`).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub launchers: Option<Located<i64>>,
    /// Ready rounds per launcher (default: the type's `rounds_per_launcher`).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub rounds_per_launcher: Option<Located<i64>>,
    /// Ready rounds in all (instead of `rounds_per_launcher`; a ship's cells, say).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub rounds: Option<Located<i64>>,
    /// Simultaneous engagements (default: the type's `fire_channels`).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub fire_channels: Option<Located<i64>>,
    /// Id of the radar (a sensor) that the battery engages on; without it, network tracks.
    #[serde(default)]
    pub radar: Option<Located<String>>,
    /// Whether it may fire on other sensors' tracks, received over the network (default:
    /// `command.network`).
    #[serde(default)]
    pub remote_tracks: Option<Located<bool>>,
    /// Delay of a remote track reaching it, s (default: `command.network_delay_s`).
    #[serde(default)]
    pub network_delay_s: Option<Located<Quantity>>,
    /// Rounds in its depot, loaded onto empty launchers after the type's `reload_time_s`
    /// (default 0).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub depot_rounds: Option<Located<i64>>,
    /// Fraction of its ready rounds held back for threats that no other battery can engage
    /// (default: `command.doctrine.reserve_by_tier` for its tier, else
    /// `command.doctrine.reserve_fraction`).
    #[serde(default)]
    pub reserve_fraction: Option<Located<Quantity>>,
    /// Ids of the assets the battery defends (default: none, it defends wherever it can).
    #[serde(default)]
    pub defends: Option<Located<Vec<Located<String>>>>,
    /// Catalog parameters of the type changed for this battery.
    #[serde(default)]
    pub overrides: Option<Located<Overrides>>,
}

/// Command and control.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Command {
    /// Time from a track to a decision to engage, s (default 0).
    #[serde(default)]
    pub decision_latency_s: Option<Located<Quantity>>,
    /// Whether batteries may engage on any sensor's track (default true); a battery's
    /// `remote_tracks` overrides it.
    #[serde(default)]
    pub network: Option<Located<bool>>,
    /// Delay of a remote track reaching a battery, s (default 2, notional); a battery's
    /// `network_delay_s` overrides it.
    #[serde(default)]
    pub network_delay_s: Option<Located<Quantity>>,
    /// Weapon-target assignment policy (default `earliest-intercept`).
    #[serde(default)]
    pub policy: Option<Located<Policy>>,
    /// Engagement doctrine.
    #[serde(default)]
    pub doctrine: Option<Located<Doctrine>>,
}

/// How the battle manager assigns batteries to threats in a decision cycle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// The threat with the least time to go first (ties: the more valuable target); for each,
    /// the battery that meets it earliest, that is the outermost layer that can still shoot,
    /// leaving the inner layers a later chance (ties: the higher tier).
    #[default]
    EarliestIntercept,
    /// The threat to the most valuable asset first (value less what its hardness absorbs; ties:
    /// the least time to go); shots in proportion to that value, and rounds kept for threats
    /// to more valuable assets.
    ValueWeighted,
    /// The cheapest battery, now or later, whose salvo meets the doctrine's
    /// `required_kill_probability`, saving the dearer, outer layers for threats that only they
    /// can reach.
    CostAware,
}

/// Engagement doctrine.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Doctrine {
    /// Interceptors fired at a threat in one engagement (default 1).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub shots_per_engagement: Option<Located<i64>>,
    /// Look at the result before firing again when time allows (default true).
    #[serde(default)]
    pub shoot_look_shoot: Option<Located<bool>>,
    /// Engage only threats predicted to hit a defended asset (default true).
    #[serde(default)]
    pub engage_only_defended: Option<Located<bool>>,
    /// Fraction of each battery's rounds held back for threats that no other battery can
    /// engage (default 0; from 0 up to, not including, 1).
    #[serde(default)]
    pub reserve_fraction: Option<Located<Quantity>>,
    /// Reserve fractions by layer, in place of `reserve_fraction` for the batteries of a
    /// given tier.
    #[serde(default)]
    pub reserve_by_tier: Option<Located<TierReserves>>,
    /// Whether two batteries may engage one threat at once (default: true without
    /// shoot-look-shoot, false with it).
    #[serde(default)]
    pub double_engagement: Option<Located<bool>>,
    /// Kill probability that the `cost-aware` policy requires of a salvo (default 0.9).
    #[serde(default)]
    pub required_kill_probability: Option<Located<Quantity>>,
}

/// A reserve fraction for each layer (each optional).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierReserves {
    /// Upper-tier batteries.
    #[serde(default)]
    pub upper: Option<Located<Quantity>>,
    /// Mid-tier batteries.
    #[serde(default)]
    pub mid: Option<Located<Quantity>>,
    /// Lower-tier batteries.
    #[serde(default)]
    pub lower: Option<Located<Quantity>>,
}

/// A group of threats of one type fired from the same sites at the same aim.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RaidGroup {
    /// Unique id.
    pub id: Located<String>,
    /// Threat type: a catalog id.
    pub threat: Located<String>,
    /// Number of rounds fired.
    #[schemars(range(min = 1))]
    pub count: Located<i64>,
    /// Where and when they are fired.
    pub launch: Located<Launch>,
    /// Id of the asset aimed at (give `target` or `aim`).
    #[serde(default)]
    pub target: Option<Located<String>>,
    /// A point aimed at, `[lat, lon]` (give `target` or `aim`).
    #[serde(default)]
    pub aim: Option<Point>,
    /// Trajectory shape of a ballistic flight: `min-energy`, `lofted` or `depressed` (default
    /// `min-energy`; `depressed` for quasi-ballistic types).
    #[serde(default)]
    pub shape: Option<Located<Shape>>,
    /// Apogee of a lofted or depressed trajectory, km.
    #[serde(default)]
    pub apogee_km: Option<Located<Quantity>>,
    /// Circular error probable of the aim, m (default: the type's `cep_m`).
    #[serde(default)]
    pub cep_m: Option<Located<Quantity>>,
    /// Waypoints of a cruise missile or drone, `[[lat, lon], ...]`, flown in order.
    #[serde(default)]
    pub route: Option<Located<Vec<Point>>>,
    /// Catalog parameters of the threat type changed for this group.
    #[serde(default)]
    pub overrides: Option<Located<Overrides>>,
}

/// Trajectory shape of a ballistic flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// Minimum-energy trajectory.
    MinEnergy,
    /// Higher apogee than minimum energy.
    Lofted,
    /// Lower apogee than minimum energy.
    Depressed,
}

/// Launch sites and times of a raid group.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Launch {
    /// Either a list of `[lat, lon]` sites, or, with `area`, the number of sites drawn in it.
    #[serde(default)]
    pub sites: Option<Located<Sites>>,
    /// A circular launch area in which `sites` sites are placed.
    #[serde(default)]
    pub area: Option<Located<Circle>>,
    /// `[start_s, end_s]`: launch times are spread over this window, s from the scenario's time
    /// zero (negative for threats launched before it, such as slow drones; default `[0, 0]`).
    #[serde(default)]
    pub window_s: Option<Located<Window>>,
    /// Launch pulses, instead of `window_s`: each launches `count` of the group's rounds spread
    /// over its own window. The counts sum to the group's `count`; at most 1000 pulses.
    #[serde(default)]
    #[schemars(length(min = 1, max = MAX_PULSES))]
    pub pulses: Option<Located<Vec<Located<Pulse>>>>,
}

/// Most launch pulses a raid group may have.
pub const MAX_PULSES: usize = 1000;

/// Most defended assets a scenario may have: the battle manager keeps a set of them in 64 bits.
pub const MAX_ASSETS: usize = 64;

/// A pulse of launches: `count` rounds spread evenly over `window_s`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pulse {
    /// `[start_s, end_s]`, s from the scenario's time zero; start_s <= end_s.
    pub window_s: Located<Window>,
    /// Rounds launched in this pulse.
    #[schemars(range(min = 1))]
    pub count: Located<i64>,
}

/// Civil warning.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// The warning zones.
    pub zones: Located<Zones>,
    /// Probability that the siren region holds the impact point (default 0.95): the region is
    /// a circle of `sqrt(-2 ln(1 - confidence))` standard deviations about the predicted impact.
    #[serde(default)]
    pub confidence: Option<Located<f64>>,
    /// Lead time the siren policy aims for, s (default 90): it waits for the prediction to
    /// narrow, and sounds no later than this long before the predicted impact.
    #[serde(default)]
    pub min_lead_s: Option<Located<f64>>,
    /// Whether the debris of intercepted threats is warned for (default true).
    #[serde(default)]
    pub warn_debris: Option<Located<bool>>,
    /// Time people stay sheltered after the last impact of an alert, s (default 600, the
    /// Home Front Command's ten minutes).
    #[serde(default)]
    pub all_clear_s: Option<Located<f64>>,
}

/// Warning zones: a grid over assets, or polygons from a GeoJSON file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Zones {
    /// Size of the cells of a generated grid, km: the side of a square, the distance between
    /// opposite sides (and between neighbouring centres) of a hexagon.
    #[serde(default)]
    pub grid_km: Option<Located<f64>>,
    /// Cell shape of a generated grid: `hex` (default) or `square`.
    #[serde(default)]
    pub shape: Option<Located<GridShape>>,
    /// What the grid covers: `assets` (every asset, default) or a list of asset ids.
    #[serde(default)]
    pub over: Option<Located<Over>>,
    /// Time people need to reach shelter, s (required with `grid_km`; with `geojson`, the value
    /// for zones whose feature has no `shelter_time_s` property).
    #[serde(default)]
    pub shelter_time_s: Option<Located<Quantity>>,
    /// Path of a GeoJSON file of zone polygons, relative to the scenario file.
    #[serde(default)]
    pub geojson: Option<Located<String>>,
}

/// Cell shape of a generated warning grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GridShape {
    /// Hexagons (pointy side north).
    Hex,
    /// Squares aligned east-north.
    Square,
}

/// A layer of an abstract scenario.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Unique id.
    pub id: Located<String>,
    /// Single-shot kill probability of one interceptor that works.
    pub kill_probability: Located<Quantity>,
    /// Probability that an interceptor works (launches and flies out; default 1). The
    /// effective kill probability of a shot is `reliability × kill_probability`.
    #[serde(default)]
    pub reliability: Option<Located<Quantity>>,
    /// Interceptors fired per engagement (default 1).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub shots_per_engagement: Option<Located<i64>>,
    /// Engagement opportunities per threat, shoot-look-shoot (default 1).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub engagements: Option<Located<i64>>,
    /// Probability that this layer tracks a threat (`tracking: independent` only; default:
    /// the scenario's `tracking_probability`).
    #[serde(default)]
    pub tracking_probability: Option<Located<Quantity>>,
    /// Interceptors available to the layer (default: unlimited).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub rounds: Option<Located<i64>>,
}

/// Most days a campaign may have.
pub const MAX_CAMPAIGN_DAYS: i64 = 366;

/// A campaign: the scenario's raid played day after day, with the state of both sides carried
/// from one day to the next. The `raid` section is the template of a day: each group's `count`
/// is the most it launches in a day, at the times its `launch` gives (pulses included).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// Number of days (1 to 366).
    #[schemars(range(min = 1, max = MAX_CAMPAIGN_DAYS))]
    pub days: Located<i64>,
    /// What each day launches: entries over ranges of days. A day that no entry covers
    /// launches nothing.
    pub raids: Located<Vec<CampaignRaid>>,
    /// The attacker's missiles, production and launchers (default: unlimited).
    #[serde(default)]
    pub attacker: Option<Located<Attacker>>,
    /// The defender's depots and deliveries (default: the batteries' own rounds only).
    #[serde(default)]
    pub defender: Option<Located<Defender>>,
    /// Relocations, losses in transit and maintenance of batteries.
    #[serde(default)]
    pub availability: Option<Located<Vec<Availability>>>,
}

/// The launches of a range of days: explicit counts per raid group, or a generated salvo.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignRaid {
    /// First day it covers (days count from 1).
    pub from_day: Located<i64>,
    /// Last day it covers, inclusive (default: `from_day`).
    #[serde(default)]
    pub to_day: Option<Located<i64>>,
    /// Explicit launches per raid group (give `launches`, or `salvo` with `mix`).
    #[serde(default)]
    pub launches: Option<Located<Vec<GroupLaunches>>>,
    /// Rounds launched in the day, drawn in each run from a triangular distribution on
    /// `[low, high]` with its mode at `nominal`, and rounded.
    #[serde(default)]
    pub salvo: Option<Located<Quantity>>,
    /// How a generated salvo is shared among raid groups: shares that sum to 1.
    #[serde(default)]
    pub mix: Option<Located<Vec<GroupShare>>>,
}

/// Launches of one raid group in a day.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupLaunches {
    /// Raid group id.
    pub group: Located<String>,
    /// Rounds launched (0 up to the group's `count`).
    #[schemars(range(min = 0))]
    pub count: Located<i64>,
}

/// A raid group's share of a generated salvo.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupShare {
    /// Raid group id.
    pub group: Located<String>,
    /// Share, from 0 to 1.
    pub share: Located<f64>,
}

/// The attacker's state.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attacker {
    /// Missiles in stock at the start, by threat type; a type without an entry is unlimited.
    #[serde(default)]
    pub stocks: Option<Located<Vec<ThreatStock>>>,
    /// Missiles produced per day, by threat type (added to the stock at each day's start).
    #[serde(default)]
    pub production: Option<Located<Vec<Production>>>,
    /// Launchers (TELs): a type fired by none is not limited by launchers.
    #[serde(default)]
    pub launchers: Option<Located<Vec<Launchers>>>,
}

/// Missiles of a threat type in stock.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreatStock {
    /// Threat type id (as in the raid).
    pub threat: Located<String>,
    /// Rounds.
    #[schemars(range(min = 0))]
    pub rounds: Located<i64>,
}

/// Production of a threat type: `per_day + ramp_per_day × (day − 1)` rounds on each day
/// (rounded, never below 0).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Production {
    /// Threat type id.
    pub threat: Located<String>,
    /// Rounds per day on day 1.
    pub per_day: Located<f64>,
    /// Change of the daily production from one day to the next (default 0).
    #[serde(default)]
    pub ramp_per_day: Option<Located<f64>>,
}

/// A pool of launchers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Launchers {
    /// Unique id.
    pub id: Located<String>,
    /// Threat type ids the launchers fire.
    pub threats: Located<Vec<Located<String>>>,
    /// Launchers at the start.
    #[schemars(range(min = 0))]
    pub count: Located<i64>,
    /// Time to reload a launcher, hours: each launcher fires `rounds_per_load` rounds every
    /// `reload_h` hours of the day's `launch_hours`.
    pub reload_h: Located<f64>,
    /// Rounds fired per load (default 1).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub rounds_per_load: Option<Located<i64>>,
    /// Hours of a day in which launchers fire (default 24).
    #[serde(default)]
    pub launch_hours: Option<Located<f64>>,
    /// Fraction of the launchers left that is destroyed each day, drawn in each run and day
    /// from `{low, nominal, high}` (default 0).
    #[serde(default)]
    pub loss_per_day: Option<Located<Quantity>>,
}

/// The defender's state.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defender {
    /// Rounds in the national depot at the start, by interceptor type.
    #[serde(default)]
    pub depot: Option<Located<Vec<InterceptorStock>>>,
    /// Production, resupply and transfers from allies, each reaching the national depot
    /// `lead_days` after it is ordered.
    #[serde(default)]
    pub deliveries: Option<Located<Vec<Delivery>>>,
}

/// Rounds of an interceptor type.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InterceptorStock {
    /// Interceptor type id (as in the batteries).
    #[serde(rename = "type")]
    pub type_id: Located<String>,
    /// Rounds.
    #[schemars(range(min = 0))]
    pub rounds: Located<i64>,
}

/// Rounds ordered on each day of a range, reaching the national depot at the start of the
/// day `lead_days` later.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// Interceptor type id.
    #[serde(rename = "type")]
    pub type_id: Located<String>,
    /// Rounds ordered on each day of `days`.
    #[schemars(range(min = 0))]
    pub rounds: Located<i64>,
    /// First day of ordering (days count from 1).
    pub from_day: Located<i64>,
    /// Last day of ordering, inclusive (default: `from_day`).
    #[serde(default)]
    pub to_day: Option<Located<i64>>,
    /// Days from the order to the delivery (default 0: delivered the same day, at its start).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub lead_days: Option<Located<i64>>,
    /// Where the rounds come from (default `production`).
    #[serde(default)]
    pub source: Option<Located<DeliverySource>>,
}

/// Where delivered interceptors come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliverySource {
    /// National production.
    Production,
    /// Resupply from stocks elsewhere.
    Resupply,
    /// A transfer from an ally.
    Allied,
}

/// When a battery is away: relocations (on given days or at a daily rate), with a march during
/// which it neither fires nor radiates and a chance of being lost, and maintenance days.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Availability {
    /// Battery id.
    pub battery: Located<String>,
    /// Days on which it relocates (from 1).
    #[serde(default)]
    pub relocate_days: Option<Located<Vec<Located<i64>>>>,
    /// Probability that it relocates on a given day (default 0).
    #[serde(default)]
    pub relocate_rate_per_day: Option<Located<f64>>,
    /// Duration of a march, hours, from the day's first planned launch (required with a
    /// relocation).
    #[serde(default)]
    pub march_h: Option<Located<Quantity>>,
    /// Probability of being lost on a march (default 0); a lost battery and its rounds are
    /// gone for the rest of the campaign.
    #[serde(default)]
    pub loss_probability: Option<Located<Quantity>>,
    /// Days on which it is down for maintenance, all day (from 1).
    #[serde(default)]
    pub maintenance_days: Option<Located<Vec<Located<i64>>>>,
    /// Probability that it is down for maintenance on a given day (default 0).
    #[serde(default)]
    pub maintenance_rate_per_day: Option<Located<f64>>,
}
