//! The values of the file model that are read by hand rather than derived: positions,
//! quantities with ranges, launch sites, time windows, what a warning grid covers, and catalog
//! overrides. Each keeps the position of what it was read from where the checks need it.

use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diag::Pos;
use crate::located::Located;

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
