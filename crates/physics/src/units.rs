//! Constants fixed by definition that the program's units rest on.

/// Standard acceleration of gravity, m/s²: the conventional value that defines the unit "g" of
/// accelerations and relates specific impulse in seconds to exhaust velocity (3rd CGPM, 1901;
/// ISO 80000-3:2019, item 3-9.2).
pub const STANDARD_GRAVITY_M_S2: f64 = 9.806_65;
