//! The checker that validation threads through every section: problems with their
//! positions, ids, and the checks of single values (counts, numbers, quantities, positions,
//! references).

use std::collections::HashMap;

use skyshield_physics::earth::Geodetic;

use crate::catalog::{Catalog, Class};
use crate::damage::Damage;
use crate::diag::{Pos, Problems, closest, one_of};
use crate::file::{Circle, Point, Quantity};
use crate::limits::{Limit, Limits};
use crate::located::Located;
use crate::source::FileResolver;
use crate::uncertain::Uncertain;

/// What a number may be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Bounds {
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
    pub(super) fn holds(self, x: f64) -> bool {
        match self {
            Bounds::Any => true,
            Bounds::NonNegative => x >= 0.0,
            Bounds::Positive => x > 0.0,
            Bounds::Probability => (0.0..=1.0).contains(&x),
            Bounds::Fraction => (0.0..1.0).contains(&x),
        }
    }

    pub(super) fn expected(self) -> &'static str {
        match self {
            Bounds::Any => "a number",
            Bounds::NonNegative => "a number >= 0",
            Bounds::Positive => "a number > 0",
            Bounds::Probability => "a probability from 0 to 1",
            Bounds::Fraction => "a fraction from 0 up to, not including, 1",
        }
    }
}

/// The state of one validation: the catalog, the problems found so far, what parsing left
/// out, the scenario's files, and the ids seen.
pub(super) struct Checker<'a> {
    pub(super) catalog: &'a Catalog,
    pub(super) problems: &'a mut Problems,
    pub(super) damage: &'a Damage,
    pub(super) damaged: bool,
    /// Reads the files the scenario names.
    pub(super) files: &'a dyn FileResolver,
    /// The limits on sizes.
    pub(super) limits: &'a Limits,
    /// Every id of the scenario: where it was first given, and in which section.
    pub(super) ids: HashMap<String, (Pos, &'static str)>,
}

/// Ids of one section, to resolve references: id → (index, class for sensors).
pub(super) type Index = HashMap<String, (usize, Option<Class>)>;

impl Checker<'_> {
    /// Report `value` at `pos` when it is over `limit`, after `what` (which asks for it);
    /// whether it is within.
    pub(super) fn within(&mut self, limit: Limit, value: u64, pos: Pos, what: &str) -> bool {
        match self.limits.check(limit, value) {
            Ok(()) => true,
            Err(over) => {
                self.err(pos, format!("{what} {over}"));
                false
            }
        }
    }

    pub(super) fn err(&mut self, pos: Pos, message: impl Into<String>) {
        self.problems.push(pos, message);
    }

    /// Report a missing field of element `id`, unless a value of it could not be read (then
    /// the field may be missing only because of that, and the cause is already reported).
    pub(super) fn missing(&mut self, id: &str, pos: Pos, message: impl Into<String>) {
        if !self.damage.damaged.contains(id) {
            self.problems.push(pos, message);
        }
    }

    /// Record an id; report a duplicate or an empty one.
    pub(super) fn register(&mut self, id: &Located<String>, section: &'static str) {
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
    pub(super) fn timestamp(&mut self, v: &Located<String>, name: &str) -> Option<jiff::Timestamp> {
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
    pub(super) fn count(&mut self, v: &Located<i64>, name: &str) -> Option<u32> {
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
    pub(super) fn number(&mut self, v: &Located<f64>, name: &str, bounds: Bounds) -> Option<f64> {
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
    pub(super) fn quantity(
        &mut self,
        q: &Located<Quantity>,
        name: &str,
        bounds: Bounds,
    ) -> Option<Uncertain> {
        self.quantity_at(&q.value, q.pos, name, bounds)
    }

    pub(super) fn quantity_at(
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
    pub(super) fn point(&mut self, p: &Point) -> Option<Geodetic> {
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

    pub(super) fn circle(&mut self, c: &Circle) -> Option<(Geodetic, f64)> {
        let center = self.point(&c.center);
        let radius_km = self.number(&c.radius_km, "radius_km", Bounds::Positive);
        Some((center?, radius_km? * 1000.0))
    }

    /// A reference to an id of a section; `None` (and a problem) when there is no such id.
    pub(super) fn reference(
        &mut self,
        r: &Located<String>,
        index: &Index,
        what: &str,
    ) -> Option<usize> {
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

    /// Report fields of the other kind of scenario.
    pub(super) fn foreign(&mut self, fields: &[(&str, Option<Pos>)], kind: &str, other: &str) {
        for (name, pos) in fields {
            if let Some(pos) = pos {
                self.err(
                    *pos,
                    format!("`{name}` belongs to {other} scenarios; this one is `kind: {kind}`"),
                );
            }
        }
    }
}
