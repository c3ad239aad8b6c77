//! Abstract scenarios: threats against layers, no geometry.

use crate::diag::Pos;
use crate::file::ScenarioFile;
use crate::limits::Limit;
use crate::scenario::{AbstractScenario, Layer, Tracking};
use crate::uncertain::Uncertain;

use super::checker::{Bounds, Checker};

impl Checker<'_> {
    pub(super) fn abstract_(&mut self, f: &ScenarioFile) -> Option<AbstractScenario> {
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
            Some(t) => self.count(t, "threats").filter(|&n| {
                self.within(Limit::Threats, u64::from(n), t.pos, "`threats` asks for")
            }),
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
