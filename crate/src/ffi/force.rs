//! Exports for FORCE learning ([`crate::plasticity::force`]): a network, its readout and its
//! RLS state live in WASM behind a handle.

use std::cell::RefCell;

use super::error::{fail, Status};
use super::handles::Slab;
use super::{output, seed_from, status, view, view_mut};
use crate::plasticity::force::{Force, ForceConfig};

thread_local! {
    static NETS: RefCell<Slab<Force>> = RefCell::new(Slab::new());
}

fn with_net<R>(handle: u32, f: impl FnOnce(&mut Force) -> Result<R, i32>) -> Result<R, i32> {
    NETS.with(|s| f(s.borrow_mut().get_mut(handle)?))
}

/// Creates a FORCE network drawn from `seed` (J, then w_f ~ U(−feedback, feedback), then
/// x(0) ~ N(0, 0.25)). Returns a handle, or 0 on failure.
#[no_mangle]
pub extern "C" fn rnl_force_new(
    n: usize,
    g: f64,
    p: f64,
    alpha: f64,
    tau: f64,
    dt: f64,
    learn_every: usize,
    feedback: f64,
    seed: f64,
) -> u32 {
    let build = || -> Result<u32, i32> {
        let seed = seed_from(seed)?;
        let config = ForceConfig {
            n,
            g,
            p,
            alpha,
            tau,
            dt,
            learn_every,
            feedback,
        };
        let net = Force::new(config, seed).map_err(|m| fail(Status::InvalidArgument, &m))?;
        Ok(NETS.with(|s| s.borrow_mut().insert(net)))
    };
    build().unwrap_or(0)
}

/// Frees a FORCE network.
#[no_mangle]
pub extern "C" fn rnl_force_free(handle: u32) -> i32 {
    status(|| NETS.with(|s| s.borrow_mut().remove(handle)))
}

/// Number of live FORCE networks.
#[no_mangle]
pub extern "C" fn rnl_force_live() -> usize {
    NETS.with(|s| s.borrow().live())
}

/// Runs `steps` steps, learning towards `targets` (one value per step; null: no learning).
/// Writes z per step to `out_z` and, if non-null, |Δw| per step to `out_dw`.
///
/// # Safety
/// Non-null `targets`, `out_z` and `out_dw` hold `steps` f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_force_run(
    handle: u32,
    steps: usize,
    targets: *const f64,
    out_z: *mut f64,
    out_dw: *mut f64,
) -> i32 {
    status(|| {
        let targets = view(targets, steps);
        if let Some(f) = targets {
            if f.iter().any(|v| !v.is_finite()) {
                return Err(fail(Status::InvalidArgument, "target: must be finite"));
            }
        }
        let z = output(out_z, steps)?;
        let dw = view_mut(out_dw, steps);
        with_net(handle, |net| {
            net.run(targets, z, dw);
            Ok(())
        })
    })
}

/// Writes the state: x (N), w (N), and, if non-null, P (N × N) and [steps, z] into `out_info`.
///
/// # Safety
/// `out_x` and `out_w` hold N f64, non-null `out_p` N², non-null `out_info` 2.
#[no_mangle]
pub unsafe extern "C" fn rnl_force_state(
    handle: u32,
    out_x: *mut f64,
    out_w: *mut f64,
    out_p: *mut f64,
    out_info: *mut f64,
) -> i32 {
    status(|| {
        with_net(handle, |net| {
            let n = net.config().n;
            output(out_x, n)?.copy_from_slice(net.x());
            output(out_w, n)?.copy_from_slice(net.w());
            if let Some(p) = view_mut(out_p, n * n) {
                p.copy_from_slice(net.p());
            }
            if let Some(info) = view_mut(out_info, 2) {
                info[0] = net.steps() as f64;
                info[1] = net.z();
            }
            Ok(())
        })
    })
}

/// Writes the fixed connectivity: J (N × N, row-major) and w_f (N).
///
/// # Safety
/// `out_j` holds N² f64, `out_wf` N.
#[no_mangle]
pub unsafe extern "C" fn rnl_force_connectivity(
    handle: u32,
    out_j: *mut f64,
    out_wf: *mut f64,
) -> i32 {
    status(|| {
        with_net(handle, |net| {
            let n = net.config().n;
            output(out_j, n * n)?.copy_from_slice(&net.j_dense());
            output(out_wf, n)?.copy_from_slice(net.w_f());
            Ok(())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handle_round_trip_and_errors() {
        let h = rnl_force_new(8, 1.5, 0.5, 1.0, 10.0, 1.0, 2, 1.0, 3.0);
        assert!(h > 0);
        let targets = [0.1, 0.2, 0.3, 0.4];
        let (mut z, mut dw) = ([0.0; 4], [0.0; 4]);
        let (mut x, mut w, mut info) = ([0.0; 8], [0.0; 8], [0.0; 2]);
        unsafe {
            let s = rnl_force_run(h, 4, targets.as_ptr(), z.as_mut_ptr(), dw.as_mut_ptr());
            assert_eq!(s, 0);
            let s = rnl_force_state(
                h,
                x.as_mut_ptr(),
                w.as_mut_ptr(),
                std::ptr::null_mut(),
                info.as_mut_ptr(),
            );
            assert_eq!(s, 0);
        }
        let mut net = Force::new(
            ForceConfig {
                n: 8,
                p: 0.5,
                ..ForceConfig::default()
            },
            3,
        )
        .unwrap();
        let mut z2 = [0.0; 4];
        net.run(Some(&targets), &mut z2, None);
        assert_eq!(z, z2);
        assert_eq!(&w[..], net.w());
        assert_eq!(info, [4.0, net.z()]);
        assert!(dw[0] == 0.0 && dw[1] > 0.0 && dw[2] == 0.0 && dw[3] > 0.0);
        assert_eq!(rnl_force_free(h), 0);
        assert_ne!(rnl_force_free(h), 0);
        assert_eq!(rnl_force_new(8, 1.5, 0.0, 1.0, 10.0, 1.0, 2, 1.0, 3.0), 0);
        assert_eq!(rnl_force_new(8, 1.5, 0.1, 1.0, 10.0, 1.0, 2, 1.0, -1.0), 0);
    }
}
