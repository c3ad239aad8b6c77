//! The defense: assets, sensors, batteries and command.

use skyshield_physics::earth::Geodetic;

use crate::catalog::{Class, Kind, Tier};
use crate::file::{self, Point};
use crate::located::Located;
use crate::params::{InterceptorParams, SensorParams};
use crate::scenario::{Area, Asset, AssetKind, Battery, Command, Doctrine, Policy, Sensor};
use crate::uncertain::Uncertain;

use super::checker::{Bounds, Checker, Index};

impl Checker<'_> {
    pub(super) fn asset(&mut self, a: &file::Asset) -> Option<Asset> {
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
        let hardness = match &a.hardness {
            Some(v) => self.number(v, "hardness", Bounds::Fraction),
            None => Some(0.0),
        };
        Some(Asset {
            id: a.id.value.clone(),
            kind: a.kind.as_ref().map_or(AssetKind::Other, |k| k.value),
            area: area?,
            population: population?,
            value: value?,
            hardness: hardness?,
        })
    }

    pub(super) fn polygon(&mut self, p: &Located<Vec<Point>>) -> Option<Area> {
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

    pub(super) fn sensor(&mut self, s: &file::Sensor) -> (Option<Sensor>, Option<Class>) {
        let Some(entry) = self.catalog_type(&s.type_id, Kind::Sensor) else {
            return (None, None);
        };
        let class = entry.class;
        let sensor_type = self.overrides(entry, s.overrides.as_ref());
        let params = self.typed(
            sensor_type.as_ref(),
            s.overrides.as_ref(),
            s.type_id.pos,
            SensorParams::from_type,
        );
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
                params: params?,
                position: position?,
                facing_rad: facing_rad?,
            })
        })();
        (sensor, Some(class))
    }

    pub(super) fn battery(
        &mut self,
        b: &file::Battery,
        assets: &Index,
        sensors: &Index,
        command: &Command,
    ) -> Option<Battery> {
        let entry = self.catalog_type(&b.type_id, Kind::Interceptor);
        let interceptor = match entry {
            Some(e) => self.overrides(e, b.overrides.as_ref()),
            None => None,
        };
        let params = self.typed(
            interceptor.as_ref(),
            b.overrides.as_ref(),
            b.type_id.pos,
            InterceptorParams::from_type,
        );
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
        let remote_tracks = b
            .remote_tracks
            .as_ref()
            .map_or(command.network, |r| r.value);
        let network_delay_s = match &b.network_delay_s {
            Some(q) => self.quantity(q, "network_delay_s", Bounds::NonNegative),
            None => Some(command.network_delay_s),
        };
        let depot_rounds = match &b.depot_rounds {
            Some(v) => match u32::try_from(v.value) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.err(
                        v.pos,
                        format!(
                            "expected a count from 0 to {} for `depot_rounds`, found {}",
                            u32::MAX,
                            v.value
                        ),
                    );
                    None
                }
            },
            None => Some(0),
        };
        let tier = params.as_ref().map(|t| t.tier);
        let reserve_fraction = match &b.reserve_fraction {
            Some(q) => self.quantity(q, "reserve_fraction", Bounds::Fraction),
            None => Some(
                tier.and_then(|t| command.doctrine.reserve_by_tier[t.rank() as usize])
                    .unwrap_or(command.doctrine.reserve_fraction),
            ),
        };
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
            None if !remote_tracks => {
                let why = if b.remote_tracks.is_some() {
                    "its `remote_tracks` is false"
                } else {
                    "`command.network` is false"
                };
                self.err(
                    b.id.pos,
                    format!(
                        "battery `{}` has no `radar` and {why}, so it could never engage; give it a `radar`",
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
            params: params?,
            position: position?,
            launchers: launchers?,
            rounds: rounds?,
            fire_channels: fire_channels?,
            radar: radar?,
            defends: defends?,
            remote_tracks,
            network_delay_s: network_delay_s?,
            depot_rounds: depot_rounds?,
            reserve_fraction: reserve_fraction?,
        })
    }

    pub(super) fn command(&mut self, c: Option<&Located<file::Command>>) -> Option<Command> {
        let Some(c) = c else {
            return Some(default_command());
        };
        let c = &c.value;
        let latency = match &c.decision_latency_s {
            Some(q) => self.quantity(q, "decision_latency_s", Bounds::NonNegative),
            None => Some(Uncertain::exact(0.0)),
        };
        let network_delay = match &c.network_delay_s {
            Some(q) => self.quantity(q, "network_delay_s", Bounds::NonNegative),
            None => Some(Uncertain::exact(NETWORK_DELAY_S)),
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
                let mut by_tier = Some([None; 3]);
                if let Some(t) = &d.reserve_by_tier {
                    let tiers = [&t.value.upper, &t.value.mid, &t.value.lower];
                    for (k, (q, tier)) in tiers.into_iter().zip(Tier::ALL).enumerate() {
                        if let Some(q) = q {
                            let name = format!("reserve_by_tier.{}", tier.name());
                            match (self.quantity(q, &name, Bounds::Fraction), by_tier.as_mut()) {
                                (Some(u), Some(tiers)) => tiers[k] = Some(u),
                                _ => by_tier = None,
                            }
                        }
                    }
                }
                let required = match &d.required_kill_probability {
                    Some(q) => self
                        .quantity(q, "required_kill_probability", Bounds::Probability)
                        .map(|u| u.nominal),
                    None => Some(REQUIRED_KILL_PROBABILITY),
                };
                let shoot_look_shoot = d.shoot_look_shoot.as_ref().is_none_or(|b| b.value);
                (|| {
                    Some(Doctrine {
                        shots_per_engagement: shots?,
                        shoot_look_shoot,
                        engage_only_defended: d
                            .engage_only_defended
                            .as_ref()
                            .is_none_or(|b| b.value),
                        reserve_fraction: reserve?,
                        reserve_by_tier: by_tier?,
                        double_engagement: d
                            .double_engagement
                            .as_ref()
                            .map_or(!shoot_look_shoot, |b| b.value),
                        required_kill_probability: required?,
                    })
                })()
            }
        };
        Some(Command {
            decision_latency_s: latency?,
            network: c.network.as_ref().is_none_or(|b| b.value),
            network_delay_s: network_delay?,
            policy: c.policy.as_ref().map(|p| p.value).unwrap_or_default(),
            doctrine: doctrine?,
        })
    }
}

/// Delay of a track relayed over the network to a battery, s, unless the scenario gives it.
/// Notional: no public figure for the networks of the library's scenarios; tactical data links
/// relay tracks within seconds.
pub const NETWORK_DELAY_S: f64 = 2.0;

/// Kill probability that the `cost-aware` policy requires of a salvo, unless the scenario gives
/// it. Notional: a common planning figure for a defended asset.
pub const REQUIRED_KILL_PROBABILITY: f64 = 0.9;

pub(super) fn default_command() -> Command {
    Command {
        decision_latency_s: Uncertain::exact(0.0),
        network: true,
        network_delay_s: Uncertain::exact(NETWORK_DELAY_S),
        policy: Policy::default(),
        doctrine: default_doctrine(),
    }
}

pub(super) fn default_doctrine() -> Doctrine {
    Doctrine {
        shots_per_engagement: 1,
        shoot_look_shoot: true,
        engage_only_defended: true,
        reserve_fraction: Uncertain::exact(0.0),
        reserve_by_tier: [None; 3],
        double_engagement: false,
        required_kill_probability: REQUIRED_KILL_PROBABILITY,
    }
}
