//! Cross-covariance statistics ψ from a recorded trajectory (theory note §3.1, §3.7).
//!
//! ψ(τ1, τ2) = N ⟨C_ij(τ1) C_ij(τ2)⟩_{i≠j} with C_ij(τ) = ⟨y_i(t+τ) y_j(t)⟩ (y mean-subtracted)
//! is estimated, as in Marschall's `estimate_psi`, on the n pairs (i, π(i)) of a random
//! derangement π, which costs O(n) per lag and time step:
//!
//! - naive: ψ(τ,τ) ≈ N mean_i Ĉ_{iπ(i)}(τ)², biased up by the sampling variance of Ĉ (about
//!   N C(0)² τ_int/T, the same effect that biases the naive participation ratio);
//! - cross-block (our variant, as in §3.5): with Ĉ^b the estimate from time block b,
//!   ψ(τ1,τ2) ≈ N mean_i mean_{a≠b} Ĉ^a_{iπ(i)}(τ1) Ĉ^b_{iπ(i)}(τ2), unbiased for independent
//!   blocks.
//!
//! Lagged products stay inside a block; Ĉ^b(τ) is normalised by the number of products.
//! [`fit_decay_rate`] fits ψ(τ,τ) ∝ e^{−rτ} by least squares on log ψ.

use crate::rng::seeded;
use rand::Rng;

/// A uniformly random n-cycle (Sattolo's algorithm): a derangement of 0..n for n ≥ 2.
pub fn derangement(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = seeded(seed);
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.gen_range(0..i);
        p.swap(i, j);
    }
    p
}

/// ψ(τ,τ) and ψ(τ,0) at lags 0..=max_lag (in samples).
#[derive(Clone, Debug, PartialEq)]
pub struct PsiEstimate {
    /// Cross-block estimates (NaN with a single block).
    pub tau_tau: Vec<f64>,
    pub tau_0: Vec<f64>,
    /// Naive estimates from the block-averaged Ĉ.
    pub naive_tau_tau: Vec<f64>,
    pub naive_tau_0: Vec<f64>,
}

/// Estimates ψ from a steps×n trajectory `traj` (row-major) on the pairs (i, perm[i]), with the
/// first blocks·⌊steps/blocks⌋ rows split into `blocks` time blocks; `scale` is the network size
/// N multiplying the pair average (n may be a recorded subset of the N units).
///
/// Panics unless max_lag < ⌊steps/blocks⌋ and perm has length n with perm[i] ≠ i.
pub fn psi_estimate(
    traj: &[f64],
    steps: usize,
    n: usize,
    perm: &[usize],
    blocks: usize,
    max_lag: usize,
    scale: f64,
) -> PsiEstimate {
    assert_eq!(traj.len(), steps * n);
    assert_eq!(perm.len(), n);
    assert!(perm.iter().enumerate().all(|(i, &p)| p != i && p < n));
    let blocks = blocks.max(1);
    let len = steps / blocks;
    assert!(max_lag < len, "max_lag must be below the block length");
    let k1 = max_lag + 1;
    // Mean-subtract with the means over the whole trajectory.
    let mut mean = vec![0.0; n];
    for row in traj.chunks_exact(n) {
        for (m, v) in mean.iter_mut().zip(row) {
            *m += v;
        }
    }
    mean.iter_mut().for_each(|m| *m /= steps as f64);
    let y: Vec<f64> = traj
        .iter()
        .enumerate()
        .map(|(q, v)| v - mean[q % n])
        .collect();
    // c[b][k][i] = Ĉ^b_{i,π(i)}(k).
    let mut c = vec![0.0; blocks * k1 * n];
    let mut yp = vec![0.0; n];
    for b in 0..blocks {
        let (start, end) = (b * len, (b + 1) * len);
        let cb = &mut c[b * k1 * n..(b + 1) * k1 * n];
        for t in start..end {
            let row = &y[t * n..(t + 1) * n];
            for (v, &p) in yp.iter_mut().zip(perm) {
                *v = row[p];
            }
            for k in 0..k1.min(end - t) {
                let later = &y[(t + k) * n..(t + k + 1) * n];
                for ((acc, &a), &bv) in cb[k * n..(k + 1) * n].iter_mut().zip(later).zip(&yp) {
                    *acc += a * bv;
                }
            }
        }
        for k in 0..k1 {
            let inv = 1.0 / (len - k) as f64;
            cb[k * n..(k + 1) * n].iter_mut().for_each(|v| *v *= inv);
        }
    }
    let at = |b: usize, k: usize, i: usize| c[(b * k1 + k) * n + i];
    let bf = blocks as f64;
    let mut est = PsiEstimate {
        tau_tau: vec![f64::NAN; k1],
        tau_0: vec![f64::NAN; k1],
        naive_tau_tau: vec![0.0; k1],
        naive_tau_0: vec![0.0; k1],
    };
    for k in 0..k1 {
        let (mut cross_kk, mut cross_k0, mut naive_kk, mut naive_k0) = (0.0, 0.0, 0.0, 0.0);
        for i in 0..n {
            let (mut sk, mut s0, mut skk, mut sk0) = (0.0, 0.0, 0.0, 0.0);
            for b in 0..blocks {
                let (ck, c0) = (at(b, k, i), at(b, 0, i));
                sk += ck;
                s0 += c0;
                skk += ck * ck;
                sk0 += ck * c0;
            }
            naive_kk += (sk / bf) * (sk / bf);
            naive_k0 += (sk / bf) * (s0 / bf);
            cross_kk += sk * sk - skk;
            cross_k0 += sk * s0 - sk0;
        }
        let nf = n as f64;
        est.naive_tau_tau[k] = scale * naive_kk / nf;
        est.naive_tau_0[k] = scale * naive_k0 / nf;
        if blocks > 1 {
            est.tau_tau[k] = scale * cross_kk / (nf * bf * (bf - 1.0));
            est.tau_0[k] = scale * cross_k0 / (nf * bf * (bf - 1.0));
        }
    }
    est
}

/// Decay rate r of values ∝ e^{−r·lag}: least-squares slope of ln(value) over the lags in
/// [from, to] with positive values (NaN with fewer than two such points).
pub fn fit_decay_rate(lags: &[f64], values: &[f64], from: f64, to: f64) -> f64 {
    let pts: Vec<(f64, f64)> = lags
        .iter()
        .zip(values)
        .filter(|(&l, &v)| l >= from && l <= to && v > 0.0)
        .map(|(&l, &v)| (l, v.ln()))
        .collect();
    if pts.len() < 2 {
        return f64::NAN;
    }
    let m = pts.len() as f64;
    let lx = pts.iter().map(|p| p.0).sum::<f64>() / m;
    let ly = pts.iter().map(|p| p.1).sum::<f64>() / m;
    let sxy: f64 = pts.iter().map(|p| (p.0 - lx) * (p.1 - ly)).sum();
    let sxx: f64 = pts.iter().map(|p| (p.0 - lx) * (p.0 - lx)).sum();
    -sxy / sxx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::normal;

    #[test]
    fn derangements_have_no_fixed_points() {
        for n in 2..40 {
            let p = derangement(n, n as u64);
            let mut seen = vec![false; n];
            for (i, &v) in p.iter().enumerate() {
                assert_ne!(i, v);
                assert!(!seen[v]);
                seen[v] = true;
            }
        }
        assert_ne!(derangement(50, 1), derangement(50, 2));
        assert_eq!(derangement(50, 3), derangement(50, 3));
    }

    #[test]
    fn decay_rate_of_an_exponential() {
        let lags: Vec<f64> = (0..50).map(|k| 0.5 * k as f64).collect();
        let vals: Vec<f64> = lags.iter().map(|l| 3.0 * (-0.07 * l).exp()).collect();
        assert!((fit_decay_rate(&lags, &vals, 5.0, 20.0) - 0.07).abs() < 1e-12);
        assert!(fit_decay_rate(&lags, &vals, 30.0, 40.0).is_nan());
    }

    /// x(t) = A z(t), z_k independent AR(1) with coefficient ρ: C(τ) = ρ^τ A Aᵀ.
    fn ar_data(a: &[f64], n: usize, rho: f64, steps: usize, seed: u64) -> Vec<f64> {
        let mut rng = seeded(seed);
        let mut z: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
        let s = (1.0 - rho * rho).sqrt();
        let mut out = Vec::with_capacity(steps * n);
        for _ in 0..steps {
            for v in z.iter_mut() {
                *v = rho * *v + s * normal(&mut rng);
            }
            for i in 0..n {
                out.push(5.0 + (0..n).map(|k| a[i * n + k] * z[k]).sum::<f64>());
            }
        }
        out
    }

    #[test]
    fn cross_block_psi_is_unbiased_on_known_cross_covariances() {
        let (n, rho, steps, blocks, max_lag) = (100, 0.8, 4000, 8, 6);
        let mut rng = seeded(7);
        let c = 1.0 / (n as f64).sqrt();
        let a: Vec<f64> = (0..n * n)
            .map(|q| if q / n == q % n { 1.0 } else { 0.0 } + c * normal(&mut rng))
            .collect();
        let perm = derangement(n, 8);
        // Exact: C_{iπ(i)}(0) = (A Aᵀ)_{iπ(i)}.
        let c0: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|k| a[i * n + k] * a[perm[i] * n + k]).sum())
            .collect();
        let psi00 = n as f64 * c0.iter().map(|v| v * v).sum::<f64>() / n as f64;
        assert!(psi00 > 1.0);
        let seeds = 10;
        let runs: Vec<PsiEstimate> = (0..seeds)
            .map(|s| {
                let x = ar_data(&a, n, rho, steps, 100 + s);
                psi_estimate(&x, steps, n, &perm, blocks, max_lag, n as f64)
            })
            .collect();
        for k in [0, 2, 6] {
            let want_kk = psi00 * rho.powi(2 * k as i32);
            let want_k0 = psi00 * rho.powi(k as i32);
            for (get, want, naive_up) in [
                (
                    &(|e: &PsiEstimate| (e.tau_tau[k], e.naive_tau_tau[k]))
                        as &dyn Fn(&PsiEstimate) -> (f64, f64),
                    want_kk,
                    true,
                ),
                (
                    &|e: &PsiEstimate| (e.tau_0[k], e.naive_tau_0[k]),
                    want_k0,
                    false,
                ),
            ] {
                let vals: Vec<f64> = runs.iter().map(|e| get(e).0).collect();
                let m = vals.iter().sum::<f64>() / seeds as f64;
                let sd = (vals.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (seeds as f64 - 1.0))
                    .sqrt();
                let se = sd / (seeds as f64).sqrt();
                assert!((m - want).abs() < 3.5 * se, "lag {k}: {m} ± {se} vs {want}");
                if naive_up {
                    let naive = runs.iter().map(|e| get(e).1).sum::<f64>() / seeds as f64;
                    assert!(naive - want > 5.0 * se, "lag {k}: naive {naive} vs {want}");
                }
            }
        }
        // ψ(τ,τ)/ψ(0,0) decays at rate −2 ln ρ per sample.
        let lags: Vec<f64> = (0..=max_lag).map(|k| k as f64).collect();
        let rate = fit_decay_rate(&lags, &runs[0].tau_tau, 0.0, max_lag as f64);
        assert!((rate / (-2.0 * rho.ln()) - 1.0).abs() < 0.15, "rate {rate}");
    }
}
