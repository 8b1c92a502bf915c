//! Streaming block covariances for bias-corrected dimension estimates (theory note §3.5).
//!
//! Samples are split into B blocks (disjoint time blocks of one trajectory, or independent
//! trajectories of the same network). Each block keeps its sum and second moment; nothing else
//! is stored. With the pooled mean m̄ over all samples, block b's covariance is
//!
//! ```text
//! C_b = (1/n_b) Σ_{t∈b} (x_t − m̄)(x_t − m̄)ᵀ = S_b/n_b − m_b m̄ᵀ − m̄ m_bᵀ + m̄ m̄ᵀ,
//! ```
//!
//! so Σ_b n_b C_b / Σ_b n_b is the pooled covariance. (The note writes S_b/n_b − m̄m̄ᵀ; that form
//! depends on the origin of x unless m_b = m̄, so deviations from the pooled mean are used here.)
//! As in [`CovAccumulator`](super::covariance::CovAccumulator) the sums are taken of
//! d = x − s with s the first sample, which keeps them small when the data share an offset.
//!
//! [`BlockCovariance::moments`] reduces the blocks to what the estimators of
//! [`block_pr`](super::block_pr) need: per-block single-unit variances and the B×B Gram matrices
//! G_ab = tr(C_a C_b) of the raw and of the z-scored covariances.

use crate::kernels::dot;

/// B blocks of streaming sums Σd and second moments Σddᵀ (packed upper triangles).
#[derive(Clone, Debug)]
pub struct BlockCovariance {
    n: usize,
    blocks: usize,
    per_block: u64,
    current: usize,
    counts: Vec<u64>,
    has_shift: bool,
    shift: Vec<f64>,
    /// B×n: Σ_{t∈b} d_t.
    sums: Vec<f64>,
    /// B × n(n+1)/2: packed upper triangle of Σ_{t∈b} d_t d_tᵀ, row by row.
    upper: Vec<f64>,
    scratch: Vec<f64>,
}

/// Per-block statistics reduced from a [`BlockCovariance`] (non-empty blocks only).
#[derive(Clone, Debug, PartialEq)]
pub struct BlockMoments {
    /// Dimension n.
    pub n: usize,
    /// Samples per used block.
    pub counts: Vec<u64>,
    /// B×n: single-unit variances (C_b)_ii.
    pub diag: Vec<f64>,
    /// n: v_i = mean_b (C_b)_ii, the variances used for z-scoring.
    pub variance: Vec<f64>,
    /// B×B: tr(C_a C_b).
    pub gram: Vec<f64>,
    /// B×B: tr(R_a R_b) with R_b = V^{-1/2} C_b V^{-1/2}, V = diag(v) (units with v_i = 0 are
    /// left out).
    pub gram_z: Vec<f64>,
}

impl BlockMoments {
    /// Number of (non-empty) blocks.
    pub fn blocks(&self) -> usize {
        self.counts.len()
    }

    /// tr C_b for each block.
    pub fn traces(&self) -> Vec<f64> {
        self.diag
            .chunks(self.n.max(1))
            .map(|d| d.iter().sum())
            .collect()
    }

    /// tr R_b for each block (z-scored covariances).
    pub fn traces_z(&self) -> Vec<f64> {
        self.diag
            .chunks(self.n.max(1))
            .map(|d| {
                d.iter()
                    .zip(&self.variance)
                    .filter(|(_, &v)| v > 0.0)
                    .map(|(c, v)| c / v)
                    .sum()
            })
            .collect()
    }
}

impl BlockCovariance {
    /// `blocks` empty blocks of n-dimensional samples, each holding at most `per_block` samples.
    pub fn new(n: usize, blocks: usize, per_block: u64) -> Self {
        let blocks = blocks.max(1);
        BlockCovariance {
            n,
            blocks,
            per_block: per_block.max(1),
            current: 0,
            counts: vec![0; blocks],
            has_shift: false,
            shift: vec![0.0; n],
            sums: vec![0.0; blocks * n],
            upper: vec![0.0; blocks * n * (n + 1) / 2],
            scratch: vec![0.0; n],
        }
    }

    /// Sample dimension n.
    pub fn dim(&self) -> usize {
        self.n
    }

    /// Number of blocks B.
    pub fn blocks(&self) -> usize {
        self.blocks
    }

    /// Capacity of one block.
    pub fn per_block(&self) -> u64 {
        self.per_block
    }

    /// Samples accumulated in all blocks.
    pub fn count(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Samples accumulated in each block.
    pub fn block_counts(&self) -> &[u64] {
        &self.counts
    }

    /// Adds a sample to the first block that is not full; returns false (and ignores the sample)
    /// once every block is full.
    pub fn push(&mut self, x: &[f64]) -> bool {
        while self.current < self.blocks && self.counts[self.current] >= self.per_block {
            self.current += 1;
        }
        if self.current == self.blocks {
            return false;
        }
        self.push_to(self.current, x)
    }

    /// Adds a sample to block `b` (e.g. one block per independent trajectory); returns false if
    /// that block is full.
    pub fn push_to(&mut self, b: usize, x: &[f64]) -> bool {
        let n = self.n;
        assert_eq!(
            x.len(),
            n,
            "sample has length {} but dimension is {n}",
            x.len()
        );
        assert!(b < self.blocks, "block {b} out of range");
        if self.counts[b] >= self.per_block {
            return false;
        }
        self.counts[b] += 1;
        if !self.has_shift {
            // d = 0 for the first sample: it only fixes the shift.
            self.shift.copy_from_slice(x);
            self.has_shift = true;
            return true;
        }
        for ((d, &xi), &si) in self.scratch.iter_mut().zip(x).zip(&self.shift) {
            *d = xi - si;
        }
        for (s, &d) in self.sums[b * n..(b + 1) * n].iter_mut().zip(&self.scratch) {
            *s += d;
        }
        let d = &self.scratch[..];
        let packed = n * (n + 1) / 2;
        let mut rest = &mut self.upper[b * packed..(b + 1) * packed];
        for i in 0..n {
            let (row, tail) = rest.split_at_mut(n - i);
            rest = tail;
            let di = d[i];
            for (m, &dj) in row.iter_mut().zip(&d[i..]) {
                *m += di * dj;
            }
        }
        true
    }

    /// Pooled mean m̄ over all samples (zeros if none).
    pub fn mean(&self) -> Vec<f64> {
        let mu = self.pooled_shifted_mean();
        self.shift.iter().zip(&mu).map(|(s, m)| s + m).collect()
    }

    /// Pooled mean of d = x − s.
    fn pooled_shifted_mean(&self) -> Vec<f64> {
        let n = self.n;
        let total = self.count();
        let mut mu = vec![0.0; n];
        if total == 0 {
            return mu;
        }
        for b in 0..self.blocks {
            for (m, s) in mu.iter_mut().zip(&self.sums[b * n..(b + 1) * n]) {
                *m += s;
            }
        }
        let inv = 1.0 / total as f64;
        mu.iter_mut().for_each(|m| *m *= inv);
        mu
    }

    /// Pooled covariance (1/T) Σ_t (x_t − m̄)(x_t − m̄)ᵀ over all samples, n×n row-major (zeros if
    /// no sample).
    pub fn covariance(&self) -> Vec<f64> {
        let n = self.n;
        let mut cov = vec![0.0; n * n];
        let total = self.count();
        if total == 0 {
            return cov;
        }
        let packed = n * (n + 1) / 2;
        let mut m = self.upper[..packed].to_vec();
        for b in 1..self.blocks {
            for (a, v) in m.iter_mut().zip(&self.upper[b * packed..(b + 1) * packed]) {
                *a += v;
            }
        }
        let inv_t = 1.0 / total as f64;
        let mu = self.pooled_shifted_mean();
        let mut offset = 0;
        for i in 0..n {
            for (k, &mij) in m[offset..offset + n - i].iter().enumerate() {
                let j = i + k;
                let c = mij * inv_t - mu[i] * mu[j];
                cov[i * n + j] = c;
                cov[j * n + i] = c;
            }
            offset += n - i;
        }
        cov
    }

    /// Row i of C_b from column i on: (C_b)_{ij} for j = i..n, written to `out` (length n − i).
    fn block_row(&self, b: usize, i: usize, mu: &[f64], out: &mut [f64]) {
        let n = self.n;
        let packed = n * (n + 1) / 2;
        // Row i of the packed triangle starts at Σ_{r<i} (n − r) = i·n − i(i−1)/2.
        let offset = b * packed + i * n - (i * i - i) / 2;
        let cnt = self.counts[b] as f64;
        let inv = 1.0 / cnt;
        let mb = &self.sums[b * n..(b + 1) * n];
        let row = &self.upper[offset..offset + n - i];
        let (mbi, mi) = (mb[i] * inv, mu[i]);
        for (k, (o, &m)) in out.iter_mut().zip(row).enumerate() {
            let j = i + k;
            let mbj = mb[j] * inv;
            *o = m * inv - mbi * mu[j] - mi * mbj + mi * mu[j];
        }
    }

    /// Covariance C_b of block b about the pooled mean, n×n row-major (zeros if the block is
    /// empty).
    pub fn block_covariance(&self, b: usize) -> Vec<f64> {
        let n = self.n;
        let mut cov = vec![0.0; n * n];
        if self.counts[b] == 0 {
            return cov;
        }
        let mu = self.pooled_shifted_mean();
        let mut row = vec![0.0; n];
        for i in 0..n {
            self.block_row(b, i, &mu, &mut row[..n - i]);
            for (k, &c) in row[..n - i].iter().enumerate() {
                cov[i * n + i + k] = c;
                cov[(i + k) * n + i] = c;
            }
        }
        cov
    }

    /// Per-block variances and Gram matrices of the non-empty blocks, in one pass over the
    /// packed moments (about B(B+1)/2 · n² multiply-adds for each of the raw and z-scored Grams).
    pub fn moments(&self) -> BlockMoments {
        let n = self.n;
        let used: Vec<usize> = (0..self.blocks).filter(|&b| self.counts[b] > 0).collect();
        let nb = used.len();
        let mu = self.pooled_shifted_mean();
        let mut diag = vec![0.0; nb * n];
        let mut row = vec![0.0; n];
        for (u, &b) in used.iter().enumerate() {
            for i in 0..n {
                self.block_row(b, i, &mu, &mut row[..1]);
                diag[u * n + i] = row[0];
            }
        }
        let mut variance = vec![0.0; n];
        for d in diag.chunks(n.max(1)) {
            for (v, c) in variance.iter_mut().zip(d) {
                *v += c / nb as f64;
            }
        }
        let scale: Vec<f64> = variance
            .iter()
            .map(|&v| if v > 0.0 { 1.0 / v.sqrt() } else { 0.0 })
            .collect();
        let mut gram = vec![0.0; nb * nb];
        let mut gram_z = vec![0.0; nb * nb];
        let mut seg = vec![0.0; nb * n];
        let mut seg_z = vec![0.0; nb * n];
        for i in 0..n {
            let len = n - i;
            for (u, &b) in used.iter().enumerate() {
                let s = &mut seg[u * n..u * n + len];
                self.block_row(b, i, &mu, s);
                // Off-diagonal entries appear twice in tr(C_a C_b): weight them by √2 in both
                // factors.
                let z = &mut seg_z[u * n..u * n + len];
                for (k, (zk, sk)) in z.iter_mut().zip(s.iter_mut()).enumerate() {
                    let w = if k == 0 {
                        1.0
                    } else {
                        std::f64::consts::SQRT_2
                    };
                    *sk *= w;
                    *zk = *sk * scale[i] * scale[i + k];
                }
            }
            for a in 0..nb {
                for c in a..nb {
                    let g = dot(&seg[a * n..a * n + len], &seg[c * n..c * n + len]);
                    let gz = dot(&seg_z[a * n..a * n + len], &seg_z[c * n..c * n + len]);
                    gram[a * nb + c] += g;
                    gram_z[a * nb + c] += gz;
                }
            }
        }
        for a in 0..nb {
            for c in 0..a {
                gram[a * nb + c] = gram[c * nb + a];
                gram_z[a * nb + c] = gram_z[c * nb + a];
            }
        }
        BlockMoments {
            n,
            counts: used.iter().map(|&b| self.counts[b]).collect(),
            diag,
            variance,
            gram,
            gram_z,
        }
    }

    /// Forgets all samples (dimension and block layout are kept).
    pub fn reset(&mut self) {
        self.current = 0;
        self.has_shift = false;
        self.counts.iter_mut().for_each(|c| *c = 0);
        self.shift.iter_mut().for_each(|v| *v = 0.0);
        self.sums.iter_mut().for_each(|v| *v = 0.0);
        self.upper.iter_mut().for_each(|v| *v = 0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal, seeded};
    use crate::stats::covariance::CovAccumulator;

    fn data(t: usize, n: usize, offset: f64, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = seeded(seed);
        let a: Vec<f64> = (0..n * n).map(|_| normal(&mut rng)).collect();
        (0..t)
            .map(|_| {
                let z: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
                (0..n)
                    .map(|i| offset + (0..n).map(|k| a[i * n + k] * z[k]).sum::<f64>())
                    .collect()
            })
            .collect()
    }

    /// Block covariances about the pooled mean, by two passes over stored data.
    fn two_pass(blocks: &[&[Vec<f64>]], n: usize) -> Vec<Vec<f64>> {
        let total: usize = blocks.iter().map(|b| b.len()).sum();
        let mut mean = vec![0.0; n];
        for b in blocks {
            for x in b.iter() {
                for (m, v) in mean.iter_mut().zip(x) {
                    *m += v / total as f64;
                }
            }
        }
        blocks
            .iter()
            .map(|b| {
                let mut c = vec![0.0; n * n];
                for x in b.iter() {
                    for i in 0..n {
                        for j in 0..n {
                            c[i * n + j] += (x[i] - mean[i]) * (x[j] - mean[j]) / b.len() as f64;
                        }
                    }
                }
                c
            })
            .collect()
    }

    #[test]
    fn blocks_match_two_pass_and_gram_matches_traces_of_products() {
        let n = 7;
        let xs = data(90, n, 50.0, 3);
        let mut acc = BlockCovariance::new(n, 3, 30);
        for x in &xs {
            assert!(acc.push(x));
        }
        assert!(!acc.push(&xs[0]), "a full accumulator ignores samples");
        assert_eq!(acc.block_counts(), &[30, 30, 30]);
        let chunks: Vec<&[Vec<f64>]> = xs.chunks(30).collect();
        let want = two_pass(&chunks, n);
        for (b, w) in want.iter().enumerate() {
            let got = acc.block_covariance(b);
            for (g, w) in got.iter().zip(w) {
                assert!((g - w).abs() < 1e-10, "block {b}: {g} vs {w}");
            }
        }
        let m = acc.moments();
        for a in 0..3 {
            assert!((m.traces()[a] - (0..n).map(|i| want[a][i * n + i]).sum::<f64>()).abs() < 1e-9);
            for b in 0..3 {
                let g: f64 = want[a].iter().zip(&want[b]).map(|(x, y)| x * y).sum();
                assert!((m.gram[a * 3 + b] - g).abs() < 1e-9 * g.abs());
                let gz: f64 = (0..n * n)
                    .map(|k| {
                        let (i, j) = (k / n, k % n);
                        want[a][k] * want[b][k] / (m.variance[i] * m.variance[j])
                    })
                    .sum();
                assert!((m.gram_z[a * 3 + b] - gz).abs() < 1e-10 * gz.abs());
            }
        }
        // The pooled covariance is the count-weighted mean of the block covariances.
        let pooled = acc.covariance();
        for (k, p) in pooled.iter().enumerate() {
            let w = (want[0][k] + want[1][k] + want[2][k]) / 3.0;
            assert!((p - w).abs() < 1e-10);
        }
    }

    #[test]
    fn one_unlimited_block_is_the_plain_accumulator() {
        let n = 5;
        let xs = data(300, n, 1e3, 4);
        let mut acc = BlockCovariance::new(n, 1, u64::MAX);
        let mut plain = CovAccumulator::new(n);
        for x in &xs {
            acc.push(x);
            plain.push(x);
        }
        let close = |a: &[f64], b: &[f64]| {
            let scale = b.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-14 * scale)
        };
        assert!(close(&acc.covariance(), &plain.covariance()));
        assert!(close(&acc.mean(), &plain.mean()));
        assert!(close(&acc.block_covariance(0), &plain.covariance()));
    }

    #[test]
    fn explicit_blocks_and_reset() {
        let n = 3;
        let xs = data(40, n, 0.0, 5);
        let mut acc = BlockCovariance::new(n, 2, 100);
        for (t, x) in xs.iter().enumerate() {
            acc.push_to(t % 2, x);
        }
        assert_eq!(acc.block_counts(), &[20, 20]);
        let even: Vec<Vec<f64>> = xs.iter().step_by(2).cloned().collect();
        let odd: Vec<Vec<f64>> = xs.iter().skip(1).step_by(2).cloned().collect();
        let want = two_pass(&[&even, &odd], n);
        for (g, w) in acc.block_covariance(1).iter().zip(&want[1]) {
            assert!((g - w).abs() < 1e-12);
        }
        acc.reset();
        assert_eq!(acc.count(), 0);
        assert_eq!(acc.moments().blocks(), 0);
    }
}
