//! Single-unit variance statistics from block variances (theory note §5.1, §8 item 9).
//!
//! With v_{b,i} the variance of unit i in block b and v_i = mean_b v_{b,i}:
//!
//! - mean variance Δ0 = mean_i v_i (the DMFT Δ(0) for x, C_φ(0) for φ);
//! - CV² of the variances across units, naive: Var_i(v_i)/mean_i(v_i)²; its numerator is inflated
//!   by the sampling noise of each v_i;
//! - cross-block: ⟨v²⟩ estimated by mean_i mean_{a≠b} v_{a,i} v_{b,i}, which is free of that
//!   noise for independent blocks: CV² = ⟨v²⟩/⟨v⟩² − 1.

/// Variance statistics across units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnitVarianceStats {
    /// mean_i v_i.
    pub mean: f64,
    /// Cross-block CV² of the single-unit variances (NaN with fewer than two blocks).
    pub cv2: f64,
    /// Naive CV² from the block-averaged variances.
    pub cv2_naive: f64,
}

/// Statistics of the B×n block variances `diag` (row b holds v_{b,·}).
pub fn unit_variance_stats(diag: &[f64], n: usize) -> UnitVarianceStats {
    let nb = if n == 0 { 0 } else { diag.len() / n };
    if nb == 0 {
        return UnitVarianceStats {
            mean: f64::NAN,
            cv2: f64::NAN,
            cv2_naive: f64::NAN,
        };
    }
    let mut v = vec![0.0; n];
    for row in diag.chunks(n) {
        for (vi, d) in v.iter_mut().zip(row) {
            *vi += d / nb as f64;
        }
    }
    let mean = v.iter().sum::<f64>() / n as f64;
    let second_naive = v.iter().map(|x| x * x).sum::<f64>() / n as f64;
    let cv2_naive = second_naive / (mean * mean) - 1.0;
    let cv2 = if nb < 2 {
        f64::NAN
    } else {
        // Σ_{a≠b} v_a v_b = (Σ_b v_b)² − Σ_b v_b².
        let mut acc = 0.0;
        for i in 0..n {
            let s: f64 = (0..nb).map(|b| diag[b * n + i]).sum();
            let s2: f64 = (0..nb).map(|b| diag[b * n + i] * diag[b * n + i]).sum();
            acc += s * s - s2;
        }
        let second = acc / (n * nb * (nb - 1)) as f64;
        second / (mean * mean) - 1.0
    };
    UnitVarianceStats {
        mean,
        cv2,
        cv2_naive,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_on_noise_free_blocks() {
        // Identical blocks: both estimators equal the CV² of v.
        let v = [1.0, 2.0, 3.0, 6.0];
        let diag: Vec<f64> = v.iter().chain(&v).chain(&v).copied().collect();
        let s = unit_variance_stats(&diag, 4);
        let mean = 3.0;
        let var = (4.0 + 1.0 + 0.0 + 9.0) / 4.0;
        assert!((s.mean - mean).abs() < 1e-15);
        assert!((s.cv2_naive - var / 9.0).abs() < 1e-14);
        assert!((s.cv2 - var / 9.0).abs() < 1e-14);
    }

    #[test]
    fn cross_block_removes_independent_noise() {
        // v_{b,i} = v_i (1 + e_{b,i}), e = ±0.5 alternating so that each unit's block mean is v_i
        // but the squared block values are inflated: the cross-block CV² is exact here because
        // Σ_{a≠b} (1+e_a)(1+e_b) = (Σ(1+e))² − Σ(1+e)² is computed exactly.
        let v = [1.0, 4.0];
        let e = [0.5, -0.5];
        let mut diag = Vec::new();
        for b in 0..2 {
            for (i, vi) in v.iter().enumerate() {
                diag.push(vi * (1.0 + e[(b + i) % 2]));
            }
        }
        let s = unit_variance_stats(&diag, 2);
        // mean_{a≠b} v_a v_b per unit = v² (1.5 · 0.5) = 0.75 v²; ⟨v²⟩ = 0.75·8.5; ⟨v⟩ = 2.5.
        let want = 0.75 * 8.5 / 6.25 - 1.0;
        assert!((s.cv2 - want).abs() < 1e-14, "{} vs {want}", s.cv2);
        assert!((s.cv2_naive - (8.5 / 6.25 - 1.0)).abs() < 1e-14);
    }
}
