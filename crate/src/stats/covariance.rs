//! Streaming mean and covariance of n-dimensional samples.
//!
//! With shift `s` = the first sample and `d_t = x_t − s`, the accumulator keeps
//! `S = Σ_t d_t` and the upper triangle of `M = Σ_t d_t d_tᵀ`. Then
//! `mean = s + S/T` and `C = M/T − (S/T)(S/T)ᵀ` (population covariance, normalised by `1/T`).
//! Shifting by a sample keeps the sums small when the data share a large common offset.

/// Streaming mean and population covariance accumulator.
#[derive(Clone, Debug)]
pub struct CovAccumulator {
    n: usize,
    count: u64,
    shift: Vec<f64>,
    sum: Vec<f64>,
    /// Packed upper triangle of `M`, row by row: row `i` holds `M[i][i..n]`.
    upper: Vec<f64>,
    scratch: Vec<f64>,
}

impl CovAccumulator {
    /// Empty accumulator for `n`-dimensional samples.
    pub fn new(n: usize) -> Self {
        CovAccumulator {
            n,
            count: 0,
            shift: vec![0.0; n],
            sum: vec![0.0; n],
            upper: vec![0.0; n * (n + 1) / 2],
            scratch: vec![0.0; n],
        }
    }

    /// Sample dimension `n`.
    pub fn dim(&self) -> usize {
        self.n
    }

    /// Number of samples pushed since creation or the last [`reset`](Self::reset).
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Adds one sample: `S += d`, `M[i][j] += d_i d_j` for `j ≥ i`, with `d = x − s`
    /// (about `n²/2` multiply-adds, no allocation).
    pub fn push(&mut self, x: &[f64]) {
        let n = self.n;
        assert_eq!(
            x.len(),
            n,
            "sample has length {} but dimension is {n}",
            x.len()
        );
        if self.count == 0 {
            // d = 0 for the first sample: it only fixes the shift.
            self.shift.copy_from_slice(x);
            self.count = 1;
            return;
        }
        self.count += 1;
        for ((d, &xi), &si) in self.scratch.iter_mut().zip(x).zip(&self.shift) {
            *d = xi - si;
        }
        for (s, &d) in self.sum.iter_mut().zip(&self.scratch) {
            *s += d;
        }
        let d = &self.scratch[..];
        let mut rest = &mut self.upper[..];
        for i in 0..n {
            let (row, tail) = rest.split_at_mut(n - i);
            rest = tail;
            let di = d[i];
            for (m, &dj) in row.iter_mut().zip(&d[i..]) {
                *m += di * dj;
            }
        }
    }

    /// Sample mean `s + S/T` (all zeros if no sample has been pushed).
    pub fn mean(&self) -> Vec<f64> {
        if self.count == 0 {
            return vec![0.0; self.n];
        }
        let inv_t = 1.0 / self.count as f64;
        self.shift
            .iter()
            .zip(&self.sum)
            .map(|(&s, &d)| s + d * inv_t)
            .collect()
    }

    /// Population covariance `C = (1/T) Σ_t (x_t − x̄)(x_t − x̄)ᵀ = M/T − (S/T)(S/T)ᵀ`,
    /// returned as a full symmetric `n×n` row-major matrix (all zeros if no sample).
    pub fn covariance(&self) -> Vec<f64> {
        let n = self.n;
        let mut cov = vec![0.0; n * n];
        if self.count == 0 {
            return cov;
        }
        let inv_t = 1.0 / self.count as f64;
        let mu: Vec<f64> = self.sum.iter().map(|&s| s * inv_t).collect();
        let mut offset = 0;
        for i in 0..n {
            let row = &self.upper[offset..offset + n - i];
            offset += n - i;
            for (k, &m) in row.iter().enumerate() {
                let j = i + k;
                let c = m * inv_t - mu[i] * mu[j];
                cov[i * n + j] = c;
                cov[j * n + i] = c;
            }
        }
        cov
    }

    /// Forgets all samples (the dimension is kept).
    pub fn reset(&mut self) {
        self.count = 0;
        self.shift.iter_mut().for_each(|v| *v = 0.0);
        self.sum.iter_mut().for_each(|v| *v = 0.0);
        self.upper.iter_mut().for_each(|v| *v = 0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal, seeded};

    /// Samples `x_t = offset + A z_t` with random mixing `A`, so the covariance is not diagonal.
    fn random_data(t: usize, n: usize, offset: f64, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = seeded(seed);
        let a: Vec<f64> = (0..n * n).map(|_| normal(&mut rng)).collect();
        let loc: Vec<f64> = (0..n).map(|_| offset + normal(&mut rng)).collect();
        (0..t)
            .map(|_| {
                let z: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
                (0..n)
                    .map(|i| loc[i] + (0..n).map(|k| a[i * n + k] * z[k]).sum::<f64>())
                    .collect()
            })
            .collect()
    }

    fn two_pass(data: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>) {
        let n = data[0].len();
        let t = data.len() as f64;
        let mut mean = vec![0.0; n];
        for x in data {
            for (m, v) in mean.iter_mut().zip(x) {
                *m += v;
            }
        }
        mean.iter_mut().for_each(|m| *m /= t);
        let mut cov = vec![0.0; n * n];
        for x in data {
            for i in 0..n {
                for j in 0..n {
                    cov[i * n + j] += (x[i] - mean[i]) * (x[j] - mean[j]);
                }
            }
        }
        cov.iter_mut().for_each(|c| *c /= t);
        (mean, cov)
    }

    fn check(data: &[Vec<f64>], mean_tol: f64, cov_tol: f64) {
        let n = data[0].len();
        let mut acc = CovAccumulator::new(n);
        for x in data {
            acc.push(x);
        }
        assert_eq!(acc.count(), data.len() as u64);
        let (want_mean, want_cov) = two_pass(data);
        let got_mean = acc.mean();
        let got_cov = acc.covariance();
        for (g, w) in got_mean.iter().zip(&want_mean) {
            assert!(
                (g - w).abs() <= mean_tol * w.abs().max(1.0),
                "mean {g} vs {w}"
            );
        }
        let scale = want_cov.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        for i in 0..n {
            for j in 0..n {
                let (g, w) = (got_cov[i * n + j], want_cov[i * n + j]);
                assert_eq!(g, got_cov[j * n + i]);
                assert!((g - w).abs() <= cov_tol * scale, "cov[{i},{j}] {g} vs {w}");
            }
        }
    }

    #[test]
    fn matches_two_pass() {
        check(&random_data(2000, 13, 0.0, 1), 1e-12, 1e-12);
    }

    #[test]
    fn stable_with_large_offset() {
        check(&random_data(2000, 9, 1e6, 2), 1e-14, 1e-12);
    }

    #[test]
    fn one_dimensional() {
        let data: Vec<Vec<f64>> = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
            .iter()
            .map(|&v| vec![v + 1e6])
            .collect();
        let mut acc = CovAccumulator::new(1);
        for x in &data {
            acc.push(x);
        }
        assert!((acc.mean()[0] - (5.0 + 1e6)).abs() < 1e-9);
        assert!((acc.covariance()[0] - 4.0).abs() < 1e-12);
        check(&random_data(500, 1, 0.0, 3), 1e-12, 1e-12);
    }

    #[test]
    fn empty_single_and_reset() {
        let mut acc = CovAccumulator::new(3);
        assert_eq!(acc.mean(), vec![0.0; 3]);
        assert_eq!(acc.covariance(), vec![0.0; 9]);
        acc.push(&[1.0, 2.0, 3.0]);
        assert_eq!(acc.mean(), vec![1.0, 2.0, 3.0]);
        assert_eq!(acc.covariance(), vec![0.0; 9]);
        acc.push(&[3.0, 2.0, 1.0]);
        assert_eq!(
            acc.covariance(),
            vec![1.0, 0.0, -1.0, 0.0, 0.0, 0.0, -1.0, 0.0, 1.0]
        );
        acc.reset();
        assert_eq!(acc.count(), 0);
        acc.push(&[5.0, 5.0, 5.0]);
        assert_eq!(acc.mean(), vec![5.0; 3]);
        assert_eq!(acc.covariance(), vec![0.0; 9]);
    }
}
