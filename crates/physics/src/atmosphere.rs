//! US Standard Atmosphere 1976.
