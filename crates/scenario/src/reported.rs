//! Reported figures: what public sources said happened in the event a scenario reconstructs,
//! each tied to a metric of the simulation's summary so that the two can be compared
//! (`docs/validation.md`).
//!
//! A metric is a path in the Summary JSON of `skyshield run --format json`, or a ratio derived
//! from its fates ([`Metric`]). Paths that name an asset or an interceptor type are checked
//! against the scenario when it is resolved, and civil-warning paths (`warning.*`) need the
//! scenario's `warning:` section.

use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use crate::diag::{Problems, did_you_mean, one_of};
use crate::located::Located;

/// A reported figure as written in the file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportedItem {
    /// What was reported, in words ("ballistic missiles hitting Nevatim").
    pub figure: Located<String>,
    /// The reported value: a number, or `[low, high]` when sources give a range or disagree.
    pub value: Located<ReportedValue>,
    /// The simulated quantity to compare with: a Summary JSON path (`leakers.mean`,
    /// `fates.intercepted`, `assets.<id>.hits_mean`, `by_layer.<type>.shots`,
    /// `warning.siren_lead_s.p50`, ...) or a derived ratio (`intercept_rate`, `ignored_share`).
    pub metric: Located<String>,
    /// Where the figure comes from: a full citation.
    pub source: Located<String>,
    /// Why the simulation may differ from the figure.
    #[serde(default)]
    pub note: Option<Located<String>>,
}

/// A reported value: one number or a range `[low, high]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportedValue {
    /// Lowest reported value.
    pub low: f64,
    /// Highest reported value (equal to `low` for a single number).
    pub high: f64,
}

struct ReportedValueVisitor;

impl<'de> Visitor<'de> for ReportedValueVisitor {
    type Value = ReportedValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a range [low, high]")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ReportedValue, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ReportedValue, E> {
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<ReportedValue, E> {
        Ok(ReportedValue { low: v, high: v })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<ReportedValue, A::Error> {
        let (low, high) = crate::values::number_pair(seq, &self)?;
        Ok(ReportedValue { low, high })
    }
}

impl<'de> Deserialize<'de> for ReportedValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ReportedValueVisitor)
    }
}

impl JsonSchema for ReportedValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ReportedValue".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A reported value: a number, or a range [low, high].",
            "anyOf": [
                {"type": "number"},
                {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
            ]
        })
    }
}

/// A reported figure, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedFigure {
    /// What was reported, in words.
    pub figure: String,
    /// Lowest reported value.
    pub low: f64,
    /// Highest reported value (equal to `low` for a single number).
    pub high: f64,
    /// The simulated quantity it is compared with.
    pub metric: Metric,
    /// Where it comes from.
    pub source: String,
    /// Why the simulation may differ.
    pub note: Option<String>,
}

/// A fate of a threat, as named in the Summary JSON's `fates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FateMetric {
    /// `intercepted`
    Intercepted,
    /// `leaked`
    Leaked,
    /// `ignored_open_area`
    IgnoredOpenArea,
    /// `failed_in_flight`
    FailedInFlight,
}

/// A per-layer quantity of the Summary JSON's `by_layer.<type>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerField {
    /// `shots`: interceptors fired per run.
    Shots,
    /// `kills`: threats killed per run.
    Kills,
    /// `rounds_left`: rounds left at the end of a run.
    RoundsLeft,
}

/// A per-asset quantity of the Summary JSON's `assets.<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetField {
    /// `hits_mean`: threats landing in the asset per run.
    HitsMean,
    /// `p_hit`: probability that it is hit at least once.
    PHit,
}

/// A lead-time distribution of the Summary JSON's `warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// `siren_lead_s`: from the start of a zone's alert to an impact in it, over every impact
    /// in a zone of every run.
    Siren,
    /// `early_warning_lead_s`: from a threat's early warning to its arrival, over every
    /// early-warned threat of every run.
    EarlyWarning,
}

/// A quantile of a lead-time distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadQuantile {
    /// `p5`
    P5,
    /// `p50`
    P50,
    /// `p95`
    P95,
}

/// A per-run quantity of the Summary JSON's `warning`, given there as `<name>_mean`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningField {
    /// `false_alarm_zones_mean`: zones alerted with no impact in them.
    FalseAlarmZones,
    /// `false_alarm_people_mean`: people in those zones.
    FalseAlarmPeople,
    /// `too_late_people_mean`: people in zones where an impact came with less lead than their
    /// shelter time.
    TooLatePeople,
    /// `people_minutes_under_alert_mean`: people times minutes under alert.
    PeopleMinutesUnderAlert,
}

/// A simulated quantity: its mean over runs is the value at a Summary JSON path, or a derived
/// ratio of a run's fates averaged over runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Metric {
    /// `leakers.mean`: threats reaching the ground, per run.
    Leakers,
    /// `leakers.p_zero`: probability of a run without leakers.
    NoLeakers,
    /// `fates.<fate>`: threats with that fate, per run.
    Fate(FateMetric),
    /// `by_layer.<type>.<field>`.
    Layer {
        /// Interceptor type (a catalog id) or, in an abstract scenario, layer id.
        layer: String,
        /// Which quantity.
        field: LayerField,
    },
    /// `assets.<id>.<field>`.
    Asset {
        /// Asset id.
        asset: String,
        /// Which quantity.
        field: AssetField,
    },
    /// `cost_usd.defense`: cost of the interceptors fired per run, US$.
    DefenseCost,
    /// `warning.<lead>.<quantile>`: a quantile of a lead-time distribution pooled over all
    /// runs (not a mean over runs). Needs a `warning:` section.
    LeadTime {
        /// Which lead time.
        lead: Lead,
        /// Which quantile.
        quantile: LeadQuantile,
    },
    /// `warning.<field>`: a civil-warning quantity per run. Needs a `warning:` section.
    Warning(WarningField),
    /// `intercept_rate` (derived): per run, intercepted / (intercepted + leaked), the share of
    /// the threats that neither failed in flight nor were left to fall in open ground that the
    /// defense killed; 1 in a run where no such threat flew.
    InterceptRate,
    /// `ignored_share` (derived): per run, threats left to fall in open ground over all
    /// threats.
    IgnoredShare,
}

const FATES: [(&str, FateMetric); 4] = [
    ("intercepted", FateMetric::Intercepted),
    ("leaked", FateMetric::Leaked),
    ("ignored_open_area", FateMetric::IgnoredOpenArea),
    ("failed_in_flight", FateMetric::FailedInFlight),
];
const LAYER_FIELDS: [(&str, LayerField); 3] = [
    ("shots", LayerField::Shots),
    ("kills", LayerField::Kills),
    ("rounds_left", LayerField::RoundsLeft),
];
const ASSET_FIELDS: [(&str, AssetField); 2] = [
    ("hits_mean", AssetField::HitsMean),
    ("p_hit", AssetField::PHit),
];
const LEADS: [(&str, Lead); 2] = [
    ("siren_lead_s", Lead::Siren),
    ("early_warning_lead_s", Lead::EarlyWarning),
];
const LEAD_QUANTILES: [(&str, LeadQuantile); 3] = [
    ("p5", LeadQuantile::P5),
    ("p50", LeadQuantile::P50),
    ("p95", LeadQuantile::P95),
];
const WARNING_FIELDS: [(&str, WarningField); 4] = [
    ("false_alarm_zones_mean", WarningField::FalseAlarmZones),
    ("false_alarm_people_mean", WarningField::FalseAlarmPeople),
    ("too_late_people_mean", WarningField::TooLatePeople),
    (
        "people_minutes_under_alert_mean",
        WarningField::PeopleMinutesUnderAlert,
    ),
];

/// The metric forms, for messages.
const FORMS: &str = "`leakers.mean`, `leakers.p_zero`, `fates.<fate>`, `by_layer.<interceptor type>.shots|kills|rounds_left`, `assets.<asset id>.hits_mean|p_hit`, `cost_usd.defense`, `warning.siren_lead_s|early_warning_lead_s.p5|p50|p95`, `warning.false_alarm_zones_mean|false_alarm_people_mean|too_late_people_mean|people_minutes_under_alert_mean`, `intercept_rate` or `ignored_share`";

impl Metric {
    /// Its path in the Summary JSON; `None` for a derived ratio.
    pub fn summary_path(&self) -> Option<String> {
        Some(match self {
            Metric::Leakers => "leakers.mean".into(),
            Metric::NoLeakers => "leakers.p_zero".into(),
            Metric::Fate(f) => format!("fates.{}", name_of(&FATES, *f)),
            Metric::Layer { layer, field } => {
                format!("by_layer.{layer}.{}", name_of(&LAYER_FIELDS, *field))
            }
            Metric::Asset { asset, field } => {
                format!("assets.{asset}.{}", name_of(&ASSET_FIELDS, *field))
            }
            Metric::DefenseCost => "cost_usd.defense".into(),
            Metric::LeadTime { lead, quantile } => format!(
                "warning.{}.{}",
                name_of(&LEADS, *lead),
                name_of(&LEAD_QUANTILES, *quantile)
            ),
            Metric::Warning(f) => format!("warning.{}", name_of(&WARNING_FIELDS, *f)),
            Metric::InterceptRate | Metric::IgnoredShare => return None,
        })
    }

    /// Parses a metric; `layers` and `assets` are the names it may refer to, `warning` whether
    /// the scenario has a `warning:` section (which `warning.*` metrics need). The error says
    /// what was expected.
    pub fn parse(
        text: &str,
        layers: &[&str],
        assets: &[&str],
        warning: bool,
    ) -> Result<Metric, String> {
        let parts: Vec<&str> = text.split('.').collect();
        if parts.first() == Some(&"warning") && !warning {
            return Err(format!(
                "metric `{text}` is a civil-warning metric, but the scenario has no `warning:` section"
            ));
        }
        match parts.as_slice() {
            ["leakers", "mean"] => Ok(Metric::Leakers),
            ["leakers", "p_zero"] => Ok(Metric::NoLeakers),
            ["cost_usd", "defense"] => Ok(Metric::DefenseCost),
            ["intercept_rate"] => Ok(Metric::InterceptRate),
            ["ignored_share"] => Ok(Metric::IgnoredShare),
            ["fates", f] => lookup(&FATES, f)
                .map(Metric::Fate)
                .ok_or_else(|| unknown_name(f, &names(&FATES), "fate")),
            ["by_layer", layer, f] => {
                if !layers.contains(layer) {
                    return Err(unknown_name(layer, layers, "interceptor type"));
                }
                let field_ = lookup(&LAYER_FIELDS, f)
                    .ok_or_else(|| unknown_name(f, &names(&LAYER_FIELDS), "layer quantity"))?;
                Ok(Metric::Layer {
                    layer: (*layer).to_owned(),
                    field: field_,
                })
            }
            ["assets", asset, f] => {
                if !assets.contains(asset) {
                    return Err(unknown_name(asset, assets, "asset"));
                }
                let field_ = lookup(&ASSET_FIELDS, f)
                    .ok_or_else(|| unknown_name(f, &names(&ASSET_FIELDS), "asset quantity"))?;
                Ok(Metric::Asset {
                    asset: (*asset).to_owned(),
                    field: field_,
                })
            }
            ["warning", lead, q] => {
                let lead = lookup(&LEADS, lead)
                    .ok_or_else(|| unknown_name(lead, &names(&LEADS), "lead time"))?;
                let quantile = lookup(&LEAD_QUANTILES, q).ok_or_else(|| {
                    unknown_name(q, &names(&LEAD_QUANTILES), "lead-time quantile")
                })?;
                Ok(Metric::LeadTime { lead, quantile })
            }
            ["warning", f] => lookup(&WARNING_FIELDS, f)
                .map(Metric::Warning)
                .ok_or_else(|| unknown_name(f, &names(&WARNING_FIELDS), "warning quantity")),
            _ => Err(format!("unknown metric `{text}`: expected {FORMS}")),
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.summary_path()) {
            (_, Some(path)) => f.write_str(&path),
            (Metric::InterceptRate, None) => f.write_str("intercept_rate"),
            _ => f.write_str("ignored_share"),
        }
    }
}

fn names<T>(list: &[(&'static str, T)]) -> Vec<&'static str> {
    list.iter().map(|(n, _)| *n).collect()
}

fn lookup<T: Copy>(list: &[(&str, T)], word: &str) -> Option<T> {
    list.iter().find(|(n, _)| *n == word).map(|(_, v)| *v)
}

fn name_of<T: Copy + PartialEq>(list: &[(&'static str, T)], value: T) -> &'static str {
    list.iter()
        .find(|(_, v)| *v == value)
        .map_or("", |(n, _)| *n)
}

fn unknown_name(word: &str, names: &[&str], what: &str) -> String {
    if names.is_empty() {
        format!("unknown {what} `{word}`: the scenario has no {what}")
    } else {
        format!(
            "unknown {what} `{word}`: expected {}{}",
            one_of(names),
            did_you_mean(word, names.iter().copied())
        )
    }
}

/// Checks the reported figures of a file; `layers` and `assets` are the names metrics may refer
/// to, `warning` whether the file has a `warning:` section. Problems are pushed with their
/// positions.
pub(crate) fn check(
    items: &[ReportedItem],
    layers: &[&str],
    assets: &[&str],
    warning: bool,
    problems: &mut Problems,
) -> Vec<ReportedFigure> {
    let mut out = Vec::new();
    for item in items {
        let value = item.value.value;
        let mut ok = true;
        if value.low > value.high {
            problems.push(
                item.value.pos,
                format!(
                    "expected a range [low, high] with low <= high, found [{}, {}]",
                    value.low, value.high
                ),
            );
            ok = false;
        }
        for (text, what) in [(&item.figure, "figure"), (&item.source, "source")] {
            if text.value.trim().is_empty() {
                problems.push(
                    text.pos,
                    format!("expected a {what}, found an empty string"),
                );
                ok = false;
            }
        }
        let metric = match Metric::parse(item.metric.value.trim(), layers, assets, warning) {
            Ok(m) => Some(m),
            Err(message) => {
                problems.push(item.metric.pos, message);
                None
            }
        };
        if let (Some(metric), true) = (metric, ok) {
            out.push(ReportedFigure {
                figure: item.figure.value.trim().to_owned(),
                low: value.low,
                high: value.high,
                metric,
                source: item.source.value.trim().to_owned(),
                note: item.note.as_ref().map(|n| n.value.trim().to_owned()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_summary_path_parses_back_to_its_metric() {
        let metrics = [
            Metric::Leakers,
            Metric::NoLeakers,
            Metric::Fate(FateMetric::IgnoredOpenArea),
            Metric::Layer {
                layer: "thaad".into(),
                field: LayerField::RoundsLeft,
            },
            Metric::Asset {
                asset: "base".into(),
                field: AssetField::PHit,
            },
            Metric::DefenseCost,
            Metric::LeadTime {
                lead: Lead::EarlyWarning,
                quantile: LeadQuantile::P95,
            },
            Metric::LeadTime {
                lead: Lead::Siren,
                quantile: LeadQuantile::P5,
            },
            Metric::Warning(WarningField::PeopleMinutesUnderAlert),
            Metric::Warning(WarningField::FalseAlarmZones),
            Metric::InterceptRate,
            Metric::IgnoredShare,
        ];
        for m in metrics {
            let text = m.to_string();
            assert_eq!(
                Metric::parse(&text, &["thaad"], &["base"], true),
                Ok(m),
                "{text}"
            );
        }
    }

    #[test]
    fn warning_metrics_need_a_warning_section() {
        let err = Metric::parse("warning.siren_lead_s.p50", &[], &[], false).unwrap_err();
        assert!(err.contains("no `warning:` section"), "{err}");
        let err = Metric::parse("warning.siren_lead_s.p90", &[], &[], true).unwrap_err();
        assert!(err.contains("did you mean `p50`"), "{err}");
        let err = Metric::parse("warning.false_alarm_zones", &[], &[], true).unwrap_err();
        assert!(
            err.contains("did you mean `false_alarm_zones_mean`"),
            "{err}"
        );
    }

    #[test]
    fn unknown_names_are_refused_with_the_closest_one() {
        let err = Metric::parse("assets.nevatin.hits_mean", &[], &["nevatim"], false).unwrap_err();
        assert!(err.contains("did you mean `nevatim`"), "{err}");
        let err = Metric::parse("by_layer.thaad.shot", &["thaad"], &[], false).unwrap_err();
        assert!(err.contains("did you mean `shots`"), "{err}");
        let err = Metric::parse("fates.intercept", &[], &[], false).unwrap_err();
        assert!(err.contains("did you mean `intercepted`"), "{err}");
        let err = Metric::parse("leakers.median", &[], &[], false).unwrap_err();
        assert!(err.contains("expected `leakers.mean`"), "{err}");
    }
}
