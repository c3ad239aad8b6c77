//! From [`ScenarioFile`] to [`Scenario`]: references resolved, catalog types applied with their
//! overrides, units converted to SI, and every check done, each problem collected with its
//! position.

use std::collections::HashMap;
use std::path::Path;

use skyshield_physics::earth::{Geodetic, geodesic_inverse};

use crate::Damage;
use crate::catalog::{
    COUNT_PARAMETERS, Catalog, CatalogEntry, Class, Kind, ParamValue, ResolvedType, is_probability,
    unit_of,
};
use crate::diag::{Pos, Problems, closest, did_you_mean, one_of};
use crate::file::{
    self, Circle, OverrideValue, Overrides, Point, Quantity, ScenarioFile, ScenarioKindName, Sites,
};
use crate::located::Located;
use crate::scenario::{
    AbstractScenario, Aim, Area, Asset, AssetKind, Battery, Command, Doctrine, Earth, EarthModel,
    LaunchSites, Layer, LayeredScenario, RaidGroup, Scenario, ScenarioKind, Sensor, Shape,
    Tracking, Warning, WarningZones,
};
use crate::uncertain::Uncertain;

/// Default number of replications.
pub const DEFAULT_RUNS: u64 = 1000;
/// Default master seed.
pub const DEFAULT_SEED: u64 = 0;
/// Default probability that a siren region holds the impact point: the 95 % of common
/// planning practice for prediction ellipses.
pub const DEFAULT_WARNING_CONFIDENCE: f64 = 0.95;
/// Default lead time a siren policy aims for, s: 90 s, the time to shelter that Israel's Home
/// Front Command gives the Tel Aviv (Dan) region (oref.org.il, "Time to enter a protected
/// space").
pub const DEFAULT_MIN_LEAD_S: f64 = 90.0;
/// Default time people stay sheltered after the last impact, s: the Home Front Command asks
/// people to stay in the protected space for 10 minutes after a siren (oref.org.il, "How to
/// act when an alert is sounded").
pub const DEFAULT_ALL_CLEAR_S: f64 = 600.0;

/// What a number may be.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Bounds {
    /// Anything finite.
    Any,
    /// `>= 0`.
    NonNegative,
    /// `> 0`.
    Positive,
    /// In `[0, 1]`.
    Probability,
    /// In `[0, 1)`.
    Fraction,
}

impl Bounds {
    fn holds(self, x: f64) -> bool {
        match self {
            Bounds::Any => true,
            Bounds::NonNegative => x >= 0.0,
            Bounds::Positive => x > 0.0,
            Bounds::Probability => (0.0..=1.0).contains(&x),
            Bounds::Fraction => (0.0..1.0).contains(&x),
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Bounds::Any => "a number",
            Bounds::NonNegative => "a number >= 0",
            Bounds::Positive => "a number > 0",
            Bounds::Probability => "a probability from 0 to 1",
            Bounds::Fraction => "a fraction from 0 up to, not including, 1",
        }
    }
}

/// Check a scenario file and build the scenario. `damage` names the elements that lost values
/// that could not be read (already reported), so that references to them and fields missing
/// from them are not reported again; `damaged` says that some value was left out, which
/// silences checks such as "the raid is empty" that could follow from that.
pub(crate) fn check(
    file: &ScenarioFile,
    path: &Path,
    catalog: &Catalog,
    problems: &mut Problems,
    damage: &Damage,
    damaged: bool,
) -> Option<Scenario> {
    let before = problems.0.len();
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut c = Checker {
        catalog,
        problems,
        damage,
        damaged,
        dir,
        ids: HashMap::new(),
    };
    let runs = match &file.runs {
        Some(r) => c.count(r, "runs").map(u64::from),
        None => Some(DEFAULT_RUNS),
    };
    let seed = file.seed.as_ref().map_or(DEFAULT_SEED, |s| s.value);
    let start = file.start.as_ref().and_then(|s| c.timestamp(s, "start"));
    let kind_name = file
        .kind
        .as_ref()
        .map_or(ScenarioKindName::Layered, |k| k.value);
    let kind = match kind_name {
        ScenarioKindName::Layered => c.layered(file).map(|l| ScenarioKind::Layered(Box::new(l))),
        ScenarioKindName::Abstract => c.abstract_(file).map(ScenarioKind::Abstract),
    };
    let reported = check_reported(file, c.problems);
    let name = match &file.name {
        Some(n) if n.value.trim().is_empty() => {
            c.problems.push(
                n.pos,
                "expected a name for the scenario, found an empty string",
            );
            ""
        }
        Some(n) => n.value.trim(),
        None => {
            c.problems.push(
                Pos::START,
                "missing field `name`: a scenario needs a short title",
            );
            ""
        }
    };
    if problems.0.len() > before {
        return None;
    }
    Some(Scenario {
        name: name.to_owned(),
        description: file.description.as_ref().map(|d| d.value.trim().to_owned()),
        sources: file
            .sources
            .as_ref()
            .map(|s| s.value.iter().map(|x| x.value.clone()).collect())
            .unwrap_or_default(),
        seed,
        runs: runs?,
        start,
        kind: kind?,
        reported,
    })
}

/// The reported figures, their metrics checked against the file's assets and interceptor types
/// (the layer ids of an abstract scenario).
fn check_reported(file: &ScenarioFile, problems: &mut Problems) -> Vec<crate::ReportedFigure> {
    let Some(items) = &file.reported else {
        return Vec::new();
    };
    let assets: Vec<&str> = file
        .assets
        .iter()
        .flat_map(|a| &a.value)
        .map(|x| x.id.value.as_str())
        .collect();
    let mut layers: Vec<&str> = file
        .batteries
        .iter()
        .flat_map(|b| &b.value)
        .map(|x| x.type_id.value.as_str())
        .chain(
            file.layers
                .iter()
                .flat_map(|l| &l.value)
                .map(|x| x.id.value.as_str()),
        )
        .collect();
    layers.sort_unstable();
    layers.dedup();
    let warning = file.warning.is_some();
    crate::reported::check(&items.value, &layers, &assets, warning, problems)
}

struct Checker<'a> {
    catalog: &'a Catalog,
    problems: &'a mut Problems,
    damage: &'a Damage,
    damaged: bool,
    dir: &'a Path,
    /// Every id of the scenario: where it was first given, and in which section.
    ids: HashMap<String, (Pos, &'static str)>,
}

/// Ids of one section, to resolve references: id → (index, class for sensors).
type Index = HashMap<String, (usize, Option<Class>)>;

impl<'a> Checker<'a> {
    fn err(&mut self, pos: Pos, message: impl Into<String>) {
        self.problems.push(pos, message);
    }

    /// Report a missing field of element `id`, unless a value of it could not be read (then
    /// the field may be missing only because of that, and the cause is already reported).
    fn missing(&mut self, id: &str, pos: Pos, message: impl Into<String>) {
        if !self.damage.damaged.contains(id) {
            self.problems.push(pos, message);
        }
    }

    /// Record an id; report a duplicate or an empty one.
    fn register(&mut self, id: &Located<String>, section: &'static str) {
        if id.value.trim().is_empty() {
            self.err(id.pos, "expected an id, found an empty string");
            return;
        }
        if let Some(&(first, first_section)) = self.ids.get(&id.value) {
            self.err(
                id.pos,
                format!(
                    "duplicate id `{}`: already used by the {first_section} at line {}, column {}; ids must be unique in a scenario",
                    id.value, first.line, first.column
                ),
            );
        } else {
            self.ids.insert(id.value.clone(), (id.pos, section));
        }
    }

    /// An RFC 3339 date-time with its offset from UTC (`Z` for UTC itself).
    fn timestamp(&mut self, v: &Located<String>, name: &str) -> Option<jiff::Timestamp> {
        match v.value.trim().parse::<jiff::Timestamp>() {
            Ok(t) => Some(t),
            Err(e) => {
                self.err(
                    v.pos,
                    format!(
                        "expected an RFC 3339 date-time such as `2024-10-01T16:30:00Z` for `{name}`, found `{}` ({e})",
                        v.value
                    ),
                );
                None
            }
        }
    }

    /// A count: a whole number >= 1.
    fn count(&mut self, v: &Located<i64>, name: &str) -> Option<u32> {
        match u32::try_from(v.value) {
            Ok(n) if n >= 1 => Some(n),
            _ if v.value > 0 => {
                self.err(
                    v.pos,
                    format!(
                        "`{name}` is too large: expected at most {}, found {}",
                        u32::MAX,
                        v.value
                    ),
                );
                None
            }
            _ => {
                self.err(
                    v.pos,
                    format!(
                        "expected a positive whole number for `{name}`, found {}",
                        v.value
                    ),
                );
                None
            }
        }
    }

    /// A plain number with bounds.
    fn number(&mut self, v: &Located<f64>, name: &str, bounds: Bounds) -> Option<f64> {
        if bounds.holds(v.value) {
            Some(v.value)
        } else {
            self.err(
                v.pos,
                format!(
                    "expected {} for `{name}`, found {}",
                    bounds.expected(),
                    v.value
                ),
            );
            None
        }
    }

    /// A number or range with bounds on every value.
    fn quantity(&mut self, q: &Located<Quantity>, name: &str, bounds: Bounds) -> Option<Uncertain> {
        self.quantity_at(&q.value, q.pos, name, bounds)
    }

    fn quantity_at(
        &mut self,
        q: &Quantity,
        pos: Pos,
        name: &str,
        bounds: Bounds,
    ) -> Option<Uncertain> {
        let low = q.low.unwrap_or(q.nominal);
        let high = q.high.unwrap_or(q.nominal);
        let Ok(u) = Uncertain::new(low, q.nominal, high) else {
            let detail = if low > q.nominal {
                format!("low {low} > nominal {}", q.nominal)
            } else {
                format!("nominal {} > high {high}", q.nominal)
            };
            self.err(
                pos,
                format!("expected low <= nominal <= high for `{name}`, found {detail}"),
            );
            return None;
        };
        for (what, x) in [("nominal", u.nominal), ("low", u.low), ("high", u.high)] {
            if !bounds.holds(x) {
                let whose = if u.is_exact() {
                    String::new()
                } else {
                    format!(" ({what})")
                };
                self.err(
                    pos,
                    format!(
                        "expected {} for `{name}`, found {x}{whose}",
                        bounds.expected()
                    ),
                );
                return None;
            }
        }
        Some(u)
    }

    /// A position: latitude in [-90, 90], longitude in [-180, 180], height in the range of
    /// the physics crate.
    fn point(&mut self, p: &Point) -> Option<Geodetic> {
        let mut ok = true;
        if !(-90.0..=90.0).contains(&p.lat.value) {
            self.err(
                p.lat.pos,
                format!(
                    "latitude out of range: expected -90 to 90 degrees, found {}",
                    p.lat.value
                ),
            );
            ok = false;
        }
        if !(-180.0..=180.0).contains(&p.lon.value) {
            self.err(
                p.lon.pos,
                format!(
                    "longitude out of range: expected -180 to 180 degrees, found {}",
                    p.lon.value
                ),
            );
            ok = false;
        }
        if !ok {
            return None;
        }
        let height = p.height_m.as_ref().map_or(0.0, |h| h.value);
        match Geodetic::from_degrees(p.lat.value, p.lon.value, height) {
            Ok(g) => Some(g),
            Err(e) => {
                let pos = p.height_m.as_ref().map_or(p.pos(), |h| h.pos);
                self.err(pos, format!("invalid position: {e}"));
                None
            }
        }
    }

    fn circle(&mut self, c: &Circle) -> Option<(Geodetic, f64)> {
        let center = self.point(&c.center);
        let radius_km = self.number(&c.radius_km, "radius_km", Bounds::Positive);
        Some((center?, radius_km? * 1000.0))
    }

    /// The catalog entry of `kind` with this id.
    fn catalog_type(&mut self, id: &Located<String>, kind: Kind) -> Option<&'a CatalogEntry> {
        let catalog = self.catalog;
        match catalog.get(&id.value) {
            Some(e) if e.kind() == kind => Some(e),
            Some(e) => {
                let class = if e.class.name() == e.kind().name() {
                    String::new()
                } else {
                    format!(" (class `{}`)", e.class)
                };
                self.err(
                    id.pos,
                    format!(
                        "`{}` is {} type{class}, not {} type",
                        id.value,
                        article(e.kind().name()),
                        article(kind.name())
                    ),
                );
                None
            }
            None => {
                let hint = match catalog.closest_id(&id.value, Some(kind)) {
                    Some(c) => format!("; did you mean `{c}`?"),
                    None => format!("; `skyshield catalog list` shows the {} types", kind.name()),
                };
                self.err(
                    id.pos,
                    format!("unknown {} type `{}`{hint}", kind.name(), id.value),
                );
                None
            }
        }
    }

    /// A reference to an id of a section; `None` (and a problem) when there is no such id.
    fn reference(&mut self, r: &Located<String>, index: &Index, what: &str) -> Option<usize> {
        if let Some(&(i, _)) = index.get(&r.value) {
            return Some(i);
        }
        if self.damage.dropped.contains(&r.value) {
            return None;
        }
        let hint = if index.is_empty() {
            format!("; the scenario has no {what}s")
        } else {
            let mut ids: Vec<&str> = index.keys().map(String::as_str).collect();
            ids.sort_unstable();
            match closest(&r.value, ids.iter().copied()) {
                Some(c) => format!("; did you mean `{c}`?"),
                None if ids.len() <= 12 => format!("; expected {}", one_of(&ids)),
                None => String::new(),
            }
        };
        self.err(r.pos, format!("unknown {what} `{}`{hint}", r.value));
        None
    }

    /// The catalog type with the element's overrides applied.
    fn overrides(
        &mut self,
        entry: &CatalogEntry,
        overrides: Option<&Located<Overrides>>,
    ) -> Option<ResolvedType> {
        let mut t = entry.resolved();
        let Some(ov) = overrides else {
            return Some(t);
        };
        let mut ok = true;
        for (key, value) in &ov.value.0 {
            let k = key.value.as_str();
            if let Some(current) = t.parameters.get(k).cloned() {
                let new = match (&current, &value.value) {
                    (ParamValue::Number(_), OverrideValue::Number(q)) => self
                        .override_number(k, k, q, value.pos)
                        .map(ParamValue::Number),
                    (ParamValue::Bool(_), OverrideValue::Flag(b)) => Some(ParamValue::Bool(*b)),
                    (ParamValue::Text(_), OverrideValue::Text(s)) => {
                        Some(ParamValue::Text(s.clone()))
                    }
                    (cur, found) => {
                        self.err(
                            value.pos,
                            format!(
                                "expected {} for `{k}`, found {}",
                                describe_type(cur),
                                describe_override(found)
                            ),
                        );
                        None
                    }
                };
                match new {
                    Some(v) => {
                        t.parameters.insert(k.to_owned(), v);
                        t.overridden.insert(k.to_owned());
                    }
                    None => ok = false,
                }
                continue;
            }
            let members: Vec<Class> = Class::THREATS
                .into_iter()
                .filter(|c| t.parameters.contains_key(&family_key(k, *c)))
                .collect();
            if members.is_empty() {
                let mut candidates: Vec<String> = t.parameters.keys().cloned().collect();
                candidates.extend(families(&t));
                let hint = did_you_mean(k, candidates.iter().map(String::as_str));
                self.err(
                    key.pos,
                    format!(
                        "unknown parameter `{k}` for {} type `{}`{hint}{}",
                        entry.kind().name(),
                        entry.id,
                        if hint.is_empty() {
                            format!("; `skyshield catalog show {}` lists them", entry.id)
                        } else {
                            String::new()
                        }
                    ),
                );
                ok = false;
                continue;
            }
            match &value.value {
                OverrideValue::Number(q) => {
                    let Some(u) = self.override_number(&family_key(k, members[0]), k, q, value.pos)
                    else {
                        ok = false;
                        continue;
                    };
                    for c in &members {
                        let fk = family_key(k, *c);
                        t.parameters.insert(fk.clone(), ParamValue::Number(u));
                        t.overridden.insert(fk);
                    }
                }
                OverrideValue::PerClass(entries) => {
                    let names: Vec<&str> = members.iter().map(|c| c.name()).collect();
                    for (class, q) in entries {
                        let Some(member) = members.iter().find(|c| c.name() == class.value) else {
                            self.err(
                                class.pos,
                                format!(
                                    "unknown threat class `{}` in `{k}`; expected {}{}",
                                    class.value,
                                    one_of(&names),
                                    did_you_mean(&class.value, names.iter().copied())
                                ),
                            );
                            ok = false;
                            continue;
                        };
                        let fk = family_key(k, *member);
                        match self.override_number(&fk, &fk, &q.value, q.pos) {
                            Some(u) => {
                                t.parameters.insert(fk.clone(), ParamValue::Number(u));
                                t.overridden.insert(fk);
                            }
                            None => ok = false,
                        }
                    }
                }
                other => {
                    self.err(
                        value.pos,
                        format!(
                            "expected a number, {{low, nominal, high}} or values per threat class for `{k}`, found {}",
                            describe_override(other)
                        ),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(t)
    }

    /// An overriding number of parameter `key`, called `name` in messages.
    fn override_number(
        &mut self,
        key: &str,
        name: &str,
        q: &Quantity,
        pos: Pos,
    ) -> Option<Uncertain> {
        let bounds = if is_probability(key) {
            Bounds::Probability
        } else if COUNT_PARAMETERS.contains(&key) {
            Bounds::Positive
        } else if unit_of(key).symbol == "deg" {
            Bounds::Any
        } else {
            Bounds::NonNegative
        };
        let u = self.quantity_at(q, pos, name, bounds)?;
        if COUNT_PARAMETERS.contains(&key)
            && [u.low, u.nominal, u.high].iter().any(|x| x.fract() != 0.0)
        {
            self.err(
                pos,
                format!(
                    "expected a positive whole number for `{name}`, found {}",
                    u.nominal
                ),
            );
            return None;
        }
        Some(u)
    }

    /// Report fields of the other kind of scenario.
    fn foreign(&mut self, fields: &[(&str, Option<Pos>)], kind: &str, other: &str) {
        for (name, pos) in fields {
            if let Some(pos) = pos {
                self.err(
                    *pos,
                    format!("`{name}` belongs to {other} scenarios; this one is `kind: {kind}`"),
                );
            }
        }
    }

    fn layered(&mut self, f: &ScenarioFile) -> Option<LayeredScenario> {
        self.foreign(
            &[
                ("threats", f.threats.as_ref().map(|x| x.pos)),
                ("tracking", f.tracking.as_ref().map(|x| x.pos)),
                (
                    "tracking_probability",
                    f.tracking_probability.as_ref().map(|x| x.pos),
                ),
                (
                    "kill_assessment_probability",
                    f.kill_assessment_probability.as_ref().map(|x| x.pos),
                ),
                ("layers", f.layers.as_ref().map(|x| x.pos)),
            ],
            "layered",
            "abstract (`kind: abstract`)",
        );
        let earth = f.earth.as_ref().map_or_else(Earth::default, |e| Earth {
            model: match e.value.model.as_ref().map(|m| m.value) {
                Some(file::EarthModelName::Sphere) => EarthModel::Sphere,
                _ => EarthModel::Wgs84,
            },
            rotation: e.value.rotation.as_ref().is_none_or(|b| b.value),
            atmosphere: e.value.atmosphere.as_ref().is_none_or(|b| b.value),
        });

        // Assets.
        let mut asset_index = Index::new();
        let mut assets = Vec::new();
        for a in f.assets.iter().flat_map(|x| &x.value) {
            self.register(&a.id, "asset");
            asset_index
                .entry(a.id.value.clone())
                .or_insert((assets.len(), None));
            assets.push(self.asset(a));
        }

        // Sensors.
        let mut sensor_index = Index::new();
        let mut sensors = Vec::new();
        for s in f.sensors.iter().flat_map(|x| &x.value) {
            self.register(&s.id, "sensor");
            let (sensor, class) = self.sensor(s);
            sensor_index
                .entry(s.id.value.clone())
                .or_insert((sensors.len(), class));
            sensors.push(sensor);
        }

        let command = self.command(f.command.as_ref());

        // Batteries.
        let network = command.as_ref().is_none_or(|c| c.network);
        let mut batteries = Vec::new();
        for b in f.batteries.iter().flat_map(|x| &x.value) {
            self.register(&b.id, "battery");
            batteries.push(self.battery(b, &asset_index, &sensor_index, network));
        }

        // Raid.
        let mut raid = Vec::new();
        match &f.raid {
            Some(r) if r.value.is_empty() && !self.damaged => {
                self.err(r.pos, "the raid is empty: expected at least one raid group")
            }
            None if !self.damaged => self.err(
                Pos::START,
                "missing field `raid`: a layered scenario needs at least one raid group",
            ),
            _ => {}
        }
        for g in f.raid.iter().flat_map(|x| &x.value) {
            self.register(&g.id, "raid group");
            raid.push(self.raid_group(g, &asset_index, &assets));
        }

        let warning = match &f.warning {
            Some(w) => Some(self.warning(&w.value, &asset_index, assets.len())?),
            None => None,
        };

        Some(LayeredScenario {
            earth,
            assets: assets.into_iter().collect::<Option<_>>()?,
            sensors: sensors.into_iter().collect::<Option<_>>()?,
            batteries: batteries.into_iter().collect::<Option<_>>()?,
            command: command?,
            raid: raid.into_iter().collect::<Option<_>>()?,
            warning,
        })
    }

    fn asset(&mut self, a: &file::Asset) -> Option<Asset> {
        let area = match (&a.circle, &a.polygon) {
            (Some(_), Some(p)) => {
                self.err(
                    p.pos,
                    format!(
                        "asset `{}` has both `circle` and `polygon`; give one",
                        a.id.value
                    ),
                );
                None
            }
            (None, None) => {
                self.missing(
                    &a.id.value,
                    a.id.pos,
                    format!(
                        "asset `{}` has no area: expected `circle` or `polygon`",
                        a.id.value
                    ),
                );
                None
            }
            (Some(c), None) => self
                .circle(&c.value)
                .map(|(center, radius_m)| Area::Circle { center, radius_m }),
            (None, Some(p)) => self.polygon(p),
        };
        let population = match &a.population {
            Some(p) if p.value < 0 => {
                self.err(
                    p.pos,
                    format!("expected a population >= 0, found {}", p.value),
                );
                None
            }
            Some(p) => Some(p.value as u64),
            None => Some(0),
        };
        let value = match &a.value {
            Some(v) => self.number(v, "value", Bounds::NonNegative),
            None => Some(1.0),
        };
        Some(Asset {
            id: a.id.value.clone(),
            kind: a.kind.as_ref().map_or(AssetKind::Other, |k| k.value),
            area: area?,
            population: population?,
            value: value?,
        })
    }

    fn polygon(&mut self, p: &Located<Vec<Point>>) -> Option<Area> {
        if p.value.len() < 3 {
            self.err(
                p.pos,
                format!(
                    "a polygon needs at least 3 vertices, found {}",
                    p.value.len()
                ),
            );
            return None;
        }
        let vertices: Vec<Option<Geodetic>> = p.value.iter().map(|v| self.point(v)).collect();
        let vertices: Vec<Geodetic> = vertices.into_iter().collect::<Option<_>>()?;
        let n = vertices.len() as f64;
        let lat = vertices.iter().map(Geodetic::lat_deg).sum::<f64>() / n;
        let lon0 = vertices[0].lon_deg();
        let dlon = vertices
            .iter()
            .map(|v| {
                let d = v.lon_deg() - lon0;
                d - 360.0 * (d / 360.0).round()
            })
            .sum::<f64>()
            / n;
        match Geodetic::from_degrees(lat, lon0 + dlon, 0.0) {
            Ok(centroid) => Some(Area::Polygon { vertices, centroid }),
            Err(e) => {
                self.err(p.pos, format!("the polygon has no valid centroid: {e}"));
                None
            }
        }
    }

    fn sensor(&mut self, s: &file::Sensor) -> (Option<Sensor>, Option<Class>) {
        let Some(entry) = self.catalog_type(&s.type_id, Kind::Sensor) else {
            return (None, None);
        };
        let class = entry.class;
        let sensor_type = self.overrides(entry, s.overrides.as_ref());
        let position = match (&s.at, class) {
            (Some(p), Class::SpaceIr) => {
                self.err(
                    p.pos(),
                    format!(
                        "`{}` is a space-based sensor and has no ground position; remove `at`",
                        s.type_id.value
                    ),
                );
                None
            }
            (None, Class::SpaceIr) => Some(None),
            (Some(p), _) => self.point(p).map(Some),
            (None, _) => {
                self.missing(
                    &s.id.value,
                    s.id.pos,
                    format!(
                        "missing field `at`: radar `{}` needs a position [lat, lon] or [lat, lon, height_m]",
                        s.id.value
                    ),
                );
                None
            }
        };
        let facing_rad = match (&s.facing_deg, class) {
            (Some(f), Class::SpaceIr) => {
                self.err(
                    f.pos,
                    "`facing_deg` applies to radars, not to space-based sensors",
                );
                None
            }
            (Some(f), _) => Some(Some(f.value.rem_euclid(360.0).to_radians())),
            (None, _) => Some(None),
        };
        let sensor = (|| {
            Some(Sensor {
                id: s.id.value.clone(),
                sensor_type: sensor_type?,
                position: position?,
                facing_rad: facing_rad?,
            })
        })();
        (sensor, Some(class))
    }

    /// A count given on the element, or else the type's parameter of the same name.
    fn count_or_type(
        &mut self,
        given: Option<&Located<i64>>,
        t: &ResolvedType,
        key: &str,
        at: Pos,
    ) -> Option<u32> {
        if let Some(v) = given {
            return self.count(v, key);
        }
        match t.number(key) {
            Ok(u)
                if u.nominal >= 1.0
                    && u.nominal.fract() == 0.0
                    && u.nominal <= f64::from(u32::MAX) =>
            {
                Some(u.nominal as u32)
            }
            _ => {
                self.err(
                    at,
                    format!(
                        "missing field `{key}`: type `{}` has no usable default for it",
                        t.id
                    ),
                );
                None
            }
        }
    }

    fn battery(
        &mut self,
        b: &file::Battery,
        assets: &Index,
        sensors: &Index,
        network: bool,
    ) -> Option<Battery> {
        let entry = self.catalog_type(&b.type_id, Kind::Interceptor);
        let interceptor = match entry {
            Some(e) => self.overrides(e, b.overrides.as_ref()),
            None => None,
        };
        let position = self.point(&b.at);
        let (mut launchers, mut rounds, mut fire_channels) = (None, None, None);
        if let Some(t) = &interceptor {
            launchers = self.count_or_type(b.launchers.as_ref(), t, "launchers", b.id.pos);
            fire_channels =
                self.count_or_type(b.fire_channels.as_ref(), t, "fire_channels", b.id.pos);
            rounds = match (&b.rounds, &b.rounds_per_launcher) {
                (Some(total), Some(per)) => {
                    self.err(
                        per.pos,
                        "give `rounds` (in all) or `rounds_per_launcher`, not both",
                    );
                    let _ = self.count(total, "rounds");
                    None
                }
                (Some(total), None) => self.count(total, "rounds"),
                (None, per) => {
                    let per = self.count_or_type(per.as_ref(), t, "rounds_per_launcher", b.id.pos);
                    match (launchers, per) {
                        (Some(l), Some(p)) => {
                            match l.checked_mul(p) {
                                Some(n) => Some(n),
                                None => {
                                    self.err(b.id.pos, "too many rounds: launchers × rounds_per_launcher overflows");
                                    None
                                }
                            }
                        }
                        _ => None,
                    }
                }
            };
        } else {
            for (v, name) in [
                (&b.launchers, "launchers"),
                (&b.rounds_per_launcher, "rounds_per_launcher"),
                (&b.rounds, "rounds"),
                (&b.fire_channels, "fire_channels"),
            ] {
                if let Some(v) = v {
                    let _ = self.count(v, name);
                }
            }
        }
        let radar = match &b.radar {
            Some(r) => match self.reference(r, sensors, "sensor") {
                Some(i) => match sensors.get(&r.value).and_then(|(_, c)| *c) {
                    Some(Class::Radar) => Some(Some(i)),
                    Some(class) => {
                        self.err(
                            r.pos,
                            format!(
                                "sensor `{}` is of class `{class}`, not a radar; a battery's `radar` must be a radar",
                                r.value
                            ),
                        );
                        None
                    }
                    // The sensor's own type is unknown, which is reported there.
                    None => None,
                },
                None => None,
            },
            None if !network => {
                self.err(
                    b.id.pos,
                    format!(
                        "battery `{}` has no `radar` and `command.network` is false, so it could never engage; give it a `radar`",
                        b.id.value
                    ),
                );
                None
            }
            None => Some(None),
        };
        let mut defends = Some(Vec::new());
        for a in b.defends.iter().flat_map(|d| &d.value) {
            match (self.reference(a, assets, "asset"), defends.as_mut()) {
                (Some(i), Some(list)) => list.push(i),
                _ => defends = None,
            }
        }
        Some(Battery {
            id: b.id.value.clone(),
            interceptor: interceptor?,
            position: position?,
            launchers: launchers?,
            rounds: rounds?,
            fire_channels: fire_channels?,
            radar: radar?,
            defends: defends?,
        })
    }

    fn command(&mut self, c: Option<&Located<file::Command>>) -> Option<Command> {
        let Some(c) = c else {
            return Some(Command {
                decision_latency_s: Uncertain::exact(0.0),
                network: true,
                doctrine: default_doctrine(),
            });
        };
        let c = &c.value;
        let latency = match &c.decision_latency_s {
            Some(q) => self.quantity(q, "decision_latency_s", Bounds::NonNegative),
            None => Some(Uncertain::exact(0.0)),
        };
        let doctrine = match &c.doctrine {
            None => Some(default_doctrine()),
            Some(d) => {
                let d = &d.value;
                let shots = match &d.shots_per_engagement {
                    Some(v) => self.count(v, "shots_per_engagement"),
                    None => Some(1),
                };
                let reserve = match &d.reserve_fraction {
                    Some(q) => self.quantity(q, "reserve_fraction", Bounds::Fraction),
                    None => Some(Uncertain::exact(0.0)),
                };
                (|| {
                    Some(Doctrine {
                        shots_per_engagement: shots?,
                        shoot_look_shoot: d.shoot_look_shoot.as_ref().is_none_or(|b| b.value),
                        engage_only_defended: d
                            .engage_only_defended
                            .as_ref()
                            .is_none_or(|b| b.value),
                        reserve_fraction: reserve?,
                    })
                })()
            }
        };
        Some(Command {
            decision_latency_s: latency?,
            network: c.network.as_ref().is_none_or(|b| b.value),
            doctrine: doctrine?,
        })
    }

    fn raid_group(
        &mut self,
        g: &file::RaidGroup,
        asset_index: &Index,
        assets: &[Option<Asset>],
    ) -> Option<RaidGroup> {
        let entry = self.catalog_type(&g.threat, Kind::Threat);
        let threat = match entry {
            Some(e) => self.overrides(e, g.overrides.as_ref()),
            None => None,
        };
        let count = self.count(&g.count, "count");

        // Launch window and sites.
        let launch = &g.launch.value;
        let window_s = match &launch.window_s {
            Some(w) if w.value.start_s > w.value.end_s => {
                self.err(
                    w.pos,
                    format!(
                        "expected `window_s: [start_s, end_s]` with start_s <= end_s, found [{}, {}]",
                        w.value.start_s, w.value.end_s
                    ),
                );
                None
            }
            Some(w) => Some((w.value.start_s, w.value.end_s)),
            None => Some((0.0, 0.0)),
        };
        let sites = self.sites(&g.id.value, launch, g.launch.pos);

        // Aim.
        let aim = match (&g.target, &g.aim) {
            (Some(_), Some(p)) => {
                self.err(
                    p.pos(),
                    format!(
                        "raid group `{}` has both `target` and `aim`; give one",
                        g.id.value
                    ),
                );
                None
            }
            (None, None) => {
                self.missing(
                    &g.id.value,
                    g.id.pos,
                    format!(
                        "raid group `{}` has nothing to aim at: expected `target` (an asset id) or `aim` ([lat, lon])",
                        g.id.value
                    ),
                );
                None
            }
            (Some(t), None) => self.reference(t, asset_index, "asset").map(Aim::Asset),
            (None, Some(p)) => self.point(p).map(Aim::Point),
        };

        // Class-specific fields.
        let class = threat.as_ref().map(|t| t.class);
        let shape = match (class, &g.shape) {
            (Some(c), s) if c.is_rocket_powered() => Some(Some(s.as_ref().map_or(
                if c == Class::QuasiBallistic {
                    Shape::Depressed
                } else {
                    Shape::MinEnergy
                },
                |s| s.value,
            ))),
            (Some(c), Some(s)) => {
                self.err(
                    s.pos,
                    format!(
                        "`shape` applies to ballistic, quasi-ballistic and rocket types; `{}` is a {c} type",
                        g.threat.value
                    ),
                );
                None
            }
            _ => Some(None),
        };
        let apogee_m = match (&g.apogee_km, shape.flatten()) {
            (None, _) => Some(None),
            (Some(q), Some(Shape::Lofted | Shape::Depressed)) => {
                let u = self.quantity(q, "apogee_km", Bounds::Positive);
                if let (Some(u), Some(t)) = (u, &threat)
                    && t.class == Class::QuasiBallistic
                    && let Ok(max) = t.number("max_apogee_km")
                    && u.high > max.nominal
                {
                    self.err(
                        q.pos,
                        format!(
                            "`apogee_km` {} is above the type's `max_apogee_km` of {} km",
                            u.high, max.nominal
                        ),
                    );
                    None
                } else {
                    u.map(|u| Some(u.scaled(1000.0)))
                }
            }
            (Some(q), Some(Shape::MinEnergy)) => {
                self.err(
                    q.pos,
                    "`apogee_km` sets the apogee of a `lofted` or `depressed` trajectory; a `min-energy` trajectory has its own",
                );
                None
            }
            (Some(q), None) => {
                if class.is_some() && shape.is_some() {
                    self.err(
                        q.pos,
                        format!(
                            "`apogee_km` applies to ballistic, quasi-ballistic and rocket types; `{}` is a {} type",
                            g.threat.value,
                            class.map_or("", Class::name)
                        ),
                    );
                }
                None
            }
        };
        let route = match (&g.route, class) {
            (None, _) => Some(Vec::new()),
            (Some(r), Some(c)) if !c.flies_route() => {
                self.err(
                    r.pos,
                    format!(
                        "`route` applies to cruise missiles and drones; `{}` is a {c} type",
                        g.threat.value
                    ),
                );
                None
            }
            (Some(r), _) => {
                let points: Vec<Option<Geodetic>> = r.value.iter().map(|p| self.point(p)).collect();
                points.into_iter().collect::<Option<Vec<_>>>()
            }
        };
        let cep_m = match (&g.cep_m, &threat) {
            (Some(q), _) => self.quantity(q, "cep_m", Bounds::NonNegative),
            (None, Some(t)) => match t.number("cep_m") {
                Ok(u) => Some(u),
                Err(e) => {
                    self.err(g.threat.pos, format!("{e}"));
                    None
                }
            },
            (None, None) => None,
        };

        // Range.
        if let (Some(t), Some(sites), Some(aim), Some(route)) = (&threat, &sites, &aim, &route) {
            let aim_point = match aim {
                Aim::Asset(i) => assets
                    .get(*i)
                    .and_then(|a| a.as_ref())
                    .map(|a| a.area.aim_point()),
                Aim::Point(p) => Some(*p),
            };
            let aim_name = match (aim, &g.target) {
                (Aim::Asset(_), Some(t)) => format!("asset `{}`", t.value),
                _ => "the aim point".to_owned(),
            };
            if let Some(aim_point) = aim_point {
                self.range_check(g, t, sites, launch, &aim_point, &aim_name, route);
            }
        }

        Some(RaidGroup {
            id: g.id.value.clone(),
            threat: threat?,
            count: count?,
            sites: sites?,
            window_s: window_s?,
            aim: aim?,
            shape: shape?,
            apogee_m: apogee_m?,
            cep_m: cep_m?,
            route: route?,
        })
    }

    fn sites(
        &mut self,
        group: &str,
        launch: &file::Launch,
        launch_pos: Pos,
    ) -> Option<LaunchSites> {
        match (&launch.sites, &launch.area) {
            (Some(s), None) => match &s.value {
                Sites::Points(list) if list.is_empty() => {
                    self.err(
                        s.pos,
                        "expected at least one launch site, found an empty list",
                    );
                    None
                }
                Sites::Points(list) => {
                    let points: Vec<Option<Geodetic>> =
                        list.iter().map(|p| self.point(p)).collect();
                    points
                        .into_iter()
                        .collect::<Option<Vec<_>>>()
                        .map(LaunchSites::Points)
                }
                Sites::Count(_) => {
                    self.err(
                        s.pos,
                        "a number of `sites` needs a launch `area` to place them in; or list the sites as [[lat, lon], ...]",
                    );
                    None
                }
            },
            (sites, Some(area)) => {
                let n = match sites {
                    Some(s) => match &s.value {
                        Sites::Count(n) => self.count(&Located::new(*n, s.pos), "sites"),
                        Sites::Points(_) => {
                            self.err(
                                s.pos,
                                "with `area`, `sites` is the number of sites placed in it; list sites without `area`",
                            );
                            None
                        }
                    },
                    None => Some(1),
                };
                let circle = self.circle(&area.value);
                let (center, radius_m) = circle?;
                Some(LaunchSites::Area {
                    center,
                    radius_m,
                    sites: n?,
                })
            }
            (None, None) => {
                self.missing(
                    group,
                    launch_pos,
                    "`launch` needs `sites` (a list of [lat, lon]) or an `area`",
                );
                None
            }
        }
    }

    /// Whether every launch site can reach the aim: for a rocket-powered type the geodesic
    /// distance from the site to the aim; for a cruise missile or drone the length of its path
    /// through the route. Checked against the nominal `max_range_km` and `min_range_km`, after
    /// overrides. A launch area is checked at its nearest and farthest points.
    #[allow(clippy::too_many_arguments)]
    fn range_check(
        &mut self,
        g: &file::RaidGroup,
        t: &ResolvedType,
        sites: &LaunchSites,
        launch: &file::Launch,
        aim: &Geodetic,
        aim_name: &str,
        route: &[Geodetic],
    ) {
        let (Ok(max), Ok(min)) = (t.number("max_range_km"), t.number("min_range_km")) else {
            return;
        };
        let (max_km, min_km) = (max.nominal, min.nominal);
        let path_km = |from: &Geodetic| -> f64 {
            let mut length = 0.0;
            let mut at = *from;
            for p in route.iter().chain(std::iter::once(aim)) {
                length += geodesic_inverse(&at, p).distance_m;
                at = *p;
            }
            length / 1000.0
        };
        let via = if route.is_empty() {
            ""
        } else {
            " along its route"
        };
        match sites {
            LaunchSites::Points(points) => {
                let written: Vec<Pos> = match launch.sites.as_ref().map(|s| &s.value) {
                    Some(Sites::Points(list)) => list.iter().map(Point::pos).collect(),
                    _ => Vec::new(),
                };
                for (i, site) in points.iter().enumerate() {
                    let d = path_km(site);
                    let pos = written.get(i).copied().unwrap_or(g.launch.pos);
                    if d > max_km {
                        self.err(
                            pos,
                            format!(
                                "{aim_name} is out of range: this site is {d:.0} km from it{via}, but `{}` flies at most {max_km} km (max_range_km)",
                                t.id
                            ),
                        );
                    } else if d < min_km {
                        self.err(
                            pos,
                            format!(
                                "{aim_name} is too close: this site is {d:.0} km from it{via}, but `{}` flies at least {min_km} km (min_range_km)",
                                t.id
                            ),
                        );
                    }
                }
            }
            LaunchSites::Area {
                center, radius_m, ..
            } => {
                let d = path_km(center);
                let r = radius_m / 1000.0;
                let pos = launch.area.as_ref().map_or(g.launch.pos, |a| a.pos);
                if d + r > max_km {
                    self.err(
                        pos,
                        format!(
                            "{aim_name} is out of range from part of the launch area: its farthest point is about {:.0} km away{via}, but `{}` flies at most {max_km} km (max_range_km)",
                            d + r,
                            t.id
                        ),
                    );
                } else if d - r < min_km {
                    self.err(
                        pos,
                        format!(
                            "{aim_name} is too close to part of the launch area: its nearest point is about {:.0} km away{via}, but `{}` flies at least {min_km} km (min_range_km)",
                            (d - r).max(0.0),
                            t.id
                        ),
                    );
                }
            }
        }
    }

    fn warning(&mut self, w: &file::Warning, assets: &Index, n_assets: usize) -> Option<Warning> {
        let confidence = match &w.confidence {
            Some(c) if c.value > 0.0 && c.value < 1.0 => Some(c.value),
            Some(c) => {
                self.err(
                    c.pos,
                    format!(
                        "expected a probability above 0 and below 1 for `confidence`, found {}",
                        c.value
                    ),
                );
                None
            }
            None => Some(DEFAULT_WARNING_CONFIDENCE),
        };
        let min_lead_s = match &w.min_lead_s {
            Some(v) => self.number(v, "min_lead_s", Bounds::NonNegative),
            None => Some(DEFAULT_MIN_LEAD_S),
        };
        let all_clear_s = match &w.all_clear_s {
            Some(v) => self.number(v, "all_clear_s", Bounds::NonNegative),
            None => Some(DEFAULT_ALL_CLEAR_S),
        };
        let zones = self.warning_zones(&w.zones, assets, n_assets);
        Some(Warning {
            zones: zones?,
            confidence: confidence?,
            min_lead_s: min_lead_s?,
            warn_debris: w.warn_debris.as_ref().is_none_or(|b| b.value),
            all_clear_s: all_clear_s?,
        })
    }

    fn warning_zones(
        &mut self,
        z: &Located<file::Zones>,
        assets: &Index,
        n_assets: usize,
    ) -> Option<WarningZones> {
        let zones = &z.value;
        match (&zones.grid_km, &zones.geojson) {
            (Some(_), Some(g)) => {
                self.err(
                    g.pos,
                    "give `grid_km` or `geojson` for the warning zones, not both",
                );
                None
            }
            (None, None) => {
                if !self.damaged {
                    self.err(
                        z.pos,
                        "warning `zones` need `grid_km` (a grid over assets) or `geojson` (a file of zone polygons)",
                    );
                }
                None
            }
            (Some(grid_km), None) => {
                let cell_km = self.number(grid_km, "grid_km", Bounds::Positive);
                let over = match zones.over.as_ref().map(|o| &o.value) {
                    None | Some(file::Over::AllAssets) => {
                        if n_assets == 0 && !self.damaged {
                            self.err(
                                grid_km.pos,
                                "the warning grid covers the assets, but the scenario has none",
                            );
                            None
                        } else {
                            Some((0..n_assets).collect())
                        }
                    }
                    Some(file::Over::Assets(ids)) => {
                        let refs: Vec<Option<usize>> = ids
                            .iter()
                            .map(|id| self.reference(id, assets, "asset"))
                            .collect();
                        refs.into_iter().collect::<Option<Vec<usize>>>()
                    }
                };
                let shelter = match &zones.shelter_time_s {
                    Some(q) => self.quantity(q, "shelter_time_s", Bounds::NonNegative),
                    None => {
                        if !self.damaged {
                            self.err(
                                z.pos,
                                "missing field `shelter_time_s`: a warning grid needs the time people take to reach shelter",
                            );
                        }
                        None
                    }
                };
                Some(WarningZones::Grid {
                    cell_m: cell_km? * 1000.0,
                    shape: zones
                        .shape
                        .as_ref()
                        .map_or(file::GridShape::Hex, |s| s.value),
                    over: over?,
                    shelter_time_s: shelter?,
                })
            }
            (None, Some(g)) => {
                if let Some(o) = &zones.over {
                    self.err(
                        o.pos,
                        "`over` applies to a generated grid (`grid_km`), not to `geojson` zones",
                    );
                }
                if let Some(s) = &zones.shape {
                    self.err(
                        s.pos,
                        "`shape` applies to a generated grid (`grid_km`), not to `geojson` zones",
                    );
                }
                let shelter = match &zones.shelter_time_s {
                    Some(q) => self
                        .quantity(q, "shelter_time_s", Bounds::NonNegative)
                        .map(Some),
                    None => Some(None),
                };
                let path = self.dir.join(&g.value);
                if g.value.trim().is_empty() {
                    self.err(
                        g.pos,
                        "expected the path of a GeoJSON file, found an empty string",
                    );
                    return None;
                }
                if !path.is_file() {
                    self.err(
                        g.pos,
                        format!(
                            "GeoJSON file `{}` not found (looked for {})",
                            g.value,
                            path.display()
                        ),
                    );
                    return None;
                }
                let shelter = shelter?;
                match crate::zones::read(&path, &g.value, shelter.map(|u| u.nominal)) {
                    Ok(zones) => Some(WarningZones::GeoJson { path, zones }),
                    Err(problems) => {
                        for problem in problems {
                            self.err(g.pos, problem);
                        }
                        None
                    }
                }
            }
        }
    }

    fn abstract_(&mut self, f: &ScenarioFile) -> Option<AbstractScenario> {
        self.foreign(
            &[
                ("earth", f.earth.as_ref().map(|x| x.pos)),
                ("assets", f.assets.as_ref().map(|x| x.pos)),
                ("sensors", f.sensors.as_ref().map(|x| x.pos)),
                ("batteries", f.batteries.as_ref().map(|x| x.pos)),
                ("command", f.command.as_ref().map(|x| x.pos)),
                ("raid", f.raid.as_ref().map(|x| x.pos)),
                ("warning", f.warning.as_ref().map(|x| x.pos)),
            ],
            "abstract",
            "layered",
        );
        let threats = match &f.threats {
            Some(t) => self.count(t, "threats"),
            None => {
                if !self.damaged {
                    self.err(
                        Pos::START,
                        "missing field `threats`: an abstract scenario needs the number of threats",
                    );
                }
                None
            }
        };
        let tracking = f
            .tracking
            .as_ref()
            .map_or(Tracking::Independent, |t| t.value);
        let tracking_probability = match &f.tracking_probability {
            Some(q) => self.quantity(q, "tracking_probability", Bounds::Probability),
            None => Some(Uncertain::exact(1.0)),
        };
        let kill_assessment_probability = match &f.kill_assessment_probability {
            Some(q) => self.quantity(q, "kill_assessment_probability", Bounds::Probability),
            None => Some(Uncertain::exact(1.0)),
        };
        let mut layers = Vec::new();
        match &f.layers {
            Some(l) if l.value.is_empty() && !self.damaged => {
                self.err(l.pos, "expected at least one layer, found an empty list")
            }
            None if !self.damaged => self.err(
                Pos::START,
                "missing field `layers`: an abstract scenario needs at least one layer",
            ),
            _ => {}
        }
        for l in f.layers.iter().flat_map(|x| &x.value) {
            self.register(&l.id, "layer");
            let kill_probability =
                self.quantity(&l.kill_probability, "kill_probability", Bounds::Probability);
            let reliability = match &l.reliability {
                Some(q) => self.quantity(q, "reliability", Bounds::Probability),
                None => Some(Uncertain::exact(1.0)),
            };
            let shots = match &l.shots_per_engagement {
                Some(v) => self.count(v, "shots_per_engagement"),
                None => Some(1),
            };
            let engagements = match &l.engagements {
                Some(v) => self.count(v, "engagements"),
                None => Some(1),
            };
            let rounds = match &l.rounds {
                Some(v) => self.count(v, "rounds").map(Some),
                None => Some(None),
            };
            let layer_tracking = match (&l.tracking_probability, tracking) {
                (Some(q), Tracking::Common) => {
                    self.err(
                        q.pos,
                        "with `tracking: common` one track serves every layer; give `tracking_probability` at the top of the scenario, not per layer",
                    );
                    None
                }
                (Some(q), Tracking::Independent) => {
                    self.quantity(q, "tracking_probability", Bounds::Probability)
                }
                (None, _) => tracking_probability,
            };
            layers.push((|| {
                Some(Layer {
                    id: l.id.value.clone(),
                    kill_probability: kill_probability?,
                    reliability: reliability?,
                    shots_per_engagement: shots?,
                    engagements: engagements?,
                    tracking_probability: layer_tracking?,
                    rounds: rounds?,
                })
            })());
        }
        Some(AbstractScenario {
            threats: threats?,
            tracking,
            tracking_probability: tracking_probability?,
            kill_assessment_probability: kill_assessment_probability?,
            layers: layers.into_iter().collect::<Option<_>>()?,
        })
    }
}

fn default_doctrine() -> Doctrine {
    Doctrine {
        shots_per_engagement: 1,
        shoot_look_shoot: true,
        engage_only_defended: true,
        reserve_fraction: Uncertain::exact(0.0),
    }
}

fn family_key(stem: &str, class: Class) -> String {
    format!("{stem}_{}", class.name())
}

/// Stems of the per-class families of a type (`kill_probability`).
fn families(t: &ResolvedType) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for key in t.parameters.keys() {
        for c in Class::THREATS {
            if let Some(stem) = key.strip_suffix(&format!("_{}", c.name()))
                && !out.iter().any(|s| s == stem)
            {
                out.push(stem.to_owned());
            }
        }
    }
    out
}

fn article(word: &str) -> String {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {word}")
    } else {
        format!("a {word}")
    }
}

fn describe_type(v: &ParamValue) -> &'static str {
    match v {
        ParamValue::Number(_) => "a number or {low, nominal, high}",
        ParamValue::Bool(_) => "`true` or `false`",
        ParamValue::Text(_) => "a string",
    }
}

fn describe_override(v: &OverrideValue) -> String {
    match v {
        OverrideValue::Number(q) => format!("the number {}", q.nominal),
        OverrideValue::Flag(b) => format!("the boolean `{b}`"),
        OverrideValue::Text(s) => format!("the string `{}`", crate::node::clip(s)),
        OverrideValue::PerClass(_) => "a mapping".to_owned(),
    }
}
