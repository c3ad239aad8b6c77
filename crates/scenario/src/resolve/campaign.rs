//! The `campaign` section: days, raids per day, the attacker's stocks, production and
//! launchers, the defender's depots and deliveries, and battery availability, checked against
//! the raid groups and batteries of the file.

use std::collections::HashMap;

use crate::diag::{Pos, closest, one_of};
use crate::file::{self, ScenarioFile};
use crate::located::Located;
use crate::scenario::{
    BatteryAvailability, Campaign, DayRaid, Delivery, DeliverySource, LauncherPool,
};
use crate::uncertain::Uncertain;

use super::checker::{Bounds, Checker};

/// Tolerance on the sum of a mix's shares.
const SHARE_SUM_TOLERANCE: f64 = 1e-6;

/// Most rounds a day may launch, a depot hold or a delivery bring: bounds every size.
const MAX_ROUNDS: i64 = 1_000_000;

/// Ids of one kind, in file order, to resolve references with a "did you mean".
struct Names<'a> {
    what: &'static str,
    ids: Vec<&'a str>,
}

impl Names<'_> {
    fn find(&self, c: &mut Checker<'_>, r: &Located<String>) -> Option<usize> {
        if let Some(i) = self.ids.iter().position(|x| *x == r.value) {
            return Some(i);
        }
        let hint = match closest(&r.value, self.ids.iter().copied()) {
            Some(x) => format!("; did you mean `{x}`?"),
            None if self.ids.is_empty() => format!("; the scenario has no {}", self.what),
            None => format!("; expected {}", one_of(&self.ids)),
        };
        c.err(r.pos, format!("unknown {} `{}`{hint}", self.what, r.value));
        None
    }
}

impl Checker<'_> {
    /// The campaign of a layered file, when it has one.
    pub(super) fn campaign(&mut self, f: &ScenarioFile) -> Option<Option<Campaign>> {
        let Some(section) = &f.campaign else {
            return Some(None);
        };
        let before = self.problems.0.len();
        let cf = &section.value;
        let days = match u32::try_from(cf.days.value) {
            Ok(d) if (1..=file::MAX_CAMPAIGN_DAYS as u32).contains(&d) => d,
            _ => {
                self.err(
                    cf.days.pos,
                    format!(
                        "expected a number of days from 1 to {} for `days`, found {}",
                        file::MAX_CAMPAIGN_DAYS,
                        cf.days.value
                    ),
                );
                1
            }
        };
        let raid: Vec<&file::RaidGroup> = f.raid.iter().flat_map(|r| &r.value).collect();
        let groups = Names {
            what: "raid group",
            ids: raid.iter().map(|g| g.id.value.as_str()).collect(),
        };
        let mut threat_types: Vec<String> = raid.iter().map(|g| g.threat.value.clone()).collect();
        threat_types.sort();
        threat_types.dedup();
        let group_type: Vec<usize> = raid
            .iter()
            .map(|g| threat_types.binary_search(&g.threat.value).unwrap_or(0))
            .collect();
        let threats = Names {
            what: "threat type of the raid",
            ids: threat_types.iter().map(String::as_str).collect(),
        };
        let batteries_file: Vec<&file::Battery> =
            f.batteries.iter().flat_map(|b| &b.value).collect();
        let batteries = Names {
            what: "battery",
            ids: batteries_file.iter().map(|b| b.id.value.as_str()).collect(),
        };
        let mut interceptor_types: Vec<String> = batteries_file
            .iter()
            .map(|b| b.type_id.value.clone())
            .collect();
        interceptor_types.sort();
        interceptor_types.dedup();
        let battery_type: Vec<usize> = batteries_file
            .iter()
            .map(|b| {
                interceptor_types
                    .binary_search(&b.type_id.value)
                    .unwrap_or(0)
            })
            .collect();
        let interceptors = Names {
            what: "interceptor type of the batteries",
            ids: interceptor_types.iter().map(String::as_str).collect(),
        };

        // Raids per day.
        let mut raids = vec![DayRaid::None; days as usize];
        let mut covered: Vec<Option<Pos>> = vec![None; days as usize];
        for r in &cf.raids.value {
            let day_raid = self.day_raid(r, &raid, &groups);
            let Some((first, last)) = self.day_range(&r.from_day, r.to_day.as_ref(), days) else {
                continue;
            };
            for d in first..=last {
                let k = (d - 1) as usize;
                if let Some(p) = covered[k] {
                    self.err(
                        r.from_day.pos,
                        format!(
                            "day {d} is already covered by the raid entry at line {}, column {}; each day has at most one",
                            p.line, p.column
                        ),
                    );
                    break;
                }
                covered[k] = Some(r.from_day.pos);
                if let Some(dr) = &day_raid {
                    raids[k] = dr.clone();
                }
            }
        }

        // The attacker.
        let mut stocks = vec![None; threat_types.len()];
        let mut production = vec![(0.0, 0.0); threat_types.len()];
        let mut launchers = Vec::new();
        if let Some(a) = &cf.attacker {
            let mut seen = HashMap::new();
            for s in a.value.stocks.iter().flat_map(|x| &x.value) {
                let rounds = self.rounds(&s.rounds, "rounds");
                let Some(t) = threats.find(self, &s.threat) else {
                    continue;
                };
                self.once(&mut seen, ("stock", t), s.threat.pos, "a stock");
                stocks[t] = rounds;
            }
            for p in a.value.production.iter().flat_map(|x| &x.value) {
                let Some(t) = threats.find(self, &p.threat) else {
                    continue;
                };
                self.once(&mut seen, ("production", t), p.threat.pos, "a production");
                let per_day = self.number(&p.per_day, "per_day", Bounds::NonNegative);
                let ramp = p
                    .ramp_per_day
                    .as_ref()
                    .map_or(Some(0.0), |r| self.number(r, "ramp_per_day", Bounds::Any));
                if let (Some(per_day), Some(ramp)) = (per_day, ramp) {
                    production[t] = (per_day, ramp);
                }
            }
            let mut fired: Vec<Option<Pos>> = vec![None; threat_types.len()];
            for l in a.value.launchers.iter().flat_map(|x| &x.value) {
                self.register(&l.id, "launcher pool");
                let mut types = Vec::new();
                for t in &l.threats.value {
                    let Some(k) = threats.find(self, t) else {
                        continue;
                    };
                    if let Some(p) = fired[k] {
                        self.err(
                            t.pos,
                            format!(
                                "threat type `{}` is already fired by the launchers at line {}, column {}; each type has at most one launcher pool",
                                t.value, p.line, p.column
                            ),
                        );
                    }
                    fired[k] = Some(t.pos);
                    types.push(k);
                }
                if l.threats.value.is_empty() {
                    self.err(
                        l.threats.pos,
                        "expected at least one threat type for `threats`",
                    );
                }
                let count = self.rounds(&l.count, "count");
                let reload_h = self.number(&l.reload_h, "reload_h", Bounds::Positive);
                let per_load = l
                    .rounds_per_load
                    .as_ref()
                    .map_or(Some(1), |r| self.count(r, "rounds_per_load"));
                let hours = match &l.launch_hours {
                    Some(h) if !(h.value > 0.0 && h.value <= 24.0) => {
                        self.err(
                            h.pos,
                            format!(
                                "expected hours from 0 (excluded) to 24 for `launch_hours`, found {}",
                                h.value
                            ),
                        );
                        None
                    }
                    Some(h) => Some(h.value),
                    None => Some(24.0),
                };
                let loss = match &l.loss_per_day {
                    Some(q) => self.quantity(q, "loss_per_day", Bounds::Probability),
                    None => Some(Uncertain::exact(0.0)),
                };
                if let (Some(count), Some(reload_h), Some(per_load), Some(hours), Some(loss)) =
                    (count, reload_h, per_load, hours, loss)
                {
                    // A launcher fires its first load at the start of the launch hours, then
                    // one every `reload_h`.
                    let loads = (hours / reload_h).floor().max(1.0).min(f64::from(u32::MAX));
                    launchers.push(LauncherPool {
                        id: l.id.value.clone(),
                        threat_types: types,
                        count,
                        rounds_per_day: (loads as u32).saturating_mul(per_load),
                        loss_per_day: loss,
                    });
                }
            }
        }

        // The defender.
        let mut depot = vec![0; interceptor_types.len()];
        let mut deliveries = Vec::new();
        if let Some(d) = &cf.defender {
            let mut seen = HashMap::new();
            for s in d.value.depot.iter().flat_map(|x| &x.value) {
                let rounds = self.rounds(&s.rounds, "rounds");
                let Some(t) = interceptors.find(self, &s.type_id) else {
                    continue;
                };
                self.once(&mut seen, ("depot", t), s.type_id.pos, "a depot");
                depot[t] = rounds.unwrap_or(0);
            }
            for x in d.value.deliveries.iter().flat_map(|x| &x.value) {
                let t = interceptors.find(self, &x.type_id);
                let rounds = self.rounds(&x.rounds, "rounds");
                let range = self.day_range(&x.from_day, x.to_day.as_ref(), days);
                let lead = match &x.lead_days {
                    Some(l)
                        if !(0..=i64::from(file::MAX_CAMPAIGN_DAYS as u32)).contains(&l.value) =>
                    {
                        self.err(
                            l.pos,
                            format!(
                                "expected a whole number of days from 0 to {} for `lead_days`, found {}",
                                file::MAX_CAMPAIGN_DAYS,
                                l.value
                            ),
                        );
                        None
                    }
                    Some(l) => Some(l.value as u32),
                    None => Some(0),
                };
                if let (Some(t), Some(rounds), Some(days), Some(lead_days)) =
                    (t, rounds, range, lead)
                {
                    deliveries.push(Delivery {
                        interceptor_type: t,
                        rounds,
                        days,
                        lead_days,
                        source: x
                            .source
                            .as_ref()
                            .map_or(DeliverySource::Production, |s| s.value),
                    });
                }
            }
        }

        // Availability.
        let mut availability = vec![
            BatteryAvailability {
                relocate_days: Vec::new(),
                relocate_rate_per_day: 0.0,
                march_s: Uncertain::exact(0.0),
                loss_probability: Uncertain::exact(0.0),
                maintenance_days: Vec::new(),
                maintenance_rate_per_day: 0.0,
            };
            batteries_file.len()
        ];
        let mut seen = HashMap::new();
        for a in cf.availability.iter().flat_map(|x| &x.value) {
            let relocate_days = self.day_list(a.relocate_days.as_ref(), "relocate_days", days);
            let maintenance_days =
                self.day_list(a.maintenance_days.as_ref(), "maintenance_days", days);
            let Some(b) = batteries.find(self, &a.battery) else {
                continue;
            };
            self.once(
                &mut seen,
                ("availability", b),
                a.battery.pos,
                "an availability entry",
            );
            let rate = |c: &mut Self, v: &Option<Located<f64>>, name| {
                v.as_ref()
                    .map_or(Some(0.0), |r| c.number(r, name, Bounds::Probability))
            };
            let relocate_rate = rate(self, &a.relocate_rate_per_day, "relocate_rate_per_day");
            let maintenance_rate = rate(
                self,
                &a.maintenance_rate_per_day,
                "maintenance_rate_per_day",
            );
            let relocates = !relocate_days.is_empty() || relocate_rate.is_some_and(|r| r > 0.0);
            let march_h = match &a.march_h {
                Some(q) => self.quantity(q, "march_h", Bounds::NonNegative),
                None if relocates => {
                    self.err(
                        a.battery.pos,
                        format!(
                            "missing field `march_h`: battery `{}` relocates, so its march needs a duration",
                            a.battery.value
                        ),
                    );
                    None
                }
                None => Some(Uncertain::exact(0.0)),
            };
            let loss = match &a.loss_probability {
                Some(q) => self.quantity(q, "loss_probability", Bounds::Probability),
                None => Some(Uncertain::exact(0.0)),
            };
            if let (Some(rr), Some(mr), Some(march_h), Some(loss)) =
                (relocate_rate, maintenance_rate, march_h, loss)
            {
                availability[b] = BatteryAvailability {
                    relocate_days,
                    relocate_rate_per_day: rr,
                    march_s: Uncertain {
                        low: march_h.low * 3600.0,
                        nominal: march_h.nominal * 3600.0,
                        high: march_h.high * 3600.0,
                    },
                    loss_probability: loss,
                    maintenance_days,
                    maintenance_rate_per_day: mr,
                };
            }
        }

        if self.problems.0.len() > before {
            return None;
        }
        Some(Some(Campaign {
            days,
            raids,
            threat_types,
            group_type,
            stocks,
            production,
            launchers,
            interceptor_types,
            battery_type,
            depot,
            deliveries,
            availability,
        }))
    }

    /// A count of rounds: a whole number from 0 to [`MAX_ROUNDS`].
    fn rounds(&mut self, v: &Located<i64>, name: &str) -> Option<u32> {
        if (0..=MAX_ROUNDS).contains(&v.value) {
            Some(v.value as u32)
        } else {
            self.err(
                v.pos,
                format!(
                    "expected a whole number from 0 to {MAX_ROUNDS} for `{name}`, found {}",
                    v.value
                ),
            );
            None
        }
    }

    /// A day of the campaign: from 1 to `days`.
    fn day(&mut self, v: &Located<i64>, name: &str, days: u32) -> Option<u32> {
        if (1..=i64::from(days)).contains(&v.value) {
            Some(v.value as u32)
        } else {
            self.err(
                v.pos,
                format!("expected a day from 1 to {days} (the campaign's `days`) for `{name}`, found {}", v.value),
            );
            None
        }
    }

    fn day_range(
        &mut self,
        from: &Located<i64>,
        to: Option<&Located<i64>>,
        days: u32,
    ) -> Option<(u32, u32)> {
        let first = self.day(from, "from_day", days);
        let last = match to {
            Some(t) => self.day(t, "to_day", days),
            None => first,
        };
        let (first, last) = (first?, last?);
        if last < first {
            let pos = to.map_or(from.pos, |t| t.pos);
            self.err(
                pos,
                format!("expected `to_day` >= `from_day` ({first}), found {last}"),
            );
            return None;
        }
        Some((first, last))
    }

    fn day_list(
        &mut self,
        v: Option<&Located<Vec<Located<i64>>>>,
        name: &str,
        days: u32,
    ) -> Vec<u32> {
        let mut out: Vec<u32> = v
            .iter()
            .flat_map(|l| &l.value)
            .filter_map(|d| self.day(d, name, days))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Reports a second entry for the same thing.
    fn once(
        &mut self,
        seen: &mut HashMap<(&'static str, usize), Pos>,
        key: (&'static str, usize),
        pos: Pos,
        what: &str,
    ) {
        if let Some(first) = seen.get(&key) {
            self.err(
                pos,
                format!(
                    "{what} for this is already given at line {}, column {}",
                    first.line, first.column
                ),
            );
        } else {
            seen.insert(key, pos);
        }
    }

    fn day_raid(
        &mut self,
        r: &file::CampaignRaid,
        raid: &[&file::RaidGroup],
        groups: &Names<'_>,
    ) -> Option<DayRaid> {
        match (&r.launches, &r.salvo, &r.mix) {
            (Some(l), None, None) => {
                let mut counts = vec![0; raid.len()];
                let mut ok = true;
                for g in &l.value {
                    let Some(k) = groups.find(self, &g.group) else {
                        ok = false;
                        continue;
                    };
                    let most = raid[k].count.value;
                    if !(0..=most).contains(&g.count.value) {
                        self.err(
                            g.count.pos,
                            format!(
                                "expected 0 to {most} rounds (raid group `{}`'s `count`, the most it launches in a day) for `count`, found {}",
                                g.group.value, g.count.value
                            ),
                        );
                        ok = false;
                        continue;
                    }
                    if counts[k] > 0 {
                        self.err(
                            g.group.pos,
                            format!("raid group `{}` is listed twice", g.group.value),
                        );
                        ok = false;
                    }
                    counts[k] = g.count.value as u32;
                }
                ok.then_some(DayRaid::Explicit(counts))
            }
            (None, Some(salvo), Some(mix)) => {
                let salvo = self.quantity(salvo, "salvo", Bounds::NonNegative);
                let mut shares = vec![0.0; raid.len()];
                let mut ok = true;
                for g in &mix.value {
                    let share = self.number(&g.share, "share", Bounds::Probability);
                    match (groups.find(self, &g.group), share) {
                        (Some(k), Some(s)) => shares[k] += s,
                        _ => ok = false,
                    }
                }
                let sum: f64 = shares.iter().sum();
                if ok && (sum - 1.0).abs() > SHARE_SUM_TOLERANCE {
                    self.err(
                        mix.pos,
                        format!("expected shares that sum to 1 for `mix`, found a sum of {sum}"),
                    );
                    ok = false;
                }
                let salvo = salvo?;
                if ok && salvo.high > MAX_ROUNDS as f64 {
                    self.err(
                        r.salvo.as_ref().map_or(r.from_day.pos, |s| s.pos),
                        format!("`salvo` is too large: expected at most {MAX_ROUNDS}"),
                    );
                    ok = false;
                }
                ok.then_some(DayRaid::Generated { salvo, shares })
            }
            (None, Some(s), None) => {
                self.err(
                    s.pos,
                    "missing field `mix`: a generated `salvo` needs the shares of the raid groups",
                );
                None
            }
            (None, None, Some(m)) => {
                self.err(
                    m.pos,
                    "missing field `salvo`: `mix` shares a generated salvo",
                );
                None
            }
            (Some(l), _, _) => {
                self.err(
                    l.pos,
                    "give either `launches` or `salvo` with `mix`, not both",
                );
                None
            }
            (None, None, None) => {
                self.err(
                    r.from_day.pos,
                    "expected `launches` (rounds per raid group) or `salvo` with `mix` in a campaign raid entry",
                );
                None
            }
        }
    }
}
