//! Stationary covariance of the linear stochastic system dx = A x dt + σ dW: the solution C of the
//! continuous Lyapunov equation A C + C Aᵀ + σ² I = 0, for stable A (every eigenvalue has
//! Re λ < 0; for a rate network A = J − I).
//!
//! Method (Cayley transform + Smith doubling; the transform is derived here). For p > 0,
//!
//!   (pI + A) C (pI + A)ᵀ − (pI − A) C (pI − A)ᵀ = 2p (A C + C Aᵀ) = −2p σ² I,
//!
//! so with M = (pI − A)⁻¹ the discrete Stein equation C = A_d C A_dᵀ + Q_d holds, where
//! A_d = M (pI + A) = 2p M − I and Q_d = 2p σ² M Mᵀ. The eigenvalues (p + λ)/(p − λ) of A_d lie
//! inside the unit disk exactly when Re λ < 0, and C = Σ_j A_d^j Q_d (A_dᵀ)^j is summed by
//! doubling: C ← C + A_k C A_kᵀ, A_{k+1} = A_k², which after k steps holds 2^k terms. Each step is
//! three matrix products on the SIMD kernel [`gemm_abt`]. p = ‖A‖_F/√N (the RMS eigenvalue
//! modulus) keeps the spectral radius of A_d small for the spectra met in practice.

use super::inverse::inverse;
use super::transpose;
use crate::kernels::gemm_abt;

/// Largest number of doubling steps (2^60 terms).
const MAX_DOUBLINGS: usize = 60;

/// Result of [`lyapunov_covariance`].
#[derive(Clone, Debug)]
pub struct LyapunovSolution {
    /// C (N×N, row-major, symmetric).
    pub c: Vec<f64>,
    /// Doubling steps taken.
    pub doublings: usize,
    /// Cayley parameter p.
    pub p: f64,
}

/// Solves A C + C Aᵀ + σ² I = 0 for stable A (n×n, row-major).
pub fn lyapunov_covariance(a: &[f64], n: usize, sigma: f64) -> Result<LyapunovSolution, String> {
    if !(sigma.is_finite() && sigma > 0.0) {
        return Err(format!(
            "noise: must be a positive finite number, got {sigma}"
        ));
    }
    let mut q = vec![0.0; n * n];
    for i in 0..n {
        q[i * n + i] = sigma * sigma;
    }
    lyapunov_solve(a, n, &q)
}

/// Solves A C + C Aᵀ + Q = 0 for stable A and symmetric Q (n×n, row-major), by the method of the
/// module doc with Q_d = 2p M Q Mᵀ.
pub fn lyapunov_solve(a: &[f64], n: usize, q: &[f64]) -> Result<LyapunovSolution, String> {
    if a.len() != n * n {
        return Err(format!("A: expected {} entries, got {}", n * n, a.len()));
    }
    if a.iter().any(|v| !v.is_finite()) {
        return Err("A: entries must be finite".into());
    }
    if q.len() != n * n || q.iter().any(|v| !v.is_finite()) {
        return Err(format!("Q: expected {} finite entries", n * n));
    }
    if n == 0 {
        return Ok(LyapunovSolution {
            c: Vec::new(),
            doublings: 0,
            p: 0.0,
        });
    }
    let fro = a.iter().map(|v| v * v).sum::<f64>().sqrt();
    let p = (fro / (n as f64).sqrt()).max(f64::MIN_POSITIVE);
    let mut shifted: Vec<f64> = a.iter().map(|v| -v).collect();
    for i in 0..n {
        shifted[i * n + i] += p;
    }
    let m = inverse(&shifted, n).ok_or("A: pI − A is singular (A is not stable)")?;
    // Q_d = 2p M Q Mᵀ (Q symmetric, so M Q = M Qᵀ), A_d = 2p M − I.
    let mut mq = vec![0.0; n * n];
    gemm_abt(&m, q, n, n, n, &mut mq);
    let mut c = vec![0.0; n * n];
    gemm_abt(&mq, &m, n, n, n, &mut c);
    c.iter_mut().for_each(|v| *v *= 2.0 * p);
    let mut ad: Vec<f64> = m.iter().map(|v| 2.0 * p * v).collect();
    for i in 0..n {
        ad[i * n + i] -= 1.0;
    }
    let mut t = vec![0.0; n * n];
    let mut term = vec![0.0; n * n];
    for k in 1..=MAX_DOUBLINGS {
        // term = A_k C A_kᵀ (C is symmetric, so A_k C = A_k Cᵀ).
        gemm_abt(&ad, &c, n, n, n, &mut t);
        gemm_abt(&t, &ad, n, n, n, &mut term);
        let cmax = c.iter().fold(0.0_f64, |x, v| x.max(v.abs()));
        // NaN-propagating maximum: an overflowing (unstable) iteration must not pass for converged.
        let tmax = term.iter().fold(0.0_f64, |x, v| {
            if v.abs() > x || v.is_nan() {
                v.abs()
            } else {
                x
            }
        });
        if !tmax.is_finite() {
            break;
        }
        for (ci, ti) in c.iter_mut().zip(&term) {
            *ci += ti;
        }
        if tmax <= 1e-17 * cmax {
            // Symmetrise away rounding asymmetry.
            for i in 0..n {
                for j in 0..i {
                    let s = 0.5 * (c[i * n + j] + c[j * n + i]);
                    c[i * n + j] = s;
                    c[j * n + i] = s;
                }
            }
            return Ok(LyapunovSolution { c, doublings: k, p });
        }
        let adt = transpose(&ad, n);
        gemm_abt(&ad, &adt, n, n, n, &mut t);
        std::mem::swap(&mut ad, &mut t);
    }
    Err("A: the doubling did not converge (A is not stable)".into())
}

/// Relative residual ‖A C + C Aᵀ + σ² I‖_F / (2‖A‖_F‖C‖_F + σ²√N).
pub fn lyapunov_residual(a: &[f64], c: &[f64], n: usize, sigma: f64) -> f64 {
    let mut ac = vec![0.0; n * n];
    // A C = A Cᵀ for symmetric C.
    gemm_abt(a, c, n, n, n, &mut ac);
    let mut r2 = 0.0;
    for i in 0..n {
        for j in 0..n {
            let d = if i == j { sigma * sigma } else { 0.0 };
            let r = ac[i * n + j] + ac[j * n + i] + d;
            r2 += r * r;
        }
    }
    let fa = a.iter().map(|v| v * v).sum::<f64>().sqrt();
    let fc = c.iter().map(|v| v * v).sum::<f64>().sqrt();
    r2.sqrt() / (2.0 * fa * fc + sigma * sigma * (n as f64).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectivity::iid::iid_gaussian;
    use crate::rng;

    /// C from the Kronecker form (I ⊗ A + A ⊗ I) vec C = −σ² vec I, by dense elimination.
    fn kronecker_solution(a: &[f64], n: usize, sigma: f64) -> Vec<f64> {
        let m = n * n;
        let mut k = vec![0.0; m * m];
        // Row (i,j) of vec C (row-major index i n + j): Σ_l A_il C_lj + Σ_l C_il A_jl.
        for i in 0..n {
            for j in 0..n {
                let r = i * n + j;
                for l in 0..n {
                    k[r * m + l * n + j] += a[i * n + l];
                    k[r * m + i * n + l] += a[j * n + l];
                }
            }
        }
        let kinv = inverse(&k, m).unwrap();
        (0..m)
            .map(|r| {
                -(0..n)
                    .map(|d| kinv[r * m + d * n + d] * sigma * sigma)
                    .sum::<f64>()
            })
            .collect()
    }

    #[test]
    fn matches_kronecker_vectorisation_on_small_systems() {
        let n = 7;
        let sigma = 1.3;
        // A random stable system J − I, and a strongly non-normal one (large upper coupling).
        let mut a1 = iid_gaussian(n, 0.7, false, &mut rng::seeded(3));
        for i in 0..n {
            a1[i * n + i] -= 1.0;
        }
        let mut a2 = vec![0.0; n * n];
        for i in 0..n {
            a2[i * n + i] = -0.3 - 0.2 * i as f64;
            if i + 1 < n {
                a2[i * n + i + 1] = 4.0;
            }
        }
        for a in [a1, a2] {
            let sol = lyapunov_covariance(&a, n, sigma).unwrap();
            let exact = kronecker_solution(&a, n, sigma);
            let scale = exact.iter().fold(0.0_f64, |x, v| x.max(v.abs()));
            for (x, y) in sol.c.iter().zip(&exact) {
                assert!((x - y).abs() < 1e-11 * scale, "{x} vs {y}");
            }
            assert!(lyapunov_residual(&a, &sol.c, n, sigma) < 1e-14);
        }
    }

    #[test]
    fn scalar_and_diagonal_closed_forms() {
        // dx = −λ x dt + σ dW: C = σ²/(2λ).
        let sol = lyapunov_covariance(&[-0.25], 1, 2.0).unwrap();
        assert!((sol.c[0] - 8.0).abs() < 1e-13);
        // Unstable systems are rejected.
        assert!(lyapunov_covariance(&[0.1], 1, 1.0).is_err());
        let a = [-1.0, 0.0, 0.0, 0.5];
        assert!(lyapunov_covariance(&a, 2, 1.0).is_err());
    }

    #[test]
    fn residual_is_small_at_moderate_size() {
        let n = 300;
        let mut a = iid_gaussian(n, 0.9, false, &mut rng::seeded(8));
        for i in 0..n {
            a[i * n + i] -= 1.0;
        }
        let sol = lyapunov_covariance(&a, n, 1.0).unwrap();
        let r = lyapunov_residual(&a, &sol.c, n, 1.0);
        assert!(r < 1e-13, "{r}");
    }
}
