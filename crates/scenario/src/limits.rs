//! Limits on the size of what a scenario asks for, so that a file from anyone cannot make a
//! run grow without bound: threats per scenario, distinct trajectories, warning zones, runs,
//! runs kept in full for the per-threat outputs, and bytes of an output folder.
//!
//! Validation ([`crate::load_scenario`]) checks the first four against the file, before
//! anything large is built, and reports an excess at the field that asks for it (a raid
//! group's `count`, its `sites`, `warning.zones`, `runs`). Every front end uses this one
//! [`Limits`]: the command line with [`Limits::DEFAULT`] and a flag per limit
//! ([`Limit::flag`]), the web server with its own, smaller values, the Python package with the
//! defaults.

use std::fmt;

/// One of the limits of [`Limits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Threats per run of a scenario (the sum of its raid groups' `count`, or `threats`).
    Threats,
    /// Distinct nominal trajectories: launch sites summed over the raid groups.
    Trajectories,
    /// Warning zones: features of a GeoJSON file, or cells of a generated grid.
    Zones,
    /// Monte Carlo runs of one batch.
    Runs,
    /// Runs kept in full for the per-threat outputs of a run folder.
    SampleRuns,
    /// Bytes written into one output folder.
    OutputBytes,
}

impl Limit {
    /// The command-line flag that sets this limit.
    pub fn flag(self) -> &'static str {
        match self {
            Limit::Threats => "--max-threats",
            Limit::Trajectories => "--max-trajectories",
            Limit::Zones => "--max-zones",
            Limit::Runs => "--max-runs",
            Limit::SampleRuns => "--max-sample-runs",
            Limit::OutputBytes => "--max-output-bytes",
        }
    }

    /// What the limit counts, plural.
    pub fn counts(self) -> &'static str {
        match self {
            Limit::Threats => "threats per scenario",
            Limit::Trajectories => "distinct trajectories",
            Limit::Zones => "warning zones",
            Limit::Runs => "runs",
            Limit::SampleRuns => "sample runs",
            Limit::OutputBytes => "bytes of output",
        }
    }
}

/// The largest sizes a front end accepts. [`Limits::DEFAULT`] leaves room for every scenario
/// of the library many times over; a server facing the public sets smaller ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most threats per run ([`Limit::Threats`]).
    pub threats: u64,
    /// Most distinct trajectories ([`Limit::Trajectories`]).
    pub trajectories: u64,
    /// Most warning zones ([`Limit::Zones`]).
    pub zones: u64,
    /// Most runs of one batch ([`Limit::Runs`]).
    pub runs: u64,
    /// Most runs kept in full for per-threat outputs ([`Limit::SampleRuns`]).
    pub sample_runs: u64,
    /// Most bytes written into one output folder ([`Limit::OutputBytes`]).
    pub output_bytes: u64,
}

impl Limits {
    /// The defaults of the command line and the Python package: 100,000 threats (250 times the
    /// largest library raid), 10,000 trajectories, 10,000 zones, 10 million runs, 10,000
    /// sample runs and 4 GiB of output.
    pub const DEFAULT: Limits = Limits {
        threats: 100_000,
        trajectories: 10_000,
        zones: 10_000,
        runs: 10_000_000,
        sample_runs: 10_000,
        output_bytes: 4 << 30,
    };

    /// The value of `limit`.
    pub fn get(&self, limit: Limit) -> u64 {
        match limit {
            Limit::Threats => self.threats,
            Limit::Trajectories => self.trajectories,
            Limit::Zones => self.zones,
            Limit::Runs => self.runs,
            Limit::SampleRuns => self.sample_runs,
            Limit::OutputBytes => self.output_bytes,
        }
    }

    /// `Ok` when `value` is within `limit`, otherwise the excess with the limit and its flag.
    pub fn check(&self, limit: Limit, value: u64) -> Result<(), OverLimit> {
        let max = self.get(limit);
        if value <= max {
            Ok(())
        } else {
            Err(OverLimit { limit, value, max })
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// A size over its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverLimit {
    /// Which limit.
    pub limit: Limit,
    /// The size asked for.
    pub value: u64,
    /// The limit's value.
    pub max: u64,
}

impl fmt::Display for OverLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}, over the limit of {} (raise it with {})",
            self.value,
            self.limit.counts(),
            self.max,
            self.limit.flag()
        )
    }
}

impl std::error::Error for OverLimit {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excess_names_the_limit_and_its_flag() {
        let limits = Limits {
            threats: 10,
            ..Limits::DEFAULT
        };
        assert_eq!(limits.check(Limit::Threats, 10), Ok(()));
        let e = limits.check(Limit::Threats, 11).unwrap_err();
        assert_eq!(
            e.to_string(),
            "11 threats per scenario, over the limit of 10 (raise it with --max-threats)"
        );
    }
}
