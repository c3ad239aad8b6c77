//! Numbers known within a range.

use std::fmt;

/// A number with its plausible range: `low <= nominal <= high`.
///
/// A value known exactly has `low == nominal == high`. A run without uncertainty sampling uses
/// `nominal`; a run with sampling draws from `[low, high]` (the distribution is the engine's
/// choice, not fixed here).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Uncertain {
    /// Lowest plausible value.
    pub low: f64,
    /// Best estimate.
    pub nominal: f64,
    /// Highest plausible value.
    pub high: f64,
}

/// Why a range was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum UncertainError {
    /// A bound or the nominal value is NaN or infinite.
    #[error("expected finite numbers, found low {low}, nominal {nominal}, high {high}")]
    NotFinite {
        /// The low bound given.
        low: f64,
        /// The nominal value given.
        nominal: f64,
        /// The high bound given.
        high: f64,
    },
    /// `low <= nominal <= high` does not hold.
    #[error("expected low <= nominal <= high, found low {low}, nominal {nominal}, high {high}")]
    Unordered {
        /// The low bound given.
        low: f64,
        /// The nominal value given.
        nominal: f64,
        /// The high bound given.
        high: f64,
    },
}

impl Uncertain {
    /// A value known exactly.
    pub const fn exact(value: f64) -> Self {
        Self {
            low: value,
            nominal: value,
            high: value,
        }
    }

    /// A range, checked: all finite and `low <= nominal <= high`.
    pub fn new(low: f64, nominal: f64, high: f64) -> Result<Self, UncertainError> {
        if !(low.is_finite() && nominal.is_finite() && high.is_finite()) {
            return Err(UncertainError::NotFinite { low, nominal, high });
        }
        if !(low <= nominal && nominal <= high) {
            return Err(UncertainError::Unordered { low, nominal, high });
        }
        Ok(Self { low, nominal, high })
    }

    /// Whether the value is known exactly.
    pub fn is_exact(&self) -> bool {
        self.low == self.nominal && self.nominal == self.high
    }

    /// Every bound multiplied by `factor` (a unit conversion); the order is kept for a
    /// negative factor by swapping the bounds.
    #[must_use]
    pub fn scaled(self, factor: f64) -> Self {
        let (a, b) = (self.low * factor, self.high * factor);
        Self {
            low: a.min(b),
            nominal: self.nominal * factor,
            high: a.max(b),
        }
    }

    /// Whether every bound lies in `[min, max]`.
    pub fn within(&self, min: f64, max: f64) -> bool {
        self.low >= min && self.high <= max
    }
}

impl fmt::Display for Uncertain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_exact() {
            write!(f, "{}", self.nominal)
        } else {
            write!(f, "{} ({} to {})", self.nominal, self.low, self.high)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_checked() {
        assert!(Uncertain::new(1.0, 2.0, 3.0).is_ok());
        assert!(matches!(
            Uncertain::new(3.0, 2.0, 1.0),
            Err(UncertainError::Unordered { .. })
        ));
        assert!(matches!(
            Uncertain::new(f64::NAN, 2.0, 3.0),
            Err(UncertainError::NotFinite { .. })
        ));
        assert!(Uncertain::exact(4.0).is_exact());
        assert_eq!(
            Uncertain::new(1.0, 2.0, 3.0).unwrap().scaled(-1.0),
            Uncertain::new(-3.0, -2.0, -1.0).unwrap()
        );
    }
}
