//! Catalog types of scenario elements: lookup, overrides, and the typed parameters the
//! models read.

use crate::catalog::{
    COUNT_PARAMETERS, CatalogEntry, Class, Kind, ParamValue, ParameterError, ResolvedType,
    is_probability, unit_of,
};
use crate::de_error::unit_hint;
use crate::diag::{Pos, did_you_mean, one_of};
use crate::file::{OverrideValue, Overrides, Quantity};
use crate::located::Located;
use crate::uncertain::Uncertain;

use super::checker::{Bounds, Checker};

impl<'a> Checker<'a> {
    /// The catalog entry of `kind` with this id.
    pub(super) fn catalog_type(
        &mut self,
        id: &Located<String>,
        kind: Kind,
    ) -> Option<&'a CatalogEntry> {
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

    /// The typed parameters of an element's type (`build` of it); a parameter that cannot be
    /// read is a problem at the override that set it, or else at the element's type `at`.
    pub(super) fn typed<T>(
        &mut self,
        t: Option<&ResolvedType>,
        overrides: Option<&Located<Overrides>>,
        at: Pos,
        build: fn(&ResolvedType) -> Result<T, ParameterError>,
    ) -> Option<T> {
        match build(t?) {
            Ok(params) => Some(params),
            Err(e) => {
                let pos = overrides
                    .and_then(|ov| ov.value.0.iter().find(|(k, _)| k.value == e.key()))
                    .map_or(at, |(_, v)| v.pos);
                self.err(pos, e.to_string());
                None
            }
        }
    }

    /// The catalog type with the element's overrides applied.
    pub(super) fn overrides(
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
                        let hint = match (cur, found) {
                            (ParamValue::Number(_), OverrideValue::Text(s)) => unit_hint(s),
                            _ => String::new(),
                        };
                        self.err(
                            value.pos,
                            format!(
                                "expected {} for `{k}`, found {}{hint}",
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
                            "expected a number, {{low, nominal, high}} or values per threat class for `{k}`, found {}{}",
                            describe_override(other),
                            match other {
                                OverrideValue::Text(s) => unit_hint(s),
                                _ => String::new(),
                            }
                        ),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(t)
    }

    /// An overriding number of parameter `key`, called `name` in messages.
    pub(super) fn override_number(
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

    /// A count given on the element, or else the type's parameter of the same name.
    pub(super) fn count_or_type(
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
}

pub(super) fn family_key(stem: &str, class: Class) -> String {
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
