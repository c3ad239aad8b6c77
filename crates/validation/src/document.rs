//! `docs/validation.md`: the results of [`crate::events`], [`skyshield_mc::analytic`] and
//! [`crate::physics`] as Markdown. Nothing in it depends on the machine or the time (no wall
//! times), so the same inputs give the same page.

use std::fmt::Write;

use skyshield_mc::analytic::{Agreement, TableCase};
use skyshield_mc::reported::Agreement as Scored;

use skyshield_scenario::Metric;
use skyshield_scenario::reported::Lead;

use crate::campaigns::CampaignResult;
use skyshield_mc::figures::Simulated;

use crate::events::{EventResult, POLICIES, PolicyComparison};
use crate::flights::{FigureCheck, TERMINAL_HEIGHT_M, TypeFlight};
use crate::physics::Check;

/// The command that regenerates the page.
pub const COMMAND: &str = "cargo run --release -p skyshield-validation -- --out docs/validation.md";

/// A number for a table: three significant figures or so, no exponent for counts and money.
fn num(x: f64) -> String {
    let a = x.abs();
    if (x.fract() == 0.0 && a < 1e15) || a >= 1e4 {
        format!("{x:.0}")
    } else if a >= 100.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else if a >= 1e-3 {
        format!("{x:.4}")
    } else {
        format!("{x:.2e}")
    }
}

fn range(low: f64, high: f64) -> String {
    if low == high {
        num(low)
    } else {
        format!("{}–{}", num(low), num(high))
    }
}

/// A cell of free text: no line breaks or table separators.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Renders the page.
pub fn render(
    events: &[EventResult],
    wilkening: &[(TableCase, Agreement)],
    physics: &[(&str, Vec<Check>)],
    flights: &(Vec<TypeFlight>, Vec<FigureCheck>),
    policies: &[PolicyComparison],
    campaigns: &[CampaignResult],
) -> String {
    let mut s = String::new();
    let w = &mut s;
    let _ = writeln!(w, "# Validation\n");
    let _ = writeln!(
        w,
        "This page is generated; do not edit it by hand. Regenerate it with one command from the \
         repository root (about a minute on two cores):\n\n```sh\n{COMMAND}\n```\n"
    );
    let _ = writeln!(
        w,
        "It sets skyshield against three kinds of reference: public reports of real events \
         (section 1), the closed forms of Wilkening (2000) for the Monte Carlo (section 2), and \
         independent reference data for the physics (section 3, `tests/data/refdata`), and sets \
         the flight of each threat type beside its published figures (section 4); section 5 \
         plays each library scenario under each assignment policy, and section 6 the library's \
         campaigns over all their days. The \
         tests assert sections 2 and 3 (`cargo test -p skyshield-mc --test wilkening`, \
         `cargo test -p skyshield-validation --test physics`); sections 1 and 4 are \
         comparisons, not tests: the scenarios and the catalog use public, notional \
         parameters, and where they differ from what was reported the reasons are given.\n"
    );
    events_section(w, events);
    warning_table(w, events);
    wilkening_section(w, wilkening);
    physics_section(w, physics);
    flights_section(w, flights);
    policies_section(w, policies);
    campaigns_section(w, campaigns);
    s
}

fn campaigns_section(w: &mut String, campaigns: &[CampaignResult]) {
    let _ = writeln!(
        w,
        "## 6. Campaigns\n\nEach library scenario with a `campaign` section is played day by \
         day as `skyshield campaign` plays it (its own seed and runs), and its totals over the \
         campaign are set beside those reported over the whole war: the simulated mean with \
         the 95 % interval of the mean, and the 5th to 95th percentile across runs. A \
         comparison, not a test.\n"
    );
    for c in campaigns {
        let _ = writeln!(w, "### {}\n\n`{}`\n", c.summary.scenario, c.command());
        let _ = writeln!(
            w,
            "| figure | reported | simulated mean (95 % CI) | p5-p95 | meets | source | why they differ |\n|---|---|---|---|---|---|---|"
        );
        for (f, s) in &c.figures {
            let meets = f.value.1 >= s.p5 && f.value.0 <= s.p95;
            let _ = writeln!(
                w,
                "| {} | {} | {} ({}) | {} | {} | {} | {} |",
                cell(f.figure),
                range(f.value.0, f.value.1),
                num(s.mean),
                range(s.ci95[0], s.ci95[1]),
                range(s.p5, s.p95),
                if meets { "yes" } else { "no" },
                cell(f.source),
                cell(f.note)
            );
        }
        let _ = writeln!(w);
        let exhausted: Vec<String> = c
            .summary
            .exhaustion
            .iter()
            .filter_map(|(t, e)| {
                e.p50.map(|d| {
                    format!(
                        "{t} by day {d} (median, {:.0} % of runs)",
                        100.0 * (1.0 - e.p_never)
                    )
                })
            })
            .collect();
        if !exhausted.is_empty() {
            let _ = writeln!(
                w,
                "Interceptor types exhausted: {}.\n",
                exhausted.join("; ")
            );
        }
    }
}

/// Hits per asset shown per scenario: the most hit under any policy.
const POLICY_ASSETS: usize = 4;

fn policies_section(w: &mut String, policies: &[PolicyComparison]) {
    let _ = writeln!(
        w,
        "## 5. Assignment policies on the same scenarios
"
    );
    let _ = writeln!(
        w,
        "Each library scenario under each `command.policy` (`docs/scenario-format.md`, \
         Assignment policies), with its own seed and the same runs, so that the draws of \
         launches, failures and aim are the same; leakers and hits are means per run (95 % \
         interval of the mean for leakers). Hits are shown for the assets most hit under any \
         policy.\n"
    );
    let _ = writeln!(
        w,
        "| scenario | policy | leakers | intercepted | interceptors fired | defense cost, US$ M | hits per asset |\n|---|---|---|---|---|---|---|"
    );
    for c in policies {
        let mut assets: Vec<(&String, f64)> = c.summaries[0]
            .assets
            .keys()
            .map(|id| {
                let most = c
                    .summaries
                    .iter()
                    .map(|s| s.assets.get(id).map_or(0.0, |a| a.hits_mean))
                    .fold(0.0, f64::max);
                (id, most)
            })
            .filter(|(_, most)| *most >= 0.05)
            .collect();
        assets.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        assets.truncate(POLICY_ASSETS);
        for ((_, name), s) in POLICIES.iter().zip(&c.summaries) {
            let shots = s.by_layer.values().fold(0.0, |n, l| n + l.shots);
            let hits: Vec<String> = assets
                .iter()
                .map(|(id, _)| {
                    let h = s.assets.get(*id).map_or(0.0, |a| a.hits_mean);
                    format!("{id} {}", num(h))
                })
                .collect();
            let _ = writeln!(
                w,
                "| {} ({} runs) | `{name}` | {} ({}) | {} | {} | {} | {} |",
                cell(&c.name),
                c.runs,
                num(s.fates.leaked),
                range(s.leakers.ci95[0], s.leakers.ci95[1]),
                num(s.fates.intercepted),
                num(shots),
                num(s.cost_usd.defense / 1e6),
                cell(&hits.join(", ")),
            );
        }
    }
    let _ = writeln!(w);
}

fn events_section(w: &mut String, events: &[EventResult]) {
    let _ = writeln!(w, "## 1. Reconstructed events\n");
    let _ = writeln!(
        w,
        "Each scenario of the library (`scenarios/*.yaml`; the file's header comments give its \
         sources and assumptions) is run as `skyshield run` runs it: its own seed and number of \
         runs, every parameter with a `{{low, nominal, high}}` range drawn per run. For each \
         figure the scenario's `reported:` list gives, the table shows the reported value, the \
         simulated mean with the 95 % confidence interval of the mean, and the 5th to 95th \
         percentile across runs, the reported value's *rank* (its percentile rank among the \
         runs, ties counted as half; for a range, its point nearest the median) and its \
         *agreement*: **consistent** for a rank from 5 to 95, **in the tail** from 0.5 to 5 or \
         95 to 99.5, **outside** beyond. A figure that the scenario itself sets is marked **by \
         construction** and not counted as agreement: a layer's shots when every run fires the \
         whole stock the scenario gives it, a lead time the siren policy aims at \
         (`min_lead_s`). Scoring: `skyshield_mc::reported`. A civil-warning lead time (`warning.siren_lead_s.p50` and the like) \
         is not a mean over runs but a quantile of the lead times of all impacts (or \
         early-warned threats) of all runs: its row shows that quantile, and in the p5–p95 \
         column the 5th to 95th percentile of the same lead-time distribution; its rank is in \
         that distribution, to its 10 s bin. Metrics are \
         paths of the Summary JSON or derived ratios (`docs/scenario-format.md`, section \
         `reported`). A scenario of a multi-day war is played here as one day (its template \
         day, as `skyshield run` plays it) with its reported totals scaled per day; its \
         campaign over all its days is compared in section 6.\n"
    );
    let count = |a: Scored| {
        events
            .iter()
            .flat_map(|e| &e.figures)
            .filter(|f| f.agreement == a)
            .count()
    };
    let _ = writeln!(
        w,
        "Over all scenarios: {} reported figures consistent, {} in the tail, {} outside; {} by \
         construction (not counted).\n",
        count(Scored::Consistent),
        count(Scored::InTheTail),
        count(Scored::Outside),
        count(Scored::ByConstruction),
    );
    for e in events {
        let sc = &e.scenario;
        let _ = writeln!(w, "### {}\n", sc.name);
        let _ = writeln!(w, "File: `{}`.", e.path.display());
        if let Some(d) = &sc.description {
            let _ = writeln!(w, "{d}");
        }
        let _ = writeln!(
            w,
            "\nReproduce ({} runs, seed {}): `{}`\n",
            e.runs,
            e.seed,
            e.command()
        );
        if e.figures.is_empty() {
            let _ = writeln!(
                w,
                "No reported figures: a hypothetical or generic scenario. Leakers per run: mean \
                 {} (95 % CI {}), 5th-95th percentile {}.\n",
                num(e.summary.leakers.mean),
                range(e.summary.leakers.ci95[0], e.summary.leakers.ci95[1]),
                range(
                    e.summary.leakers.quantiles.p5,
                    e.summary.leakers.quantiles.p95
                ),
            );
        } else {
            let _ = writeln!(
                w,
                "| Reported figure | Reported | Simulated mean (95 % CI) | Runs p5–p95 | Metric | Rank | Agreement |\n|---|---|---|---|---|---|---|"
            );
            for f in &e.figures {
                let r = &f.reported;
                let (simulated, spread) = match &f.simulated {
                    Simulated::Mean(m) => (
                        format!("{} ({})", num(m.mean), range(m.ci95[0], m.ci95[1])),
                        range(m.p5, m.p95),
                    ),
                    Simulated::Quantile(Some(q)) => {
                        (format!("{} (quantile)", num(q.value)), range(q.p5, q.p95))
                    }
                    Simulated::Quantile(None) => ("no lead time measured".into(), "—".into()),
                };
                let _ = writeln!(
                    w,
                    "| {} | {} | {simulated} | {spread} | `{}` | {} | {} |",
                    cell(&r.figure),
                    range(r.low, r.high),
                    r.metric,
                    f.rank.map_or("—".to_string(), |k| format!("{k:.1}")),
                    f.agreement.label(),
                );
            }
            let _ = writeln!(w, "\nWhere they differ and why:\n");
            for f in &e.figures {
                let none = if f.agreement == Scored::Consistent {
                    "The reported value lies within the spread of the runs."
                } else {
                    "The scenario file records no reason."
                };
                let note = f.reported.note.as_deref().unwrap_or(none);
                let _ = writeln!(w, "- *{}*: {}", cell(&f.reported.figure), cell(note));
            }
            let _ = writeln!(w, "\nSources of the figures:\n");
            for f in &e.figures {
                let _ = writeln!(
                    w,
                    "- *{}*: {}",
                    cell(&f.reported.figure),
                    cell(&f.reported.source)
                );
            }
            let _ = writeln!(w);
        }
        if !e.summary.by_layer.is_empty() {
            let _ = writeln!(
                w,
                "| Interceptor type | Shots | Kills | Rounds left / rounds |\n|---|---|---|---|"
            );
            for (name, l) in &e.summary.by_layer {
                let left = match (l.rounds_left, l.rounds) {
                    (Some(left), Some(rounds)) => format!("{} / {rounds}", num(left)),
                    _ => "unlimited".into(),
                };
                let _ = writeln!(
                    w,
                    "| {name} | {} | {} | {left} |",
                    num(l.shots),
                    num(l.kills)
                );
            }
            let _ = writeln!(w);
        }
    }
}

/// The siren and early-warning lead times of every scenario with civil warning, beside the
/// lead times its reported figures give.
fn warning_table(w: &mut String, events: &[EventResult]) {
    let with_warning: Vec<_> = events
        .iter()
        .filter_map(|e| e.summary.warning.as_ref().map(|s| (e, s)))
        .collect();
    if with_warning.is_empty() {
        return;
    }
    let _ = writeln!(w, "### Civil warning: lead times\n");
    let _ = writeln!(
        w,
        "The scenarios with civil-warning zones (`warning:`), their simulated lead times (s) \
         against those reported. The siren lead is, for each impact in a zone (a missile that \
         got through, or an intercept's debris), the time from the siren the zone sounded for \
         that threat to the impact (from the start of the zone's alert period when the zone \
         sounded only for other threats); the early-warning lead is, for each threat, the time \
         from its first space-infrared cue or track to its arrival (`docs/model.md`, \"Civil \
         warning\"). Quantiles over all impacts, or threats, of all runs; *reported* is what the \
         scenario's `reported:` list gives for that lead (— when it gives nothing). The siren \
         policy sounds no later than `min_lead_s` (90 s here) before a predicted impact, so a \
         siren lead near 90 s reflects the modelled policy; longer leads come from zones \
         covered by an earlier decision. The notes of each figure above give the reasons for \
         each event.\n"
    );
    let _ = writeln!(
        w,
        "| Scenario | Siren lead p5 | p50 | p95 | Reported siren lead | Early-warning lead p5 | p50 | p95 | Reported early warning |\n|---|---|---|---|---|---|---|---|---|"
    );
    let quantiles = |l: &skyshield_mc::LeadSummary| {
        [l.p5, l.p50, l.p95]
            .map(|q| q.map_or_else(|| "—".to_owned(), num))
            .join(" | ")
    };
    for (e, s) in with_warning {
        let reported = |lead: Lead| {
            e.figures
                .iter()
                .find(
                    |f| matches!(f.reported.metric, Metric::LeadTime { lead: l, .. } if l == lead),
                )
                .map_or_else(
                    || "—".to_owned(),
                    |f| range(f.reported.low, f.reported.high),
                )
        };
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {} |",
            cell(&e.scenario.name),
            quantiles(&s.siren_lead_s),
            reported(Lead::Siren),
            quantiles(&s.early_warning_lead_s),
            reported(Lead::EarlyWarning),
        );
    }
    let _ = writeln!(w);
}

fn wilkening_section(w: &mut String, cases: &[(TableCase, Agreement)]) {
    let _ = writeln!(
        w,
        "## 2. Monte Carlo against closed forms (Wilkening 2000)\n"
    );
    let _ = writeln!(
        w,
        "Abstract scenarios (`kind: abstract`) play each case with the abstract kernel, which plays \
         them as the battle manager does (an engine test compares the two); the \
         closed forms are those of D. A. Wilkening, \"A Simple Model for Calculating Ballistic \
         Missile Defense Effectiveness\", Science & Global Security 8(2):183-215 (2000), with \
         `p = reliability × SSPK`: (a) one salvo of n, K = P_track (1 − (1 − p)ⁿ); (b) \
         shoot-look-shoot with two salvos of n and perfect kill assessment, K = P_track \
         (1 − (1 − p)²ⁿ); (c) two independent layers of one salvo each, K = 1 − (1 − P_track \
         (1 − (1 − p)ⁿ))². Leakers are binomial: E = N (1 − K), P0 = Kᴺ. The formulas \
         (`skyshield_mc::analytic`) reproduce every row of `tests/data/refdata/wilkening_bmd.csv`. \
         The subset below is the one the tests check on every run: for each doctrine and N of \
         10 and 100, the first and last rows that need at most 40,000 runs for a standard error \
         under 2 % of each value; z is (simulated − formula) / standard error, and a case \
         agrees when |z| ≤ 4 for the mean and, where P0 > 0.001, for P0. Seed 2026; parameters \
         at their values (no ranges).\n"
    );
    let _ = writeln!(
        w,
        "| Row | Doctrine | N | n | SSPK | P_track | r | Runs | E[leakers] formula | simulated | SE | z | P0 formula | simulated | z | Agrees |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for (c, a) in cases {
        let k = &c.case;
        let cf = &a.closed_form;
        let (p0_sim, p0_z) = if cf.p_no_leaker > 0.001 {
            (num(a.p_no_leaker), format!("{:+.2}", a.z_p0))
        } else {
            ("—".into(), "—".into())
        };
        let _ = writeln!(
            w,
            "| {} | ({}) | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:+.2} | {} | {} | {} | {} |",
            c.row,
            k.doctrine.letter(),
            k.n_threats,
            k.shots,
            k.sspk,
            k.p_track,
            k.reliability,
            a.runs,
            num(cf.expected_leakers),
            num(a.leakers_mean),
            num(a.se_mean),
            a.z_mean,
            num(cf.p_no_leaker),
            p0_sim,
            p0_z,
            if a.agrees() { "yes" } else { "no" },
        );
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "The whole table (every row with N of 10 or 100, each doctrine) is checked by \
         `cargo test --release -p skyshield-mc --test wilkening -- --ignored --nocapture`, \
         with at most 5,000,000 runs per case; a case that needs more is skipped and named. \
         Recorded run (2 December 2026, two cores, 3,704 s): 424 cases checked, 0 failed \
         (every z of the mean and of P0 between −3.20 and +2.74), 8 skipped: rows 132, 138, \
         139 and 282 in doctrines (b) and (c), whose expected leakers are so small that a 2 % \
         standard error needs 6.6 to 312 million runs.\n"
    );
}

fn physics_section(w: &mut String, groups: &[(&str, Vec<Check>)]) {
    let _ = writeln!(w, "## 3. Physics against reference data\n");
    let _ = writeln!(
        w,
        "Worst errors of `skyshield-physics` over the rows of each reference file in \
         `tests/data/refdata` (its README says how each was made), against the tolerance the \
         tests assert (`crates/validation/tests/physics.rs`). A tolerance marked ≤ is a printed \
         rounding of the reference and may be reached; the others must not.\n"
    );
    for (title, checks) in groups {
        let _ = writeln!(w, "### {title}\n");
        let _ = writeln!(
            w,
            "| Reference | Quantity | Rows | Worst error | At | Tolerance | Within |\n|---|---|---|---|---|---|---|"
        );
        for c in checks {
            let _ = writeln!(
                w,
                "| `{}` | {} | {} | {:.2e} {} | {} | {} {:.2e} {} | {} |",
                c.reference,
                cell(&c.quantity),
                c.rows,
                c.worst,
                c.unit,
                cell(&c.at),
                if c.inclusive { "≤" } else { "<" },
                c.tolerance,
                c.unit,
                if c.passes() { "yes" } else { "no" },
            );
        }
        let _ = writeln!(w);
    }
}

fn flights_section(w: &mut String, (longest, checks): &(Vec<TypeFlight>, Vec<FigureCheck>)) {
    let _ = writeln!(
        w,
        "## 4. Flight of each threat type against published figures\n"
    );
    let _ = writeln!(
        w,
        "Every rocket-powered type of the catalog flown with its nominal figures on its \
         minimum-energy trajectory from western Iran (34.3° N, 47.1° E) due west, over the full \
         Earth model (`crates/validation/src/flights.rs`). The speed of the terminal phase is \
         read descending through {} km; the speed at impact is lower, since drag in the last \
         kilometres slows every body. Published figures are often claims; each is set beside \
         the flight at its range, and one outside is reported, not tuned away. Types without a \
         row in the second table have no published figure of their flight in the catalog.\n",
        TERMINAL_HEIGHT_M / 1e3
    );
    let _ = writeln!(
        w,
        "| Type | Range (km) | Apogee (km) | Flight time (min) | Fastest (m/s) | At {} km down (m/s) | Impact (m/s) | Published figures |\n|---|---|---|---|---|---|---|---|",
        TERMINAL_HEIGHT_M / 1e3
    );
    for f in longest {
        let published = checks.iter().filter(|c| c.flight.id == f.id).count();
        let _ = writeln!(
            w,
            "| `{}` | {} | {:.1} | {:.1} | {:.0} | {} | {:.0} | {} |",
            f.id,
            num(f.range_km),
            f.apogee_km,
            f.flight_time_s / 60.0,
            f.fastest_m_s,
            f.terminal_m_s.map_or("—".to_owned(), |v| format!("{v:.0}")),
            f.impact_m_s,
            if published == 0 {
                "none found".to_owned()
            } else {
                published.to_string()
            }
        );
    }
    let _ = writeln!(
        w,
        "\n| Type | Figure | Range (km) | Published | Computed | Within | Source |\n|---|---|---|---|---|---|---|"
    );
    for c in checks {
        let f = &c.figure;
        let _ = writeln!(
            w,
            "| `{}` | `{}` | {} | {} | {} | {} | {}{} |",
            c.flight.id,
            f.quantity.key(),
            num(c.flight.range_km),
            range(f.low, f.high),
            c.computed().map_or("—".to_owned(), num),
            if c.within() { "yes" } else { "no" },
            cell(&c.citations.join("; ")),
            f.note
                .as_deref()
                .map_or(String::new(), |n| format!(" ({})", cell(n)))
        );
    }
    let _ = writeln!(w);
}
