//! Exports for online learning: networks cross the boundary as their five row-major weight
//! arrays plus settings; training runs live in WASM behind a handle.
//!
//! Network arguments, in order: n, n_in, n_out, α, activation (0 tanh, 1 identity), loss
//! (0 softmax cross-entropy, 1 mean squared error), legacy bits (1 clipped-probability CE value,
//! 2 MSE sum derivative, 4 RTRL-family M̄ without α, 8 discarded clipping), then W_rec (n×n),
//! W_in (n×n_in), b_rec (n), W_out (n_out×n), b_out (n_out).

use std::cell::RefCell;

use super::error::{fail, Status};
use super::handles::Slab;
use super::{output, required, seed_from, status, view, view_mut};
use crate::learning::algorithm::Algorithm;
use crate::learning::bptt::{bptt, forward, Gradients};
use crate::learning::learner::{online_gradient, Learner};
use crate::learning::optimizer::{Optimizer, Rule};
use crate::learning::rnn::{Activation, Legacy, Loss, Rnn};
use crate::learning::tasks::{AddTask, MimicTask, Sequence, Stream};
use crate::learning::train::{BlockRecord, Trainer};

fn invalid(message: &str) -> i32 {
    fail(Status::InvalidArgument, message)
}

/// Builds the network from the flat arguments (see the module doc).
pub(super) unsafe fn network(
    n: usize,
    n_in: usize,
    n_out: usize,
    alpha: f64,
    activation: u32,
    loss: u32,
    legacy: u32,
    w: [*const f64; 5],
) -> Result<Rnn, i32> {
    if n == 0 || n_out == 0 {
        return Err(invalid("n: n and n_out must be positive"));
    }
    if !(alpha > 0.0 && alpha <= 1.0) {
        return Err(invalid("alpha: must lie in (0, 1]"));
    }
    let activation = match activation {
        0 => Activation::Tanh,
        1 => Activation::Identity,
        _ => return Err(invalid("activation: unknown code")),
    };
    let loss = match loss {
        0 => Loss::SoftmaxCrossEntropy,
        1 => Loss::MeanSquaredError,
        _ => return Err(invalid("loss: unknown code")),
    };
    let w_rec = required(view(w[0], n * n), "wRec")?;
    let w_in = required(view(w[1], n * n_in), "wIn")?;
    let b_rec = required(view(w[2], n), "bRec")?;
    let w_out = required(view(w[3], n_out * n), "wOut")?;
    let b_out = required(view(w[4], n_out), "bOut")?;
    let mut rnn = Rnn::new(
        n, n_in, n_out, w_rec, w_in, b_rec, w_out, b_out, alpha, activation, loss,
    );
    rnn.legacy = Legacy {
        clip_probability: legacy & 1 != 0,
        mse_sum_derivative: legacy & 2 != 0,
        rtrl_without_alpha: legacy & 4 != 0,
    };
    Ok(rnn)
}

/// Writes W = [W_rec | W_in | b_rec] (n × m) split into its three arrays.
fn split_w(rnn: &Rnn, w: &[f64], w_rec: &mut [f64], w_in: &mut [f64], b_rec: &mut [f64]) {
    let (n, n_in, m) = (rnn.n(), rnn.n_in(), rnn.m());
    for i in 0..n {
        let row = &w[i * m..(i + 1) * m];
        w_rec[i * n..(i + 1) * n].copy_from_slice(&row[..n]);
        w_in[i * n_in..(i + 1) * n_in].copy_from_slice(&row[n..n + n_in]);
        b_rec[i] = row[m - 1];
    }
}

/// Output pointers of the five gradient (or weight) arrays, in network order.
type Outs = [*mut f64; 5];

pub(super) unsafe fn write_arrays(
    rnn: &Rnn,
    w: &[f64],
    w_out: &[f64],
    b_out: &[f64],
    out: Outs,
) -> Result<(), i32> {
    let (n, n_in, n_out) = (rnn.n(), rnn.n_in(), rnn.n_out());
    let w_rec = output(out[0], n * n)?;
    let w_in = view_mut(out[1], n * n_in).unwrap_or(&mut []);
    let b_rec = output(out[2], n)?;
    split_w(rnn, w, w_rec, w_in, b_rec);
    output(out[3], n_out * n)?.copy_from_slice(w_out);
    output(out[4], n_out)?.copy_from_slice(b_out);
    Ok(())
}

/// The reference initialisation (orthogonal W_rec, W_in ~ N(0, 1/n_in), W_out ~ N(0, 1/n),
/// zero biases) into `out_w_rec`, `out_w_in`, `out_w_out`, and the initial state
/// a = tanh(N(0, 1)) into `out_a0`, all from `seed`.
///
/// # Safety
/// Outputs hold n², n·n_in, n_out·n and n f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_rnn_init(
    n: usize,
    n_in: usize,
    n_out: usize,
    seed: f64,
    out_w_rec: *mut f64,
    out_w_in: *mut f64,
    out_w_out: *mut f64,
    out_a0: *mut f64,
) -> i32 {
    status(|| {
        if n == 0 || n_out == 0 {
            return Err(invalid("n: n and n_out must be positive"));
        }
        let seed = seed_from(seed)?;
        let rnn = Rnn::init(
            n,
            n_in,
            n_out,
            1.0,
            Activation::Tanh,
            Loss::MeanSquaredError,
            seed,
        );
        let mut b = vec![0.0; n];
        let w_in = view_mut(out_w_in, n * n_in).unwrap_or(&mut []);
        split_w(&rnn, &rnn.w, output(out_w_rec, n * n)?, w_in, &mut b);
        output(out_w_out, n_out * n)?.copy_from_slice(&rnn.w_out);
        output(out_a0, n)?.copy_from_slice(&Rnn::initial_state(n, seed ^ 0x5851_F42D_4C95_7F2D));
        Ok(())
    })
}

/// The algorithm `code` with its options (`Algorithm::from_code`).
unsafe fn algorithm(code: u32, options: *const f64, len: usize) -> Result<Algorithm, i32> {
    let options = view(options, len).unwrap_or(&[]);
    Algorithm::from_code(code, options).map_err(|m| invalid(&format!("algorithm: {m}")))
}

/// The sequence `inputs` (steps × n_in), `labels` (steps × n_out).
pub(super) unsafe fn sequence(
    rnn: &Rnn,
    steps: usize,
    inputs: *const f64,
    labels: *const f64,
) -> Result<(Vec<f64>, Vec<f64>), i32> {
    let x = if rnn.n_in() == 0 {
        Vec::new()
    } else {
        required(view(inputs, steps * rnn.n_in()), "inputs")?.to_vec()
    };
    let y = required(view(labels, steps * rnn.n_out()), "labels")?.to_vec();
    Ok((x, y))
}

/// Runs algorithm `code` (options as [`Algorithm::from_code`]; `code` = u32::MAX is exact
/// offline BPTT) over the sequence from state `a0` with the weights held fixed, and writes the
/// summed gradient of each weight array (`outs`, network order), the total loss (`out_loss`)
/// and, if `out_per_step` is non-null, each step's W gradient (steps × n × m; for BPTT the
/// per-step column sums ∂L/∂W^(t)).
///
/// # Safety
/// Network pointers as in the module doc; `a0` holds n, `inputs` steps·n_in, `labels`
/// steps·n_out; outputs hold their array's size, `out_per_step` steps·n·m, `out_loss` 1.
#[no_mangle]
pub unsafe extern "C" fn rnl_learn_gradient(
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
    steps: usize,
    inputs: *const f64,
    labels: *const f64,
    code: u32,
    options: *const f64,
    options_len: usize,
    seed: f64,
    out_w_rec: *mut f64,
    out_w_in: *mut f64,
    out_b_rec: *mut f64,
    out_w_out: *mut f64,
    out_b_out: *mut f64,
    out_per_step: *mut f64,
    out_loss: *mut f64,
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
        let a0 = required(view(a0, n), "a0")?;
        let (x, y) = sequence(&rnn, steps, inputs, labels)?;
        let seed = seed_from(seed)?;
        let nm = n * rnn.m();
        let per_step = view_mut(out_per_step, steps * nm);
        let (total, grads) = if code == u32::MAX {
            if let Some(ps) = per_step {
                bptt_per_step(&rnn, a0, &x, &y, ps);
            }
            bptt(&rnn, a0, &x, &y)
        } else {
            let mut alg = algorithm(code, options, options_len)?.build(&rnn, seed);
            match per_step {
                Some(ps) => stepwise(alg.as_mut(), &rnn, a0, &x, &y, ps),
                None => online_gradient(alg.as_mut(), &rnn, a0, &x, &y),
            }
        };
        write_arrays(
            &rnn,
            &grads.w,
            &grads.w_out,
            &grads.b_out,
            [out_w_rec, out_w_in, out_b_rec, out_w_out, out_b_out],
        )?;
        output(out_loss, 1)?[0] = total;
        Ok(())
    })
}

/// As `online_gradient`, also writing each step's emitted W gradient (the flushed remainder is
/// added to the last step's).
fn stepwise(
    alg: &mut dyn Learner,
    rnn: &Rnn,
    a0: &[f64],
    x: &[f64],
    y: &[f64],
    per_step: &mut [f64],
) -> (f64, Gradients) {
    let nm = rnn.n() * rnn.m();
    let mut grads = Gradients::zeros(rnn);
    let steps = forward(rnn, a0, x, y);
    for (t, s) in steps.iter().enumerate() {
        let g = &mut per_step[t * nm..(t + 1) * nm];
        alg.observe(rnn, s, g);
        grads.w.iter_mut().zip(g.iter()).for_each(|(a, v)| *a += v);
        grads.add_readout(s);
    }
    let mut rest = vec![0.0; nm];
    if !steps.is_empty() && alg.flush(rnn, &mut rest) {
        let last = steps.len() - 1;
        for (p, r) in per_step[last * nm..].iter_mut().zip(&rest) {
            *p += r;
        }
        grads.w.iter_mut().zip(&rest).for_each(|(a, v)| *a += v);
    }
    (steps.iter().map(|s| s.loss).sum(), grads)
}

/// Per-step BPTT column sums ∂L/∂W^(t) = (c̄(t) ⊙ α φ'(h(t))) ⊗ â(t−1).
fn bptt_per_step(rnn: &Rnn, a0: &[f64], x: &[f64], y: &[f64], per_step: &mut [f64]) {
    let (n, m) = (rnn.n(), rnn.m());
    let steps = forward(rnn, a0, x, y);
    let mut cbar = vec![0.0; n];
    for (t, s) in steps.iter().enumerate().rev() {
        let c = rnn.credit(&s.e);
        cbar.iter_mut().zip(&c).for_each(|(b, ci)| *b += ci);
        let g = &mut per_step[t * n * m..(t + 1) * n * m];
        for i in 0..n {
            let d = cbar[i] * rnn.alpha * s.dphi[i];
            for (gij, aj) in g[i * m..(i + 1) * m].iter_mut().zip(&s.a_hat) {
                *gij = d * aj;
            }
        }
        cbar = rnn.vec_jacobian(&cbar, &s.dphi);
    }
}

/// A training run and the task it was built from (for fresh evaluation streams).
struct Run {
    trainer: Trainer,
    task: Task,
}

/// A task specification (see [`rnl_trainer_new`]).
#[derive(Clone)]
enum Task {
    Add {
        t1: usize,
        t2: usize,
        tau: usize,
    },
    Mimic {
        target: Box<Rnn>,
        p_input: f64,
        tau: usize,
    },
    Sequence {
        x: Vec<f64>,
        y: Vec<f64>,
    },
}

impl Task {
    fn stream(&self, n_in: usize, n_out: usize, seed: u64) -> Box<dyn Stream> {
        match self {
            Task::Add { t1, t2, tau } => Box::new(AddTask::new(*t1, *t2, seed).stretched(*tau)),
            Task::Mimic {
                target,
                p_input,
                tau,
            } => Box::new(
                MimicTask::from_target(target.as_ref().clone(), *p_input, seed).stretched(*tau),
            ),
            Task::Sequence { x, y } => Box::new(Sequence::new(x.clone(), y.clone(), n_in, n_out)),
        }
    }
}

thread_local! {
    static RUNS: RefCell<Slab<Run>> = RefCell::new(Slab::new());
}

fn with_run<R>(handle: u32, f: impl FnOnce(&mut Run) -> Result<R, i32>) -> Result<R, i32> {
    RUNS.with(|s| f(s.borrow_mut().get_mut(handle)?))
}

pub(super) fn positive_integer(v: f64, name: &str) -> Result<usize, i32> {
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < 1e9 {
        Ok(v as usize)
    } else {
        Err(invalid(&format!("{name}: must be a non-negative integer")))
    }
}

/// Creates a training run. Task `task_code`: 0 Add with `task_params` [t₁, t₂, τ]; 1 Mimic with
/// [n_target, spectral radius, p_input, τ, target seed] (target of the network's α, n_in and
/// n_out); 2 a user sequence `inputs`/`labels` of `seq_steps` steps. Algorithms: `alg_count`
/// codes in `alg_codes`, their options concatenated in `alg_options`; the first trains, the
/// others run passively. Optimizer `rule`: 0 SGD, 1 Adam (β₁, β₂, ε); `max_norm` > 0 clips
/// (NaN: no clipping). Algorithm i draws from seed + i + 1, the task stream from `seed`.
/// Returns a handle, or 0 on failure.
///
/// # Safety
/// Network pointers as in the module doc; `a0` holds n; the other arrays their stated sizes.
#[no_mangle]
pub unsafe extern "C" fn rnl_trainer_new(
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
    alg_count: usize,
    alg_codes: *const f64,
    alg_options: *const f64,
    alg_options_len: usize,
    rule: u32,
    lr: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    max_norm: f64,
    seed: f64,
    block: usize,
) -> u32 {
    let build = || -> Result<u32, i32> {
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
        let params = view(task_params, task_params_len).unwrap_or(&[]);
        let task = match (task_code, params.len()) {
            (0, 3) => {
                if n_in != 2 || n_out != 2 {
                    return Err(invalid("task: the Add task needs n_in = n_out = 2"));
                }
                Task::Add {
                    t1: positive_integer(params[0], "task.lags")?,
                    t2: positive_integer(params[1], "task.lags")?,
                    tau: positive_integer(params[2], "task.tau")?.max(1),
                }
            }
            (1, 5) => {
                if n_in == 0 {
                    return Err(invalid("task: the Mimic task needs n_in ≥ 1"));
                }
                let p_input = params[2];
                if !(0.0..=1.0).contains(&p_input) {
                    return Err(invalid("task.pInput: must lie in [0, 1]"));
                }
                let target = MimicTask::new(
                    positive_integer(params[0], "task.n")?.max(1),
                    n_in,
                    n_out,
                    alpha,
                    params[1],
                    p_input,
                    seed_from(params[4])?,
                );
                Task::Mimic {
                    target: Box::new(target.target().clone()),
                    p_input,
                    tau: positive_integer(params[3], "task.tau")?.max(1),
                }
            }
            (2, 0) => {
                let (x, y) = sequence(&rnn, seq_steps, inputs, labels)?;
                Task::Sequence { x, y }
            }
            _ => return Err(invalid("task: unknown task or wrong number of parameters")),
        };
        let codes = required(view(alg_codes, alg_count), "algorithm")?;
        if codes.is_empty() {
            return Err(invalid("algorithm: at least one is needed"));
        }
        let options = view(alg_options, alg_options_len).unwrap_or(&[]);
        let mut at = 0;
        let mut learners = Vec::with_capacity(codes.len());
        for (i, &c) in codes.iter().enumerate() {
            let code = positive_integer(c, "algorithm")? as u32;
            let k =
                Algorithm::option_count(code).ok_or_else(|| invalid("algorithm: unknown code"))?;
            if at + k > options.len() {
                return Err(invalid("algorithm: too few options"));
            }
            let alg = algorithm(code, options[at..].as_ptr(), k)?;
            at += k;
            learners.push(alg.build(&rnn, seed.wrapping_add(i as u64 + 1)));
        }
        if at != options.len() {
            return Err(invalid("algorithm: too many options"));
        }
        let rule = match rule {
            0 => Rule::Sgd { lr },
            1 => Rule::Adam {
                lr,
                beta1,
                beta2,
                eps,
            },
            _ => return Err(invalid("optimizer: unknown rule")),
        };
        if block == 0 {
            return Err(invalid("block: must be positive"));
        }
        let len = rnn.w.len() + rnn.w_out.len() + rnn.b_out.len();
        let clip = if max_norm.is_nan() {
            None
        } else {
            Some(max_norm)
        };
        let mut optimizer = Optimizer::new(rule, clip, len);
        optimizer.discard_clipping = legacy & 8 != 0;
        let stream = task.stream(n_in, n_out, seed);
        let trainer = Trainer::new(rnn, a0, learners, stream, optimizer, block);
        Ok(RUNS.with(|s| s.borrow_mut().insert(Run { trainer, task })))
    };
    build().unwrap_or(0)
}

/// Frees a training run.
#[no_mangle]
pub extern "C" fn rnl_trainer_free(handle: u32) -> i32 {
    status(|| RUNS.with(|s| s.borrow_mut().remove(handle)))
}

/// Number of live training runs.
#[no_mangle]
pub extern "C" fn rnl_trainer_live() -> usize {
    RUNS.with(|s| s.borrow().live())
}

/// Trains up to `steps` steps; returns the steps taken (fewer when a sequence ends), −1 on error.
#[no_mangle]
pub extern "C" fn rnl_trainer_run(handle: u32, steps: usize) -> f64 {
    with_run(handle, |r| Ok(r.trainer.run(steps) as f64)).unwrap_or(-1.0)
}

/// Number of block records waiting to be read, −1 on error.
#[no_mangle]
pub extern "C" fn rnl_trainer_pending(handle: u32) -> f64 {
    with_run(handle, |r| Ok(r.trainer.pending() as f64)).unwrap_or(-1.0)
}

/// Width of one block record (`BlockRecord::width`), −1 on error.
#[no_mangle]
pub extern "C" fn rnl_trainer_record_width(handle: u32) -> f64 {
    with_run(handle, |r| Ok(BlockRecord::width(r.trainer.pairs()) as f64)).unwrap_or(-1.0)
}

/// Moves the waiting block records (pending × width, `BlockRecord::to_array` rows) to `out`.
///
/// # Safety
/// `out` holds pending × width f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_trainer_take_records(handle: u32, out: *mut f64) -> i32 {
    status(|| {
        with_run(handle, |r| {
            let width = BlockRecord::width(r.trainer.pairs());
            let recs = r.trainer.take_records();
            let out = output(out, recs.len() * width)?;
            for (row, rec) in out.chunks_mut(width).zip(&recs) {
                row.copy_from_slice(&rec.to_array());
            }
            Ok(())
        })
    })
}

/// Writes the current weights (network order), the state a (n), and into `out_counts` [steps
/// trained, optimizer updates].
///
/// # Safety
/// Outputs hold their array's size; `out_a` n; `out_counts` 2.
#[no_mangle]
pub unsafe extern "C" fn rnl_trainer_weights(
    handle: u32,
    out_w_rec: *mut f64,
    out_w_in: *mut f64,
    out_b_rec: *mut f64,
    out_w_out: *mut f64,
    out_b_out: *mut f64,
    out_a: *mut f64,
    out_counts: *mut f64,
) -> i32 {
    status(|| {
        with_run(handle, |r| {
            let t = &mut r.trainer;
            let rnn = t.rnn();
            write_arrays(
                rnn,
                &rnn.w,
                &rnn.w_out,
                &rnn.b_out,
                [out_w_rec, out_w_in, out_b_rec, out_w_out, out_b_out],
            )?;
            output(out_a, rnn.n())?.copy_from_slice(t.state());
            let counts = output(out_counts, 2)?;
            counts[0] = t.steps() as f64;
            counts[1] = t.optimizer_mut().updates() as f64;
            Ok(())
        })
    })
}

/// Length of the optimizer's moment vector (0 for SGD), −1 on error.
#[no_mangle]
pub extern "C" fn rnl_trainer_moments_len(handle: u32) -> f64 {
    with_run(handle, |r| {
        Ok(r.trainer.optimizer_mut().moments().len() as f64)
    })
    .unwrap_or(-1.0)
}

/// Copies the optimizer's moments to `out`.
///
/// # Safety
/// `out` holds `rnl_trainer_moments_len` f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_trainer_moments(handle: u32, out: *mut f64) -> i32 {
    status(|| {
        with_run(handle, |r| {
            let m = r.trainer.optimizer_mut().moments();
            output(out, m.len())?.copy_from_slice(m);
            Ok(())
        })
    })
}

/// Restores the counters and optimizer moments of a checkpoint (`moments` may be null for SGD).
///
/// # Safety
/// `moments` holds `rnl_trainer_moments_len` f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_trainer_restore(
    handle: u32,
    steps: f64,
    updates: f64,
    moments: *const f64,
) -> i32 {
    status(|| {
        with_run(handle, |r| {
            let steps = positive_integer(steps, "checkpoint.steps")? as u64;
            let updates = positive_integer(updates, "checkpoint.updates")? as u64;
            let opt = r.trainer.optimizer_mut();
            let len = opt.moments().len();
            let m = if len == 0 {
                Vec::new()
            } else {
                required(view(moments, len), "checkpoint.moments")?.to_vec()
            };
            opt.restore(updates, &m);
            r.trainer.set_steps(steps);
            Ok(())
        })
    })
}

/// Mean loss over `steps` steps of a fresh stream of the run's task drawn from `seed`,
/// continuing from the current state with frozen weights (for a user sequence: the sequence
/// itself from its start). Writes it to `out`.
///
/// # Safety
/// `out` holds 1 f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_trainer_evaluate(
    handle: u32,
    steps: usize,
    seed: f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        let seed = seed_from(seed)?;
        with_run(handle, |r| {
            let rnn = r.trainer.rnn();
            let mut stream = r.task.stream(rnn.n_in(), rnn.n_out(), seed);
            output(out, 1)?[0] = r.trainer.evaluate(stream.as_mut(), steps);
            Ok(())
        })
    })
}
