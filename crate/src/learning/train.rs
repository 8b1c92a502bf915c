//! Online training (Marschall et al. 2020, §5): one parameter update per time step on a
//! continuous stream, with the recurrent weights W = [W_rec | W_in | b_rec] driven by one
//! algorithm's gradient estimate and the readout by its exact local gradient. Other algorithms
//! can run passively on the same trajectory; their gradients are compared with the cosine
//! cos(g_i, g_j) = ⟨g_i, g_j⟩/(‖g_i‖‖g_j‖) on the flattened W gradients (readout excluded), with
//! a lagged algorithm's gradient compared with the others' gradients of the same time index
//! (the reference code's `compare_algorithms`).
//!
//! Per step t: forward step with the current weights, every algorithm observes it, then the
//! optimizer updates all parameters; traces are not corrected for the parameter change.

use super::bptt::Gradients;
use super::learner::Learner;
use super::optimizer::Optimizer;
use super::rnn::{Rnn, Step};
use super::tasks::Stream;
use crate::kernels::dot;

/// The statistics of one block of steps.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockRecord {
    /// Steps trained when the block closed.
    pub steps: u64,
    /// Mean loss L(t) over the block.
    pub loss: f64,
    /// Mean global gradient norm (before clipping) of the updates.
    pub grad_norm: f64,
    /// Mean cosine of each pair (i, j), i < j, of algorithms (0 = the trained one), in the order
    /// (0,1), (0,2), …, (1,2), …; steps where either gradient is zero are skipped (NaN if all).
    pub alignment: Vec<f64>,
}

impl BlockRecord {
    /// Width of [`BlockRecord::to_array`] for `pairs` algorithm pairs.
    pub fn width(pairs: usize) -> usize {
        3 + pairs
    }

    /// `[steps, loss, grad_norm, alignment…]`.
    pub fn to_array(&self) -> Vec<f64> {
        let mut v = vec![self.steps as f64, self.loss, self.grad_norm];
        v.extend_from_slice(&self.alignment);
        v
    }
}

/// A training run: the network, the algorithms, the stream, the optimizer and the state.
pub struct Trainer {
    rnn: Rnn,
    learners: Vec<Box<dyn Learner>>,
    stream: Box<dyn Stream>,
    optimizer: Optimizer,
    a: Vec<f64>,
    x: Vec<f64>,
    y: Vec<f64>,
    /// Ring of the last `depth` gradients of each algorithm (for lagged comparisons).
    history: Vec<Vec<Vec<f64>>>,
    depth: usize,
    grads: Gradients,
    step: Step,
    steps: u64,
    block: usize,
    acc: Accumulator,
    records: Vec<BlockRecord>,
}

#[derive(Clone, Debug, Default)]
struct Accumulator {
    count: usize,
    loss: f64,
    norm: f64,
    cos: Vec<f64>,
    cos_count: Vec<usize>,
}

impl Trainer {
    /// A run of `rnn` from state `a0` on `stream`, trained by `learners[0]` with `optimizer`;
    /// `learners[1..]` run passively. Statistics are recorded every `block` steps. Panics if
    /// there is no algorithm, `block` is 0 or the shapes disagree.
    pub fn new(
        rnn: Rnn,
        a0: Vec<f64>,
        learners: Vec<Box<dyn Learner>>,
        stream: Box<dyn Stream>,
        optimizer: Optimizer,
        block: usize,
    ) -> Trainer {
        assert!(!learners.is_empty(), "Trainer: needs an algorithm");
        assert!(block > 0, "Trainer: block must be positive");
        assert_eq!(a0.len(), rnn.n(), "Trainer: a0 must have n entries");
        assert_eq!(stream.n_in(), rnn.n_in(), "Trainer: stream n_in differs");
        assert_eq!(stream.n_out(), rnn.n_out(), "Trainer: stream n_out differs");
        let k = learners.len();
        let depth = learners.iter().map(|l| l.lag()).max().unwrap_or(0) + 1;
        let nm = rnn.n() * rnn.m();
        let pairs = k * (k - 1) / 2;
        Trainer {
            x: vec![0.0; rnn.n_in()],
            y: vec![0.0; rnn.n_out()],
            history: vec![vec![vec![0.0; nm]; depth]; k],
            depth,
            grads: Gradients::zeros(&rnn),
            step: rnn.step(&a0, &vec![0.0; rnn.n_in()], &vec![0.0; rnn.n_out()]),
            rnn,
            a: a0,
            learners,
            stream,
            optimizer,
            steps: 0,
            block,
            acc: Accumulator {
                cos: vec![0.0; pairs],
                cos_count: vec![0; pairs],
                ..Accumulator::default()
            },
            records: Vec::new(),
        }
    }

    /// The network in its current state of training.
    pub fn rnn(&self) -> &Rnn {
        &self.rnn
    }

    /// Mutable access to the weights (e.g. to restore a checkpoint).
    pub fn rnn_mut(&mut self) -> &mut Rnn {
        &mut self.rnn
    }

    /// The optimizer and its state.
    pub fn optimizer_mut(&mut self) -> &mut Optimizer {
        &mut self.optimizer
    }

    /// The network state a(t).
    pub fn state(&self) -> &[f64] {
        &self.a
    }

    /// Sets the network state a(t) (length n).
    pub fn set_state(&mut self, a: &[f64]) {
        self.a.copy_from_slice(a);
    }

    /// Steps trained so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Sets the step counter (when resuming from a checkpoint).
    pub fn set_steps(&mut self, steps: u64) {
        self.steps = steps;
    }

    /// Number of algorithm pairs in each record's alignment.
    pub fn pairs(&self) -> usize {
        self.acc.cos.len()
    }

    /// Number of records waiting in [`Trainer::take_records`].
    pub fn pending(&self) -> usize {
        self.records.len()
    }

    /// Takes the records of the blocks closed since the last call.
    pub fn take_records(&mut self) -> Vec<BlockRecord> {
        std::mem::take(&mut self.records)
    }

    /// Trains for up to `steps` steps (fewer if the stream ends) and returns the steps taken.
    pub fn run(&mut self, steps: usize) -> usize {
        for done in 0..steps {
            if !self.stream.next(&mut self.x, &mut self.y) {
                return done;
            }
            self.train_step();
        }
        steps
    }

    fn train_step(&mut self) {
        let step = &mut self.step;
        self.rnn.step_into(&self.a, &self.x, &self.y, step);
        let slot = (self.steps % self.depth as u64) as usize;
        for (l, h) in self.learners.iter_mut().zip(self.history.iter_mut()) {
            l.observe(&self.rnn, step, &mut h[slot]);
        }
        if self.learners.len() > 1 {
            self.accumulate_alignment();
        }
        let step = &self.step;
        self.grads.w.copy_from_slice(&self.history[0][slot]);
        self.grads.w_out.iter_mut().for_each(|v| *v = 0.0);
        self.grads.b_out.iter_mut().for_each(|v| *v = 0.0);
        self.grads.add_readout(step);
        let norm = self.optimizer.apply(&mut self.rnn, &mut self.grads);
        self.a.copy_from_slice(&step.a);
        self.steps += 1;
        self.acc.count += 1;
        self.acc.loss += step.loss;
        self.acc.norm += norm;
        if self.acc.count == self.block {
            self.close_block();
        }
    }

    /// Adds cos(g_i, g_j) for each pair, the gradients taken at the same time index.
    fn accumulate_alignment(&mut self) {
        let k = self.learners.len();
        let lags: Vec<usize> = self.learners.iter().map(|l| l.lag()).collect();
        let max_lag = *lags.iter().max().unwrap_or(&0) as u64;
        if self.steps < max_lag {
            return;
        }
        // Every algorithm's gradient about step t − max_lag.
        let slots: Vec<usize> = lags
            .iter()
            .map(|&l| ((self.steps - max_lag + l as u64) % self.depth as u64) as usize)
            .collect();
        let norms: Vec<f64> = (0..k)
            .map(|i| {
                let g = &self.history[i][slots[i]];
                dot(g, g).sqrt()
            })
            .collect();
        let mut p = 0;
        for i in 0..k {
            for j in i + 1..k {
                if norms[i] > 0.0 && norms[j] > 0.0 {
                    let d = dot(&self.history[i][slots[i]], &self.history[j][slots[j]]);
                    self.acc.cos[p] += d / (norms[i] * norms[j]);
                    self.acc.cos_count[p] += 1;
                }
                p += 1;
            }
        }
    }

    fn close_block(&mut self) {
        let c = self.acc.count as f64;
        let alignment = self
            .acc
            .cos
            .iter()
            .zip(&self.acc.cos_count)
            .map(|(s, &k)| if k > 0 { s / k as f64 } else { f64::NAN })
            .collect();
        self.records.push(BlockRecord {
            steps: self.steps,
            loss: self.acc.loss / c,
            grad_norm: self.acc.norm / c,
            alignment,
        });
        let pairs = self.pairs();
        self.acc = Accumulator {
            cos: vec![0.0; pairs],
            cos_count: vec![0; pairs],
            ..Accumulator::default()
        };
    }

    /// Mean loss over `steps` steps of `stream`, continuing from a copy of the current state
    /// with the weights frozen (the reference code's test mode). Returns NaN for no steps.
    pub fn evaluate(&self, stream: &mut dyn Stream, steps: usize) -> f64 {
        let mut a = self.a.clone();
        let (mut x, mut y) = (self.x.clone(), self.y.clone());
        let mut total = 0.0;
        let mut count = 0;
        while count < steps && stream.next(&mut x, &mut y) {
            let s = self.rnn.step(&a, &x, &y);
            total += s.loss;
            a = s.a;
            count += 1;
        }
        total / count as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::algorithm::Algorithm;
    use crate::learning::bptt::forward;
    use crate::learning::online::test_problem;
    use crate::learning::optimizer::Rule;
    use crate::learning::rnn::Loss;
    use crate::learning::tasks::Sequence;

    fn len(rnn: &Rnn) -> usize {
        rnn.w.len() + rnn.w_out.len() + rnn.b_out.len()
    }

    /// With learning rate 0 the run is the plain forward pass, and the passive RTRL agrees with
    /// the trained RTRL exactly (cosine 1); the recorded loss is the forward losses' mean.
    #[test]
    fn frozen_run_matches_the_forward_pass() {
        let (net, a0, x, y) = test_problem(6, 3, 2, 40, 0.7, Loss::MeanSquaredError, 4);
        let learners = vec![
            Algorithm::Rtrl.build(&net, 0),
            Algorithm::Rtrl.build(&net, 0),
            Algorithm::Rflo {
                random_feedback: false,
            }
            .build(&net, 0),
        ];
        let stream = Box::new(Sequence::new(x.clone(), y.clone(), 3, 2));
        let opt = Optimizer::new(Rule::Sgd { lr: 0.0 }, None, len(&net));
        let mut tr = Trainer::new(net.clone(), a0.clone(), learners, stream, opt, 10);
        assert_eq!(tr.run(100), 40);
        let recs = tr.take_records();
        assert_eq!(recs.len(), 4);
        let steps = forward(&net, &a0, &x, &y);
        for (b, r) in recs.iter().enumerate() {
            let want = steps[10 * b..10 * (b + 1)]
                .iter()
                .map(|s| s.loss)
                .sum::<f64>()
                / 10.0;
            assert!((r.loss - want).abs() < 1e-14);
            assert_eq!(r.steps, 10 * (b as u64 + 1));
            assert!((r.alignment[0] - 1.0).abs() < 1e-12);
            assert!(r.alignment[1] > 0.0 && r.alignment[1] < 1.0);
            assert!((r.alignment[1] - r.alignment[2]).abs() < 1e-12);
        }
        assert_eq!(tr.state(), &steps[39].a[..]);
        assert_eq!(tr.rnn(), &net);
    }

    /// With W_rec = 0 and α = 1 the Jacobian vanishes, so F-BPTT(T)'s gradient about step s is
    /// the immediate gradient c(s) M̄(s), which is RTRL's g(s): compared at the same time index
    /// (F-BPTT lagged by T − 1) their cosine is exactly 1, which it is not without the lag.
    #[test]
    fn lagged_algorithms_are_compared_at_the_same_time_index() {
        let (mut net, a0, x, y) = test_problem(5, 2, 2, 60, 1.0, Loss::MeanSquaredError, 6);
        let m = net.m();
        for i in 0..5 {
            net.w[i * m..i * m + 5].iter_mut().for_each(|v| *v = 0.0);
        }
        let learners = vec![
            Algorithm::Rtrl.build(&net, 0),
            Algorithm::FBptt { t: 4 }.build(&net, 0),
            Algorithm::Tbptt { k: 1 }.build(&net, 0),
        ];
        let stream = Box::new(Sequence::new(x, y, 2, 2));
        let opt = Optimizer::new(Rule::Sgd { lr: 0.0 }, None, len(&net));
        let mut tr = Trainer::new(net, a0, learners, stream, opt, 20);
        tr.run(60);
        for r in tr.take_records() {
            assert!((r.alignment[0] - 1.0).abs() < 1e-12, "{:?}", r.alignment);
            assert!((r.alignment[1] - 1.0).abs() < 1e-12);
            assert!((r.alignment[2] - 1.0).abs() < 1e-12);
        }
    }

    /// One SGD step of the trainer equals the hand-computed update from RTRL's first gradient
    /// and the readout's exact gradient.
    #[test]
    fn first_update_is_sgd_on_the_online_gradient() {
        let (net, a0, x, y) = test_problem(5, 2, 3, 1, 1.0, Loss::SoftmaxCrossEntropy, 8);
        let lr = 0.1;
        let opt = Optimizer::new(Rule::Sgd { lr }, None, len(&net));
        let stream = Box::new(Sequence::new(x.clone(), y.clone(), 2, 3));
        let mut tr = Trainer::new(
            net.clone(),
            a0.clone(),
            vec![Algorithm::Rtrl.build(&net, 0)],
            stream,
            opt,
            1,
        );
        tr.run(1);
        let (_, g) = crate::learning::bptt::bptt(&net, &a0, &x, &y);
        for (after, (before, gi)) in tr.rnn().w.iter().zip(net.w.iter().zip(&g.w)) {
            assert!((after - (before - lr * gi)).abs() < 1e-15);
        }
        for (after, (before, gi)) in tr.rnn().w_out.iter().zip(net.w_out.iter().zip(&g.w_out)) {
            assert!((after - (before - lr * gi)).abs() < 1e-15);
        }
    }

    /// Training lowers the loss: RTRL with SGD on a fixed short sequence replayed (a user
    /// sequence) reduces its mean loss.
    #[test]
    fn training_reduces_the_loss() {
        let (net, a0, x, y) = test_problem(8, 3, 2, 2000, 1.0, Loss::MeanSquaredError, 2);
        let mut frozen = Trainer::new(
            net.clone(),
            a0.clone(),
            vec![Algorithm::Rtrl.build(&net, 0)],
            Box::new(Sequence::new(x.clone(), y.clone(), 3, 2)),
            Optimizer::new(Rule::Sgd { lr: 0.0 }, None, len(&net)),
            1000,
        );
        let mut trained = Trainer::new(
            net.clone(),
            a0,
            vec![Algorithm::Rtrl.build(&net, 0)],
            Box::new(Sequence::new(x, y, 3, 2)),
            Optimizer::new(Rule::adam(1e-2), Some(1.0), len(&net)),
            1000,
        );
        frozen.run(2000);
        trained.run(2000);
        let f = frozen.take_records();
        let t = trained.take_records();
        assert!(
            t[1].loss < 0.8 * f[1].loss,
            "{} vs {}",
            t[1].loss,
            f[1].loss
        );
    }
}
