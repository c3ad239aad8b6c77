//! From [`ScenarioFile`] to [`Scenario`]: references resolved, catalog types applied with their
//! overrides, units converted to SI, and every check done, each problem collected with its
//! position.

mod abstract_kind;
mod campaign;
mod checker;
mod defense;
mod raid;
mod types;
mod warning;

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::damage::Damage;
use crate::diag::{Pos, Problems};
use crate::file::{self, ScenarioFile, ScenarioKindName};
use crate::limits::{Limit, Limits};
use crate::scenario::{Earth, EarthModel, LayeredScenario, MAX_ASSETS, Scenario, ScenarioKind};
use crate::source::FileResolver;

use checker::{Checker, Index};
use defense::default_command;

pub use defense::{NETWORK_DELAY_S, REQUIRED_KILL_PROBABILITY};
pub use warning::{DEFAULT_ALL_CLEAR_S, DEFAULT_MIN_LEAD_S, DEFAULT_WARNING_CONFIDENCE};

/// Default number of replications.
pub const DEFAULT_RUNS: u64 = 1000;
/// Default master seed.
pub const DEFAULT_SEED: u64 = 0;

/// Check a scenario file and build the scenario. `damage` names the elements that lost values
/// that could not be read (already reported), so that references to them and fields missing
/// from them are not reported again; `damaged` says that some value was left out, which
/// silences checks such as "the raid is empty" that could follow from that.
pub(crate) fn check(
    file: &ScenarioFile,
    files: &dyn FileResolver,
    catalog: &Catalog,
    problems: &mut Problems,
    damage: &Damage,
    damaged: bool,
    limits: &Limits,
) -> Option<Scenario> {
    let before = problems.0.len();
    let mut c = Checker {
        catalog,
        problems,
        damage,
        damaged,
        files,
        limits,
        ids: HashMap::new(),
    };
    let runs = match &file.runs {
        Some(r) => c
            .count(r, "runs")
            .map(u64::from)
            .filter(|&n| c.within(Limit::Runs, n, r.pos, "`runs` asks for")),
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
    let campaign = match (kind_name, &file.campaign) {
        (ScenarioKindName::Layered, _) => c.campaign(file),
        (ScenarioKindName::Abstract, Some(section)) => {
            c.err(
                section.pos,
                "`campaign` belongs to layered scenarios; this one is `kind: abstract`",
            );
            None
        }
        (ScenarioKindName::Abstract, None) => Some(None),
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
        campaign: campaign?,
    })
}

/// The reported figures, their metrics checked against the file's assets and interceptor types
/// (the layer ids of an abstract scenario).
fn check_reported(
    file: &ScenarioFile,
    problems: &mut Problems,
) -> Vec<crate::reported::ReportedFigure> {
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

impl Checker<'_> {
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
        if let Some(extra) = f.assets.iter().flat_map(|x| x.value.get(MAX_ASSETS)).next() {
            self.err(
                extra.id.pos,
                format!(
                    "too many assets: expected at most {MAX_ASSETS}, found {}",
                    assets.len()
                ),
            );
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
        let defaults = command.clone().unwrap_or_else(default_command);
        let mut batteries = Vec::new();
        for b in f.batteries.iter().flat_map(|x| &x.value) {
            self.register(&b.id, "battery");
            batteries.push(self.battery(b, &asset_index, &sensor_index, &defaults));
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
        let (mut threats, mut trajectories) = (0u64, 0u64);
        for g in f.raid.iter().flat_map(|x| &x.value) {
            self.register(&g.id, "raid group");
            let group = self.raid_group(g, &asset_index, &assets);
            // The limits are checked as the groups add up, at the group that crosses one:
            // before the engine builds a plan per threat or flies a trajectory per site.
            if let Some(group) = &group {
                threats += u64::from(group.count);
                if !self.within(
                    Limit::Threats,
                    threats,
                    g.count.pos,
                    &format!("raid group `{}`'s `count` brings the raid to", g.id.value),
                ) {
                    return None;
                }
                trajectories += group.sites.count();
                let sites_pos = g
                    .launch
                    .value
                    .sites
                    .as_ref()
                    .map_or(g.launch.pos, |s| s.pos);
                if !self.within(
                    Limit::Trajectories,
                    trajectories,
                    sites_pos,
                    &format!(
                        "raid group `{}`'s launch sites bring the raid to",
                        g.id.value
                    ),
                ) {
                    return None;
                }
            }
            raid.push(group);
        }

        let warning = match &f.warning {
            Some(w) => Some(self.warning(&w.value, &asset_index, &assets)?),
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
}
