//! Scoring a reported figure against a simulated distribution: the figure's percentile rank
//! among the runs, and a label.
//!
//! The percentile rank of a value `x` among `n` runs is `100 (below + equal / 2) / n`: the
//! share of runs below it, counting ties as half (the mid-rank, so that a count every run
//! shares ranks 50). A reported range `[low, high]` takes the rank of its point closest to
//! the runs' median: 50 when it holds the median. The labels:
//! - **consistent**: rank from 5 to 95, the central 90 % of the runs;
//! - **in the tail**: rank from 0.5 to 5 or from 95 to 99.5, the rest of the central 99 %;
//! - **outside**: rank below 0.5 or above 99.5.
//!
//! A figure that the scenario sets by construction (a stock fired to the last round, a lead
//! time the siren policy aims at) is labelled so by the caller and not counted as agreement.

use serde::{Deserialize, Serialize};

/// How a reported figure sits in the simulated distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    /// Within the central 90 % of the runs.
    Consistent,
    /// Outside the central 90 %, within the central 99 %.
    InTheTail,
    /// Outside the central 99 %.
    Outside,
    /// Equal to the simulation because the scenario sets it: not evidence either way.
    ByConstruction,
}

impl Agreement {
    /// The words of the label.
    pub fn label(self) -> &'static str {
        match self {
            Agreement::Consistent => "consistent",
            Agreement::InTheTail => "in the tail",
            Agreement::Outside => "outside",
            Agreement::ByConstruction => "by construction",
        }
    }

    /// The label of percentile rank `rank` (0 to 100).
    pub fn of_rank(rank: f64) -> Agreement {
        if (5.0..=95.0).contains(&rank) {
            Agreement::Consistent
        } else if (0.5..=99.5).contains(&rank) {
            Agreement::InTheTail
        } else {
            Agreement::Outside
        }
    }
}

/// The percentile rank (0 to 100) of `x` among `values` (mid-rank for ties); `None` for no
/// values.
pub fn percentile_rank(values: &[f64], x: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let below = values.iter().filter(|v| **v < x).count() as f64;
    let equal = values.iter().filter(|v| **v == x).count() as f64;
    Some(100.0 * (below + 0.5 * equal) / values.len() as f64)
}

/// The percentile rank of the reported range `[low, high]` among `values`: that of its point
/// closest to their median, 50 when it holds the median; `None` for no values.
pub fn range_rank(values: &[f64], low: f64, high: f64) -> Option<f64> {
    let low_rank = percentile_rank(values, low)?;
    let high_rank = percentile_rank(values, high)?;
    Some(if high_rank < 50.0 {
        high_rank
    } else if low_rank > 50.0 {
        low_rank
    } else {
        50.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_count_ties_as_half() {
        let v = [1.0, 2.0, 2.0, 3.0];
        assert_eq!(percentile_rank(&v, 0.0), Some(0.0));
        assert_eq!(percentile_rank(&v, 2.0), Some(50.0));
        assert_eq!(percentile_rank(&v, 3.0), Some(87.5));
        assert_eq!(percentile_rank(&v, 4.0), Some(100.0));
        assert_eq!(percentile_rank(&[], 1.0), None);
        // A count that every run shares ranks at the middle.
        assert_eq!(percentile_rank(&[7.0; 10], 7.0), Some(50.0));
    }

    #[test]
    fn a_range_takes_the_rank_of_its_point_nearest_the_median() {
        let v: Vec<f64> = (0..100).map(f64::from).collect();
        assert_eq!(range_rank(&v, 10.0, 80.0), Some(50.0));
        assert_eq!(range_rank(&v, 1.0, 2.0), Some(2.5));
        assert_eq!(range_rank(&v, 97.0, 120.0), Some(97.5));
    }

    #[test]
    fn labels_follow_the_documented_thresholds() {
        let cases = [
            (50.0, Agreement::Consistent),
            (5.0, Agreement::Consistent),
            (95.0, Agreement::Consistent),
            (4.9, Agreement::InTheTail),
            (99.5, Agreement::InTheTail),
            (0.5, Agreement::InTheTail),
            (0.4, Agreement::Outside),
            (100.0, Agreement::Outside),
        ];
        for (rank, label) in cases {
            assert_eq!(Agreement::of_rank(rank), label, "rank {rank}");
        }
        let v: Vec<f64> = (0..1000).map(f64::from).collect();
        let rank = range_rank(&v, 2000.0, 2000.0);
        assert_eq!(rank, Some(100.0));
        assert_eq!(rank.map(Agreement::of_rank), Some(Agreement::Outside));
        // The words the report and the command line print, from the module's documentation.
        let words = [
            Agreement::Consistent,
            Agreement::InTheTail,
            Agreement::Outside,
            Agreement::ByConstruction,
        ]
        .map(Agreement::label);
        assert_eq!(
            words,
            ["consistent", "in the tail", "outside", "by construction"]
        );
    }
}
