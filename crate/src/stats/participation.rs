//! Participation ratio: the effective dimensionality of activity,
//! `PR = (Σ_i λ_i)² / Σ_i λ_i² = (tr C)² / tr(C²)` for a covariance `C` with eigenvalues `λ`.
//! It ranges from 1 (one dominant direction) to `n` (isotropic activity).

/// `(tr C)² / Σ_ij C_ij²` for an `n×n` row-major matrix `C`. For symmetric `C`,
/// `Σ_ij C_ij² = tr(C²) = Σ λ²`, so this equals [`participation_ratio_from_eigs`] without an
/// eigendecomposition. Returns 0 for the zero matrix.
pub fn participation_ratio(cov: &[f64], n: usize) -> f64 {
    assert_eq!(
        cov.len(),
        n * n,
        "covariance has length {} but n = {n}",
        cov.len()
    );
    let trace: f64 = (0..n).map(|i| cov[i * n + i]).sum();
    let frob2: f64 = cov.iter().map(|c| c * c).sum();
    if frob2 == 0.0 {
        return 0.0;
    }
    trace * trace / frob2
}

/// `(Σ λ)² / Σ λ²` from eigenvalues `λ`. Returns 0 if all eigenvalues are zero (or none given).
pub fn participation_ratio_from_eigs(eigs: &[f64]) -> f64 {
    let sum: f64 = eigs.iter().sum();
    let sum2: f64 = eigs.iter().map(|l| l * l).sum();
    if sum2 == 0.0 {
        return 0.0;
    }
    sum * sum / sum2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal, seeded};

    /// Random orthogonal `n×n` matrix (columns by modified Gram–Schmidt, twice for accuracy).
    fn random_orthogonal(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = seeded(seed);
        let mut cols: Vec<Vec<f64>> = (0..n)
            .map(|_| (0..n).map(|_| normal(&mut rng)).collect())
            .collect();
        for j in 0..n {
            for _pass in 0..2 {
                for k in 0..j {
                    let dot: f64 = cols[j].iter().zip(&cols[k]).map(|(a, b)| a * b).sum();
                    let qk = cols[k].clone();
                    for (a, b) in cols[j].iter_mut().zip(&qk) {
                        *a -= dot * b;
                    }
                }
            }
            let norm = cols[j].iter().map(|a| a * a).sum::<f64>().sqrt();
            cols[j].iter_mut().for_each(|a| *a /= norm);
        }
        let mut q = vec![0.0; n * n];
        for (j, col) in cols.iter().enumerate() {
            for (i, &v) in col.iter().enumerate() {
                q[i * n + j] = v;
            }
        }
        q
    }

    #[test]
    fn identity_gives_n() {
        for n in 1..8 {
            let mut c = vec![0.0; n * n];
            (0..n).for_each(|i| c[i * n + i] = 1.0);
            assert!((participation_ratio(&c, n) - n as f64).abs() < 1e-15);
            assert!((participation_ratio_from_eigs(&vec![2.5; n]) - n as f64).abs() < 1e-14);
        }
    }

    #[test]
    fn rank_one_gives_one() {
        let mut rng = seeded(5);
        let n = 10;
        let v: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
        let c: Vec<f64> = (0..n * n).map(|k| v[k / n] * v[k % n]).collect();
        assert!((participation_ratio(&c, n) - 1.0).abs() < 1e-13);
        assert!((participation_ratio_from_eigs(&[0.0, 3.0, 0.0]) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn rotated_spectrum() {
        let n = 12;
        let q = random_orthogonal(n, 9);
        for i in 0..n {
            for j in 0..n {
                let dot: f64 = (0..n).map(|k| q[k * n + i] * q[k * n + j]).sum();
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-14);
            }
        }
        let eigs: Vec<f64> = (0..n).map(|k| 0.8f64.powi(k as i32) + 0.01).collect();
        let mut c = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                c[i * n + j] = (0..n).map(|k| q[i * n + k] * eigs[k] * q[j * n + k]).sum();
            }
        }
        let want = participation_ratio_from_eigs(&eigs);
        let sum: f64 = eigs.iter().sum();
        let sum2: f64 = eigs.iter().map(|l| l * l).sum();
        assert!((want - sum * sum / sum2).abs() < 1e-15 * want);
        let got = participation_ratio(&c, n);
        assert!((got - want).abs() <= 1e-12 * want, "{got} vs {want}");
        assert!(got > 1.0 && got < n as f64);
    }

    #[test]
    fn zero_matrix() {
        assert_eq!(participation_ratio(&[0.0; 4], 2), 0.0);
        assert_eq!(participation_ratio_from_eigs(&[]), 0.0);
    }
}
