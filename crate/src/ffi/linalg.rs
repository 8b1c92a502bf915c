//! Exports for dense linear algebra.

use super::{output, required, status, view};
use crate::linalg::eig::eigenvalues;
use crate::linalg::svd::singular_values;
use crate::linalg::symeig::{sym_eig, sym_eigvals};

/// Eigenvalues (ascending) of the symmetric n×n matrix at `a`; eigenvectors (columns of an n×n
/// row-major matrix) to `out_vecs` when non-null.
///
/// # Safety
/// `a` holds n² f64, `out_vals` room for n, `out_vecs` null or room for n².
#[no_mangle]
pub unsafe extern "C" fn rnl_sym_eig(
    n: usize,
    a: *const f64,
    out_vals: *mut f64,
    out_vecs: *mut f64,
) -> i32 {
    status(|| {
        let a = required(view(a, n * n), "matrix")?;
        if out_vecs.is_null() {
            output(out_vals, n)?.copy_from_slice(&sym_eigvals(a, n));
        } else {
            let (vals, vecs) = sym_eig(a, n);
            output(out_vals, n)?.copy_from_slice(&vals);
            output(out_vecs, n * n)?.copy_from_slice(&vecs);
        }
        Ok(())
    })
}

/// Singular values (descending, min(rows, cols) of them) of the rows×cols matrix at `a`.
///
/// # Safety
/// `a` holds rows·cols f64, `out` room for min(rows, cols).
#[no_mangle]
pub unsafe extern "C" fn rnl_singular_values(
    rows: usize,
    cols: usize,
    a: *const f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        let a = required(view(a, rows * cols), "matrix")?;
        let s = singular_values(a, rows, cols);
        output(out, s.len())?.copy_from_slice(&s);
        Ok(())
    })
}

/// Eigenvalues of the general n×n matrix at `a`: real parts to `out_re`, imaginary parts to
/// `out_im`, sorted by descending real part with complex-conjugate pairs adjacent (positive
/// imaginary part first). NaN marks eigenvalues of non-finite input or a failed iteration.
///
/// # Safety
/// `a` holds n² f64, `out_re` and `out_im` room for n each.
#[no_mangle]
pub unsafe extern "C" fn rnl_eigenvalues(
    n: usize,
    a: *const f64,
    out_re: *mut f64,
    out_im: *mut f64,
) -> i32 {
    status(|| {
        let a = required(view(a, n * n), "matrix")?;
        let (re, im) = eigenvalues(a, n);
        output(out_re, n)?.copy_from_slice(&re);
        output(out_im, n)?.copy_from_slice(&im);
        Ok(())
    })
}
