//! Participation-ratio estimators from block covariances (theory note §3.1, §3.5, §5.1).
//!
//! With block covariances C_1..C_B, traces t_b = tr C_b and Gram matrix G_ab = tr(C_a C_b):
//!
//! - naive: PR = (mean_b t_b)² / tr(C̄²), C̄ = mean_b C_b. Biased down by sampling noise:
//!   N/PR_naive ≈ N/PR + N τ_int/T.
//! - cross-block: PR = (mean_b t_b)² / mean_{a≠b} G_ab, unbiased in the denominator for
//!   independent blocks, because E tr(Ĉ_a Ĉ_b) = tr(C²) when the noise of Ĉ_a and Ĉ_b is
//!   independent.
//! - standard errors: delete-one-block jackknife, se² = (B−1)/B Σ_k (θ_(k) − θ̄)².
//! - z-scored: the same on R_b = V^{-1/2} C_b V^{-1/2} with V the mean block variances, so that
//!   N/PR_raw − N/PR_z = CV²(v) when the variances are independent of the correlations (the
//!   note's relation (19), our derivation). The jackknife treats V as fixed.

use super::blocks::BlockMoments;
use super::unit_variance::{unit_variance_stats, UnitVarianceStats};

/// A participation ratio with its jackknife standard error (NaN when too few blocks).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrEstimate {
    pub pr: f64,
    pub se: f64,
}

/// All block estimates of one variable.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BlockEstimates {
    /// Dimension n and number of non-empty blocks.
    pub n: usize,
    pub blocks: usize,
    /// Samples in all blocks.
    pub samples: u64,
    /// Single-unit variance statistics.
    pub variance: UnitVarianceStats,
    pub naive: PrEstimate,
    pub cross: PrEstimate,
    pub zscored_naive: PrEstimate,
    pub zscored_cross: PrEstimate,
}

/// Naive PR over the blocks in `set`: (mean t)² / ((1/|S|²) Σ_{a,b∈S} G_ab).
pub fn naive_pr(traces: &[f64], gram: &[f64], set: &[usize]) -> f64 {
    let nb = traces.len();
    let k = set.len() as f64;
    if set.is_empty() {
        return f64::NAN;
    }
    let t: f64 = set.iter().map(|&b| traces[b]).sum::<f64>() / k;
    let mut g = 0.0;
    for &a in set {
        for &b in set {
            g += gram[a * nb + b];
        }
    }
    t * t / (g / (k * k))
}

/// Cross-block PR over the blocks in `set`: (mean t)² / mean_{a≠b∈S} G_ab (NaN for |S| < 2).
pub fn cross_pr(traces: &[f64], gram: &[f64], set: &[usize]) -> f64 {
    let nb = traces.len();
    let k = set.len();
    if k < 2 {
        return f64::NAN;
    }
    let t: f64 = set.iter().map(|&b| traces[b]).sum::<f64>() / k as f64;
    let mut g = 0.0;
    for &a in set {
        for &b in set {
            if a != b {
                g += gram[a * nb + b];
            }
        }
    }
    t * t / (g / (k * (k - 1)) as f64)
}

/// Delete-one-block jackknife standard error of `estimator` over `blocks` blocks (NaN if fewer
/// than `min_blocks + 1` blocks, so that every leave-one-out set has at least `min_blocks`).
pub fn jackknife_se(blocks: usize, min_blocks: usize, estimator: impl Fn(&[usize]) -> f64) -> f64 {
    if blocks < min_blocks + 1 || blocks < 2 {
        return f64::NAN;
    }
    let thetas: Vec<f64> = (0..blocks)
        .map(|k| {
            let set: Vec<usize> = (0..blocks).filter(|&b| b != k).collect();
            estimator(&set)
        })
        .collect();
    let b = blocks as f64;
    let mean = thetas.iter().sum::<f64>() / b;
    let ss: f64 = thetas.iter().map(|t| (t - mean) * (t - mean)).sum();
    ((b - 1.0) / b * ss).sqrt()
}

fn estimate_pair(traces: &[f64], gram: &[f64]) -> (PrEstimate, PrEstimate) {
    let nb = traces.len();
    let all: Vec<usize> = (0..nb).collect();
    let naive = PrEstimate {
        pr: naive_pr(traces, gram, &all),
        se: jackknife_se(nb, 1, |s| naive_pr(traces, gram, s)),
    };
    let cross = PrEstimate {
        pr: cross_pr(traces, gram, &all),
        se: jackknife_se(nb, 2, |s| cross_pr(traces, gram, s)),
    };
    (naive, cross)
}

/// Naive, cross-block and z-scored PR estimates with jackknife errors, and the single-unit
/// variance statistics, from reduced block moments.
pub fn block_estimates(m: &BlockMoments) -> BlockEstimates {
    let (naive, cross) = estimate_pair(&m.traces(), &m.gram);
    let (zscored_naive, zscored_cross) = estimate_pair(&m.traces_z(), &m.gram_z);
    BlockEstimates {
        n: m.n,
        blocks: m.blocks(),
        samples: m.counts.iter().sum(),
        variance: unit_variance_stats(&m.diag, m.n),
        naive,
        cross,
        zscored_naive,
        zscored_cross,
    }
}

impl BlockEstimates {
    /// Flat layout used across the C ABI: [n, blocks, samples, mean variance, CV² (cross),
    /// CV² (naive), naive PR, se, cross PR, se, z naive PR, se, z cross PR, se].
    pub const LEN: usize = 14;

    pub fn to_array(&self) -> [f64; Self::LEN] {
        [
            self.n as f64,
            self.blocks as f64,
            self.samples as f64,
            self.variance.mean,
            self.variance.cv2,
            self.variance.cv2_naive,
            self.naive.pr,
            self.naive.se,
            self.cross.pr,
            self.cross.se,
            self.zscored_naive.pr,
            self.zscored_naive.se,
            self.zscored_cross.pr,
            self.zscored_cross.se,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal, seeded, Rng};
    use crate::stats::blocks::BlockCovariance;
    use crate::stats::participation::participation_ratio;

    /// Gaussian samples x = V^{1/2} D^{-1/2} A w, w ~ N(0, I/m): covariance C = V^{1/2} R V^{1/2}
    /// with R = D^{-1/2} (A Aᵀ/m) D^{-1/2} a correlation matrix (D = diag(AAᵀ/m)).
    struct Source {
        n: usize,
        m: usize,
        mix: Vec<f64>,
        cov: Vec<f64>,
        corr: Vec<f64>,
        var: Vec<f64>,
    }

    impl Source {
        fn new(n: usize, m: usize, var: Vec<f64>, seed: u64) -> Source {
            let mut rng = seeded(seed);
            let a: Vec<f64> = (0..n * m).map(|_| normal(&mut rng)).collect();
            let mut k = vec![0.0; n * n];
            for i in 0..n {
                for j in 0..n {
                    k[i * n + j] =
                        (0..m).map(|l| a[i * m + l] * a[j * m + l]).sum::<f64>() / m as f64;
                }
            }
            let d: Vec<f64> = (0..n).map(|i| k[i * n + i]).collect();
            let corr: Vec<f64> = (0..n * n)
                .map(|q| k[q] / (d[q / n] * d[q % n]).sqrt())
                .collect();
            let cov: Vec<f64> = (0..n * n)
                .map(|q| corr[q] * (var[q / n] * var[q % n]).sqrt())
                .collect();
            let mix: Vec<f64> = (0..n * m)
                .map(|q| a[q] * (var[q / m] / d[q / m] / m as f64).sqrt())
                .collect();
            Source {
                n,
                m,
                mix,
                cov,
                corr,
                var,
            }
        }

        fn sample(&self, rng: &mut Rng) -> Vec<f64> {
            let w: Vec<f64> = (0..self.m).map(|_| normal(rng)).collect();
            (0..self.n)
                .map(|i| {
                    (0..self.m)
                        .map(|l| self.mix[i * self.m + l] * w[l])
                        .sum::<f64>()
                        + 3.0
                })
                .collect()
        }
    }

    fn run(src: &Source, blocks: usize, per_block: u64, seed: u64) -> BlockEstimates {
        let mut rng = seeded(seed);
        let mut acc = BlockCovariance::new(src.n, blocks, per_block);
        for _ in 0..blocks as u64 * per_block {
            acc.push(&src.sample(&mut rng));
        }
        block_estimates(&acc.moments())
    }

    fn white(n: usize) -> Source {
        let mut s = Source::new(n, 1, vec![1.0; n], 0);
        s.m = n;
        s.mix = (0..n * n)
            .map(|q| if q / n == q % n { 1.0 } else { 0.0 })
            .collect();
        s.cov = s.mix.clone();
        s.corr = s.mix.clone();
        s
    }

    #[test]
    fn white_noise_cross_block_is_unbiased_and_naive_is_biased() {
        let n = 100;
        let e = run(&white(n), 8, 50, 11);
        let nf = n as f64;
        assert!(
            (e.cross.pr / nf - 1.0).abs() < 3.0 * e.cross.se / nf,
            "cross {} ± {}",
            e.cross.pr / nf,
            e.cross.se / nf
        );
        assert!(e.cross.se / nf < 0.05 && e.cross.se > 0.0);
        // ≈ 1/(1 + N/(B n)) = 0.8; with the O(1/T) terms of Gaussian sampling (diagonal
        // E Ĉ_ii² = 1 + 2/T, pooled-mean trace 1 − 1/T, T = B n): (1 − 1/T)²/(1 + (N + 1)/T).
        let t = 400.0;
        let want = (1.0 - 1.0 / t) * (1.0 - 1.0 / t) / (1.0 + (nf + 1.0) / t);
        assert!((want - 0.8).abs() < 0.01);
        assert!(
            (e.naive.pr / nf - want).abs() < 0.01,
            "naive {}",
            e.naive.pr / nf
        );
        assert!((e.variance.mean - 1.0).abs() < 0.01);
        assert!(e.variance.cv2.abs() < 0.01, "cv2 {}", e.variance.cv2);
        // Sampling noise alone gives a naive CV² ≈ 2/(B n) · (B n)/(B n) = 2/400.
        assert!((e.variance.cv2_naive - 2.0 / 400.0).abs() < 0.002);
        assert_eq!((e.blocks, e.samples), (8, 400));
    }

    #[test]
    fn structured_covariance_recovered_by_cross_block_only() {
        let n = 80;
        let src = Source::new(n, n, vec![1.0; n], 21);
        let truth = participation_ratio(&src.cov, n);
        assert!(truth / n as f64 > 0.3 && truth / (n as f64) < 0.7);
        let (blocks, per) = (8, 50);
        let e = run(&src, blocks, per, 22);
        assert!(
            (e.cross.pr - truth).abs() < 3.0 * e.cross.se,
            "cross {} ± {} vs {truth}",
            e.cross.pr,
            e.cross.se
        );
        // Gaussian samples: E tr Ĉ² ≈ tr C² + (tr C)²/T, so N/PR_naive ≈ N/PR + N/T.
        let t = blocks as f64 * per as f64;
        let want_naive = 1.0 / (1.0 / truth + 1.0 / t);
        assert!(
            (e.naive.pr / want_naive - 1.0).abs() < 0.03,
            "naive {} vs {want_naive}",
            e.naive.pr
        );
        assert!(
            truth - e.naive.pr > 3.0 * e.cross.se,
            "naive {} cross {} ± {}",
            e.naive.pr,
            e.cross.pr,
            e.cross.se
        );
    }

    #[test]
    fn zscoring_removes_the_variance_heterogeneity() {
        let n = 120;
        let mut rng = seeded(31);
        let sigma = 0.8;
        let var: Vec<f64> = (0..n).map(|_| (sigma * normal(&mut rng)).exp()).collect();
        let src = Source::new(n, n, var, 32);
        let nf = n as f64;
        let pr_raw = participation_ratio(&src.cov, n);
        let pr_z = participation_ratio(&src.corr, n);
        let mean_v = src.var.iter().sum::<f64>() / nf;
        let cv2 = src.var.iter().map(|v| v * v).sum::<f64>() / nf / (mean_v * mean_v) - 1.0;
        assert!(cv2 > 0.5);
        // Relation (19) on the true matrices (variances drawn independently of R).
        let diff_true = nf / pr_raw - nf / pr_z;
        assert!(
            (diff_true - cv2).abs() < 0.1 * cv2,
            "{diff_true} vs CV² {cv2}"
        );
        let e = run(&src, 8, 150, 33);
        assert!((e.cross.pr - pr_raw).abs() < 3.0 * e.cross.se);
        assert!((e.zscored_cross.pr - pr_z).abs() < 3.0 * e.zscored_cross.se);
        let inv_se = |p: PrEstimate| nf * p.se / (p.pr * p.pr);
        let diff = nf / e.cross.pr - nf / e.zscored_cross.pr;
        let tol = 3.0 * (inv_se(e.cross) + inv_se(e.zscored_cross));
        assert!(
            (diff - diff_true).abs() < tol,
            "{diff} vs {diff_true} ± {tol}"
        );
        assert!(
            (e.variance.cv2 - cv2).abs() < 0.05 * cv2,
            "{} vs {cv2}",
            e.variance.cv2
        );
        assert!(e.variance.cv2_naive > e.variance.cv2);
    }

    #[test]
    fn jackknife_error_matches_spread_over_seeds() {
        let n = 40;
        let src = Source::new(n, n, vec![1.0; n], 41);
        let runs: Vec<BlockEstimates> = (0..40).map(|s| run(&src, 8, 40, 100 + s)).collect();
        let k = runs.len() as f64;
        let mean = runs.iter().map(|e| e.cross.pr).sum::<f64>() / k;
        let sd = (runs
            .iter()
            .map(|e| (e.cross.pr - mean).powi(2))
            .sum::<f64>()
            / (k - 1.0))
            .sqrt();
        let se = runs.iter().map(|e| e.cross.se).sum::<f64>() / k;
        let ratio = se / sd;
        assert!(ratio > 0.7 && ratio < 1.45, "jackknife {se} vs spread {sd}");
    }

    #[test]
    fn too_few_blocks_give_nan() {
        let src = white(5);
        let e = run(&src, 2, 10, 1);
        assert!(e.cross.pr.is_finite() && e.cross.se.is_nan());
        let e = run(&src, 1, 10, 1);
        assert!(e.cross.pr.is_nan() && e.naive.pr.is_finite() && e.variance.cv2.is_nan());
    }
}
