//! The scenario file as written ([`ScenarioFile`]): close to the text, every value with its
//! position, nothing resolved or converted. [`crate::resolve`] turns it into a
//! [`crate::Scenario`].
//!
//! Every struct refuses unknown fields. The JSON Schema printed by `skyshield schema` is derived
//! from these types, and the doc comments below are its descriptions.

use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diag::Pos;
use crate::located::Located;

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
    /// Defended places.
    #[serde(default)]
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
    pub reported: Option<Located<Vec<crate::reported::ReportedItem>>>,
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
    /// Whether batteries may engage on any sensor's track (default true).
    #[serde(default)]
    pub network: Option<Located<bool>>,
    /// Engagement doctrine.
    #[serde(default)]
    pub doctrine: Option<Located<Doctrine>>,
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
    /// Fraction of each battery's rounds held back (default 0; from 0 up to, not including, 1).
    #[serde(default)]
    pub reserve_fraction: Option<Located<Quantity>>,
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

/// Launch sites and time window of a raid group.
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

/// A geodetic position `[lat, lon]` or `[lat, lon, height_m]`: degrees and metres above the
/// WGS84 ellipsoid.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Latitude, degrees north.
    pub lat: Located<f64>,
    /// Longitude, degrees east.
    pub lon: Located<f64>,
    /// Height above the ellipsoid, m.
    pub height_m: Option<Located<f64>>,
}

impl Point {
    /// Where the point is written (its latitude).
    pub fn pos(&self) -> Pos {
        self.lat.pos
    }
}

struct PointVisitor;

impl<'de> Visitor<'de> for PointVisitor {
    type Value = Point;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a position [lat, lon] or [lat, lon, height_m]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Point, A::Error> {
        let lat: Located<f64> = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let lon: Located<f64> = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(1, &self))?;
        let height_m: Option<Located<f64>> = seq.next_element()?;
        let mut extra = 0;
        while seq.next_element::<de::IgnoredAny>()?.is_some() {
            extra += 1;
        }
        if extra > 0 {
            return Err(de::Error::invalid_length(3 + extra, &self));
        }
        Ok(Point { lat, lon, height_m })
    }
}

impl<'de> Deserialize<'de> for Point {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PointVisitor)
    }
}

impl JsonSchema for Point {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Point".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A position [lat, lon] or [lat, lon, height_m]: degrees, and metres above the WGS84 ellipsoid.",
            "type": "array",
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 3
        })
    }
}

/// A number, or a range `{low, nominal, high}` of plausible values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// Lowest plausible value (default: `nominal`).
    pub low: Option<f64>,
    /// Best estimate.
    pub nominal: f64,
    /// Highest plausible value (default: `nominal`).
    pub high: Option<f64>,
}

const QUANTITY_FIELDS: &[&str] = &["low", "nominal", "high"];

struct QuantityVisitor;

impl<'de> Visitor<'de> for QuantityVisitor {
    type Value = Quantity;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or {low, nominal, high}")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
        Ok(Quantity {
            low: None,
            nominal: v,
            high: None,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Quantity, A::Error> {
        let (mut low, mut nominal, mut high) = (None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "low" => low = Some(map.next_value::<f64>()?),
                "nominal" => nominal = Some(map.next_value::<f64>()?),
                "high" => high = Some(map.next_value::<f64>()?),
                other => return Err(de::Error::unknown_field(other, QUANTITY_FIELDS)),
            }
        }
        let nominal = nominal.ok_or_else(|| de::Error::missing_field("nominal"))?;
        Ok(Quantity { low, nominal, high })
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(QuantityVisitor)
    }
}

fn range_schema() -> serde_json::Value {
    serde_json::json!({
        "type": "object",
        "properties": {
            "low": {"type": "number", "description": "Lowest plausible value (default: nominal)."},
            "nominal": {"type": "number", "description": "Best estimate."},
            "high": {"type": "number", "description": "Highest plausible value (default: nominal)."}
        },
        "required": ["nominal"],
        "additionalProperties": false
    })
}

impl JsonSchema for Quantity {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Quantity".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A number, or a range {low, nominal, high} of plausible values (low <= nominal <= high).",
            "anyOf": [{"type": "number"}, range_schema()]
        })
    }
}

/// Launch sites: a list of positions, or a number of sites in a launch area.
#[derive(Debug, Clone, PartialEq)]
pub enum Sites {
    /// Explicit sites.
    Points(Vec<Point>),
    /// Number of sites placed in the launch area.
    Count(i64),
}

struct SitesVisitor;

impl<'de> Visitor<'de> for SitesVisitor {
    type Value = Sites;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of [lat, lon] sites, or a number of sites in `area`")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Sites, E> {
        Ok(Sites::Count(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Sites, E> {
        Ok(Sites::Count(i64::try_from(v).unwrap_or(i64::MAX)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Sites, A::Error> {
        let mut points = Vec::new();
        while let Some(p) = seq.next_element::<Point>()? {
            points.push(p);
        }
        Ok(Sites::Points(points))
    }
}

impl<'de> Deserialize<'de> for Sites {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SitesVisitor)
    }
}

impl JsonSchema for Sites {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Sites".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let point = generator.subschema_for::<Point>();
        json_schema!({
            "description": "A list of [lat, lon] launch sites, or, with `area`, the number of sites placed in it.",
            "anyOf": [
                {"type": "array", "items": point},
                {"type": "integer", "minimum": 1}
            ]
        })
    }
}

/// A time window `[start_s, end_s]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// Start, s.
    pub start_s: f64,
    /// End, s.
    pub end_s: f64,
}

struct WindowVisitor;

impl<'de> Visitor<'de> for WindowVisitor {
    type Value = Window;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a window [start_s, end_s]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Window, A::Error> {
        let (start_s, end_s) = number_pair(seq, &self)?;
        Ok(Window { start_s, end_s })
    }
}

/// The two numbers of a sequence `[a, b]`; `expected` says what the sequence is, for errors.
pub(crate) fn number_pair<'de, A: SeqAccess<'de>>(
    mut seq: A,
    expected: &dyn de::Expected,
) -> Result<(f64, f64), A::Error> {
    let a: f64 = seq
        .next_element()?
        .ok_or_else(|| de::Error::invalid_length(0, expected))?;
    let b: f64 = seq
        .next_element()?
        .ok_or_else(|| de::Error::invalid_length(1, expected))?;
    let mut extra = 0;
    while seq.next_element::<de::IgnoredAny>()?.is_some() {
        extra += 1;
    }
    if extra > 0 {
        return Err(de::Error::invalid_length(2 + extra, expected));
    }
    Ok((a, b))
}

impl<'de> Deserialize<'de> for Window {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WindowVisitor)
    }
}

impl JsonSchema for Window {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Window".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A time window [start_s, end_s], seconds from the scenario's time zero.",
            "type": "array",
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2
        })
    }
}

/// What a warning grid covers.
#[derive(Debug, Clone, PartialEq)]
pub enum Over {
    /// Every asset (written `assets`).
    AllAssets,
    /// The assets with these ids.
    Assets(Vec<Located<String>>),
}

struct OverVisitor;

impl<'de> Visitor<'de> for OverVisitor {
    type Value = Over;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`assets` or a list of asset ids")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Over, E> {
        if v == "assets" {
            Ok(Over::AllAssets)
        } else {
            Err(de::Error::unknown_variant(v, &["assets"]))
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Over, A::Error> {
        let mut ids = Vec::new();
        while let Some(id) = seq.next_element::<Located<String>>()? {
            ids.push(id);
        }
        Ok(Over::Assets(ids))
    }
}

impl<'de> Deserialize<'de> for Over {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OverVisitor)
    }
}

impl JsonSchema for Over {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Over".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "`assets` (every asset) or a list of asset ids.",
            "anyOf": [
                {"const": "assets"},
                {"type": "array", "items": {"type": "string"}}
            ]
        })
    }
}

/// Catalog parameters changed for one sensor, battery or raid group, in file order.
///
/// A key is a parameter of the type (`reliability`, `max_range_km`), or the common stem of a
/// per-threat-class family (`kill_probability` for every `kill_probability_<class>`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overrides(pub Vec<(Located<String>, Located<OverrideValue>)>);

struct OverridesVisitor;

impl<'de> Visitor<'de> for OverridesVisitor {
    type Value = Overrides;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping of catalog parameter names to values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Overrides, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Located<String>>()? {
            let value = map.next_value::<Located<OverrideValue>>()?;
            entries.push((key, value));
        }
        Ok(Overrides(entries))
    }
}

impl<'de> Deserialize<'de> for Overrides {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(OverridesVisitor)
    }
}

impl JsonSchema for Overrides {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Overrides".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<OverrideValue>();
        json_schema!({
            "description": "Catalog parameters of the type changed here: a parameter name, or the stem of a per-class family such as `kill_probability`.",
            "type": "object",
            "additionalProperties": value
        })
    }
}

/// The value of one override.
#[derive(Debug, Clone, PartialEq)]
pub enum OverrideValue {
    /// A number or a range.
    Number(Quantity),
    /// A boolean parameter.
    Flag(bool),
    /// A text parameter.
    Text(String),
    /// Values per threat class for a family (`{ballistic: 0.8, quasi_ballistic: 0.5}`).
    PerClass(Vec<(Located<String>, Located<Quantity>)>),
}

struct OverrideValueVisitor;

impl<'de> Visitor<'de> for OverrideValueVisitor {
    type Value = OverrideValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a number, {low, nominal, high}, a boolean, a string, or values per threat class",
        )
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<OverrideValue, E> {
        Ok(OverrideValue::Flag(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<OverrideValue, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<OverrideValue, E> {
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<OverrideValue, E> {
        Ok(OverrideValue::Number(Quantity {
            low: None,
            nominal: v,
            high: None,
        }))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<OverrideValue, E> {
        Ok(OverrideValue::Text(v.to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OverrideValue, A::Error> {
        let mut entries: Vec<(Located<String>, Located<Quantity>)> = Vec::new();
        while let Some(key) = map.next_key::<Located<String>>()? {
            let value = map.next_value::<Located<Quantity>>()?;
            entries.push((key, value));
        }
        let is_range = !entries.is_empty()
            && entries
                .iter()
                .all(|(k, _)| QUANTITY_FIELDS.contains(&k.value.as_str()));
        if !is_range {
            return Ok(OverrideValue::PerClass(entries));
        }
        let mut q = Quantity {
            low: None,
            nominal: f64::NAN,
            high: None,
        };
        let mut has_nominal = false;
        for (key, value) in &entries {
            if value.low.is_some() || value.high.is_some() {
                return Err(de::Error::custom(format!(
                    "expected a number for `{}`, found a range",
                    key.value
                )));
            }
            match key.value.as_str() {
                "low" => q.low = Some(value.nominal),
                "high" => q.high = Some(value.nominal),
                _ => {
                    q.nominal = value.nominal;
                    has_nominal = true;
                }
            }
        }
        if !has_nominal {
            return Err(de::Error::missing_field("nominal"));
        }
        Ok(OverrideValue::Number(q))
    }
}

impl<'de> Deserialize<'de> for OverrideValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OverrideValueVisitor)
    }
}

impl JsonSchema for OverrideValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OverrideValue".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let quantity = generator.subschema_for::<Quantity>();
        json_schema!({
            "description": "A number, {low, nominal, high}, a boolean, a string, or, for a per-class family, values per threat class.",
            "anyOf": [
                {"type": "number"},
                {"type": "boolean"},
                {"type": "string"},
                range_schema(),
                {"type": "object", "additionalProperties": quantity}
            ]
        })
    }
}
