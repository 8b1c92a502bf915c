//! Export for the compartmental network with local plasticity rules ([`crate::plasticity`]): one
//! call trains a network by the local rules and runs its parents passively on the same
//! trajectory. Network arguments as in [`super::learning`].

use std::cell::RefCell;
use std::rc::Rc;

use super::error::{fail, Status};
use super::learning::{network, positive_integer, sequence, write_arrays};
use super::{output, required, seed_from, status, view};
use crate::learning::dni::Dni;
use crate::learning::f_bptt::FBptt;
use crate::learning::learner::Learner;
use crate::learning::optimizer::{Optimizer, Rule};
use crate::learning::rnn::{Rnn, Step};
use crate::learning::tasks::{AddTask, Sequence, Stream};
use crate::learning::train::Trainer;
use crate::plasticity::{CompartmentalNetwork, PlasticityOptions};

fn invalid(message: &str) -> i32 {
    fail(Status::InvalidArgument, message)
}

/// The local learner shared with the caller, so that its synapses can be read after training.
struct Shared(Rc<RefCell<CompartmentalNetwork>>);

impl Learner for Shared {
    fn reset(&mut self) {
        self.0.borrow_mut().reset();
    }
    fn observe(&mut self, rnn: &Rnn, step: &Step, g: &mut [f64]) {
        self.0.borrow_mut().observe(rnn, step, g);
    }
}

/// Trains the network for `steps` steps by the local rules (rates η_SG = `apical_rate`,
/// η_J = `prediction_rate`; the compartments drawn from `seed` + 1) with SGD at `lr` (global norm
/// clipped to `max_norm` unless NaN), the readout by its exact gradient. Passive on the same
/// trajectory: DNI(b) from the same seed, DNI (exact Jacobian) from the same initial A, and, if
/// `horizon` > 0, F-BPTT(`horizon`). Task `task_code`: 0 Add with `task_params` [t₁, t₂, τ]
/// (stream drawn from `seed`), 2 a user sequence of `seq_steps` ≥ `steps` steps.
///
/// Writes the trained weights (`outs`), the final state (`out_a`), the records of the
/// ⌊steps/block⌋ blocks (`out_records`, each [steps, loss, grad norm, cosines of the pairs
/// (local, DNI(b)), (local, DNI), (local, F-BPTT), (DNI(b), DNI), …] with 3 + k(k−1)/2 entries
/// for k = 3 or 4 learners), the mean loss of `test_steps` steps with frozen weights from the
/// final state (`out_test_loss`; a fresh Add stream from `test_seed`, or the sequence from its
/// start; NaN for 0 steps), and the synapses A (n × p), P (n × n), K (n × n) and B_fb (n_out × n),
/// p = n + n_out + 1.
///
/// # Safety
/// Network pointers as in [`super::learning`]; `a0` holds n, the arrays their stated sizes;
/// outputs hold their stated sizes.
#[no_mangle]
pub unsafe extern "C" fn rnl_plasticity_train(
    n: usize,
    n_in: usize,
    n_out: usize,
    alpha: f64,
    activation: u32,
    loss: u32,
    legacy: u32,
    w_rec: *const f64,
    w_in: *const f64,
    b_rec: *const f64,
    w_out: *const f64,
    b_out: *const f64,
    a0: *const f64,
    task_code: u32,
    task_params: *const f64,
    task_params_len: usize,
    seq_steps: usize,
    inputs: *const f64,
    labels: *const f64,
    apical_rate: f64,
    prediction_rate: f64,
    horizon: usize,
    lr: f64,
    max_norm: f64,
    seed: f64,
    steps: usize,
    block: usize,
    test_steps: usize,
    test_seed: f64,
    out_w_rec: *mut f64,
    out_w_in: *mut f64,
    out_b_rec: *mut f64,
    out_w_out: *mut f64,
    out_b_out: *mut f64,
    out_a: *mut f64,
    out_records: *mut f64,
    out_test_loss: *mut f64,
    out_apical: *mut f64,
    out_prediction: *mut f64,
    out_mirror: *mut f64,
    out_feedback: *mut f64,
) -> i32 {
    status(|| {
        let rnn = network(
            n,
            n_in,
            n_out,
            alpha,
            activation,
            loss,
            legacy,
            [w_rec, w_in, b_rec, w_out, b_out],
        )?;
        let a0 = required(view(a0, n), "a0")?.to_vec();
        let seed = seed_from(seed)?;
        let test_seed = seed_from(test_seed)?;
        for (v, name) in [
            (apical_rate, "apicalRate"),
            (prediction_rate, "predictionRate"),
            (lr, "lr"),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(invalid(&format!("{name}: must be finite and ≥ 0")));
            }
        }
        if !(max_norm.is_nan() || max_norm > 0.0) {
            return Err(invalid("clip: must be positive"));
        }
        if block == 0 {
            return Err(invalid("block: must be positive"));
        }
        let params = view(task_params, task_params_len).unwrap_or(&[]);
        let seq = if task_code == 2 {
            if seq_steps < steps {
                return Err(invalid("steps: longer than the sequence"));
            }
            Some(sequence(&rnn, seq_steps, inputs, labels)?)
        } else {
            None
        };
        let make_stream = |s: u64| -> Result<Box<dyn Stream>, i32> {
            match (task_code, params.len()) {
                (0, 3) => {
                    if n_in != 2 || n_out != 2 {
                        return Err(invalid("task: the Add task needs n_in = n_out = 2"));
                    }
                    let (t1, t2) = (
                        positive_integer(params[0], "task.lags")?,
                        positive_integer(params[1], "task.lags")?,
                    );
                    let tau = positive_integer(params[2], "task.tau")?.max(1);
                    Ok(Box::new(AddTask::new(t1, t2, s).stretched(tau)))
                }
                (2, 0) => match &seq {
                    Some((x, y)) => Ok(Box::new(Sequence::new(x.clone(), y.clone(), n_in, n_out))),
                    None => Err(invalid("task: the sequence is missing")),
                },
                _ => Err(invalid("task: only the Add task or a sequence")),
            }
        };
        let stream = make_stream(seed)?;
        let opts = PlasticityOptions::new(apical_rate, prediction_rate);
        let local = Rc::new(RefCell::new(CompartmentalNetwork::new(
            &rnn,
            opts,
            seed.wrapping_add(1),
        )));
        let mut dni = Dni::new(&rnn, apical_rate, 0);
        dni.set_a(local.borrow().apical());
        let mut learners: Vec<Box<dyn Learner>> = vec![
            Box::new(Shared(Rc::clone(&local))),
            Box::new(Dni::bio(
                &rnn,
                apical_rate,
                prediction_rate,
                seed.wrapping_add(1),
            )),
            Box::new(dni),
        ];
        if horizon > 0 {
            learners.push(Box::new(FBptt::new(&rnn, horizon)));
        }
        let k = learners.len();
        let width = 3 + k * (k - 1) / 2;
        let blocks = steps / block;
        let records_out = output(out_records, blocks * width)?;
        let len = rnn.w.len() + rnn.w_out.len() + rnn.b_out.len();
        let clip = if max_norm.is_nan() {
            None
        } else {
            Some(max_norm)
        };
        let optimizer = Optimizer::new(Rule::Sgd { lr }, clip, len);
        let mut trainer = Trainer::new(rnn, a0, learners, stream, optimizer, block);
        trainer.run(steps);
        for (r, out) in trainer
            .take_records()
            .iter()
            .zip(records_out.chunks_exact_mut(width))
        {
            out.copy_from_slice(&r.to_array());
        }
        output(out_test_loss, 1)?[0] = if test_steps == 0 {
            f64::NAN
        } else {
            trainer.evaluate(make_stream(test_seed)?.as_mut(), test_steps)
        };
        let trained = trainer.rnn();
        write_arrays(
            trained,
            &trained.w,
            &trained.w_out,
            &trained.b_out,
            [out_w_rec, out_w_in, out_b_rec, out_w_out, out_b_out],
        )?;
        output(out_a, n)?.copy_from_slice(trainer.state());
        let local = local.borrow();
        output(out_apical, local.apical().len())?.copy_from_slice(local.apical());
        output(out_prediction, n * n)?.copy_from_slice(local.prediction());
        output(out_mirror, n * n)?.copy_from_slice(local.mirror());
        output(out_feedback, n_out * n)?.copy_from_slice(local.feedback());
        Ok(())
    })
}
