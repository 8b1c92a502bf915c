//! The random-mode model (Clark, Marschall, van Meegen & Litwin-Kumar, arXiv:2409.01969):
//!
//!   J = Σ_{a<P} D_a ℓ_a r_aᵀ = L diag(D) Rᵀ,   ℓ_ia, r_ia ~ N(0, 1/N) iid,
//!
//! so Var J_ij = Σ_a D_a²/N² and g² = (1/N) Σ_a D_a². Extensions:
//! - overlaps ρ_a between the output mode ℓ_a and input mode r_a:
//!   ℓ_a = √(1−|ρ_a|) x_a + √|ρ_a| z_a,  r_a = √(1−|ρ_a|) x'_a + sign(ρ_a) √|ρ_a| z_a,
//!   with x, x', z iid N(0, I/N), so E[ℓ_a · r_a] = ρ_a;
//! - a full overlap matrix Q (P×P) with E[ℓ_a · r_b] = Q_ab, e.g. 2×2 rotation blocks that pair
//!   modes: L = X, R = L Q + W diag(c) with c_b = √(1 − Σ_a Q_ab²) and X, W iid N(0, I/N), so
//!   every mode keeps E|r_b|² = 1 (requires column norms of Q ≤ 1);
//! - orthogonal modes: L and R with orthonormal columns (Haar), so the singular values of J are
//!   exactly D (requires P ≤ N; no overlaps);
//! - single-neuron heterogeneity: rows scaled by gains, J → diag(h) J.

use crate::kernels::gemm_abt;
use crate::linalg::qr::orthonormal_columns;
use crate::rng::{self, Rng};

/// How the modes ℓ_a, r_a are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Modes {
    /// iid Gaussian entries N(0, 1/N) (the model's definition).
    Gaussian,
    /// Orthonormal columns from the QR factorisation of Gaussian matrices.
    Orthogonal,
}

/// A sampled random-mode network: J (N×N) and its modes L, R (N×P, row-major; column a is a mode).
pub struct RandomMode {
    pub j: Vec<f64>,
    pub left: Vec<f64>,
    pub right: Vec<f64>,
}

/// Overlaps between output modes ℓ_a and input modes r_b.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Overlaps<'a> {
    /// ρ_a = E[ℓ_a · r_a] per mode, ρ_a ∈ [−1, 1].
    PerMode(&'a [f64]),
    /// Q (P×P, row-major): E[ℓ_a · r_b] = Q_ab; every column of Q has norm ≤ 1.
    Matrix(&'a [f64]),
}

/// Gives one row of the modes their overlaps with the shared draw z:
/// x_a ← √(1 − |ρ_a|) x_a + s_a √|ρ_a| z_a, with s_a = sign ρ_a for R (`signed`) and 1 for L, so
/// that E[ℓ_ia r_ia] = ρ_a/N.
pub(crate) fn mix_overlaps(x: &mut [f64], z: &[f64], rho: &[f64], signed: bool) {
    for ((v, &ra), &zv) in x.iter_mut().zip(rho).zip(z) {
        let (keep, share) = ((1.0 - ra.abs()).sqrt(), ra.abs().sqrt());
        let sign = if signed { ra.signum() } else { 1.0 };
        *v = keep * *v + sign * share * zv;
    }
}

/// Samples J = diag(h) L diag(D) Rᵀ. `overlaps` (Gaussian modes only) and `gains`
/// (h_i) are optional. Draw order: L (or x), then R (or x'), then z, each N×P row by row.
pub fn random_mode(
    n: usize,
    d: &[f64],
    modes: Modes,
    overlaps: Option<Overlaps>,
    gains: Option<&[f64]>,
    rng: &mut Rng,
) -> RandomMode {
    let p = d.len();
    let std = 1.0 / (n as f64).sqrt();
    let mut left = vec![0.0; n * p];
    let mut right = vec![0.0; n * p];
    rng::fill_normal(rng, std, &mut left);
    rng::fill_normal(rng, std, &mut right);
    match (modes, overlaps) {
        (Modes::Orthogonal, _) => {
            orthonormal_columns(&mut left, n, p);
            orthonormal_columns(&mut right, n, p);
        }
        (Modes::Gaussian, Some(Overlaps::Matrix(q))) => {
            // R = L Q + W diag(c): right currently holds W.
            let mut qt = vec![0.0; p * p];
            for a in 0..p {
                for b in 0..p {
                    qt[b * p + a] = q[a * p + b];
                }
            }
            let mut lq = vec![0.0; n * p];
            gemm_abt(&left, &qt, n, p, p, &mut lq);
            let c: Vec<f64> = (0..p)
                .map(|b| {
                    (1.0 - (0..p).map(|a| q[a * p + b].powi(2)).sum::<f64>())
                        .max(0.0)
                        .sqrt()
                })
                .collect();
            for (k, r) in right.iter_mut().enumerate() {
                *r = lq[k] + c[k % p] * *r;
            }
        }
        (Modes::Gaussian, Some(Overlaps::PerMode(rho))) => {
            let mut z = vec![0.0; n * p];
            rng::fill_normal(rng, std, &mut z);
            let w = p.max(1);
            for ((l, r), zr) in left
                .chunks_exact_mut(w)
                .zip(right.chunks_exact_mut(w))
                .zip(z.chunks_exact(w))
            {
                mix_overlaps(l, zr, rho, false);
                mix_overlaps(r, zr, rho, true);
            }
        }
        (Modes::Gaussian, None) => {}
    }
    let mut scaled = left.clone();
    for row in scaled.chunks_exact_mut(p.max(1)) {
        for (v, da) in row.iter_mut().zip(d) {
            *v *= da;
        }
    }
    let mut j = vec![0.0; n * n];
    gemm_abt(&scaled, &right, n, n, p, &mut j);
    if let Some(h) = gains {
        for (row, hi) in j.chunks_exact_mut(n.max(1)).zip(h) {
            for v in row.iter_mut() {
                *v *= hi;
            }
        }
    }
    RandomMode { j, left, right }
}

/// Lognormal gains h_i = exp(σ z_i − σ²), z_i ~ N(0, 1), so that E h² = 1.
pub fn lognormal_gains(n: usize, sigma: f64, rng: &mut Rng) -> Vec<f64> {
    (0..n)
        .map(|_| (sigma * rng::normal(rng) - sigma * sigma).exp())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectivity::spectrum::{effective_rank, normalise, shape_values, Shape};
    use crate::linalg::svd::singular_values;

    #[test]
    fn orthogonal_modes_give_exactly_the_requested_singular_values() {
        let (n, p) = (60, 40);
        let mut d = shape_values(Shape::Exponential { beta: 2.0 }, p);
        normalise(&mut d, n, 1.5);
        let net = random_mode(n, &d, Modes::Orthogonal, None, None, &mut rng::seeded(3));
        let s = singular_values(&net.j, n, n);
        for a in 0..p {
            assert!(
                (s[a] - d[a]).abs() < 1e-12 * d[0],
                "{a}: {} vs {}",
                s[a],
                d[a]
            );
        }
        for v in &s[p..] {
            assert!(v.abs() < 1e-12 * d[0]);
        }
    }

    #[test]
    fn gaussian_modes_match_the_matrix_moments() {
        // E(1/N) tr JJᵀ = g², and PR of JJᵀ's eigenvalues → N/(2 + γ), γ = N/PR^D.
        let n = 400;
        let mut d = shape_values(Shape::Exponential { beta: 3.9 }, n);
        normalise(&mut d, n, 2.0);
        let net = random_mode(n, &d, Modes::Gaussian, None, None, &mut rng::seeded(8));
        let s = singular_values(&net.j, n, n);
        let t2: f64 = s.iter().map(|v| v * v).sum();
        let t4: f64 = s.iter().map(|v| v.powi(4)).sum();
        assert!((t2 / n as f64 / 4.0 - 1.0).abs() < 0.03);
        let gamma = n as f64 / effective_rank(&d);
        let pr = t2 * t2 / t4;
        let theory = n as f64 / (2.0 + gamma);
        assert!((pr / theory - 1.0).abs() < 0.06, "{pr} vs {theory}");
    }

    #[test]
    fn overlaps_set_the_mode_dot_products_and_gains_scale_rows() {
        let (n, p) = (2000, 6);
        let rho = [1.0, -1.0, 0.5, -0.3, 0.0, 0.8];
        let d = vec![1.0; p];
        let h: Vec<f64> = (0..n).map(|i| 1.0 + (i % 3) as f64).collect();
        let mut r = rng::seeded(9);
        let overlaps = Some(Overlaps::PerMode(&rho));
        let net = random_mode(n, &d, Modes::Gaussian, overlaps, Some(&h), &mut r);
        for (a, &target) in rho.iter().enumerate() {
            let dotp: f64 = (0..n)
                .map(|i| net.left[i * p + a] * net.right[i * p + a])
                .sum();
            // Each dot product has standard deviation ≈ sqrt((1 + ρ²)/N) ≤ 0.032.
            assert!((dotp - target).abs() < 0.15, "mode {a}: {dotp} vs {target}");
        }
        let plain = random_mode(n, &d, Modes::Gaussian, overlaps, None, &mut rng::seeded(9));
        for i in [0, 1, 2, 1999] {
            assert_eq!(net.j[i * n + 5], h[i] * plain.j[i * n + 5]);
        }
    }

    #[test]
    fn lognormal_gains_have_unit_mean_square() {
        let h = lognormal_gains(200_000, 0.5, &mut rng::seeded(1));
        let ms = h.iter().map(|v| v * v).sum::<f64>() / h.len() as f64;
        // Var(h²) = e^{4σ²} − 1 ≈ 1.72 → standard error of the mean ≈ 0.003.
        assert!((ms - 1.0).abs() < 0.015);
    }

    #[test]
    fn an_overlap_matrix_sets_all_mode_dot_products() {
        // Two 2×2 rotation-scaling blocks: Q = 0.8 [[cos θ, −sin θ], [sin θ, cos θ]].
        let (n, p, theta) = (4000, 4, 0.7f64);
        let mut q = vec![0.0; p * p];
        for b in [0, 2] {
            q[b * p + b] = 0.8 * theta.cos();
            q[b * p + b + 1] = -0.8 * theta.sin();
            q[(b + 1) * p + b] = 0.8 * theta.sin();
            q[(b + 1) * p + b + 1] = 0.8 * theta.cos();
        }
        let d = vec![1.0; p];
        let overlaps = Some(Overlaps::Matrix(&q));
        let net = random_mode(n, &d, Modes::Gaussian, overlaps, None, &mut rng::seeded(4));
        for a in 0..p {
            let norm: f64 = (0..n).map(|i| net.right[i * p + a].powi(2)).sum();
            assert!((norm - 1.0).abs() < 0.1, "|r_{a}|² = {norm}");
            for b in 0..p {
                let dot: f64 = (0..n)
                    .map(|i| net.left[i * p + a] * net.right[i * p + b])
                    .sum();
                // Standard deviation of each dot product ≤ sqrt(2/N) ≈ 0.022.
                assert!((dot - q[a * p + b]).abs() < 0.1, "({a},{b}): {dot}");
            }
        }
    }
}
