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
//! Memory: K·m·N elements for S (m own rows), B·N·len for the buffer, B·N f64 for the means.
//! `finish` centres S in place, so it is called once, after the last sample.

use super::panels::{pack_row, panel_count, panel_product, Strided, PANEL};
use super::real::Real;

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
            sq: vec![0.0; trajectories * rows],
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
            for j in 0..n {
                buf[j * len + t] = src[j];
                sum[j] += src[j].to_f64();
            }
            for (q, &v) in self.sq[b * self.rows..(b + 1) * self.rows]
                .iter_mut()
                .zip(&src[self.r0..])
            {
                *q += v.to_f64() * v.to_f64();
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

    /// Centres the accumulators (once) and returns this worker's sums.
    pub fn finish(&mut self) -> MomentSums {
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
                        (self.sq[b * rows + r] - 2.0 * m * self.sum[b * n + i] + cnt * m * m)
                            / dof_one
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
        let mut gram = vec![0.0; kg * kg];
        for g in 0..kg {
            for h in g..kg {
                let (a, b) = (&self.s[g], &self.s[h]);
                let mut acc = 0.0;
                for j in 0..n {
                    for r in 0..rows {
                        acc += a[j * pad + r].to_f64() * b[j * pad + r].to_f64();
                    }
                }
                gram[g * kg + h] = acc;
                gram[h * kg + g] = acc;
            }
        }
        MomentSums {
            traces,
            gram,
            var_sum: var.iter().sum(),
            var_sq_sum: var.iter().map(|v| v * v).sum(),
            trajectory_var,
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
        let s = m.finish();
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
        let s = m.finish();
        let var = s.var_sum / n as f64;
        assert!((var - 1.0).abs() < 0.045, "{var}");
        let per_trajectory: f64 = s.trajectory_var.iter().sum::<f64>() / (nb * n) as f64;
        assert!((per_trajectory - var).abs() < 1e-9);
    }
}
