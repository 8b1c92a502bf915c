//! Population-averaged autocorrelation of unit activities, computed with the FFT.

use crate::fft::{next_pow2, FftPlan};

/// Population-averaged autocorrelation for lags `k = 0..=max_lag`:
///
/// `c[k] = (1/n) Σ_i (1/(steps−k)) Σ_{t=0}^{steps−k−1} y_i(t) y_i(t+k)`,
///
/// where `traj` is `steps×n` row-major (row `t` holds all units at time `t`), and
/// `y_i = x_i − (1/steps) Σ_t x_i(t)` if `subtract_mean`, else `y_i = x_i`. Each lag is
/// normalised by its number of overlapping pairs, `1/(steps−k)` (unbiased-by-overlap).
///
/// Method: each series is zero-padded to `m = next_pow2(steps + max_lag)` so the circular
/// correlation has no wrap-around at lags `≤ max_lag`. Units are transformed two at a time as
/// one complex signal `z = y_a + i·y_b`; since `|Y_a[f]|² + |Y_b[f]|² = (|Z[f]|² + |Z[m−f]|²)/2`,
/// the population power spectrum is accumulated directly from `|Z|²`, and one inverse FFT
/// of the summed spectrum yields all lag sums: about `n/2 + 1` FFTs of length `m` in total.
///
/// Panics unless `traj.len() == steps·n`, `n ≥ 1` and `max_lag < steps`.
pub fn population_autocorrelation(
    traj: &[f64],
    steps: usize,
    n: usize,
    max_lag: usize,
    subtract_mean: bool,
) -> Vec<f64> {
    assert_eq!(traj.len(), steps * n, "trajectory length is not steps·n");
    assert!(n >= 1, "need at least one unit");
    assert!(max_lag < steps, "max_lag {max_lag} must be < steps {steps}");

    let mut mean = vec![0.0; n];
    if subtract_mean {
        for row in traj.chunks_exact(n) {
            for (m, &x) in mean.iter_mut().zip(row) {
                *m += x;
            }
        }
        mean.iter_mut().for_each(|m| *m /= steps as f64);
    }

    let m = next_pow2(steps + max_lag);
    let plan = FftPlan::new(m);
    let mut re = vec![0.0; m];
    let mut im = vec![0.0; m];
    // power[f] accumulates Σ_pairs |Z[f]|².
    let mut power = vec![0.0; m];

    let mut a = 0;
    while a < n {
        let b = if a + 1 < n { Some(a + 1) } else { None };
        for (t, row) in traj.chunks_exact(n).enumerate() {
            re[t] = row[a] - mean[a];
            im[t] = match b {
                Some(b) => row[b] - mean[b],
                None => 0.0,
            };
        }
        re[steps..].iter_mut().for_each(|v| *v = 0.0);
        im[steps..].iter_mut().for_each(|v| *v = 0.0);
        plan.process(&mut re, &mut im, false);
        for ((p, &r), &i) in power.iter_mut().zip(&re).zip(&im) {
            *p += r * r + i * i;
        }
        a += 2;
    }

    // Symmetrise: P[f] = (Σ|Z[f]|² + Σ|Z[m−f]|²)/2 = Σ_i |Y_i[f]|².
    re[0] = power[0];
    for f in 1..m {
        re[f] = 0.5 * (power[f] + power[m - f]);
    }
    im.iter_mut().for_each(|v| *v = 0.0);
    plan.process(&mut re, &mut im, true);

    // re[k]/m = Σ_i Σ_t y_i(t) y_i(t+k).
    let inv_mn = 1.0 / (m as f64 * n as f64);
    (0..=max_lag)
        .map(|k| re[k] * inv_mn / (steps - k) as f64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal, seeded};

    fn direct(traj: &[f64], steps: usize, n: usize, max_lag: usize, sub: bool) -> Vec<f64> {
        let mut out = vec![0.0; max_lag + 1];
        for i in 0..n {
            let mut y: Vec<f64> = (0..steps).map(|t| traj[t * n + i]).collect();
            if sub {
                let mu = y.iter().sum::<f64>() / steps as f64;
                y.iter_mut().for_each(|v| *v -= mu);
            }
            for (k, c) in out.iter_mut().enumerate() {
                let s: f64 = (0..steps - k).map(|t| y[t] * y[t + k]).sum();
                *c += s / (steps - k) as f64 / n as f64;
            }
        }
        out
    }

    fn random_traj(steps: usize, n: usize, seed: u64) -> Vec<f64> {
        let mut rng = seeded(seed);
        // Smoothed noise with a per-unit offset, so lags and mean subtraction both matter.
        let mut traj = vec![0.0; steps * n];
        let offsets: Vec<f64> = (0..n).map(|i| 0.5 * i as f64 - 1.0).collect();
        let mut state = vec![0.0; n];
        for t in 0..steps {
            for i in 0..n {
                state[i] = 0.7 * state[i] + normal(&mut rng);
                traj[t * n + i] = offsets[i] + state[i];
            }
        }
        traj
    }

    #[test]
    fn matches_direct_sums() {
        let cases = [
            (1, 1, 0),
            (2, 1, 1),
            (37, 5, 20),
            (200, 6, 199),
            (129, 3, 64),
            (300, 7, 0),
        ];
        for &(steps, n, max_lag) in &cases {
            let traj = random_traj(steps, n, steps as u64 * 31 + n as u64);
            for &sub in &[false, true] {
                let got = population_autocorrelation(&traj, steps, n, max_lag, sub);
                let want = direct(&traj, steps, n, max_lag, sub);
                assert_eq!(got.len(), max_lag + 1);
                let scale = want.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
                for k in 0..=max_lag {
                    let err = (got[k] - want[k]).abs();
                    assert!(
                        err <= 1e-12 * scale,
                        "steps={steps} n={n} lag={k} sub={sub}: {} vs {}",
                        got[k],
                        want[k]
                    );
                }
            }
        }
    }

    #[test]
    fn ar1_decays_geometrically() {
        // x_{t+1} = a x_t + ξ_t, started in the stationary law N(0, 1/(1−a²)).
        // Normalised autocorrelation c[k]/c[0] → a^k. Bartlett's formula gives a standard error
        // ≤ sqrt((1+a²)/(1−a²)/(n·steps)) ≈ 0.004 here; the tolerance 0.02 is 5 standard errors.
        let (a, steps, n, max_lag) = (0.8f64, 8192, 32, 20);
        let mut rng = seeded(2024);
        let mut traj = vec![0.0; steps * n];
        let sd0 = 1.0 / (1.0 - a * a).sqrt();
        let mut x: Vec<f64> = (0..n).map(|_| sd0 * normal(&mut rng)).collect();
        for t in 0..steps {
            for i in 0..n {
                traj[t * n + i] = x[i];
                x[i] = a * x[i] + normal(&mut rng);
            }
        }
        let c = population_autocorrelation(&traj, steps, n, max_lag, true);
        assert!(
            (c[0] * (1.0 - a * a) - 1.0).abs() < 0.02,
            "variance {}",
            c[0]
        );
        for (k, &ck) in c.iter().enumerate() {
            let r = ck / c[0];
            assert!((r - a.powi(k as i32)).abs() < 0.02, "lag {k}: {r}");
        }
    }

    #[test]
    fn constant_series_with_mean_removed_is_zero() {
        let (steps, n) = (100, 3);
        let traj: Vec<f64> = (0..steps * n).map(|k| [2.5, -7.0, 1e3][k % n]).collect();
        let c = population_autocorrelation(&traj, steps, n, 50, true);
        assert!(c.iter().all(|v| v.abs() < 1e-12), "{c:?}");
        let raw = population_autocorrelation(&traj, steps, n, 50, false);
        let want = (2.5f64 * 2.5 + 49.0 + 1e6) / 3.0;
        assert!(raw.iter().all(|v| (v - want).abs() < 1e-12 * want));
    }

    #[test]
    #[should_panic]
    fn rejects_lag_not_below_steps() {
        population_autocorrelation(&[1.0, 2.0, 3.0], 3, 1, 3, false);
    }
}
