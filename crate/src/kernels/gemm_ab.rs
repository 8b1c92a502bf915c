//! `C ← β C + α A B` with every operand row-major, for products whose right factor is a block
//! of a larger row-major matrix read in place: `W = Vᵀ A` of the Hessenberg reduction's left
//! update ([`crate::linalg`]), which the `A Bᵀ` kernel could only take from a transposed copy.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use core::arch::wasm32::*;

use super::Pointer;

/// Rows and columns of the blocks of C shared out over threads.
const BLOCK: usize = 64;
/// Terms of the sum over `k` per pass over a block, so that the block's parts of A and B
/// (`BLOCK × K_CHUNK` each) stay in cache while its register blocks are computed.
const K_CHUNK: usize = 256;

/// `C ← β C + α A B` on sub-matrices with leading dimensions (row strides): A is `m × k` at
/// `a` (rows `lda` apart), B is `k × n` at `b` (stride `ldb`), C is `m × n` at `c` (stride
/// `ldc`). With `β = 0` the old C is not read.
///
/// Rows of B and C run along `j`, so a register block of C (4 × 4 on wasm32) is updated by
/// broadcasting entries of A against rows of B. The broadcasts cost shuffles: measured on one
/// thread, a 1000³ product runs at 0.87× the speed of [`super::gemm_abt_raw`]'s (19.8 against
/// 22.8 GFLOP/s), so this kernel is for operands that would otherwise need a transposed copy.
/// Blocks of 64 × 64 entries
/// of C are shared out over threads ([`crate::parallel`]); in each, the sum over `k` runs in
/// chunks of [`K_CHUNK`] terms, `C ← β C + α s₀`, then `C ← C + α s_c` for each later chunk's
/// partial sum `s_c`, each summed in order of `k`. So every entry is computed the same way
/// whichever thread computes it, on every target (the SIMD and the scalar loops do the same
/// multiplications and additions in the same order).
///
/// # Safety
/// For every `i < m`, `q < k`, `j < n`: `a + i·lda + q` and `b + q·ldb + j` must be readable
/// and `c + i·ldc + j` writable, and no element of C may be an element of A or B.
#[allow(clippy::too_many_arguments)] // the operands and strides of a BLAS `gemm`
pub unsafe fn gemm_ab_raw(
    alpha: f64,
    a: *const f64,
    lda: usize,
    b: *const f64,
    ldb: usize,
    m: usize,
    n: usize,
    k: usize,
    beta: f64,
    c: *mut f64,
    ldc: usize,
) {
    let (a, b, c) = (Pointer(a), Pointer(b), Pointer(c as *const f64));
    let col_blocks = (n + BLOCK - 1) / BLOCK;
    let block = |blk: usize| {
        let (i0, j0) = (blk / col_blocks * BLOCK, blk % col_blocks * BLOCK);
        let (rows, j1) = ((m - i0).min(BLOCK), (j0 + BLOCK).min(n));
        let (a, c) = (a.get().add(i0 * lda), c.get().add(i0 * ldc) as *mut f64);
        if k == 0 {
            for i in 0..rows {
                for j in j0..j1 {
                    let e = c.add(i * ldc + j);
                    *e = if beta == 0.0 { 0.0 } else { beta * *e };
                }
            }
            return;
        }
        for k0 in (0..k).step_by(K_CHUNK) {
            let part = Part {
                a,
                lda,
                b: b.get(),
                ldb,
                c,
                ldc,
                k0,
                k1: (k0 + K_CHUNK).min(k),
                alpha,
                beta: if k0 == 0 { beta } else { 1.0 },
            };
            part.update(rows, j0, j1);
        }
    };
    let row_blocks = (m + BLOCK - 1) / BLOCK;
    crate::parallel::for_each_large(row_blocks * col_blocks, m * n * k, &block);
}

/// One chunk `k0..k1` of the sum for rows of a block of C: `C ← β C + α Σ_{k0 ≤ q < k1} A B`.
struct Part {
    a: *const f64,
    lda: usize,
    b: *const f64,
    ldb: usize,
    c: *mut f64,
    ldc: usize,
    k0: usize,
    k1: usize,
    alpha: f64,
    beta: f64,
}

impl Part {
    /// Rows `0..rows`, columns `j0..j1`: register blocks where they fit, single entries in the
    /// margins.
    ///
    /// # Safety
    /// As for [`gemm_ab_raw`], for the rows and columns given.
    unsafe fn update(&self, rows: usize, j0: usize, j1: usize) {
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let (i_done, j_done) = self.update4x4(rows, j0, j1);
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
        let (i_done, j_done) = (0, j0);
        for i in 0..rows {
            let from = if i < i_done { j_done } else { j0 };
            for j in from..j1 {
                let mut s = 0.0;
                for q in self.k0..self.k1 {
                    s += *self.a.add(i * self.lda + q) * *self.b.add(q * self.ldb + j);
                }
                let e = self.c.add(i * self.ldc + j);
                *e = if self.beta == 0.0 {
                    self.alpha * s
                } else {
                    self.beta * *e + self.alpha * s
                };
            }
        }
    }

    /// The 4 × 4 register blocks (two `f64x2` per row) of rows `0..4⌊rows/4⌋` and columns
    /// `j0..j0 + 4⌊(j1−j0)/4⌋`; returns those two bounds.
    ///
    /// # Safety
    /// As for [`Part::update`].
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    unsafe fn update4x4(&self, rows: usize, j0: usize, j1: usize) -> (usize, usize) {
        let (m4, j4) = (rows / 4 * 4, j0 + (j1 - j0) / 4 * 4);
        let (alpha, beta) = (f64x2_splat(self.alpha), f64x2_splat(self.beta));
        for j in (j0..j4).step_by(4) {
            for i in (0..m4).step_by(4) {
                let mut acc = [f64x2_splat(0.0); 8];
                let pa = self.a.add(i * self.lda);
                for q in self.k0..self.k1 {
                    // v128_load needs no alignment; j + 4 ≤ j1 ≤ n.
                    let pb = self.b.add(q * self.ldb + j);
                    let b0 = v128_load(pb as *const v128);
                    let b1 = v128_load(pb.add(2) as *const v128);
                    for r in 0..4 {
                        let ar = f64x2_splat(*pa.add(r * self.lda + q));
                        acc[2 * r] = f64x2_add(acc[2 * r], f64x2_mul(ar, b0));
                        acc[2 * r + 1] = f64x2_add(acc[2 * r + 1], f64x2_mul(ar, b1));
                    }
                }
                for r in 0..4 {
                    for h in 0..2 {
                        let pc = self.c.add((i + r) * self.ldc + j + 2 * h) as *mut v128;
                        let new = f64x2_mul(alpha, acc[2 * r + h]);
                        let value = if self.beta == 0.0 {
                            new
                        } else {
                            f64x2_add(f64x2_mul(beta, v128_load(pc)), new)
                        };
                        v128_store(pc, value);
                    }
                }
            }
        }
        (m4, j4)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::random;
    use super::*;

    #[test]
    fn strided_product_matches_the_naive_sum_and_leaves_the_rest() {
        // Sizes below, at and across the register block, the thread block and the k chunk.
        for (m, n, k) in [
            (1, 1, 1),
            (3, 5, 2),
            (7, 9, 33),
            (64, 64, 256),
            (70, 131, 300),
            (5, 3, 0),
        ] {
            let (lda, ldb, ldc) = (k + 3, n + 2, n + 5);
            let a = random(m * lda, 1);
            let b = random(k.max(1) * ldb, 2);
            let before = random((m + 1) * ldc, 3);
            for (alpha, beta) in [(1.0, 0.0), (-2.0, 0.5), (0.5, 1.0)] {
                let mut c = before.clone();
                if beta == 0.0 {
                    // β = 0 must not read C.
                    for i in 0..m {
                        c[i * ldc..i * ldc + n]
                            .iter_mut()
                            .for_each(|x| *x = f64::NAN);
                    }
                }
                // SAFETY: every index below lies inside the three separate buffers.
                unsafe {
                    gemm_ab_raw(
                        alpha,
                        a.as_ptr(),
                        lda,
                        b.as_ptr(),
                        ldb,
                        m,
                        n,
                        k,
                        beta,
                        c.as_mut_ptr(),
                        ldc,
                    )
                };
                for i in 0..m + 1 {
                    for j in 0..ldc {
                        let got = c[i * ldc + j];
                        if i < m && j < n {
                            let s: f64 = (0..k).map(|q| a[i * lda + q] * b[q * ldb + j]).sum();
                            let want = beta * before[i * ldc + j] + alpha * s;
                            let tol = 1e-13 * (1.0 + (k as f64).sqrt() * 4.0);
                            assert!((got - want).abs() <= tol, "{m}×{n}×{k} [{i}][{j}]");
                        } else {
                            assert_eq!(got, before[i * ldc + j], "outside C at [{i}][{j}]");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn rows_computed_in_separate_calls_equal_the_whole_product() {
        // Each entry is summed the same way whatever else is computed with it: the product as a
        // whole and as two row parts (two calls, split inside a block of 64 rows, so the blocks
        // differ) are identical.
        let (m, n, k) = (130, 70, 40);
        let a = random(m * k, 4);
        let b = random(k * n, 5);
        let mut whole = vec![0.0; m * n];
        let mut parts = vec![0.0; m * n];
        // SAFETY: whole extents of separate buffers; the parts are rows 0..50 and 50..130.
        unsafe {
            gemm_ab_raw(
                1.0,
                a.as_ptr(),
                k,
                b.as_ptr(),
                n,
                m,
                n,
                k,
                0.0,
                whole.as_mut_ptr(),
                n,
            );
            gemm_ab_raw(
                1.0,
                a.as_ptr(),
                k,
                b.as_ptr(),
                n,
                50,
                n,
                k,
                0.0,
                parts.as_mut_ptr(),
                n,
            );
            gemm_ab_raw(
                1.0,
                a.as_ptr().add(50 * k),
                k,
                b.as_ptr(),
                n,
                m - 50,
                n,
                k,
                0.0,
                parts.as_mut_ptr().add(50 * n),
                n,
            );
        }
        assert_eq!(whole, parts);
    }
}
