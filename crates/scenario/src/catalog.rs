//! The built-in catalog of threat, interceptor and sensor types (`catalog/*.yaml` at the
//! repository root, compiled in).
//!
//! Every parameter carries its source: a key of the entry's `sources`, which holds the full
//! citation. Where sources disagree a parameter has a `low`/`high` range around its `nominal`
//! value. The format is described in `catalog/README.md`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

pub use crate::class::{
    COUNT_PARAMETERS, Class, Kind, Scanning, Tier, Unit, ValueType, is_probability, unit_of,
};
pub use crate::entry::{
    CatalogEntry, FlightFigure, FlightQuantity, ParamValue, Parameter, ParameterError,
    ResolvedType, Value,
};

use crate::de::from_node;
use crate::diag::{Diagnostic, Diagnostics, Pos, Problems, closest};
use crate::located::Located;
use crate::node;

/// Text of `catalog/threats.yaml`.
pub const THREATS_YAML: &str = include_str!("../../../catalog/threats.yaml");
/// Text of `catalog/interceptors.yaml`.
pub const INTERCEPTORS_YAML: &str = include_str!("../../../catalog/interceptors.yaml");
/// Text of `catalog/sensors.yaml`.
pub const SENSORS_YAML: &str = include_str!("../../../catalog/sensors.yaml");

static BUILT_IN: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();

/// The built-in catalog, parsed on first use.
///
/// # Panics
/// When the compiled-in catalog files do not parse; the crate's tests rule that out.
pub fn catalog() -> &'static Catalog {
    match try_catalog() {
        Ok(catalog) => catalog,
        Err(err) => panic!("the built-in catalog does not parse:\n{err}"),
    }
}

/// The built-in catalog, parsed on first use, or why it does not parse.
pub fn try_catalog() -> Result<&'static Catalog, &'static CatalogError> {
    BUILT_IN
        .get_or_init(|| Catalog::from_sources(THREATS_YAML, INTERCEPTORS_YAML, SENSORS_YAML))
        .as_ref()
}

/// One source key or a list of them.
struct OneOrMany(Vec<String>);

struct OneOrManyVisitor;

impl<'de> Visitor<'de> for OneOrManyVisitor {
    type Value = OneOrMany;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a source key or a list of source keys")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
        Ok(OneOrMany(vec![v.to_owned()]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
        let mut keys = Vec::new();
        while let Some(k) = seq.next_element::<String>()? {
            keys.push(k);
        }
        Ok(OneOrMany(keys))
    }
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OneOrManyVisitor)
    }
}

/// A catalog file that does not parse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// Every problem found, with file, line and column.
    #[error("{0}")]
    Invalid(Diagnostics),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    id: Located<String>,
    name: String,
    class: Located<Class>,
    summary: String,
    sources: BTreeMap<String, String>,
    parameters: BTreeMap<String, ParameterFile>,
    #[serde(default)]
    flight_figures: Vec<FlightFigureFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlightFigureFile {
    quantity: FlightQuantity,
    range_km: f64,
    low: f64,
    high: f64,
    source: OneOrMany,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterFile {
    nominal: Value,
    #[serde(default)]
    low: Option<f64>,
    #[serde(default)]
    high: Option<f64>,
    source: OneOrMany,
    #[serde(default)]
    note: Option<String>,
}

/// The catalog: every type, by id and by kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    entries: Vec<CatalogEntry>,
    index: HashMap<String, usize>,
}

impl Catalog {
    /// A catalog from the text of the three files.
    pub fn from_sources(
        threats: &str,
        interceptors: &str,
        sensors: &str,
    ) -> Result<Catalog, CatalogError> {
        Self::from_files(&[
            (Kind::Threat, Path::new(Kind::Threat.file()), threats),
            (
                Kind::Interceptor,
                Path::new(Kind::Interceptor.file()),
                interceptors,
            ),
            (Kind::Sensor, Path::new(Kind::Sensor.file()), sensors),
        ])
    }

    /// A catalog from files of the given kinds: `(kind, name shown in errors, text)`.
    pub fn from_files(files: &[(Kind, &Path, &str)]) -> Result<Catalog, CatalogError> {
        let mut entries = Vec::new();
        let mut index = HashMap::new();
        let mut diagnostics = Vec::new();
        for &(kind, path, text) in files {
            let mut problems = Problems::default();
            let parsed: Option<Vec<EntryFile>> = match node::parse(text) {
                Ok(root) => from_node(&root, &mut problems),
                Err(err) => {
                    let (pos, message) = crate::node::yaml_error(&err);
                    problems.push(pos, message);
                    None
                }
            };
            for e in parsed.unwrap_or_default() {
                if e.class.value.kind() != kind {
                    problems.push(
                        e.class.pos,
                        format!(
                            "class `{}` is a {} class; this file holds {} types",
                            e.class.value,
                            e.class.value.kind(),
                            kind
                        ),
                    );
                    continue;
                }
                if let Some(&first) = index.get(&e.id.value) {
                    let (first_file, first_pos): (&Path, Pos) =
                        CatalogEntry::origin(&entries[first]);
                    problems.push(
                        e.id.pos,
                        format!(
                            "duplicate id `{}`; first defined at {}:{}",
                            e.id.value,
                            first_file.display(),
                            first_pos
                        ),
                    );
                    continue;
                }
                index.insert(e.id.value.clone(), entries.len());
                entries.push(CatalogEntry {
                    id: e.id.value,
                    name: e.name,
                    class: e.class.value,
                    summary: e.summary,
                    sources: e.sources,
                    parameters: e
                        .parameters
                        .into_iter()
                        .map(|(k, p)| {
                            (
                                k,
                                Parameter {
                                    nominal: p.nominal,
                                    low: p.low,
                                    high: p.high,
                                    source: p.source.0,
                                    note: p.note,
                                },
                            )
                        })
                        .collect(),
                    flight_figures: e
                        .flight_figures
                        .into_iter()
                        .map(|f| FlightFigure {
                            quantity: f.quantity,
                            range_km: f.range_km,
                            low: f.low,
                            high: f.high,
                            source: f.source.0,
                            note: f.note,
                        })
                        .collect(),
                    origin: (path.to_path_buf(), e.id.pos),
                });
            }
            diagnostics.extend(problems.into_diagnostics(path));
        }
        if diagnostics.is_empty() {
            Ok(Catalog { entries, index })
        } else {
            Err(CatalogError::Invalid(Diagnostics(diagnostics)))
        }
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&CatalogEntry> {
        self.index.get(id).map(|&i| &self.entries[i])
    }

    /// Every entry: threats, then interceptors, then sensors, each in file order.
    pub fn entries(&self) -> impl Iterator<Item = &CatalogEntry> {
        Kind::ALL
            .into_iter()
            .flat_map(move |k| self.entries.iter().filter(move |e| e.kind() == k))
    }

    /// The entries of one kind, in file order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &CatalogEntry> {
        self.entries.iter().filter(move |e| e.kind() == kind)
    }

    /// Threat types.
    pub fn threats(&self) -> impl Iterator<Item = &CatalogEntry> {
        self.of_kind(Kind::Threat)
    }

    /// Interceptor types.
    pub fn interceptors(&self) -> impl Iterator<Item = &CatalogEntry> {
        self.of_kind(Kind::Interceptor)
    }

    /// Sensor types.
    pub fn sensors(&self) -> impl Iterator<Item = &CatalogEntry> {
        self.of_kind(Kind::Sensor)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The id closest to a misspelt one, among the entries of `kind` (all when `None`).
    pub fn closest_id(&self, id: &str, kind: Option<Kind>) -> Option<&str> {
        closest(
            id,
            self.entries
                .iter()
                .filter(|e| kind.is_none_or(|k| e.kind() == k))
                .map(|e| e.id.as_str()),
        )
    }

    /// The ids to suggest for `query`, an unknown id: the closest id when one is close, else
    /// the ids of the entries whose id or name contains it (case aside), in catalog order.
    pub fn suggestions(&self, query: &str) -> Vec<&str> {
        if let Some(id) = self.closest_id(query, None) {
            return vec![id];
        }
        let q = query.to_lowercase();
        self.entries
            .iter()
            .filter(|e| e.id.contains(&q) || e.name.to_lowercase().contains(&q))
            .map(|e| e.id.as_str())
            .collect()
    }

    /// Problems of content that parsing does not catch, one message each, naming the file,
    /// the position of the entry and the parameter: a source key that the entry's `sources`
    /// lacks, a parameter without a source, a missing required parameter or one of the wrong
    /// type, `low > nominal` or `nominal > high`, a range on a non-number, a probability
    /// outside [0, 1], a count that is not a positive integer, an id that is not lowercase
    /// letters, digits and `-`.
    pub fn check(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for e in &self.entries {
            let (file, pos) = e.origin();
            let mut problem =
                |msg: String| out.push(Diagnostic::new(file, pos, format!("`{}`: {msg}", e.id)));
            if e.id.is_empty()
                || !e
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                problem("an id is lowercase letters, digits and `-`".to_owned());
            }
            for (key, p) in &e.parameters {
                for msg in citation_problems(&format!("parameter `{key}`"), &p.source, e) {
                    problem(msg);
                }
                match p.nominal {
                    Value::Number(nominal) => {
                        let low = p.low.unwrap_or(nominal);
                        let high = p.high.unwrap_or(nominal);
                        if !(low.is_finite() && nominal.is_finite() && high.is_finite()) {
                            problem(format!("parameter `{key}` is not finite"));
                        } else if !(low <= nominal && nominal <= high) {
                            problem(format!(
                                "parameter `{key}`: expected low <= nominal <= high, found {low}, {nominal}, {high}"
                            ));
                        }
                        if is_probability(key) && !(0.0 <= low && high <= 1.0) {
                            problem(format!(
                                "parameter `{key}` is a probability, expected values in [0, 1]"
                            ));
                        }
                        if COUNT_PARAMETERS.contains(&key.as_str())
                            && !(nominal >= 1.0 && nominal.fract() == 0.0)
                        {
                            problem(format!(
                                "parameter `{key}` is a count, expected a positive integer, found {nominal}"
                            ));
                        }
                    }
                    _ => {
                        if p.low.is_some() || p.high.is_some() {
                            problem(format!(
                                "parameter `{key}` is not a number but has `low` or `high`"
                            ));
                        }
                    }
                }
            }
            if !e.flight_figures.is_empty() && !e.class.is_rocket_powered() {
                problem(format!(
                    "class `{}` has no flight figures: they describe rocket-powered threats",
                    e.class
                ));
            }
            let number = |key: &str| e.number(key).ok().map(|u| u.nominal);
            for f in &e.flight_figures {
                let what = format!("flight figure `{}` at {} km", f.quantity.key(), f.range_km);
                for msg in citation_problems(&what, &f.source, e) {
                    problem(msg);
                }
                if !(f.low.is_finite() && f.high.is_finite() && 0.0 <= f.low && f.low <= f.high) {
                    problem(format!(
                        "{what}: expected 0 <= low <= high, found {}, {}",
                        f.low, f.high
                    ));
                }
                if let (Some(min), Some(max)) = (number("min_range_km"), number("max_range_km"))
                    && !(min <= f.range_km && f.range_km <= max)
                {
                    problem(format!(
                        "{what}: the range is outside the type's {min}-{max} km"
                    ));
                }
            }
            for (key, ty) in e.class.required_parameters() {
                match e.parameters.get(key) {
                    None => problem(format!(
                        "class `{}` requires parameter `{key}`, which is missing",
                        e.class
                    )),
                    Some(p) if p.nominal.value_type() != ty => problem(format!(
                        "parameter `{key}` should be {ty}, found {}",
                        p.nominal.value_type()
                    )),
                    Some(_) => {}
                }
            }
            for (key, ty) in e.class.not_yet_modelled_parameters() {
                if let Some(p) = e.parameters.get(key)
                    && p.nominal.value_type() != ty
                {
                    problem(format!(
                        "parameter `{key}` should be {ty}, found {}",
                        p.nominal.value_type()
                    ));
                }
            }
            if e.class == Class::Interceptor
                && let Some(Value::Text(word)) = e.parameters.get("tier").map(|p| &p.nominal)
                && Tier::from_name(word).is_none()
            {
                problem(format!(
                    "parameter `tier` is `{word}`; expected {}",
                    crate::diag::one_of(&Tier::ALL.map(Tier::name))
                ));
            }
            if e.class == Class::Radar
                && let Some(Value::Text(word)) = e.parameters.get("scanning").map(|p| &p.nominal)
                && Scanning::from_name(word).is_none()
            {
                problem(format!(
                    "parameter `scanning` is `{word}`; expected {}",
                    crate::diag::one_of(&Scanning::ALL.map(Scanning::name))
                ));
            }
        }
        out
    }
}

/// What is wrong with the sources that `what` of entry `e` cites: none, or keys that are not in
/// the entry's `sources`.
fn citation_problems(what: &str, cited: &[String], e: &CatalogEntry) -> Vec<String> {
    let mut out = Vec::new();
    if cited.is_empty() {
        out.push(format!("{what} names no source"));
    }
    out.extend(
        cited
            .iter()
            .filter(|s| !e.sources.contains_key(*s))
            .map(|s| format!("{what} cites source `{s}`, which is not in the entry's `sources`")),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uncertain::Uncertain;

    const THREATS: &str = r#"
- id: tiny
  name: Tiny
  class: rocket
  summary: A test rocket.
  sources:
    a: "Source A"
  parameters:
    max_range_km: {nominal: 40, low: 35, high: 45, source: a}
    separating: {nominal: false, source: [a]}
"#;

    #[test]
    fn entries_parse_and_read() {
        let c = Catalog::from_sources(THREATS, "[]", "[]").expect("parses");
        let e = c.get("tiny").expect("tiny");
        assert_eq!(e.class, Class::Rocket);
        assert_eq!(
            e.number("max_range_km").unwrap(),
            Uncertain::new(35.0, 40.0, 45.0).unwrap()
        );
        assert_eq!(e.number_si("max_range_km").unwrap().nominal, 40_000.0);
        assert!(!e.flag("separating").unwrap());
        assert!(matches!(
            e.number("separating"),
            Err(ParameterError::WrongType { .. })
        ));
        assert!(matches!(
            e.number("nope"),
            Err(ParameterError::Missing { .. })
        ));
        assert_eq!(c.closest_id("tinny", None), Some("tiny"));
        // The fixture lacks most required parameters.
        assert!(
            c.check()
                .iter()
                .any(|d| d.message.contains("requires parameter `isp_s`"))
        );
    }

    #[test]
    fn wrong_kind_and_duplicates_are_errors() {
        let err = Catalog::from_sources(THREATS, THREATS, "[]").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("catalog/interceptors.yaml:4:10"), "{text}");
        assert!(text.contains("class `rocket` is a threat class"), "{text}");
        let err = Catalog::from_sources(&format!("{THREATS}{THREATS}"), "[]", "[]").unwrap_err();
        assert!(err.to_string().contains("duplicate id `tiny`"), "{err}");
    }

    #[test]
    fn units_come_from_the_suffix() {
        assert_eq!(unit_of("speed_m_s").symbol, "m/s");
        assert_eq!(unit_of("max_range_km").si_factor, 1000.0);
        assert_eq!(unit_of("reference_rcs_m2").symbol, "m²");
        assert_eq!(unit_of("isp_s").symbol, "s");
        assert_eq!(unit_of("terminal_manoeuvre_g").si_symbol, "m/s²");
        assert_eq!(unit_of("reliability").symbol, "");
        assert_eq!(unit_of("launchers").symbol, "");
    }
}
