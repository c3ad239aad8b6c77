//! One-dimensional root finding and minimisation (Brent's methods), and the scans that bracket a
//! root or a maximum before they are refined.
//!
//! R. P. Brent, *Algorithms for Minimization without Derivatives* (Prentice-Hall 1973), ch. 4
//! (zero) and ch. 5 (minimum), in the arrangement of Press et al., *Numerical Recipes*, 3rd ed.,
//! §9.3 and §10.3.

/// A zero of `f` in `[a, b]`, given `fa = f(a)` and `fb = f(b)` of opposite signs (or one of them
/// zero). Stops when the bracket is narrower than `x_tol` or `|f| <= f_tol`. Returns the point
/// and its value.
pub fn brent_root(
    mut f: impl FnMut(f64) -> f64,
    mut a: f64,
    mut b: f64,
    mut fa: f64,
    mut fb: f64,
    x_tol: f64,
    f_tol: f64,
) -> (f64, f64) {
    if fa.abs() <= f_tol {
        return (a, fa);
    }
    if fb.abs() <= f_tol {
        return (b, fb);
    }
    let (mut c, mut fc) = (b, fb);
    let (mut d, mut e) = (b - a, b - a);
    for _ in 0..200 {
        if (fb > 0.0) == (fc > 0.0) {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol1 = 2.0 * f64::EPSILON * b.abs() + 0.5 * x_tol;
        let xm = 0.5 * (c - b);
        if xm.abs() <= tol1 || fb.abs() <= f_tol {
            return (b, fb);
        }
        if e.abs() >= tol1 && fa.abs() > fb.abs() {
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                p = 2.0 * xm * s;
                q = 1.0 - s;
            } else {
                let qq = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * xm * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            }
            p = p.abs();
            if 2.0 * p < (3.0 * xm * q - (tol1 * q).abs()).min((e * q).abs()) {
                e = d;
                d = p / q;
            } else {
                d = xm;
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol1 { d } else { tol1.copysign(xm) };
        fb = f(b);
    }
    (b, fb)
}

/// The minimum of `f` over `[a, b]` (parabolic interpolation with golden-section safeguard),
/// located to within `x_tol`. Returns the point and its value.
pub fn brent_min(mut f: impl FnMut(f64) -> f64, a: f64, b: f64, x_tol: f64) -> (f64, f64) {
    const GOLDEN: f64 = 0.381_966_011_250_105_1;
    let (mut a, mut b) = (a.min(b), a.max(b));
    let mut x = a + GOLDEN * (b - a);
    let (mut w, mut v) = (x, x);
    let mut fx = f(x);
    let (mut fw, mut fv) = (fx, fx);
    let (mut d, mut e): (f64, f64) = (0.0, 0.0);
    for _ in 0..200 {
        let xm = 0.5 * (a + b);
        let tol1 = x_tol * 0.5 + 1e-12 * x.abs();
        let tol2 = 2.0 * tol1;
        if (x - xm).abs() <= tol2 - 0.5 * (b - a) {
            break;
        }
        let mut golden = true;
        if e.abs() > tol1 {
            let r = (x - w) * (fx - fv);
            let mut q = (x - v) * (fx - fw);
            let mut p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            }
            q = q.abs();
            if p.abs() < (0.5 * q * e).abs() && p > q * (a - x) && p < q * (b - x) {
                e = d;
                d = p / q;
                let u = x + d;
                if u - a < tol2 || b - u < tol2 {
                    d = tol1.copysign(xm - x);
                }
                golden = false;
            }
        }
        if golden {
            e = if x >= xm { a - x } else { b - x };
            d = GOLDEN * e;
        }
        let u = if d.abs() >= tol1 {
            x + d
        } else {
            x + tol1.copysign(d)
        };
        let fu = f(u);
        if fu <= fx {
            if u >= x {
                a = x;
            } else {
                b = x;
            }
            (v, fv) = (w, fw);
            (w, fw) = (x, fx);
            (x, fx) = (u, fu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                (v, fv) = (w, fw);
                (w, fw) = (u, fu);
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu);
            }
        }
    }
    (x, fx)
}

/// The first point of `[lo, hi]` where `f` rises through zero: `f` is sampled at `cells + 1`
/// evenly spaced points from `lo`, and the first cell whose left value is negative and right value
/// is not is refined by [`brent_root`]. `None` when no sample after a negative one is
/// non-negative. NaN counts as negative. Returns the point and its value.
pub fn first_rise(
    mut f: impl FnMut(f64) -> f64,
    lo: f64,
    hi: f64,
    cells: usize,
    x_tol: f64,
    f_tol: f64,
) -> Option<(f64, f64)> {
    let x = |k: usize| lo + (hi - lo) * k as f64 / cells as f64;
    let mut left = None;
    for k in 0..=cells {
        let (xk, fk) = (x(k), f(x(k)));
        if fk >= 0.0 {
            if let Some((xl, fl)) = left {
                return Some(brent_root(&mut f, xl, xk, fl, fk, x_tol, f_tol));
            }
        } else {
            left = Some((xk, fk));
        }
    }
    None
}

/// The largest value of `f` over `[lo, hi]`: the best of `cells + 1` evenly spaced samples,
/// refined by [`brent_min`] over the cells on either side of it. NaN counts as the least value.
/// Returns the point and its value.
pub fn scanned_max(
    mut f: impl FnMut(f64) -> f64,
    lo: f64,
    hi: f64,
    cells: usize,
    x_tol: f64,
) -> (f64, f64) {
    let x = |k: usize| lo + (hi - lo) * k as f64 / cells as f64;
    let mut best = (0, f64::NEG_INFINITY);
    for k in 0..=cells {
        let fk = f(x(k));
        if fk > best.1 {
            best = (k, fk);
        }
    }
    let (a, b) = (x(best.0.saturating_sub(1)), x((best.0 + 1).min(cells)));
    let (xm, fm) = brent_min(|t| -f(t), a, b, x_tol);
    if -fm >= best.1 {
        (xm, -fm)
    } else {
        (x(best.0), best.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_root_of_a_cubic() {
        let f = |x: f64| x * x * x - 2.0 * x - 5.0;
        let (x, _) = brent_root(f, 2.0, 3.0, f(2.0), f(3.0), 1e-14, 0.0);
        assert!((x - 2.094_551_481_542_326_5).abs() < 1e-12);
    }

    /// Evaluations Brent's root finder takes to `x_tol` on `[a, b]`, and the root.
    fn root_evaluations(f: impl Fn(f64) -> f64, a: f64, b: f64, x_tol: f64) -> (usize, f64) {
        let mut n = 0;
        let (x, _) = brent_root(
            |x| {
                n += 1;
                f(x)
            },
            a,
            b,
            f(a),
            f(b),
            x_tol,
            0.0,
        );
        (n, x)
    }

    #[test]
    fn the_root_finder_converges_in_far_fewer_steps_than_bisection() {
        // A function, its bracket and its root: bisection needs 40 to 50 halvings for these
        // brackets and this tolerance.
        type Case = (fn(f64) -> f64, f64, f64, f64);
        let cases: [Case; 4] = [
            (
                |x| x * x * x - 2.0 * x - 5.0,
                2.0,
                3.0,
                2.094_551_481_542_326_5,
            ),
            (|x| x.exp() - 2.0, 0.0, 3.0, std::f64::consts::LN_2),
            (|x| (x - 0.7).powi(5) + 1e-3 * (x - 0.7), 0.0, 2.0, 0.7),
            (|x| 1.0 - 1.0 / x, 0.2, 8.0, 1.0),
        ];
        for (k, (f, a, b, root)) in cases.into_iter().enumerate() {
            let (n, x) = root_evaluations(f, a, b, 1e-13);
            assert!((x - root).abs() < 1e-12, "case {k}: {x}");
            assert!(n <= 16, "case {k}: {n} evaluations");
        }
    }

    #[test]
    fn finds_the_minimum_of_a_shifted_cosine_in_fewer_steps_than_golden_sections() {
        let mut n = 0;
        let (x, fx) = brent_min(
            |x: f64| {
                n += 1;
                -(x - 0.3).cos()
            },
            -1.0,
            2.0,
            1e-10,
        );
        assert!((x - 0.3).abs() < 1e-7, "{x}");
        assert!((fx + 1.0).abs() < 1e-12);
        // Golden sections alone take 51 evaluations; parabolic steps about half as many.
        assert!(n <= 30, "{n} evaluations");
    }

    #[test]
    fn the_first_rise_is_found_past_an_earlier_fall() {
        // Rises through zero at 1, falls at 2, rises again at 3: the first rise is returned.
        let f = |x: f64| (x - 1.0) * (x - 2.0) * (x - 3.0);
        let (x, _) = first_rise(f, 0.0, 4.0, 8, 1e-12, 0.0).unwrap();
        assert!((x - 1.0).abs() < 1e-9, "{x}");
        // A root inside the first cell is found although no sample sits on it.
        let (x, _) = first_rise(|x: f64| x - 0.01, 0.0, 1.0, 4, 1e-12, 0.0).unwrap();
        assert!((x - 0.01).abs() < 1e-9, "{x}");
        // The same away from the origin, with the first rise and fall in one cell of 0.5.
        let f = |x: f64| (x - 2.3) * (x - 2.6) * (x - 3.5);
        let (x, _) = first_rise(f, 2.0, 6.0, 8, 1e-12, 0.0).unwrap();
        assert!((x - 2.3).abs() < 1e-9, "{x}");
        assert!(first_rise(|x: f64| -1.0 - x, 0.0, 1.0, 4, 1e-12, 0.0).is_none());
        assert!(first_rise(|x: f64| 1.0 + x, 0.0, 1.0, 4, 1e-12, 0.0).is_none());
    }

    #[test]
    fn a_narrow_maximum_between_samples_is_found() {
        // A peak of width 0.05 at 0.62 on [0, 1] in 16 cells of 0.0625.
        let f = |x: f64| (-((x - 0.62) / 0.05).powi(2)).exp();
        let (x, fx) = scanned_max(f, 0.0, 1.0, 16, 1e-9);
        assert!((x - 0.62).abs() < 1e-6, "{x}");
        assert!((fx - 1.0).abs() < 1e-9);
        // Away from the origin, beside a broad lower peak.
        let g = |x: f64| {
            let narrow = (-((x - 4.3) / 0.03).powi(2)).exp();
            narrow.max(0.8 * (-((x - 4.9) / 0.3).powi(2)).exp())
        };
        let (x, fx) = scanned_max(g, 4.0, 5.0, 16, 1e-9);
        assert!((x - 4.3).abs() < 1e-6 && (fx - 1.0).abs() < 1e-9, "{x}");
    }

    #[test]
    fn the_minimiser_stays_inside_its_interval_and_beats_golden_sections_on_every_shape() {
        // A function, its interval, its minimum, the tolerance asked for and the accuracy to
        // expect: the tolerance, or where a flat minimum is below what doubles resolve of its
        // value, about √ε of the scale.
        type Case = (fn(f64) -> f64, f64, f64, f64, f64, f64);
        let cases: [Case; 5] = [
            // Near the right end of the interval.
            (
                |x| (x - 5.99).powi(2) + (x - 5.99).powi(4),
                2.0,
                6.0,
                5.99,
                1e-9,
                1e-9,
            ),
            (
                |x| x.exp() - 2.0 * x,
                0.0,
                3.0,
                std::f64::consts::LN_2,
                1e-10,
                1e-8,
            ),
            // At zero, where the relative part of the tolerance vanishes.
            (|x| x * x * (1.0 + x), -0.5, 1.0, 0.0, 1e-10, 1e-10),
            // A million from zero, where the relative part of the tolerance, 1e-12·x = 1e-6,
            // outweighs the 1e-9 asked for and is what stops the search.
            (
                |x| -(x - 1e6 - 0.3).cos(),
                1e6 - 1.0,
                1e6 + 2.0,
                1e6 + 0.3,
                1e-9,
                2e-6,
            ),
            // Not smooth at its minimum, near the left end.
            (|x| (x - 2.05).abs().powf(1.5), 2.0, 6.0, 2.05, 1e-9, 1e-9),
        ];
        for (k, (f, a, b, min, x_tol, accuracy)) in cases.into_iter().enumerate() {
            let mut at = Vec::new();
            let (x, fx) = brent_min(
                |x| {
                    at.push(x);
                    f(x)
                },
                a,
                b,
                x_tol,
            );
            assert!((x - min).abs() <= accuracy, "case {k}: {x}");
            assert_eq!(fx, f(x), "case {k}");
            assert!(at.iter().all(|&u| a < u && u < b), "case {k}: {at:?}");
            // Golden sections shrink the interval by 0.618 an evaluation until it is within
            // the tolerance.
            let tol = x_tol + 2e-12 * min.abs();
            let golden = ((tol / (b - a)).ln() / 0.618_033_988_749_895_f64.ln()).ceil();
            assert!(
                at.len() as f64 <= 2.0 / 3.0 * golden,
                "case {k}: {} evaluations, golden sections {golden}",
                at.len()
            );
        }
    }
}
