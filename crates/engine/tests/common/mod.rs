//! What the engine's test files share.

use skyshield_engine::{EngineEvent, Observer};

/// Keeps every event of a run.
#[derive(Debug, Default)]
pub struct Log(pub Vec<EngineEvent>);

impl Observer for Log {
    fn event(&mut self, event: &EngineEvent) {
        self.0.push(*event);
    }
}

/// Mean and standard error of the mean.
#[allow(dead_code, reason = "each test file uses the helpers it needs")]
pub fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}
