//! The raid: groups, their launch sites and times (a window or pulses), aims, and the range
//! check of each site against its threat type.

use skyshield_physics::earth::{Geodetic, geodesic_inverse};

use crate::catalog::{Class, Kind, ResolvedType};
use crate::diag::Pos;
use crate::file::{self, Point, Sites};
use crate::located::Located;
use crate::params::ThreatParams;
use crate::scenario::{Aim, Asset, LaunchPulse, LaunchSites, MAX_PULSES, RaidGroup, Shape};

use super::checker::{Bounds, Checker, Index};

impl Checker<'_> {
    pub(super) fn raid_group(
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
        let params = self.typed(
            threat.as_ref(),
            g.overrides.as_ref(),
            g.threat.pos,
            ThreatParams::from_type,
        );
        let count = self.count(&g.count, "count");

        // Launch times and sites.
        let launch = &g.launch.value;
        let pulses = self.pulses(g, count);
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
            (Some(c), s) if c.is_rocket_powered() => {
                Some(Some(s.as_ref().map_or(Shape::MinEnergy, |s| s.value)))
            }
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
            params: params?,
            count: count?,
            sites: sites?,
            pulses: pulses?,
            aim: aim?,
            shape: shape?,
            apogee_m: apogee_m?,
            cep_m: cep_m?,
            route: route?,
        })
    }

    /// The launch pulses of a group: its `window_s` as one pulse of all `count` rounds
    /// (`[0, 0]` by default), or its `pulses`, whose counts must sum to `count`.
    fn pulses(&mut self, g: &file::RaidGroup, count: Option<u32>) -> Option<Vec<LaunchPulse>> {
        let launch = &g.launch.value;
        match (&launch.window_s, &launch.pulses) {
            (Some(_), Some(p)) => {
                self.err(p.pos, "give `window_s` or `pulses`, not both");
                None
            }
            (w, None) => {
                let window_s = match w {
                    Some(w) => self.window(w)?,
                    None => (0.0, 0.0),
                };
                Some(vec![LaunchPulse {
                    window_s,
                    count: count?,
                }])
            }
            (None, Some(list)) => {
                if list.value.is_empty() {
                    // Pulses that could not be read leave the list short, or empty.
                    self.missing(
                        &g.id.value,
                        list.pos,
                        "expected at least one pulse, found an empty list",
                    );
                    return None;
                }
                if let Some(extra) = list.value.get(MAX_PULSES) {
                    self.err(
                        extra.pos,
                        format!(
                            "too many pulses: expected at most {MAX_PULSES} in a raid group, found {}",
                            list.value.len()
                        ),
                    );
                    return None;
                }
                let pulses: Vec<Option<LaunchPulse>> = list
                    .value
                    .iter()
                    .map(|p| {
                        let window_s = self.window(&p.value.window_s);
                        let count = self.count(&p.value.count, "count");
                        Some(LaunchPulse {
                            window_s: window_s?,
                            count: count?,
                        })
                    })
                    .collect();
                let pulses = pulses.into_iter().collect::<Option<Vec<_>>>()?;
                let total: u64 = pulses.iter().map(|p| u64::from(p.count)).sum();
                let count = count?;
                if total != u64::from(count) {
                    // Not when pulses could not be read: their counts are missing from the sum.
                    self.missing(
                        &g.id.value,
                        list.pos,
                        format!(
                            "the counts of `pulses` sum to {total}, but the group's `count` is {count}; they must be equal"
                        ),
                    );
                    return None;
                }
                Some(pulses)
            }
        }
    }

    /// A launch window `[start_s, end_s]` with start_s <= end_s.
    fn window(&mut self, w: &Located<file::Window>) -> Option<(f64, f64)> {
        let file::Window { start_s, end_s } = w.value;
        if start_s > end_s {
            self.err(
                w.pos,
                format!(
                    "expected `window_s: [start_s, end_s]` with start_s <= end_s, found [{start_s}, {end_s}]"
                ),
            );
            return None;
        }
        Some((start_s, end_s))
    }

    pub(super) fn sites(
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
    pub(super) fn range_check(
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
}
