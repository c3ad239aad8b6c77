//! Analytic reference models: the closed forms of Wilkening (2000) for the leakers of a
//! defense against independent warheads, and the abstract scenarios that play the same
//! engagements (with the engine's abstract kernel, which plays them as the battle manager does),
//! so that the Monte Carlo can be checked against them.
//!
//! D. A. Wilkening, "A Simple Model for Calculating Ballistic Missile Defense Effectiveness",
//! Science & Global Security 8(2):183-215 (2000). With `p_eff = reliability × sspk` and
//! `q = 1 − p_eff`, a warhead is killed with probability
//!
//! - (a) one salvo of `n`: `K = p_track (1 − qⁿ)`;
//! - (b) shoot-look-shoot, two salvos of `n`, perfect kill assessment, one track:
//!   `K = p_track (1 − q²ⁿ)`;
//! - (c) two independent layers, each a salvo of `n` with its own track:
//!   `K = 1 − (1 − p_track (1 − qⁿ))²`;
//!
//! and with `N` independent warheads the leakers are binomial: `E[leakers] = N (1 − K)` and
//! `P(no leaker) = Kᴺ`. The reference table `tests/data/refdata/wilkening_bmd.csv` lists these
//! for a grid of parameters; [`cases_from_csv`] reads it.

use std::collections::HashMap;

use skyshield_engine::{PrepareError, prepare};
use skyshield_scenario::{AbstractScenario, Layer, Scenario, ScenarioKind, Tracking, Uncertain};

use crate::{BatchError, BatchOptions, Execution, Overrides, run_batch};

/// How the defense engages each warhead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doctrine {
    /// (a) One salvo of `n` interceptors.
    Salvo,
    /// (b) Shoot-look-shoot: two salvos of `n`, perfect kill assessment, one track.
    ShootLookShoot,
    /// (c) Two independent layers, each one salvo of `n` on its own track.
    TwoLayers,
}

impl Doctrine {
    /// Every doctrine, in the order of the reference table's columns.
    pub const ALL: [Doctrine; 3] = [
        Doctrine::Salvo,
        Doctrine::ShootLookShoot,
        Doctrine::TwoLayers,
    ];

    /// The letter of the reference table's columns (`a`, `b`, `c`).
    pub fn letter(self) -> char {
        match self {
            Doctrine::Salvo => 'a',
            Doctrine::ShootLookShoot => 'b',
            Doctrine::TwoLayers => 'c',
        }
    }
}

/// The inputs of one closed-form case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Case {
    /// Warheads attacking.
    pub n_threats: u32,
    /// Interceptors per salvo.
    pub shots: u32,
    /// Single-shot kill probability of an interceptor that works.
    pub sspk: f64,
    /// Probability that a warhead is tracked and engaged (per layer).
    pub p_track: f64,
    /// Interceptor reliability.
    pub reliability: f64,
    /// Engagement doctrine.
    pub doctrine: Doctrine,
}

/// What the closed forms give for a case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClosedForm {
    /// Probability that one warhead is killed.
    pub kill_per_warhead: f64,
    /// Expected leakers.
    pub expected_leakers: f64,
    /// Probability of no leaker.
    pub p_no_leaker: f64,
}

impl Case {
    /// The closed forms of the module documentation.
    pub fn closed_form(&self) -> ClosedForm {
        let q = 1.0 - self.reliability * self.sspk;
        let n = f64::from(self.shots);
        let salvo = self.p_track * (1.0 - q.powf(n));
        let kill = match self.doctrine {
            Doctrine::Salvo => salvo,
            Doctrine::ShootLookShoot => self.p_track * (1.0 - q.powf(2.0 * n)),
            Doctrine::TwoLayers => 1.0 - (1.0 - salvo).powi(2),
        };
        ClosedForm {
            kill_per_warhead: kill,
            expected_leakers: f64::from(self.n_threats) * (1.0 - kill),
            p_no_leaker: kill.powf(f64::from(self.n_threats)),
        }
    }

    /// The abstract scenario that plays the case.
    pub fn scenario(&self, seed: u64) -> Scenario {
        let layer = |id: &str, engagements: u32| Layer {
            id: id.into(),
            kill_probability: Uncertain::exact(self.sspk),
            reliability: Uncertain::exact(self.reliability),
            shots_per_engagement: self.shots,
            engagements,
            tracking_probability: Uncertain::exact(self.p_track),
            rounds: None,
        };
        let (tracking, layers) = match self.doctrine {
            Doctrine::Salvo => (Tracking::Common, vec![layer("salvo", 1)]),
            Doctrine::ShootLookShoot => (Tracking::Common, vec![layer("sls", 2)]),
            Doctrine::TwoLayers => (
                Tracking::Independent,
                vec![layer("upper", 1), layer("lower", 1)],
            ),
        };
        Scenario {
            name: format!(
                "Wilkening ({}) N={} n={} sspk={} p_track={} r={}",
                self.doctrine.letter(),
                self.n_threats,
                self.shots,
                self.sspk,
                self.p_track,
                self.reliability
            ),
            description: None,
            sources: Vec::new(),
            start: None,
            seed,
            runs: 1,
            kind: ScenarioKind::Abstract(AbstractScenario {
                threats: self.n_threats,
                tracking,
                tracking_probability: Uncertain::exact(self.p_track),
                kill_assessment_probability: Uncertain::exact(1.0),
                layers,
            }),
            reported: Vec::new(),
            campaign: None,
        }
    }

    /// Runs for a standard error under 2 % of each value checked (the expected leakers, and
    /// the probability of no leaker when above 0.001), with a margin of a quarter for the
    /// sampling error of the standard deviation itself; at least 1,000.
    pub fn runs_needed(&self) -> u64 {
        let cf = self.closed_form();
        let n = f64::from(self.n_threats);
        let k = 1.0 - cf.expected_leakers / n;
        let for_mean = if cf.expected_leakers > 0.0 {
            k / (0.0004 * n * (1.0 - k))
        } else {
            0.0
        };
        let for_p0 = if cf.p_no_leaker > 0.001 {
            (1.0 - cf.p_no_leaker) / (0.0004 * cf.p_no_leaker)
        } else {
            0.0
        };
        ((1.25 * for_mean.max(for_p0)).ceil() as u64).max(1_000)
    }

    /// Plays the case for [`Case::runs_needed`] runs and compares with the closed forms.
    pub fn simulate(&self, seed: u64) -> Result<Agreement, SimulateError> {
        let runs = self.runs_needed();
        let prepared = prepare(&self.scenario(seed))?;
        let opts = BatchOptions::new(
            &prepared,
            Overrides {
                runs: Some(runs),
                nominal: true,
                ..Overrides::default()
            },
        );
        let s = run_batch(&prepared, &opts, Execution::default())?.summary;
        let cf = self.closed_form();
        let se_mean = s.leakers.sd / (runs as f64).sqrt();
        let se_p0 = (cf.p_no_leaker * (1.0 - cf.p_no_leaker) / runs as f64).sqrt();
        Ok(Agreement {
            runs,
            closed_form: cf,
            leakers_mean: s.leakers.mean,
            se_mean,
            z_mean: (s.leakers.mean - cf.expected_leakers) / se_mean.max(f64::MIN_POSITIVE),
            p_no_leaker: s.leakers.p_zero,
            se_p0,
            z_p0: (s.leakers.p_zero - cf.p_no_leaker) / se_p0.max(f64::MIN_POSITIVE),
        })
    }
}

/// Why a case could not be simulated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimulateError {
    #[error(transparent)]
    Prepare(#[from] PrepareError),
    #[error(transparent)]
    Batch(#[from] BatchError),
}

/// A Monte Carlo estimate against the closed forms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agreement {
    /// Runs played.
    pub runs: u64,
    /// The closed forms.
    pub closed_form: ClosedForm,
    /// Simulated mean leakers.
    pub leakers_mean: f64,
    /// Standard error of the simulated mean.
    pub se_mean: f64,
    /// (simulated − formula) / standard error, for the mean.
    pub z_mean: f64,
    /// Simulated probability of no leaker.
    pub p_no_leaker: f64,
    /// Standard error of the simulated probability of no leaker (binomial, at the formula).
    pub se_p0: f64,
    /// (simulated − formula) / standard error, for the probability of no leaker.
    pub z_p0: f64,
}

impl Agreement {
    /// Whether the estimate agrees: standard errors under 2 % of the values and |z| at most 4,
    /// for the mean and, where it is above 0.001, the probability of no leaker.
    pub fn agrees(&self) -> bool {
        let cf = &self.closed_form;
        let mean_ok = self.se_mean <= 0.02 * cf.expected_leakers && self.z_mean.abs() <= 4.0;
        let p0_ok = cf.p_no_leaker <= 0.001
            || (self.se_p0 <= 0.02 * cf.p_no_leaker && self.z_p0.abs() <= 4.0);
        mean_ok && p0_ok
    }
}

/// A row of the reference table with one doctrine: the case and the table's own values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TableCase {
    /// Row index among the table's data rows, from 0.
    pub row: usize,
    /// The inputs.
    pub case: Case,
    /// The table's expected leakers.
    pub expected_leakers: f64,
    /// The table's probability of no leaker.
    pub p_no_leaker: f64,
}

/// Reads the reference table (text of `wilkening_bmd.csv`): every data row with each doctrine.
pub fn cases_from_csv(text: &str) -> Result<Vec<TableCase>, String> {
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let header: Vec<&str> = lines.next().ok_or("no header row")?.split(',').collect();
    let mut out = Vec::new();
    for (row, line) in lines.enumerate() {
        let mut v: HashMap<&str, f64> = HashMap::new();
        for (h, x) in header.iter().zip(line.split(',')) {
            let x = x
                .trim()
                .parse::<f64>()
                .map_err(|e| format!("row {row}, column {h}: {e}"))?;
            v.insert(h, x);
        }
        let get = |k: &str| {
            v.get(k)
                .copied()
                .ok_or_else(|| format!("row {row}: no column {k}"))
        };
        for doctrine in Doctrine::ALL {
            let l = doctrine.letter();
            out.push(TableCase {
                row,
                case: Case {
                    n_threats: get("N")? as u32,
                    shots: get("n")? as u32,
                    sspk: get("sspk")?,
                    p_track: get("p_track")?,
                    reliability: get("r_int")?,
                    doctrine,
                },
                expected_leakers: get(&format!("Eleak_{l}"))?,
                p_no_leaker: get(&format!("P0_{l}"))?,
            });
        }
    }
    Ok(out)
}

/// The subset checked on every test run and shown in the validation document: for each
/// doctrine and N of 10 and 100, the first and the last row whose case needs at most 40,000
/// runs (a spread of kill and tracking probabilities, each case taking seconds).
pub fn representative_subset(all: &[TableCase]) -> Vec<TableCase> {
    let mut chosen = Vec::new();
    for doctrine in Doctrine::ALL {
        for n_threats in [10, 100] {
            let mut of_kind: Vec<&TableCase> = all
                .iter()
                .filter(|c| {
                    c.case.doctrine == doctrine
                        && c.case.n_threats == n_threats
                        && c.case.runs_needed() <= 40_000
                })
                .collect();
            of_kind.sort_by_key(|c| c.row);
            chosen.extend(of_kind.first().copied());
            chosen.extend(of_kind.last().copied());
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms_of_a_worked_example() {
        // N = 1, n = 1, sspk 0.5, p_track 1, r 0.9: p_eff 0.45.
        let c = |doctrine| Case {
            n_threats: 1,
            shots: 1,
            sspk: 0.5,
            p_track: 1.0,
            reliability: 0.9,
            doctrine,
        };
        let a = c(Doctrine::Salvo).closed_form();
        assert!((a.kill_per_warhead - 0.45).abs() < 1e-12);
        let b = c(Doctrine::ShootLookShoot).closed_form();
        assert!((b.expected_leakers - 0.55 * 0.55).abs() < 1e-12);
        let two = c(Doctrine::TwoLayers).closed_form();
        assert!((two.p_no_leaker - (1.0 - 0.55 * 0.55)).abs() < 1e-12);
    }

    /// One salvo of one interceptor of kill probability `sspk` at each of `n` warheads, always
    /// tracked and reliable.
    fn salvo(n_threats: u32, sspk: f64) -> Case {
        Case {
            n_threats,
            shots: 1,
            sspk,
            p_track: 1.0,
            reliability: 1.0,
            doctrine: Doctrine::Salvo,
        }
    }

    #[test]
    fn runs_needed_keep_both_standard_errors_under_two_percent() {
        // One warhead killed with k: the mean leakers (1 − k) has a relative variance of
        // k / (1 − k) a run, P(no leaker) = k one of (1 − k) / k; a standard error of 2 % takes
        // that over 0.0004 runs, a quarter more for the margin.
        // (To a run: rounding before the ceiling may differ.)
        let near = |case: Case, relative_variance: f64| {
            let runs = 1.25 * relative_variance / 0.0004;
            (case.runs_needed() as f64 - runs).abs() <= 1.0
        };
        assert!(near(salvo(1, 0.3), 0.7 / 0.3));
        assert!(near(salvo(1, 0.9), 0.9 / 0.1));
        // Ten warheads: N (1 − k) leakers; P(no leaker) = 0.5¹⁰ is under 0.001, so not checked.
        assert_eq!(salvo(10, 0.5).runs_needed(), 1_000);
        assert!(near(salvo(10, 0.99), 0.99 / (10.0 * 0.01)));
        // Every warhead killed: no leaker to measure, P(no leaker) exactly 1.
        assert_eq!(salvo(3, 1.0).runs_needed(), 1_000);
    }

    #[test]
    fn an_estimate_agrees_only_within_four_standard_errors_under_two_percent() {
        let closed_form = ClosedForm {
            kill_per_warhead: 0.5,
            expected_leakers: 5.0,
            p_no_leaker: 0.01,
        };
        let at_the_bounds = Agreement {
            runs: 1_000,
            closed_form,
            leakers_mean: 5.4,
            se_mean: 0.1,
            z_mean: 4.0,
            p_no_leaker: 0.0092,
            se_p0: 0.0002,
            z_p0: -4.0,
        };
        assert!(at_the_bounds.agrees());
        let beyond = [
            Agreement {
                z_mean: 4.01,
                ..at_the_bounds
            },
            Agreement {
                z_mean: -4.01,
                ..at_the_bounds
            },
            Agreement {
                se_mean: 0.1001,
                ..at_the_bounds
            },
            Agreement {
                z_p0: -4.01,
                ..at_the_bounds
            },
            Agreement {
                se_p0: 0.000201,
                ..at_the_bounds
            },
        ];
        for a in beyond {
            assert!(!a.agrees(), "{a:?}");
        }
        // A probability of no leaker at or below 0.001 is not checked.
        let rare = Agreement {
            closed_form: ClosedForm {
                p_no_leaker: 0.001,
                ..closed_form
            },
            se_p0: 1.0,
            z_p0: 100.0,
            ..at_the_bounds
        };
        assert!(rare.agrees());
    }
}
