//! Input/label streams for online learning: the Add task, the Mimic task (Marschall et al. 2020,
//! tasks section) and a plain stored sequence. Every random stream is seeded.

use super::rnn::{Activation, Loss, Rnn};
use crate::linalg::qr::orthonormal_columns;
use crate::rng;
use rand::Rng as _;

/// A source of (x(t), y*(t)) pairs.
pub trait Stream {
    /// Input dimension n_in.
    fn n_in(&self) -> usize;
    /// Label dimension n_out.
    fn n_out(&self) -> usize;
    /// Writes the next input and label; returns false (writing nothing) when the stream is over.
    fn next(&mut self, x: &mut [f64], y: &mut [f64]) -> bool;
}

/// The Add task (after Pitis 2016): x(t) ~ Bernoulli(½) i.i.d. and the deterministic target
/// probability y(t) = ½ + ½ x(t−t₁) − ¼ x(t−t₂). Encoding X = [x, 1−x], Y = [y, 1−y], for a
/// softmax cross-entropy readout. The stream is continuous; its first x(t−t₁), x(t−t₂) come from
/// a burn-in of max(t₁, t₂) draws, so it is stationary from the first step (the reference code's
/// `np.roll` wrap-around of finite datasets does not arise). With stretching τ (the reference
/// code's `tau_task`) every (x, y) pair is repeated τ times, so the lags in raw steps are τt₁
/// and τt₂.
#[derive(Clone, Debug)]
pub struct AddTask {
    t1: usize,
    t2: usize,
    tau: usize,
    /// Repeats of the current pair still to emit, and that pair (x, y).
    left: usize,
    current: (f64, f64),
    rng: rng::Rng,
    /// Ring buffer of the last max(t₁, t₂) + 1 inputs; `pos` holds the current one.
    hist: Vec<f64>,
    pos: usize,
}

impl AddTask {
    /// The Add task with lags t₁, t₂ ≥ 0 (in steps; lag 0 is the current input).
    pub fn new(t1: usize, t2: usize, seed: u64) -> AddTask {
        let len = t1.max(t2) + 1;
        let mut task = AddTask {
            t1,
            t2,
            tau: 1,
            left: 0,
            current: (0.0, 0.0),
            rng: rng::seeded(seed),
            hist: vec![0.0; len],
            pos: 0,
        };
        for _ in 0..len - 1 {
            task.draw();
        }
        task
    }

    /// The same task with every sample held for `tau` ≥ 1 steps.
    pub fn stretched(mut self, tau: usize) -> AddTask {
        assert!(tau >= 1, "AddTask: tau must be at least 1");
        self.tau = tau;
        self
    }

    fn draw(&mut self) -> f64 {
        let x = if self.rng.gen::<bool>() { 1.0 } else { 0.0 };
        self.pos = (self.pos + 1) % self.hist.len();
        self.hist[self.pos] = x;
        x
    }

    fn lagged(&self, lag: usize) -> f64 {
        let len = self.hist.len();
        self.hist[(self.pos + len - lag) % len]
    }

    /// The three cross-entropy baselines, with H(p) = −p ln p − (1−p) ln(1−p):
    /// no knowledge H(⅝) ≈ 0.66156; x(t−t₁) only ½[H(⅞) + H(⅜)] ≈ 0.51917; both lags (optimal)
    /// ¼[H(1) + H(¾) + H(½) + H(¼)] ≈ 0.45445.
    pub fn baselines() -> [f64; 3] {
        [
            entropy(0.625),
            0.5 * (entropy(0.875) + entropy(0.375)),
            0.25 * (entropy(1.0) + entropy(0.75) + entropy(0.5) + entropy(0.25)),
        ]
    }
}

/// Cross-entropy −y ln q − (1−y) ln(1−q) of the two-class prediction q for target y, with
/// 0 ln 0 = 0.
pub fn binary_cross_entropy(y: f64, q: f64) -> f64 {
    let term = |w: f64, p: f64| if w == 0.0 { 0.0 } else { -w * p.ln() };
    term(y, q) + term(1.0 - y, 1.0 - q)
}

/// Binary entropy H(p) in nats.
pub fn entropy(p: f64) -> f64 {
    binary_cross_entropy(p, p)
}

impl Stream for AddTask {
    fn n_in(&self) -> usize {
        2
    }
    fn n_out(&self) -> usize {
        2
    }
    fn next(&mut self, x: &mut [f64], y: &mut [f64]) -> bool {
        if self.left == 0 {
            let xt = self.draw();
            let yt = 0.5 + 0.5 * self.lagged(self.t1) - 0.25 * self.lagged(self.t2);
            self.current = (xt, yt);
            self.left = self.tau;
        }
        self.left -= 1;
        let (xt, yt) = self.current;
        x.copy_from_slice(&[xt, 1.0 - xt]);
        y.copy_from_slice(&[yt, 1.0 - yt]);
        true
    }
}

/// The Mimic task: a fixed random target RNN (tanh, linear readout) driven by i.i.d.
/// Bernoulli(p_input) inputs on each channel, started from h = 0 (a = 0); the label is its
/// output z*(t), to be learned with the MSE loss. Target weights as in the reference code:
/// W_rec = radius × orthogonal (QR), W_in ~ N(0, 1/n_in), W_out ~ N(0, 1/n),
/// b_rec, b_out ~ N(0, 0.1²).
#[derive(Clone, Debug)]
pub struct MimicTask {
    target: Rnn,
    a: Vec<f64>,
    /// The input is redrawn every `tau` steps; `left` steps of the current one remain.
    tau: usize,
    left: usize,
    x: Vec<f64>,
    p_input: f64,
    rng: rng::Rng,
    label: Vec<f64>,
}

impl MimicTask {
    /// A random target of n units with the given α and spectral radius; `seed` fixes both the
    /// target's weights and the input stream.
    pub fn new(
        n: usize,
        n_in: usize,
        n_out: usize,
        alpha: f64,
        radius: f64,
        p_input: f64,
        seed: u64,
    ) -> MimicTask {
        assert!(n_in > 0, "MimicTask: needs at least one input");
        let mut r = rng::seeded(seed);
        let mut w_rec = vec![0.0; n * n];
        rng::fill_normal(&mut r, 1.0, &mut w_rec);
        orthonormal_columns(&mut w_rec, n, n);
        w_rec.iter_mut().for_each(|v| *v *= radius);
        let mut w_in = vec![0.0; n * n_in];
        rng::fill_normal(&mut r, (1.0 / n_in as f64).sqrt(), &mut w_in);
        let mut w_out = vec![0.0; n_out * n];
        rng::fill_normal(&mut r, (1.0 / n as f64).sqrt(), &mut w_out);
        let mut b_rec = vec![0.0; n];
        rng::fill_normal(&mut r, 0.1, &mut b_rec);
        let mut b_out = vec![0.0; n_out];
        rng::fill_normal(&mut r, 0.1, &mut b_out);
        let target = Rnn::new(
            n,
            n_in,
            n_out,
            &w_rec,
            &w_in,
            &b_rec,
            &w_out,
            &b_out,
            alpha,
            Activation::Tanh,
            Loss::MeanSquaredError,
        );
        MimicTask::from_target(target, p_input, seed.wrapping_add(0x9E37_79B9_7F4A_7C15))
    }

    /// Imitation of a given target network, with inputs drawn from `seed`.
    pub fn from_target(target: Rnn, p_input: f64, seed: u64) -> MimicTask {
        assert!(
            (0.0..=1.0).contains(&p_input),
            "MimicTask: p_input must lie in [0, 1]"
        );
        MimicTask {
            a: vec![0.0; target.n()],
            tau: 1,
            left: 0,
            x: vec![0.0; target.n_in()],
            label: vec![0.0; target.n_out()],
            target,
            p_input,
            rng: rng::seeded(seed),
        }
    }

    /// The target network.
    /// The same task with every input held for `tau` ≥ 1 steps (the reference code's
    /// `tau_task`); the target network still steps every step.
    pub fn stretched(mut self, tau: usize) -> MimicTask {
        assert!(tau >= 1, "MimicTask: tau must be at least 1");
        self.tau = tau;
        self
    }

    pub fn target(&self) -> &Rnn {
        &self.target
    }
}

impl Stream for MimicTask {
    fn n_in(&self) -> usize {
        self.target.n_in()
    }
    fn n_out(&self) -> usize {
        self.target.n_out()
    }
    fn next(&mut self, x: &mut [f64], y: &mut [f64]) -> bool {
        if self.left == 0 {
            for v in self.x.iter_mut() {
                *v = if self.rng.gen_bool(self.p_input) {
                    1.0
                } else {
                    0.0
                };
            }
            self.left = self.tau;
        }
        self.left -= 1;
        x.copy_from_slice(&self.x);
        let s = self.target.step(&self.a, x, &self.label);
        y.copy_from_slice(&s.z);
        self.a = s.a;
        true
    }
}

/// A stored sequence of row-major inputs (T × n_in) and labels (T × n_out), played once.
#[derive(Clone, Debug)]
pub struct Sequence {
    inputs: Vec<f64>,
    labels: Vec<f64>,
    n_in: usize,
    n_out: usize,
    t: usize,
}

impl Sequence {
    /// Panics unless both arrays hold the same number T of rows.
    pub fn new(inputs: Vec<f64>, labels: Vec<f64>, n_in: usize, n_out: usize) -> Sequence {
        assert!(
            n_out > 0 && labels.len() % n_out == 0,
            "Sequence: labels must be T × n_out"
        );
        assert_eq!(
            inputs.len(),
            labels.len() / n_out * n_in,
            "Sequence: inputs must be T × n_in"
        );
        Sequence {
            inputs,
            labels,
            n_in,
            n_out,
            t: 0,
        }
    }

    /// Number of steps T.
    pub fn len(&self) -> usize {
        self.labels.len() / self.n_out
    }

    /// True when T = 0.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Restarts from the first step.
    pub fn rewind(&mut self) {
        self.t = 0;
    }
}

impl Stream for Sequence {
    fn n_in(&self) -> usize {
        self.n_in
    }
    fn n_out(&self) -> usize {
        self.n_out
    }
    fn next(&mut self, x: &mut [f64], y: &mut [f64]) -> bool {
        if self.t >= self.len() {
            return false;
        }
        let t = self.t;
        x.copy_from_slice(&self.inputs[t * self.n_in..(t + 1) * self.n_in]);
        y.copy_from_slice(&self.labels[t * self.n_out..(t + 1) * self.n_out]);
        self.t += 1;
        true
    }
}

/// Draws `steps` pairs from a stream into row-major (inputs, labels); stops early if it ends.
pub fn collect<S: Stream>(stream: &mut S, steps: usize) -> (Vec<f64>, Vec<f64>) {
    let (n_in, n_out) = (stream.n_in(), stream.n_out());
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    let (mut x, mut y) = (vec![0.0; n_in], vec![0.0; n_out]);
    for _ in 0..steps {
        if !stream.next(&mut x, &mut y) {
            break;
        }
        xs.extend_from_slice(&x);
        ys.extend_from_slice(&y);
    }
    (xs, ys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::bptt::forward;

    #[test]
    fn add_baselines_closed_form() {
        let b = AddTask::baselines();
        for (got, want) in b.iter().zip([0.66156, 0.51917, 0.45445]) {
            assert!((got - want).abs() < 5e-6, "{got} vs {want}");
        }
    }

    /// The three baselines estimated from a long stream: the constant predictor ȳ, the predictor
    /// E[y | x(t−t₁)] and the exact label itself, each with conditional means estimated from the
    /// same samples. Per-step losses lie in [0, 1.4], so the standard error at 400k steps is
    /// below 1e-3/3; the tolerance 2e-3 is six standard errors.
    #[test]
    fn add_baselines_from_generator_statistics() {
        let (t1, t2, steps) = (5, 9, 400_000);
        let mut task = AddTask::new(t1, t2, 21);
        let (xs, ys) = collect(&mut task, steps);
        let x: Vec<f64> = xs.iter().step_by(2).cloned().collect();
        let y: Vec<f64> = ys.iter().step_by(2).cloned().collect();
        for t in 0..steps {
            assert_eq!(xs[2 * t] + xs[2 * t + 1], 1.0);
            assert_eq!(ys[2 * t] + ys[2 * t + 1], 1.0);
        }
        // From t ≥ t₂ the lagged inputs are in the stream itself: check the label equation.
        for t in t2..steps {
            assert_eq!(y[t], 0.5 + 0.5 * x[t - t1] - 0.25 * x[t - t2]);
        }
        let range = t2..steps;
        let count = range.len() as f64;
        let mean = range.clone().map(|t| y[t]).sum::<f64>() / count;
        let mut sums = [0.0; 2];
        let mut counts = [0.0; 2];
        for t in range.clone() {
            let c = x[t - t1] as usize;
            sums[c] += y[t];
            counts[c] += 1.0;
        }
        let cond = [sums[0] / counts[0], sums[1] / counts[1]];
        let none = range
            .clone()
            .map(|t| binary_cross_entropy(y[t], mean))
            .sum::<f64>()
            / count;
        let first = range
            .clone()
            .map(|t| binary_cross_entropy(y[t], cond[x[t - t1] as usize]))
            .sum::<f64>()
            / count;
        let optimal = range.map(|t| entropy(y[t])).sum::<f64>() / count;
        let b = AddTask::baselines();
        for (got, want) in [none, first, optimal].iter().zip(b) {
            assert!((got - want).abs() < 2e-3, "{got} vs {want}");
        }
        assert!((mean - 0.625).abs() < 2e-3);
    }

    #[test]
    fn streams_are_deterministic_in_their_seed() {
        let a = collect(&mut AddTask::new(5, 9, 3), 500);
        assert_eq!(a, collect(&mut AddTask::new(5, 9, 3), 500));
        assert_ne!(a, collect(&mut AddTask::new(5, 9, 4), 500));
        let mimic = |seed| MimicTask::new(8, 3, 2, 0.7, 0.9, 0.5, seed);
        let b = collect(&mut mimic(3), 200);
        assert_eq!(b, collect(&mut mimic(3), 200));
        assert_ne!(b, collect(&mut mimic(4), 200));
    }

    #[test]
    fn mimic_labels_are_the_target_outputs_from_rest() {
        let mut task = MimicTask::new(8, 3, 2, 0.7, 0.9, 0.3, 5);
        let target = task.target().clone();
        let (xs, ys) = collect(&mut task, 100);
        assert!(xs.iter().all(|&v| v == 0.0 || v == 1.0));
        let steps = forward(&target, &[0.0; 8], &xs, &ys);
        for (t, s) in steps.iter().enumerate() {
            assert_eq!(&s.z[..], &ys[2 * t..2 * t + 2]);
            assert_eq!(s.loss, 0.0);
        }
    }

    /// Stretching by τ repeats each pair of the unstretched stream τ times (same seed), so the
    /// lags become τt₁ and τt₂; Mimic holds its inputs and still matches its target.
    #[test]
    fn stretching_repeats_samples() {
        let (xs, ys) = collect(&mut AddTask::new(2, 4, 7), 300);
        let (xt, yt) = collect(&mut AddTask::new(2, 4, 7).stretched(3), 900);
        for t in 0..900 {
            assert_eq!(&xt[2 * t..2 * t + 2], &xs[2 * (t / 3)..2 * (t / 3) + 2]);
            assert_eq!(&yt[2 * t..2 * t + 2], &ys[2 * (t / 3)..2 * (t / 3) + 2]);
        }
        let mut task = MimicTask::new(6, 2, 2, 0.5, 0.9, 0.5, 2).stretched(2);
        let target = task.target().clone();
        let (xs, ys) = collect(&mut task, 60);
        for t in (0..60).step_by(2) {
            assert_eq!(xs[2 * t..2 * t + 2], xs[2 * t + 2..2 * t + 4]);
        }
        for (t, s) in forward(&target, &[0.0; 6], &xs, &ys).iter().enumerate() {
            assert_eq!(&s.z[..], &ys[2 * t..2 * t + 2]);
        }
    }

    #[test]
    fn sequence_plays_once() {
        let mut s = Sequence::new(vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0], 1, 1);
        let (mut x, mut y) = ([0.0], [0.0]);
        for t in 0..3 {
            assert!(s.next(&mut x, &mut y));
            assert_eq!((x[0], y[0]), (1.0 + t as f64, 4.0 + t as f64));
        }
        assert!(!s.next(&mut x, &mut y));
        s.rewind();
        assert_eq!(
            collect(&mut s, 10),
            (vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0])
        );
    }
}
