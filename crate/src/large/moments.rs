//! Second moments of B trajectories in K groups, for the cross-block dimension estimator
//! (theory note §3.1) with trajectories as independent blocks.
//!
//! Trajectory b belongs to group g = ⌊bK/B⌋. Samples are buffered (unit-major, `len` samples per
//! trajectory) and, when the buffer is full, added as one matrix product per trajectory:
//! S_g[own rows, :] += X_own Xᵀ, so there is no rank-one update per sample. Each worker holds the
//! rows it integrates; traces and the Gram matrix G_gh = tr(Ĉ_g Ĉ_h) are sums over row blocks.
//!
//! Ĉ_g = Σ_{b∈g} Σ_t (x_b(t) − μ̂)(x_b(t) − μ̂)ᵀ / (n_g (1 − 1/(B n))), centred on the mean μ̂
//! pooled over all B trajectories (n samples each, n_g = |g| n). All trajectories of one network
//! share its stationary mean, and centring each on its own mean would remove ≈ τ_int/T of the
//! variance (T the observed time), mostly from the slow leading modes: 5 % of Δ0 at g = 2 and
//! T = 150, with PR biased up. Pooled, the bias is ≈ τ_int/(B T).
//!
//! Weighted estimates (the dimension of diag(w) v, e.g. output gains G_iφ_i, PRX 2025 Eq. 46a, or of
//! z-scored units, Eq. 46b) reuse the same Ĉ_g: with u_j = w_j² (divided by the pooled variance of
//! unit j when z-scored), tr(W Ĉ_g W) = Σ_r u_r Ĉ_g[r, r] and tr(W Ĉ_g W² Ĉ_h W) =
//! Σ_{r, j} u_r u_j Ĉ_g[r, j] Ĉ_h[r, j].
//!
//! Memory: K·m·N elements for S (m own rows), B·N·len for the buffer, 2·B·N f64 for the sums.
//! `finish` centres S in place, so it is called once, after the last sample.

use super::panels::{pack_row, panel_count, panel_product, Strided, PANEL};
use super::real::Real;

/// Most weightings of one run.
pub const MAX_WEIGHTINGS: usize = 8;

/// Grouped second moments of one variable (x or φ).
pub struct Moments<T: Real> {
    n: usize,
    r0: usize,
    rows: usize,
    trajectories: usize,
    groups: usize,
    len: usize,
    filled: usize,
    s: Vec<Vec<T>>,
    buffer: Vec<T>,
    own: Vec<T>,
    sum: Vec<f64>,
    sq: Vec<f64>,
    count: u64,
}

/// A worker's share of the estimates: sums over its rows.
#[derive(Clone, Debug, PartialEq)]
pub struct MomentSums {
    /// Per group, Σ_{own r} Ĉ_g[r, r].
    pub traces: Vec<f64>,
    /// K×K, Σ_{own r, all j} Ĉ_g[r, j] Ĉ_h[r, j].
    pub gram: Vec<f64>,
    /// Σ_{own r} v_r and Σ_{own r} v_r², v_r the group-averaged variance of unit r.
    pub var_sum: f64,
    pub var_sq_sum: f64,
    /// Per trajectory, Σ_{own r} of its sample variance of unit r (about the pooled mean).
    pub trajectory_var: Vec<f64>,
    /// Per weighting, its traces (K) and Gram matrix (K×K) over the own rows.
    pub weighted: Vec<(Vec<f64>, Vec<f64>)>,
}

/// A per-unit weighting of the variable for a weighted dimension estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct Weighting {
    /// Weights w_j of all N units.
    pub weights: Vec<f64>,
    /// Divide each unit by its standard deviation (pooled over trajectories) before weighting.
    pub zscore: bool,
}

impl<T: Real> Moments<T> {
    /// Accumulators for rows r0..r0+rows of N units, `trajectories` trajectories in `groups`
    /// groups, buffering `len` samples.
    pub fn new(
        n: usize,
        r0: usize,
        rows: usize,
        trajectories: usize,
        groups: usize,
        len: usize,
    ) -> Self {
        assert!(groups >= 1 && groups <= trajectories && len >= 1);
        let pad = panel_count(rows) * PANEL;
        Moments {
            n,
            r0,
            rows,
            trajectories,
            groups,
            len,
            filled: 0,
            s: (0..groups).map(|_| vec![T::zero(); n * pad]).collect(),
            buffer: vec![T::zero(); trajectories * n * len],
            own: vec![T::zero(); pad * len],
            sum: vec![0.0; trajectories * n],
            sq: vec![0.0; trajectories * n],
            count: 0,
        }
    }

    /// The group of trajectory b.
    pub fn group(&self, b: usize) -> usize {
        b * self.groups / self.trajectories
    }

    /// Adds one sample: `v` holds all N units of each trajectory (B × N).
    pub fn push(&mut self, v: &[T]) {
        let (n, len, t) = (self.n, self.len, self.filled);
        for b in 0..self.trajectories {
            let src = &v[b * n..(b + 1) * n];
            let buf = &mut self.buffer[b * n * len..(b + 1) * n * len];
            let sum = &mut self.sum[b * n..(b + 1) * n];
            let sq = &mut self.sq[b * n..(b + 1) * n];
            for j in 0..n {
                let v = src[j].to_f64();
                buf[j * len + t] = src[j];
                sum[j] += v;
                sq[j] += v * v;
            }
        }
        self.count += 1;
        self.filled += 1;
        if self.filled == len {
            self.flush();
        }
    }

    /// Samples per trajectory so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    fn flush(&mut self) {
        let (n, len, k) = (self.n, self.len, self.filled);
        if k == 0 {
            return;
        }
        let panels = panel_count(self.rows);
        let pad = panels * PANEL;
        let mut row = vec![T::zero(); k];
        for b in 0..self.trajectories {
            let g = self.group(b);
            let buf = &self.buffer[b * n * len..(b + 1) * n * len];
            self.own.iter_mut().for_each(|v| *v = T::zero());
            for r in 0..self.rows {
                let src = &buf[(self.r0 + r) * len..(self.r0 + r) * len + k];
                row.copy_from_slice(src);
                pack_row(&mut self.own, k, r, &row);
            }
            let y = Strided {
                data: &mut self.s[g][..],
                ld: pad,
            };
            panel_product(
                &self.own,
                panels,
                k,
                Strided { data: buf, ld: len },
                n,
                y,
                true,
            );
        }
        self.filled = 0;
    }

    /// Centres the accumulators (once) and returns this worker's sums, with those of each
    /// weighting (weights of length N).
    pub fn finish(&mut self, weightings: &[Weighting]) -> MomentSums {
        self.flush();
        let (n, rows, kg) = (self.n, self.rows, self.groups);
        let pad = panel_count(rows) * PANEL;
        let cnt = self.count as f64;
        let total = cnt * self.trajectories as f64;
        let mut mean = vec![0.0; n];
        for b in 0..self.trajectories {
            for (m, s) in mean.iter_mut().zip(&self.sum[b * n..(b + 1) * n]) {
                *m += s / total;
            }
        }
        let dof_one = cnt * (1.0 - 1.0 / total);
        let mut dof = vec![0.0; kg];
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); kg];
        for b in 0..self.trajectories {
            let g = self.group(b);
            dof[g] += dof_one;
            members[g].push(b);
        }
        // Ĉ_g in place: S − Σ_b (s_b μ̂ᵀ + μ̂ s_bᵀ) + n_g μ̂ μ̂ᵀ, s_b the sum of trajectory b, in
        // f64 arithmetic rounded once.
        for (g, s) in self.s.iter_mut().enumerate() {
            let n_g = cnt * members[g].len() as f64;
            for j in 0..n {
                for r in 0..rows {
                    let i = self.r0 + r;
                    let mut c = s[j * pad + r].to_f64() + n_g * mean[j] * mean[i];
                    for &b in &members[g] {
                        c -= self.sum[b * n + j] * mean[i] + mean[j] * self.sum[b * n + i];
                    }
                    s[j * pad + r] = T::from_f64(c / dof[g]);
                }
            }
        }
        let trajectory_var = (0..self.trajectories)
            .map(|b| {
                (0..rows)
                    .map(|r| {
                        let (m, i) = (mean[self.r0 + r], self.r0 + r);
                        (self.sq[b * n + i] - 2.0 * m * self.sum[b * n + i] + cnt * m * m) / dof_one
                    })
                    .sum()
            })
            .collect();
        self.count = 0;
        let mut traces = vec![0.0; kg];
        let mut var = vec![0.0; rows];
        for (g, s) in self.s.iter().enumerate() {
            for r in 0..rows {
                let v = s[(self.r0 + r) * pad + r].to_f64();
                traces[g] += v;
                var[r] += v / kg as f64;
            }
        }
        assert!(weightings.len() <= MAX_WEIGHTINGS);
        // u_j per weighting: w_j², over the pooled variance of unit j when z-scored.
        let u: Vec<Vec<f64>> = weightings
            .iter()
            .map(|w| {
                assert_eq!(w.weights.len(), n);
                (0..n)
                    .map(|j| {
                        let w2 = w.weights[j] * w.weights[j];
                        if !w.zscore {
                            return w2;
                        }
                        let sq: f64 = (0..self.trajectories).map(|b| self.sq[b * n + j]).sum();
                        let var = (sq - total * mean[j] * mean[j]) / (total - 1.0);
                        if var > 0.0 {
                            w2 / var
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        let mut weighted: Vec<(Vec<f64>, Vec<f64>)> = u
            .iter()
            .map(|u| {
                let mut t = vec![0.0; kg];
                for (g, s) in self.s.iter().enumerate() {
                    for r in 0..rows {
                        let i = self.r0 + r;
                        t[g] += u[i] * s[i * pad + r].to_f64();
                    }
                }
                (t, vec![0.0; kg * kg])
            })
            .collect();
        let mut gram = vec![0.0; kg * kg];
        let mut acc_w = vec![0.0; u.len()];
        for g in 0..kg {
            for h in g..kg {
                let (a, b) = (&self.s[g], &self.s[h]);
                let mut acc = 0.0;
                acc_w.iter_mut().for_each(|v| *v = 0.0);
                for j in 0..n {
                    let mut col = 0.0;
                    let mut col_w = [0.0; MAX_WEIGHTINGS];
                    for r in 0..rows {
                        let p = a[j * pad + r].to_f64() * b[j * pad + r].to_f64();
                        col += p;
                        for (c, u) in col_w.iter_mut().zip(&u) {
                            *c += u[self.r0 + r] * p;
                        }
                    }
                    acc += col;
                    for ((aw, c), u) in acc_w.iter_mut().zip(&col_w).zip(&u) {
                        *aw += u[j] * c;
                    }
                }
                gram[g * kg + h] = acc;
                gram[h * kg + g] = acc;
                for ((_, gw), a) in weighted.iter_mut().zip(&acc_w) {
                    gw[g * kg + h] = *a;
                    gw[h * kg + g] = *a;
                }
            }
        }
        MomentSums {
            traces,
            gram,
            var_sum: var.iter().sum(),
            var_sq_sum: var.iter().map(|v| v * v).sum(),
            trajectory_var,
            weighted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;
    use crate::stats::block_pr::cross_pr;

    #[test]
    fn cross_trajectory_pr_of_white_samples_is_n() {
        // x ~ N(0, I): C = I, PR = N. The naive PR from T samples is ≈ N/(1 + N/T); the
        // cross-group estimate is unbiased.
        let (n, nb, groups, t) = (40, 8, 4, 60);
        let mut m = Moments::<f64>::new(n, 0, n, nb, groups, 7);
        let mut r = rng::seeded(2);
        let mut v = vec![0.0; nb * n];
        for _ in 0..t {
            rng::fill_normal(&mut r, 1.0, &mut v);
            m.push(&v);
        }
        let s = m.finish(&[]);
        let all: Vec<usize> = (0..groups).collect();
        let pr = cross_pr(&s.traces, &s.gram, &all);
        // tr(Ĉ_g Ĉ_h) = N + O(N/√(T·B/K)): the estimate is within about 5 % of N here.
        assert!((pr / n as f64 - 1.0).abs() < 0.08, "{pr}");
        assert!((s.var_sum / n as f64 - 1.0).abs() < 0.05);
    }

    #[test]
    fn pooled_centring_keeps_the_variance_of_correlated_samples() {
        // AR(1) units x(t+1) = ρ x(t) + √(1−ρ²) ζ around a mean of 3: unit variance, τ_int =
        // (1+ρ)/(1−ρ) = 19 samples. Centring each 200-sample trajectory on its own mean would
        // lose ≈ 19/200 = 9.5 % of the variance; pooled over 8 trajectories ≈ 1.2 %, and the
        // standard error of the mean variance over 200 units is ≈ 1.1 %.
        let (n, nb, t, rho) = (200, 8, 200, 0.9f64);
        let mut m = Moments::<f64>::new(n, 0, n, nb, 4, 16);
        let mut r = rng::seeded(4);
        let mut x = vec![0.0; nb * n];
        rng::fill_normal(&mut r, 1.0, &mut x);
        let mut z = vec![0.0; nb * n];
        for _ in 0..t {
            rng::fill_normal(&mut r, (1.0 - rho * rho).sqrt(), &mut z);
            for (v, e) in x.iter_mut().zip(&z) {
                *v = rho * *v + e;
            }
            let shifted: Vec<f64> = x.iter().map(|v| v + 3.0).collect();
            m.push(&shifted);
        }
        let s = m.finish(&[]);
        let var = s.var_sum / n as f64;
        assert!((var - 1.0).abs() < 0.045, "{var}");
        let per_trajectory: f64 = s.trajectory_var.iter().sum::<f64>() / (nb * n) as f64;
        assert!((per_trajectory - var).abs() < 1e-9);
    }

    #[test]
    fn weightings_equal_the_moments_of_weighted_samples() {
        // diag(w) v has moments W Ĉ W: its traces and Gram must equal those of weighted samples,
        // and z-scoring must equal dividing each unit by its pooled standard deviation.
        let (n, nb, groups, t) = (23, 6, 3, 50);
        let mut r = rng::seeded(7);
        let mut samples = vec![vec![0.0; nb * n]; t];
        let scale: Vec<f64> = (0..n).map(|j| 0.5 + j as f64 / 10.0).collect();
        for s in samples.iter_mut() {
            rng::fill_normal(&mut r, 1.0, s);
            for (k, v) in s.iter_mut().enumerate() {
                *v = *v * scale[k % n] + 0.3;
            }
        }
        let w: Vec<f64> = (0..n).map(|j| ((j * 7) % 5) as f64 - 1.5).collect();
        let (mut mean, mut sd) = (vec![0.0; n], vec![0.0; n]);
        for s in &samples {
            for (k, v) in s.iter().enumerate() {
                mean[k % n] += v / (t * nb) as f64;
            }
        }
        for s in &samples {
            for (k, v) in s.iter().enumerate() {
                sd[k % n] += (v - mean[k % n]).powi(2) / (t * nb - 1) as f64;
            }
        }
        sd.iter_mut().for_each(|v| *v = v.sqrt());
        let run = |f: &dyn Fn(usize, f64) -> f64, ws: &[Weighting], r0: usize, rows: usize| {
            let mut m = Moments::<f64>::new(n, r0, rows, nb, groups, 4);
            for s in &samples {
                let v: Vec<f64> = s.iter().enumerate().map(|(k, &v)| f(k % n, v)).collect();
                m.push(&v);
            }
            m.finish(ws)
        };
        let ws = [
            Weighting {
                weights: w.clone(),
                zscore: false,
            },
            Weighting {
                weights: w.clone(),
                zscore: true,
            },
        ];
        // Sums over two row blocks equal those of one.
        let a = run(&|_, v| v, &ws, 0, 12);
        let b = run(&|_, v| v, &ws, 12, n - 12);
        let by_w = run(&|j, v| v * w[j], &[], 0, n);
        let by_z = run(&|j, v| v * w[j] / sd[j], &[], 0, n);
        let close = |x: &[f64], y: &[f64], z: &[f64]| {
            for ((x, y), z) in x.iter().zip(y).zip(z) {
                assert!(
                    (x + y - z).abs() <= 1e-9 * z.abs().max(1.0),
                    "{x} + {y} vs {z}"
                );
            }
        };
        for (k, want) in [(0, &by_w), (1, &by_z)] {
            close(&a.weighted[k].0, &b.weighted[k].0, &want.traces);
            close(&a.weighted[k].1, &b.weighted[k].1, &want.gram);
        }
        close(&a.gram, &b.gram, &run(&|_, v| v, &[], 0, n).gram);
    }
}
