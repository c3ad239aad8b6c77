//! US Standard Atmosphere 1976, from −5 km to 1 000 km geometric altitude.
//!
//! # Primer
//! *U.S. Standard Atmosphere, 1976* (NOAA-S/T 76-1562, NASA-TM-X-74335; "the standard" below) is
//! one idealised, steady-state profile of dry air: mid-latitude (45° N), annual mean, moderate
//! solar activity. It has no weather, no season and no latitude. Real air at a given place and
//! day departs from it by several per cent in density near the ground and by a factor of several
//! in the thermosphere, where solar activity dominates.
//!
//! **0 to 86 km: the defining equations.** The standard defines a molecular-scale temperature
//! `TM` that is linear in geopotential altitude `H = r0·Z/(r0 + Z)` in seven layers (base
//! heights 0, 11, 20, 32, 47, 51 and 71 km′, lapse rates −6.5, 0, +1, +2.8, 0, −2.8 and
//! −2.0 K/km′). Hydrostatic equilibrium of a perfect gas with the constant sea-level molar mass
//! `M0` then gives the pressure in closed form in each layer. This module evaluates these
//! equations, so below 86 km it is the standard itself, up to floating-point rounding. The
//! kinetic temperature is `T = TM·M/M0`; it differs from `TM` only from 80 to 86 km, where the
//! standard's Table 8 lowers `M/M0` by up to 0.042 % (0.08 K) as oxygen starts to dissociate.
//! Density is `P·M0/(R*·TM)` and the speed of sound `√(γ·R*·TM/M0)`.
//!
//! **86 to 1 000 km: an interpolated model.** Above 86 km the standard's air is no longer mixed:
//! each species diffuses separately and the standard integrates that numerically into its
//! Table I. This module does not repeat that integration:
//! - the kinetic temperature follows the standard's own `T(Z)` (isothermal to 91 km, elliptical
//!   to 110 km, +12 K/km to 120 km, then an exponential approach to 1 000 K);
//! - pressure and density are interpolated linearly in their logarithm between 15 nodes (86,
//!   90, 100, 110, 120, 150, 200, 300, 400, …, 1 000 km) that carry the standard's values. At
//!   the nodes they are the standard's; between nodes the interpolation departs from Table I,
//!   mostly upwards because the true scale height grows with altitude. Against Table I at its
//!   own 1 to 25 km spacing the largest departures are 1 % from 86 to 100 km, 6 % in pressure
//!   and 9 % in density from 100 to 120 km, 15 % and 25 % from 120 to 150 km (near 135 km),
//!   11 % and 16 % from 150 to 300 km (near 240 km), and 5 % above 300 km;
//! - the standard does not define a speed of sound above 86 km. Here it is `√(γ·R*·T/M)` with
//!   `γ = 1.4` and the mean molar mass `M` interpolated linearly between the nodes' Table I
//!   values. It joins the value below 86 km continuously. In that thin, partly atomic gas it is
//!   only a nominal figure for Mach numbers.
//!
//! # Validity range and edge cases
//! - The altitude is geometric height above mean sea level. The standard knows no ellipsoid and
//!   no geoid: passing a WGS84 ellipsoidal height instead ignores the geoid undulation (within
//!   ±110 m), which is well inside the standard's own departure from real air.
//! - Below [`MIN_ALTITUDE_M`] (−5 km, the lowest altitude the standard tabulates) the state at
//!   −5 km is returned. −500 m (the Dead Sea shore) is inside the range.
//! - Above [`MAX_ALTITUDE_M`] (1 000 km, the standard's ceiling) pressure and density are zero
//!   (vacuum). Temperature keeps the standard's exospheric formula (within 0.001 K of its
//!   limit of 1 000 K) and the speed of sound uses the molar mass at 1 000 km, so Mach numbers
//!   stay finite. Pressure and density therefore drop to zero in one step at 1 000 km.
//! - A NaN altitude gives a state whose four fields are NaN.
//!
//! # Cost
//! [`us1976`] allocates nothing. It scans at most 7 layers or 14 node intervals, and costs one
//! `powf` or `exp` and one `sqrt` below 86 km, at most three `exp` and two `sqrt` above. The
//! layer base pressures and the node logarithms are computed from the standard's constants
//! during compilation.

use std::f64::consts::{LN_2, SQRT_2};

use crate::units::STANDARD_GRAVITY_M_S2;

/// Lowest altitude evaluated, m: the standard's tables start at −5 km geometric. Lower
/// altitudes return the state at this altitude.
pub const MIN_ALTITUDE_M: f64 = -5_000.0;

/// Highest altitude with air, m: the standard ends at 1 000 km geometric. Higher altitudes are
/// vacuum (zero pressure and density).
pub const MAX_ALTITUDE_M: f64 = 1_000_000.0;

/// The atmosphere at one altitude, in SI units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AtmosphereState {
    /// Kinetic temperature `T`, K. Equal to the molecular-scale temperature `TM` below 80 km.
    pub temperature_k: f64,
    /// Pressure, Pa.
    pub pressure_pa: f64,
    /// Density, kg/m³.
    pub density_kg_m3: f64,
    /// Speed of sound, m/s. Defined by the standard up to 86 km; above, see the module docs.
    pub speed_of_sound_m_s: f64,
}

impl AtmosphereState {
    const NAN: Self = Self {
        temperature_k: f64::NAN,
        pressure_pa: f64::NAN,
        density_kg_m3: f64::NAN,
        speed_of_sound_m_s: f64::NAN,
    };
}

/// The US Standard Atmosphere 1976 at a geometric altitude above mean sea level, in metres.
///
/// Below [`MIN_ALTITUDE_M`] the state at −5 km is returned; above [`MAX_ALTITUDE_M`] pressure
/// and density are zero; NaN gives NaN in every field. See the module docs for the model above
/// 86 km.
#[inline]
pub fn us1976(altitude_m: f64) -> AtmosphereState {
    if altitude_m.is_nan() {
        AtmosphereState::NAN
    } else if altitude_m <= EQUATIONS_TOP_Z_M {
        below_86_km(altitude_m.max(MIN_ALTITUDE_M))
    } else if altitude_m <= MAX_ALTITUDE_M {
        above_86_km(altitude_m)
    } else {
        vacuum(altitude_m)
    }
}

// ---------------------------------------------------------------------------------------------
// Adopted constants of the standard (Part 1, defining constants).

/// Effective Earth radius `r0` of the standard's geopotential altitude `H = r0·Z/(r0 + Z)`, m.
const R0_M: f64 = 6_356_766.0;
/// Universal gas constant `R*` as adopted by the standard, J/(mol·K).
const R_STAR_J_MOL_K: f64 = 8.314_32;
/// Sea-level mean molar mass of air `M0`, kg/mol (the standard's 28.9644 kg/kmol).
const M0_KG_MOL: f64 = 0.028_964_4;
/// Sea-level pressure `P0`, Pa.
const P0_PA: f64 = 101_325.0;
/// Sea-level temperature `T0`, K.
const T0_K: f64 = 288.15;
/// Ratio of specific heats of air `γ` used by the standard for the speed of sound.
const GAMMA: f64 = 1.4;

/// `g0·M0/R*`, K per geopotential metre: the hydrostatic constant of the layer equations.
/// The standard's sea-level gravity `g0` is the standard acceleration of gravity, m/s²
/// (m²/(s²·m′) for geopotential metres).
const G0_M0_OVER_R_STAR: f64 = STANDARD_GRAVITY_M_S2 * M0_KG_MOL / R_STAR_J_MOL_K;

// ---------------------------------------------------------------------------------------------
// 0 to 86 km: the seven layers of the standard's Table 4.

/// Base geopotential altitudes `Hb` of the seven layers, m′ (Table 4).
const LAYER_BASE_H_M: [f64; 7] = [
    0.0, 11_000.0, 20_000.0, 32_000.0, 47_000.0, 51_000.0, 71_000.0,
];
/// Molecular-scale temperature gradients `LM,b` of the seven layers, K/m′ (Table 4).
const LAYER_LAPSE_K_M: [f64; 7] = [-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3];

/// Top of the defining equations: 86 km geometric (84.852 km′, the top of Table 4's last layer).
const EQUATIONS_TOP_Z_M: f64 = 86_000.0;

/// One layer of Table 4 with the base values the standard's equations derive for it.
#[derive(Clone, Copy)]
struct Layer {
    /// Base geopotential altitude `Hb`, m′.
    base_h_m: f64,
    /// Gradient `LM,b`, K/m′.
    lapse_k_m: f64,
    /// Molecular-scale temperature at the base `TM,b`, K.
    base_tm_k: f64,
    /// Pressure at the base `Pb`, Pa.
    base_pressure_pa: f64,
    /// `g0·M0/(R*·LM,b)` where `LM,b ≠ 0`; `g0·M0/(R*·TM,b)` (per m′) where `LM,b = 0`.
    exponent: f64,
}

impl Layer {
    /// Pressure at geopotential altitude `h_m` in this layer, where the molecular-scale
    /// temperature is `tm_k` (the standard's two pressure equations).
    #[inline]
    fn pressure_pa(&self, h_m: f64, tm_k: f64) -> f64 {
        if self.lapse_k_m == 0.0 {
            self.base_pressure_pa * (-self.exponent * (h_m - self.base_h_m)).exp()
        } else {
            self.base_pressure_pa * (self.base_tm_k / tm_k).powf(self.exponent)
        }
    }

    /// [`Layer::pressure_pa`] for constant evaluation.
    const fn pressure_pa_const(&self, h_m: f64, tm_k: f64) -> f64 {
        if self.lapse_k_m == 0.0 {
            self.base_pressure_pa * const_exp(-self.exponent * (h_m - self.base_h_m))
        } else {
            self.base_pressure_pa * const_exp(self.exponent * const_ln(self.base_tm_k / tm_k))
        }
    }
}

/// The layers with their base temperatures and pressures, carried up from `T0` and `P0`.
const LAYERS: [Layer; 7] = build_layers();

const fn build_layers() -> [Layer; 7] {
    let mut layers = [Layer {
        base_h_m: 0.0,
        lapse_k_m: 0.0,
        base_tm_k: 0.0,
        base_pressure_pa: 0.0,
        exponent: 0.0,
    }; 7];
    let mut base_tm_k = T0_K;
    let mut base_pressure_pa = P0_PA;
    let mut b = 0;
    while b < layers.len() {
        let lapse_k_m = LAYER_LAPSE_K_M[b];
        layers[b] = Layer {
            base_h_m: LAYER_BASE_H_M[b],
            lapse_k_m,
            base_tm_k,
            base_pressure_pa,
            exponent: if lapse_k_m == 0.0 {
                G0_M0_OVER_R_STAR / base_tm_k
            } else {
                G0_M0_OVER_R_STAR / lapse_k_m
            },
        };
        if b + 1 < layers.len() {
            let top_h_m = LAYER_BASE_H_M[b + 1];
            let top_tm_k = base_tm_k + lapse_k_m * (top_h_m - LAYER_BASE_H_M[b]);
            base_pressure_pa = layers[b].pressure_pa_const(top_h_m, top_tm_k);
            base_tm_k = top_tm_k;
        }
        b += 1;
    }
    layers
}

/// Index of the layer that contains geopotential altitude `h_m` (the first layer extends
/// downwards, the last one upwards).
#[inline]
fn layer_index(h_m: f64) -> usize {
    let mut b = 0;
    while b + 1 < LAYERS.len() && h_m >= LAYERS[b + 1].base_h_m {
        b += 1;
    }
    b
}

/// Geopotential altitude `H`, m′, of geometric altitude `Z`, m.
#[inline]
const fn geopotential_m(z_m: f64) -> f64 {
    R0_M * z_m / (R0_M + z_m)
}

/// Geometric altitude of the first `M/M0` value of Table 8, m.
const MOLAR_MASS_RATIO_BASE_Z_M: f64 = 80_000.0;
/// Geometric altitude step of Table 8, m.
const MOLAR_MASS_RATIO_STEP_M: f64 = 500.0;
/// `M/M0` at 80.0, 80.5, …, 86.0 km geometric (the standard's Table 8), interpolated linearly in
/// between; 1 below 80 km.
const MOLAR_MASS_RATIO: [f64; 13] = [
    1.000_000, 0.999_996, 0.999_989, 0.999_971, 0.999_941, 0.999_909, 0.999_870, 0.999_829,
    0.999_786, 0.999_741, 0.999_694, 0.999_641, 0.999_579,
];

/// `M/M0` at geometric altitude `z_m` ≤ 86 km (Table 8).
#[inline]
fn molar_mass_ratio(z_m: f64) -> f64 {
    if z_m <= MOLAR_MASS_RATIO_BASE_Z_M {
        return 1.0;
    }
    let x = (z_m - MOLAR_MASS_RATIO_BASE_Z_M) / MOLAR_MASS_RATIO_STEP_M;
    let i = (x as usize).min(MOLAR_MASS_RATIO.len() - 2);
    let fraction = x - i as f64;
    MOLAR_MASS_RATIO[i] + (MOLAR_MASS_RATIO[i + 1] - MOLAR_MASS_RATIO[i]) * fraction
}

/// The defining equations, for −5 km ≤ `z_m` ≤ 86 km.
#[inline]
fn below_86_km(z_m: f64) -> AtmosphereState {
    let h_m = geopotential_m(z_m);
    let layer = &LAYERS[layer_index(h_m)];
    let tm_k = layer.base_tm_k + layer.lapse_k_m * (h_m - layer.base_h_m);
    let pressure_pa = layer.pressure_pa(h_m, tm_k);
    AtmosphereState {
        temperature_k: tm_k * molar_mass_ratio(z_m),
        pressure_pa,
        density_kg_m3: pressure_pa * M0_KG_MOL / (R_STAR_J_MOL_K * tm_k),
        speed_of_sound_m_s: (GAMMA * R_STAR_J_MOL_K * tm_k / M0_KG_MOL).sqrt(),
    }
}

// ---------------------------------------------------------------------------------------------
// 86 to 1 000 km: the standard's T(Z) (Table 5) and Table I values at 15 nodes.

/// 86 to 91 km: isothermal at `T7`, K (Table 5).
const T7_K: f64 = 186.8673;
/// Top of the isothermal segment, m (Table 5).
const Z8_M: f64 = 91_000.0;
/// 91 to 110 km: `T = Tc + A·√(1 − ((Z − Z8)/a)²)`, `Tc` in K (Table 5).
const ELLIPSE_TC_K: f64 = 263.1905;
/// `A`, K (Table 5).
const ELLIPSE_A_K: f64 = -76.3232;
/// `a`, m (Table 5: −19.9429 km).
const ELLIPSE_SEMI_AXIS_M: f64 = -19_942.9;
/// Base of the linear segment, m (Table 5).
const Z9_M: f64 = 110_000.0;
/// Temperature at `Z9`, K (Table 5).
const T9_K: f64 = 240.0;
/// Gradient `LK,9` from 110 to 120 km, K/m (Table 5: 12 K/km).
const LAPSE_K9_K_M: f64 = 12.0e-3;
/// Base of the exponential segment, m (Table 5).
const Z10_M: f64 = 120_000.0;
/// Temperature at `Z10`, K (Table 5).
const T10_K: f64 = 360.0;
/// Exospheric temperature `T∞`, K (Table 5).
const T_INF_K: f64 = 1_000.0;
/// `λ = LK,9/(T∞ − T10)`, 1/m (the standard's 0.01875 /km).
const LAMBDA_PER_M: f64 = 0.018_75e-3;

/// Kinetic temperature above 86 km, K: the standard's `T(Z)` for 86–1 000 km, continued above.
#[inline]
fn temperature_above_86_km_k(z_m: f64) -> f64 {
    if z_m <= Z8_M {
        T7_K
    } else if z_m <= Z9_M {
        let u = (z_m - Z8_M) / ELLIPSE_SEMI_AXIS_M;
        ELLIPSE_TC_K + ELLIPSE_A_K * (1.0 - u * u).sqrt()
    } else if z_m <= Z10_M {
        T9_K + LAPSE_K9_K_M * (z_m - Z9_M)
    } else {
        T_INF_K - (T_INF_K - T10_K) * (-LAMBDA_PER_M * xi_m(z_m)).exp()
    }
}

/// [`temperature_above_86_km_k`] for constant evaluation.
const fn temperature_above_86_km_k_const(z_m: f64) -> f64 {
    if z_m <= Z8_M {
        T7_K
    } else if z_m <= Z9_M {
        let u = (z_m - Z8_M) / ELLIPSE_SEMI_AXIS_M;
        ELLIPSE_TC_K + ELLIPSE_A_K * const_sqrt(1.0 - u * u)
    } else if z_m <= Z10_M {
        T9_K + LAPSE_K9_K_M * (z_m - Z9_M)
    } else {
        T_INF_K - (T_INF_K - T10_K) * const_exp(-LAMBDA_PER_M * xi_m(z_m))
    }
}

/// The standard's `ξ = (Z − Z10)·(r0 + Z10)/(r0 + Z)`, m, written so that it stays finite as
/// `Z` goes to infinity.
#[inline]
const fn xi_m(z_m: f64) -> f64 {
    (R0_M + Z10_M) * (1.0 - (R0_M + Z10_M) / (R0_M + z_m))
}

/// Geometric altitudes of the interpolation nodes, m.
const NODE_Z_M: [f64; 15] = [
    86_000.0,
    90_000.0,
    100_000.0,
    110_000.0,
    120_000.0,
    150_000.0,
    200_000.0,
    300_000.0,
    400_000.0,
    500_000.0,
    600_000.0,
    700_000.0,
    800_000.0,
    900_000.0,
    1_000_000.0,
];

/// Pressure at the nodes from 90 km up, Pa: the standard's Table I.
const TABLE_I_PRESSURE_PA: [f64; 14] = [
    1.8359e-1, 3.2011e-2, 7.1042e-3, 2.5382e-3, 4.5422e-4, 8.4736e-5, 8.7704e-6, 1.4518e-6,
    3.0236e-7, 8.2130e-8, 3.1908e-8, 1.7036e-8, 1.0873e-8, 7.5138e-9,
];

/// Mean molar mass at the nodes from 90 km up, kg/kmol: the standard's Table I.
const TABLE_I_MOLAR_MASS_KG_KMOL: [f64; 14] = [
    28.91, 28.40, 27.27, 26.20, 24.10, 21.30, 17.73, 15.98, 14.33, 11.51, 8.00, 5.54, 4.40, 3.94,
];

/// Density at the nodes from 300 km up, kg/m³: the standard's Table I.
///
/// From 90 to 200 km the node density is instead `P·M/(R*·T)` from Table I's pressure and
/// molar mass and the standard's `T(Z)`, because there the printed molar mass (four significant
/// figures) is more precise than the printed density (four figures, agreeing to 3e-4). From
/// 700 km up Table I prints `M` to three figures only (8.00, 5.54, 4.40, 3.94), which would put
/// `P·M/(R*·T)` up to 9e-4 away from the printed density.
const TABLE_I_DENSITY_FROM_300_KM_KG_M3: [f64; 8] = [
    1.916e-11, 2.803e-12, 5.215e-13, 1.137e-13, 3.070e-14, 1.136e-14, 5.759e-15, 3.561e-15,
];

/// Index of the first node at or above 300 km.
const FIRST_PRINTED_DENSITY_NODE: usize = NODE_Z_M.len() - TABLE_I_DENSITY_FROM_300_KM_KG_M3.len();

/// Pressure, density and mean molar mass at each node, as natural logarithms for the first two.
#[derive(Clone, Copy)]
struct Nodes {
    ln_pressure: [f64; 15],
    ln_density: [f64; 15],
    molar_mass_kg_mol: [f64; 15],
}

/// The interpolation nodes. The 86 km node is the defining equations' state at 86 km, so the
/// two models meet without a step.
const NODES: Nodes = build_nodes();

const fn build_nodes() -> Nodes {
    let mut nodes = Nodes {
        ln_pressure: [0.0; 15],
        ln_density: [0.0; 15],
        molar_mass_kg_mol: [0.0; 15],
    };

    let h_m = geopotential_m(EQUATIONS_TOP_Z_M);
    let layer = &LAYERS[LAYERS.len() - 1];
    let tm_k = layer.base_tm_k + layer.lapse_k_m * (h_m - layer.base_h_m);
    let pressure_pa = layer.pressure_pa_const(h_m, tm_k);
    nodes.ln_pressure[0] = const_ln(pressure_pa);
    nodes.ln_density[0] = const_ln(pressure_pa * M0_KG_MOL / (R_STAR_J_MOL_K * tm_k));
    nodes.molar_mass_kg_mol[0] = M0_KG_MOL * MOLAR_MASS_RATIO[MOLAR_MASS_RATIO.len() - 1];

    let mut i = 1;
    while i < NODE_Z_M.len() {
        let pressure_pa = TABLE_I_PRESSURE_PA[i - 1];
        let molar_mass_kg_mol = TABLE_I_MOLAR_MASS_KG_KMOL[i - 1] * 1e-3;
        let density_kg_m3 = if i < FIRST_PRINTED_DENSITY_NODE {
            pressure_pa * molar_mass_kg_mol
                / (R_STAR_J_MOL_K * temperature_above_86_km_k_const(NODE_Z_M[i]))
        } else {
            TABLE_I_DENSITY_FROM_300_KM_KG_M3[i - FIRST_PRINTED_DENSITY_NODE]
        };
        nodes.ln_pressure[i] = const_ln(pressure_pa);
        nodes.ln_density[i] = const_ln(density_kg_m3);
        nodes.molar_mass_kg_mol[i] = molar_mass_kg_mol;
        i += 1;
    }
    nodes
}

/// Index `i` of the node interval `[NODE_Z_M[i], NODE_Z_M[i + 1]]` that contains `z_m`, for
/// 86 km < `z_m` ≤ 1 000 km.
#[inline]
fn node_interval(z_m: f64) -> usize {
    let mut i = 0;
    while i + 2 < NODE_Z_M.len() && z_m >= NODE_Z_M[i + 1] {
        i += 1;
    }
    i
}

/// The interpolated model, for 86 km < `z_m` ≤ 1 000 km.
#[inline]
fn above_86_km(z_m: f64) -> AtmosphereState {
    let i = node_interval(z_m);
    let fraction = (z_m - NODE_Z_M[i]) / (NODE_Z_M[i + 1] - NODE_Z_M[i]);
    let lerp = |values: &[f64; 15]| values[i] + (values[i + 1] - values[i]) * fraction;
    let temperature_k = temperature_above_86_km_k(z_m);
    let molar_mass_kg_mol = lerp(&NODES.molar_mass_kg_mol);
    AtmosphereState {
        temperature_k,
        pressure_pa: lerp(&NODES.ln_pressure).exp(),
        density_kg_m3: lerp(&NODES.ln_density).exp(),
        speed_of_sound_m_s: (GAMMA * R_STAR_J_MOL_K * temperature_k / molar_mass_kg_mol).sqrt(),
    }
}

/// Above 1 000 km: no pressure, no density; temperature and speed of sound stay finite.
#[inline]
fn vacuum(z_m: f64) -> AtmosphereState {
    let temperature_k = temperature_above_86_km_k(z_m);
    let molar_mass_kg_mol = NODES.molar_mass_kg_mol[NODE_Z_M.len() - 1];
    AtmosphereState {
        temperature_k,
        pressure_pa: 0.0,
        density_kg_m3: 0.0,
        speed_of_sound_m_s: (GAMMA * R_STAR_J_MOL_K * temperature_k / molar_mass_kg_mol).sqrt(),
    }
}

// ---------------------------------------------------------------------------------------------
// Elementary functions for constant evaluation (`f64::ln`, `exp` and `sqrt` are not `const`).
// Accurate to a few units in the last place over the arguments used here; the unit tests
// compare them with the standard library.

/// `ln 2` split for the Cody–Waite argument reduction in [`const_exp`]: the high part has
/// trailing zero bits, so `k·LN2_HI` is exact for the `k` used here (fdlibm's `ln2_hi`).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
/// The remainder `ln 2 − LN2_HI` (fdlibm's `ln2_lo`).
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);

/// Natural logarithm of a positive, normal, finite `x`.
const fn const_ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if mantissa > SQRT_2 {
        mantissa *= 0.5;
        exponent += 1;
    }
    // ln m = 2·atanh(s) = 2·(s + s³/3 + s⁵/5 + …) with s = (m − 1)/(m + 1), |s| < 0.172.
    let s = (mantissa - 1.0) / (mantissa + 1.0);
    let s2 = s * s;
    let mut power = s;
    let mut sum = 0.0;
    let mut k = 0;
    while k < 16 {
        sum += power / (2 * k + 1) as f64;
        power *= s2;
        k += 1;
    }
    2.0 * sum + exponent as f64 * LN_2
}

/// `e^x` for |x| < 700.
const fn const_exp(x: f64) -> f64 {
    let kf = x / LN_2;
    let k = if kf < 0.0 {
        (kf - 0.5) as i64
    } else {
        (kf + 0.5) as i64
    };
    let r = (x - k as f64 * LN2_HI) - k as f64 * LN2_LO;
    // Taylor series of e^r, |r| ≤ ln2/2.
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut n = 1;
    while n < 20 {
        term *= r / n as f64;
        sum += term;
        n += 1;
    }
    sum * f64::from_bits(((k + 1023) as u64) << 52)
}

/// Square root of a positive, normal, finite `x`.
const fn const_sqrt(x: f64) -> f64 {
    const_exp(0.5 * const_ln(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    #[test]
    fn const_ln_and_exp_match_std() {
        let mut x = 1e-16;
        while x < 1e6 {
            assert!(rel(const_ln(x), x.ln()) < 1e-15 || (const_ln(x) - x.ln()).abs() < 1e-16);
            x *= 1.37;
        }
        let mut y = -60.0;
        while y < 60.0 {
            assert!(rel(const_exp(y), y.exp()) < 4e-15, "exp({y})");
            y += 0.173;
        }
        for x in [0.05, 0.3, 0.7, 1.0, 2.0, 1e4] {
            assert!(rel(const_sqrt(x), x.sqrt()) < 4e-15, "sqrt({x})");
        }
    }

    #[test]
    fn layer_base_values_follow_the_defining_equations() {
        let mut tm_k = T0_K;
        let mut p_pa = P0_PA;
        for (b, layer) in LAYERS.iter().enumerate() {
            assert_eq!(layer.base_h_m, LAYER_BASE_H_M[b]);
            assert!(rel(layer.base_tm_k, tm_k) < 1e-15);
            assert!(rel(layer.base_pressure_pa, p_pa) < 1e-13, "layer {b}");
            if b + 1 < LAYERS.len() {
                let dh = LAYER_BASE_H_M[b + 1] - LAYER_BASE_H_M[b];
                let lapse = LAYER_LAPSE_K_M[b];
                let top_tm_k = tm_k + lapse * dh;
                p_pa *= if lapse == 0.0 {
                    (-G0_M0_OVER_R_STAR * dh / tm_k).exp()
                } else {
                    (tm_k / top_tm_k).powf(G0_M0_OVER_R_STAR / lapse)
                };
                tm_k = top_tm_k;
            }
        }
        // Base temperatures of Table 4.
        let table_4_tm_k = [288.15, 216.65, 216.65, 228.65, 270.65, 270.65, 214.65];
        for (layer, tm_k) in LAYERS.iter().zip(table_4_tm_k) {
            assert!((layer.base_tm_k - tm_k).abs() < 1e-9);
        }
    }

    #[test]
    fn nodes_match_the_runtime_formulas() {
        for &z_m in &NODE_Z_M[1..] {
            assert!(
                rel(
                    temperature_above_86_km_k_const(z_m),
                    temperature_above_86_km_k(z_m)
                ) < 1e-14
            );
        }
        let at_86 = below_86_km(EQUATIONS_TOP_Z_M);
        assert!(rel(NODES.ln_pressure[0].exp(), at_86.pressure_pa) < 1e-13);
        assert!(rel(NODES.ln_density[0].exp(), at_86.density_kg_m3) < 1e-13);
        for i in 1..FIRST_PRINTED_DENSITY_NODE {
            let z_m = NODE_Z_M[i];
            let p_pa = TABLE_I_PRESSURE_PA[i - 1];
            let m = TABLE_I_MOLAR_MASS_KG_KMOL[i - 1] * 1e-3;
            let rho = p_pa * m / (R_STAR_J_MOL_K * temperature_above_86_km_k(z_m));
            assert!(rel(NODES.ln_density[i].exp(), rho) < 1e-13);
            assert!(rel(NODES.ln_pressure[i].exp(), p_pa) < 1e-14);
        }
    }

    #[test]
    fn node_search_covers_the_range() {
        assert_eq!(node_interval(86_000.5), 0);
        assert_eq!(node_interval(90_000.0), 1);
        assert_eq!(node_interval(999_999.0), 13);
        assert_eq!(node_interval(1_000_000.0), 13);
        assert_eq!(layer_index(-5_000.0), 0);
        assert_eq!(layer_index(11_000.0), 1);
        assert_eq!(layer_index(84_852.0), 6);
    }
}
