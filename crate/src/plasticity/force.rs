//! FORCE learning (Sussillo & Abbott 2009, Neuron 63:544, "Generating coherent patterns of
//! activity from chaotic neural networks"), the architecture of their Fig. 1A: a chaotic rate
//! network whose linear readout is fed back and trained online by recursive least squares.
//!
//! Model (Methods of the paper):
//! - τ dx/dt = −x + J r + w_f z, r = tanh(x), z = wᵀr;
//! - J sparse: each entry nonzero with probability p, nonzero entries N(0, g²/(pN));
//! - w_f ~ U(−1, 1) (here U(−a, a) with a = [`ForceConfig::feedback`], a = 0 opens the loop);
//! - RLS every Δt = `learn_every` steps: k = P r, c = 1/(1 + rᵀk), P ← P − c k kᵀ,
//!   w ← w − c e₋ k with e₋ = wᵀr − f(t), the error before the update; P(0) = I/α, w(0) = 0.
//!
//! After m updates from P(0) = I/α, w(0) = 0, P = (Σ r rᵀ + αI)⁻¹ and w = P Σ r f: the
//! ridge-regression solution over the rates seen at the learning steps.
//!
//! Integration follows the authors' reference code: explicit Euler with h = dt/τ,
//! x ← x + h(−x + J r + w_f z), then r = tanh(x) and z = wᵀr; on a learning step the weights are
//! updated after z is computed, and the z fed back in the next step is this pre-update output.
//! Initial state x(0) ~ N(0, 0.5²) as in the reference code; z(0) = wᵀ r(0) = 0 (our choice; the
//! reference code draws z(0) at random).

use rand::Rng as _;

use crate::kernels;
use crate::rng;

/// Settings of a FORCE network (times in ms; the defaults are the values of the paper and of
/// the authors' reference code).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ForceConfig {
    /// Number of units N (paper: 1000).
    pub n: usize,
    /// Coupling gain g (paper: 1.5, chaotic without feedback).
    pub g: f64,
    /// Connection probability p of J (paper: 0.1).
    pub p: f64,
    /// Regulariser α of P(0) = I/α (paper: 1; it acts as an inverse learning rate).
    pub alpha: f64,
    /// Time constant τ (paper: 10 ms).
    pub tau: f64,
    /// Euler step (reference code: 0.1 τ = 1 ms).
    pub dt: f64,
    /// Steps between RLS updates (reference code: 2, i.e. Δt = 2 ms).
    pub learn_every: usize,
    /// Half-width a of the feedback weights w_f ~ U(−a, a) (paper: 1; 0 disables feedback).
    pub feedback: f64,
}

impl Default for ForceConfig {
    fn default() -> Self {
        ForceConfig {
            n: 1000,
            g: 1.5,
            p: 0.1,
            alpha: 1.0,
            tau: 10.0,
            dt: 1.0,
            learn_every: 2,
            feedback: 1.0,
        }
    }
}

impl ForceConfig {
    /// Checks the settings; the message names the offending field.
    pub fn validate(&self) -> Result<(), String> {
        if self.n == 0 {
            return Err("n: must be positive".into());
        }
        if !(self.g.is_finite() && self.g >= 0.0) {
            return Err("g: must be finite and ≥ 0".into());
        }
        if !(self.p > 0.0 && self.p <= 1.0) {
            return Err("p: must lie in (0, 1]".into());
        }
        if !(self.alpha.is_finite() && self.alpha > 0.0) {
            return Err("alpha: must be finite and > 0".into());
        }
        if !(self.tau.is_finite() && self.tau > 0.0) {
            return Err("tau: must be finite and > 0".into());
        }
        if !(self.dt > 0.0 && self.dt <= self.tau) {
            return Err("dt: must lie in (0, tau]".into());
        }
        if self.learn_every == 0 {
            return Err("learnEvery: must be positive".into());
        }
        if !(self.feedback.is_finite() && self.feedback >= 0.0) {
            return Err("feedback: must be finite and ≥ 0".into());
        }
        Ok(())
    }
}

/// J in compressed sparse rows.
#[derive(Clone, Debug, PartialEq)]
struct SparseRows {
    start: Vec<usize>,
    cols: Vec<u32>,
    vals: Vec<f64>,
}

impl SparseRows {
    fn from_dense(j: &[f64], n: usize) -> SparseRows {
        let mut s = SparseRows {
            start: vec![0],
            cols: Vec::new(),
            vals: Vec::new(),
        };
        for row in j.chunks(n) {
            for (c, &v) in row.iter().enumerate() {
                if v != 0.0 {
                    s.cols.push(c as u32);
                    s.vals.push(v);
                }
            }
            s.start.push(s.vals.len());
        }
        s
    }

    /// y = J x.
    fn mul(&self, x: &[f64], y: &mut [f64]) {
        for (i, yi) in y.iter_mut().enumerate() {
            let (a, b) = (self.start[i], self.start[i + 1]);
            *yi = self.cols[a..b]
                .iter()
                .zip(&self.vals[a..b])
                .map(|(&c, v)| v * x[c as usize])
                .sum();
        }
    }
}

/// A FORCE network: state, readout w, inverse correlation estimate P (see the module doc).
#[derive(Clone, Debug)]
pub struct Force {
    config: ForceConfig,
    j: SparseRows,
    w_f: Vec<f64>,
    x: Vec<f64>,
    r: Vec<f64>,
    w: Vec<f64>,
    p: Vec<f64>,
    z: f64,
    steps: u64,
    dw: f64,
    scratch: Vec<f64>,
    /// The last update's c and k, not yet subtracted from `p` (see [`Force::p`]).
    pending: Option<(f64, Vec<f64>)>,
}

impl Force {
    /// A network drawn from `seed`: J row by row (per entry a uniform draw decides the
    /// connection, then a normal draw its strength), then w_f, then x(0).
    pub fn new(config: ForceConfig, seed: u64) -> Result<Force, String> {
        config.validate()?;
        let n = config.n;
        let mut rng = rng::seeded(seed);
        let std = config.g / (config.p * n as f64).sqrt();
        let mut j = vec![0.0; n * n];
        for v in j.iter_mut() {
            if rng.gen::<f64>() < config.p {
                *v = std * rng::normal(&mut rng);
            }
        }
        let w_f: Vec<f64> = (0..n)
            .map(|_| config.feedback * (2.0 * rng.gen::<f64>() - 1.0))
            .collect();
        let x0: Vec<f64> = (0..n).map(|_| 0.5 * rng::normal(&mut rng)).collect();
        Force::from_parts(config, &j, &w_f, &x0)
    }

    /// A network with the given J (row-major N × N), w_f and x(0); `config.g`, `config.p` and
    /// `config.feedback` are then only descriptive.
    pub fn from_parts(
        config: ForceConfig,
        j: &[f64],
        w_f: &[f64],
        x0: &[f64],
    ) -> Result<Force, String> {
        config.validate()?;
        let n = config.n;
        if j.len() != n * n || w_f.len() != n || x0.len() != n {
            return Err("n: J, w_f and x0 must be N × N, N and N".into());
        }
        let mut p = vec![0.0; n * n];
        for i in 0..n {
            p[i * n + i] = 1.0 / config.alpha;
        }
        Ok(Force {
            config,
            j: SparseRows::from_dense(j, n),
            w_f: w_f.to_vec(),
            x: x0.to_vec(),
            r: x0.iter().map(|v| v.tanh()).collect(),
            w: vec![0.0; n],
            p,
            z: 0.0,
            steps: 0,
            dw: 0.0,
            scratch: vec![0.0; n],
            pending: None,
        })
    }

    /// One Euler step; then, if `target` is given and the step count is a multiple of
    /// `learn_every`, one RLS update towards it. Returns z = wᵀr before the update.
    pub fn step(&mut self, target: Option<f64>) -> f64 {
        let h = self.config.dt / self.config.tau;
        self.j.mul(&self.r, &mut self.scratch);
        for (((x, r), jr), wf) in self
            .x
            .iter_mut()
            .zip(self.r.iter_mut())
            .zip(&self.scratch)
            .zip(&self.w_f)
        {
            *x += h * (-*x + jr + wf * self.z);
            *r = x.tanh();
        }
        let z = kernels::dot(&self.w, &self.r);
        self.z = z;
        self.steps += 1;
        self.dw = 0.0;
        if let Some(f) = target {
            if self.steps % self.config.learn_every as u64 == 0 {
                self.rls(z - f);
            }
        }
        z
    }

    /// The RLS update with error e₋ = `e` (module doc); O(N²). The rank-1 update of P is
    /// deferred to the next update, which applies it row by row while it computes k = P r from
    /// the updated row, so P is read and written once per update instead of read twice and
    /// written once (our implementation choice; the arithmetic is the same). P_ij ← P_ij −
    /// c (k_i k_j) is the same floating-point operation for (i, j) and (j, i), so P stays exactly
    /// symmetric.
    fn rls(&mut self, e: f64) {
        let n = self.config.n;
        let k = &mut self.scratch;
        match &self.pending {
            Some((c_old, k_old)) => {
                for ((row, ki), &k_old_i) in self.p.chunks_mut(n).zip(k.iter_mut()).zip(k_old) {
                    subtract_outer(row, *c_old, k_old_i, k_old);
                    *ki = kernels::dot(row, &self.r);
                }
            }
            None => kernels::gemv(&self.p, n, n, &self.r, k),
        }
        let c = 1.0 / (1.0 + kernels::dot(&self.r, k));
        let ce = c * e;
        for (wi, ki) in self.w.iter_mut().zip(k.iter()) {
            *wi -= ce * ki;
        }
        self.dw = ce.abs() * kernels::norm(k);
        let mut k_old = match self.pending.take() {
            Some((_, v)) => v,
            None => vec![0.0; n],
        };
        std::mem::swap(&mut k_old, &mut self.scratch);
        self.pending = Some((c, k_old));
    }

    /// Applies the deferred rank-1 update to P.
    fn flush(&mut self) {
        if let Some((c, k)) = self.pending.take() {
            let n = self.config.n;
            for (row, &ki) in self.p.chunks_mut(n).zip(&k) {
                subtract_outer(row, c, ki, &k);
            }
        }
    }

    /// Runs `z_out.len()` steps, learning towards `targets[t]` when given (one per step),
    /// writing z per step and, if given, |Δw| per step (0 on steps without an update).
    pub fn run(
        &mut self,
        targets: Option<&[f64]>,
        z_out: &mut [f64],
        mut dw_out: Option<&mut [f64]>,
    ) {
        if let Some(f) = targets {
            assert_eq!(f.len(), z_out.len());
        }
        for t in 0..z_out.len() {
            z_out[t] = self.step(targets.map(|f| f[t]));
            if let Some(d) = dw_out.as_deref_mut() {
                d[t] = self.dw;
            }
        }
    }

    /// The settings.
    pub fn config(&self) -> &ForceConfig {
        &self.config
    }

    /// The output z of the last step (before that step's update).
    pub fn z(&self) -> f64 {
        self.z
    }

    /// Readout weights w.
    pub fn w(&self) -> &[f64] {
        &self.w
    }

    /// The inverse correlation estimate P (row-major N × N, symmetric), after applying the
    /// deferred update.
    pub fn p(&mut self) -> &[f64] {
        self.flush();
        &self.p
    }

    /// Currents x.
    pub fn x(&self) -> &[f64] {
        &self.x
    }

    /// Rates r = tanh(x).
    pub fn r(&self) -> &[f64] {
        &self.r
    }

    /// Feedback weights w_f.
    pub fn w_f(&self) -> &[f64] {
        &self.w_f
    }

    /// J as a dense row-major N × N matrix.
    pub fn j_dense(&self) -> Vec<f64> {
        let n = self.config.n;
        let mut j = vec![0.0; n * n];
        for i in 0..n {
            for k in self.j.start[i]..self.j.start[i + 1] {
                j[i * n + self.j.cols[k] as usize] = self.j.vals[k];
            }
        }
        j
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// |Δw| of the last step (0 if it made no update).
    pub fn dw_norm(&self) -> f64 {
        self.dw
    }
}

/// row ← row − c (k_i k), one row of P ← P − c k kᵀ (a plain loop: the compiler vectorises
/// it for SIMD128 better than a hand-written f64x2 loop did).
#[inline]
fn subtract_outer(row: &mut [f64], c: f64, ki: f64, k: &[f64]) {
    for (pij, &kj) in row.iter_mut().zip(k) {
        *pij -= c * (ki * kj);
    }
}

/// The standard periodic target: the reference code's sum of four sines (Fig. 2),
/// f(t) = (A/1.5)[sin(ωt) + ½ sin(2ωt) + ⅙ sin(3ωt) + ⅓ sin(4ωt)], ω = 2π/T, with A = 1.3 and
/// T = 1200 ms (= 120 τ) there.
pub fn sum_of_sines(t: f64, amplitude: f64, period: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI / period;
    amplitude / 1.5
        * ((w * t).sin()
            + (2.0 * w * t).sin() / 2.0
            + (3.0 * w * t).sin() / 6.0
            + (4.0 * w * t).sin() / 3.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::inverse::inverse;

    fn small(n: usize, feedback: f64) -> ForceConfig {
        ForceConfig {
            n,
            p: 0.3,
            feedback,
            ..ForceConfig::default()
        }
    }

    fn max_rel(a: &[f64], b: &[f64]) -> f64 {
        let scale = b.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        a.iter()
            .zip(b)
            .fold(0.0_f64, |m, (x, y)| m.max((x - y).abs()))
            / scale
    }

    /// RLS from P(0) = I/α, w(0) = 0 equals batch ridge regression over the rates seen at the
    /// learning steps; the network is frozen (w_f = 0), so r(t) does not depend on w.
    #[test]
    fn rls_equals_ridge_regression() {
        let n = 20;
        let cfg = ForceConfig {
            alpha: 0.5,
            ..small(n, 0.0)
        };
        let mut net = Force::new(cfg, 3).unwrap();
        let (mut a, mut b) = (vec![0.0; n * n], vec![0.0; n]);
        for i in 0..n {
            a[i * n + i] = cfg.alpha;
        }
        let mut updates = 0;
        for t in 1..=300 {
            let f = sum_of_sines(t as f64, 1.3, 120.0);
            net.step(Some(f));
            if t % cfg.learn_every == 0 {
                updates += 1;
                let r = net.r();
                for i in 0..n {
                    b[i] += r[i] * f;
                    for j in 0..n {
                        a[i * n + j] += r[i] * r[j];
                    }
                }
            }
        }
        assert_eq!(updates, 150);
        let inv = inverse(&a, n).unwrap();
        let w_star: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| inv[i * n + j] * b[j]).sum())
            .collect();
        assert!(max_rel(net.p(), &inv) < 1e-8, "{}", max_rel(net.p(), &inv));
        assert!(
            max_rel(net.w(), &w_star) < 1e-8,
            "{}",
            max_rel(net.w(), &w_star)
        );
    }

    /// One update is the Sherman–Morrison step: P_new = (P_old⁻¹ + r rᵀ)⁻¹, and the error after
    /// it is e₊ = e₋ / (1 + rᵀ P_old r) (paper, RLS section).
    #[test]
    fn one_update_is_sherman_morrison() {
        let n = 12;
        let cfg = small(n, 1.0);
        let mut net = Force::new(cfg, 9).unwrap();
        for t in 1..=41 {
            net.step(Some((t as f64 * 0.1).sin()));
        }
        assert_eq!(net.steps() % 2, 1);
        let p_old = net.p().to_vec();
        let w_old = net.w().to_vec();
        let f = 0.7;
        let z = net.step(Some(f));
        let r = net.r().to_vec();
        let e_minus = z - f;
        assert!((kernels::dot(&w_old, &r) - z).abs() < 1e-14);
        let mut m = inverse(&p_old, n).unwrap();
        for i in 0..n {
            for j in 0..n {
                m[i * n + j] += r[i] * r[j];
            }
        }
        let expected = inverse(&m, n).unwrap();
        assert!(max_rel(net.p(), &expected) < 1e-10);
        let rpr: f64 = (0..n)
            .map(|i| r[i] * (0..n).map(|j| p_old[i * n + j] * r[j]).sum::<f64>())
            .sum();
        let e_plus = kernels::dot(net.w(), &r) - f;
        assert!((e_plus - e_minus / (1.0 + rpr)).abs() < 1e-12 * (1.0 + e_minus.abs()));
        // P is exactly symmetric after many updates.
        let p = net.p();
        assert!((0..n).all(|i| (0..n).all(|j| p[i * n + j] == p[j * n + i])));
    }

    /// Steps without a target or off the learning grid leave w and P alone, and the dynamics is
    /// the Euler step written out by hand.
    #[test]
    fn step_matches_hand_written_euler() {
        let n = 3;
        let cfg = ForceConfig {
            n,
            alpha: 2.0,
            tau: 10.0,
            dt: 1.0,
            learn_every: 3,
            ..ForceConfig::default()
        };
        let j = [0.0, 1.2, -0.4, 0.5, 0.0, 0.9, -1.1, 0.3, 0.2];
        let w_f = [0.5, -0.25, 1.0];
        let x0 = [0.1, -0.3, 0.6];
        let mut net = Force::from_parts(cfg, &j, &w_f, &x0).unwrap();
        assert_eq!(net.j_dense(), j.to_vec());
        let (mut x, mut w, mut z) = (x0.to_vec(), vec![0.0; n], 0.0);
        let mut p = [0.5, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.5];
        for t in 1..=7 {
            let r: Vec<f64> = x.iter().map(|v: &f64| v.tanh()).collect();
            let x_new: Vec<f64> = (0..n)
                .map(|i| {
                    let jr: f64 = (0..n).map(|k| j[i * n + k] * r[k]).sum();
                    x[i] + 0.1 * (-x[i] + jr + w_f[i] * z)
                })
                .collect();
            x = x_new;
            let r: Vec<f64> = x.iter().map(|v| v.tanh()).collect();
            z = (0..n).map(|i| w[i] * r[i]).sum();
            let target = if t == 5 { None } else { Some(0.3 * t as f64) };
            let got = net.step(target);
            assert!((got - z).abs() < 1e-14);
            if t % 3 == 0 {
                let e = z - target.unwrap();
                let k: Vec<f64> = (0..n)
                    .map(|i| (0..n).map(|l| p[i * n + l] * r[l]).sum())
                    .collect();
                let c = 1.0 / (1.0 + (0..n).map(|i| r[i] * k[i]).sum::<f64>());
                for i in 0..n {
                    for l in 0..n {
                        p[i * n + l] -= c * k[i] * k[l];
                    }
                    w[i] -= c * e * k[i];
                }
            } else {
                assert_eq!(net.dw_norm(), 0.0);
            }
            assert!(max_rel(net.x(), &x) < 1e-14);
            for (a, b) in net.w().iter().zip(&w) {
                assert!((a - b).abs() < 1e-13);
            }
            assert!(max_rel(net.p(), &p) < 1e-13);
        }
    }

    #[test]
    fn construction_statistics_and_seed_determinism() {
        let cfg = ForceConfig {
            n: 400,
            ..ForceConfig::default()
        };
        let a = Force::new(cfg, 5).unwrap();
        let j = a.j_dense();
        let nz: Vec<f64> = j.iter().copied().filter(|v| *v != 0.0).collect();
        let m = (cfg.n * cfg.n) as f64;
        // Bernoulli(p) count: sd sqrt(m p (1 − p)) = 120.
        assert!((nz.len() as f64 - m * cfg.p).abs() < 5.0 * (m * cfg.p * 0.9).sqrt());
        let var = nz.iter().map(|v| v * v).sum::<f64>() / nz.len() as f64;
        let target = cfg.g * cfg.g / (cfg.p * cfg.n as f64);
        assert!((var / target - 1.0).abs() < 5.0 * (2.0 / nz.len() as f64).sqrt());
        assert!(a.w_f().iter().all(|v| v.abs() <= 1.0));
        let mean_abs = a.w_f().iter().map(|v| v.abs()).sum::<f64>() / cfg.n as f64;
        // |U(−1, 1)| has mean 1/2 and sd 1/√12.
        assert!((mean_abs - 0.5).abs() < 5.0 / (12.0 * cfg.n as f64).sqrt());

        let run = |seed: u64| {
            let mut net = Force::new(ForceConfig { n: 50, ..cfg }, seed).unwrap();
            let f: Vec<f64> = (1..=200)
                .map(|t| sum_of_sines(t as f64, 1.3, 600.0))
                .collect();
            let mut z = vec![0.0; 200];
            let mut dw = vec![0.0; 200];
            net.run(Some(&f), &mut z, Some(&mut dw));
            (z, dw, net.w().to_vec(), net.p().to_vec(), net.x().to_vec())
        };
        assert_eq!(run(11), run(11));
        assert_ne!(run(11).0, run(12).0);
    }

    #[test]
    fn invalid_settings_are_rejected() {
        let ok = ForceConfig::default();
        for (cfg, field) in [
            (ForceConfig { n: 0, ..ok }, "n"),
            (ForceConfig { p: 0.0, ..ok }, "p"),
            (ForceConfig { alpha: 0.0, ..ok }, "alpha"),
            (ForceConfig { dt: 20.0, ..ok }, "dt"),
            (
                ForceConfig {
                    learn_every: 0,
                    ..ok
                },
                "learnEvery",
            ),
            (
                ForceConfig {
                    feedback: -1.0,
                    ..ok
                },
                "feedback",
            ),
        ] {
            assert!(cfg.validate().unwrap_err().starts_with(field));
        }
        assert!(
            Force::from_parts(ForceConfig { n: 2, ..ok }, &[0.0; 3], &[0.0; 2], &[0.0; 2]).is_err()
        );
    }

    /// The sum of sines has period T and the reference amplitude at a known point.
    #[test]
    fn sum_of_sines_is_the_reference_target() {
        let t = 137.0;
        assert!(
            (sum_of_sines(t, 1.3, 1200.0) - sum_of_sines(t + 1200.0, 1.3, 1200.0)).abs() < 1e-12
        );
        // ωt = π/2: sin = 1, sin(π) = 0, sin(3π/2) = −1, sin(2π) = 0.
        let v = sum_of_sines(300.0, 1.3, 1200.0);
        assert!((v - 1.3 / 1.5 * (1.0 - 1.0 / 6.0)).abs() < 1e-12);
    }
}
