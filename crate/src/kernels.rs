//! Dense kernels of the hot loops: dot products, matrix–vector and matrix–matrix products.
//!
//! On wasm32 with `simd128` they run on `f64x2` lanes with four independent accumulators; elsewhere
//! they fall back to plain loops that the compiler vectorises. Both paths sum in the same order
//! within a lane pair, so results differ between targets only by floating-point reassociation.
//!
//! WebAssembly engines compile a function first with a fast baseline compiler and use their
//! optimised code from a later call on: a loop that stays inside one long call keeps running
//! baseline code (measured in V8: a first `predictActivity` at N = 1000 took 1.5× its time with
//! optimised code only). The body of a hot outer loop is therefore a function of its own, marked
//! `#[inline(never)]`, that the loop calls once per step.
//!
//! The products and the level-2 loops of the reductions (`crate::linalg`) share their work out
//! over threads in the threaded module ([`crate::parallel`]), always split the same way.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use core::arch::wasm32::*;

mod gemm_ab;
pub use gemm_ab::gemm_ab_raw;

/// Σ_k a_k b_k.
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        dot_simd(a, b)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        dot_scalar(a, b)
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
fn dot_simd(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len();
    let mut acc = [f64x2_splat(0.0); 4];
    let mut k = 0;
    // SAFETY: every load reads 2 f64 at index k..k+2 with k + 8 <= n (or k + 2 <= n below);
    // v128_load has no alignment requirement.
    unsafe {
        let pa = a.as_ptr();
        let pb = b.as_ptr();
        while k + 8 <= n {
            for (l, acc_l) in acc.iter_mut().enumerate() {
                let va = v128_load(pa.add(k + 2 * l) as *const v128);
                let vb = v128_load(pb.add(k + 2 * l) as *const v128);
                *acc_l = f64x2_add(*acc_l, f64x2_mul(va, vb));
            }
            k += 8;
        }
        while k + 2 <= n {
            let va = v128_load(pa.add(k) as *const v128);
            let vb = v128_load(pb.add(k) as *const v128);
            acc[0] = f64x2_add(acc[0], f64x2_mul(va, vb));
            k += 2;
        }
    }
    let s = f64x2_add(f64x2_add(acc[0], acc[1]), f64x2_add(acc[2], acc[3]));
    let mut total = f64x2_extract_lane::<0>(s) + f64x2_extract_lane::<1>(s);
    while k < n {
        total += a[k] * b[k];
        k += 1;
    }
    total
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
fn dot_scalar(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let chunks = a.len() / 8;
    for c in 0..chunks {
        let (ca, cb) = (&a[8 * c..8 * c + 8], &b[8 * c..8 * c + 8]);
        for l in 0..8 {
            acc[l] += ca[l] * cb[l];
        }
    }
    let mut total = acc.iter().sum::<f64>();
    for k in 8 * chunks..a.len() {
        total += a[k] * b[k];
    }
    total
}

/// The Euclidean (Frobenius) norm (Σ_k v_k²)^{1/2}.
#[inline]
pub fn norm(v: &[f64]) -> f64 {
    dot(v, v).sqrt()
}

/// y = A x for a row-major `rows × cols` matrix A. Four rows are processed together so that each
/// load of x feeds four products.
pub fn gemv(a: &[f64], rows: usize, cols: usize, x: &[f64], y: &mut [f64]) {
    assert_eq!(a.len(), rows * cols);
    assert_eq!(x.len(), cols);
    assert_eq!(y.len(), rows);
    let blocks = rows / 4;
    for b in 0..blocks {
        let i = 4 * b;
        let out = dot4(&a[i * cols..(i + 4) * cols], cols, x);
        y[i..i + 4].copy_from_slice(&out);
    }
    for i in 4 * blocks..rows {
        y[i] = dot(&a[i * cols..(i + 1) * cols], x);
    }
}

/// The dot products of four consecutive rows (of length `cols`) of `rows4` with x.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
fn dot4(rows4: &[f64], cols: usize, x: &[f64]) -> [f64; 4] {
    assert!(rows4.len() == 4 * cols && x.len() == cols);
    let mut acc = [f64x2_splat(0.0); 4];
    let mut k = 0;
    // SAFETY: loads read rows4[r * cols + k .. + 2] and x[k .. k + 2] with k + 2 <= cols.
    unsafe {
        let p0 = rows4.as_ptr();
        let (p1, p2, p3) = (p0.add(cols), p0.add(2 * cols), p0.add(3 * cols));
        let px = x.as_ptr();
        let (mut a0, mut a1, mut a2, mut a3) = (acc[0], acc[1], acc[2], acc[3]);
        while k + 2 <= cols {
            let vx = v128_load(px.add(k) as *const v128);
            a0 = f64x2_add(a0, f64x2_mul(v128_load(p0.add(k) as *const v128), vx));
            a1 = f64x2_add(a1, f64x2_mul(v128_load(p1.add(k) as *const v128), vx));
            a2 = f64x2_add(a2, f64x2_mul(v128_load(p2.add(k) as *const v128), vx));
            a3 = f64x2_add(a3, f64x2_mul(v128_load(p3.add(k) as *const v128), vx));
            k += 2;
        }
        acc = [a0, a1, a2, a3];
    }
    let mut out = [0.0; 4];
    for (r, o) in out.iter_mut().enumerate() {
        *o = f64x2_extract_lane::<0>(acc[r]) + f64x2_extract_lane::<1>(acc[r]);
        if k < cols {
            *o += rows4[r * cols + k] * x[k];
        }
    }
    out
}

/// The dot products of four consecutive rows (of length `cols`) of `rows4` with x.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
fn dot4(rows4: &[f64], cols: usize, x: &[f64]) -> [f64; 4] {
    let mut out = [0.0; 4];
    for (r, o) in out.iter_mut().enumerate() {
        *o = dot(&rows4[r * cols..(r + 1) * cols], x);
    }
    out
}

/// C = A Bᵀ for row-major A (`m × k`) and B (`n × k`); C is `m × n`. Rows of both operands are
/// contiguous, so every entry is a contiguous dot product. On wasm32 a 4 × 2 register block of C
/// is accumulated at once (six loads feed eight multiply–adds); blocking over rows of B keeps a
/// panel of B in cache.
pub fn gemm_abt(a: &[f64], b: &[f64], m: usize, n: usize, k: usize, c: &mut [f64]) {
    assert_eq!(a.len(), m * k);
    assert_eq!(b.len(), n * k);
    assert_eq!(c.len(), m * n);
    // SAFETY: the asserts give the extents `gemm_abt_raw` reads and writes; `c` is borrowed
    // mutably, so it overlaps neither operand.
    unsafe {
        gemm_abt_raw(
            1.0,
            a.as_ptr(),
            k,
            b.as_ptr(),
            k,
            m,
            n,
            k,
            0.0,
            c.as_mut_ptr(),
            n,
        )
    }
}

/// C = A Bᵀ (A and B `n × k`, C `n × n`) for a product known to be symmetric, such as X Xᵀ or
/// P R Pᵀ = (P R) Pᵀ with R symmetric: the upper triangle is computed in panels of
/// [`SYMMETRIC_PANEL`] rows, each against the rows of B from its own first row on, and mirrored
/// into the lower one. About `n²k + n·SYMMETRIC_PANEL·k` flops (half of [`gemm_abt`]'s `2n²k`),
/// and C is exactly symmetric.
pub fn gemm_abt_symmetric(a: &[f64], b: &[f64], n: usize, k: usize, c: &mut [f64]) {
    assert_eq!(a.len(), n * k);
    assert_eq!(b.len(), n * k);
    assert_eq!(c.len(), n * n);
    for i0 in (0..n).step_by(SYMMETRIC_PANEL) {
        let i1 = (i0 + SYMMETRIC_PANEL).min(n);
        // SAFETY: rows i0..i1 of A, rows i0..n of B and the block rows i0..i1, columns i0..n of
        // C lie inside the asserted extents; `c` is borrowed mutably, so it overlaps neither.
        unsafe {
            gemm_abt_raw(
                1.0,
                a.as_ptr().add(i0 * k),
                k,
                b.as_ptr().add(i0 * k),
                k,
                i1 - i0,
                n - i0,
                k,
                0.0,
                c.as_mut_ptr().add(i0 * n + i0),
                n,
            )
        };
    }
    mirror(c, n, 0, true);
}

/// Makes the trailing block `c[s.., s..]` of the `n × n` row-major `c` symmetric by copying
/// one triangle into the other: the upper into the lower (`into_lower`), else the lower into
/// the upper. By tiles of 32 × 32, the tile rows of the destination shared out over threads.
pub fn mirror(c: &mut [f64], n: usize, s: usize, into_lower: bool) {
    const TILE: usize = 32;
    assert_eq!(c.len(), n * n);
    let m = n.saturating_sub(s);
    let c = Pointer(c.as_mut_ptr() as *const f64);
    crate::parallel::for_each_large((m + TILE - 1) / TILE, m * m / 2, &|t| {
        let (i0, i1) = (s + t * TILE, (s + (t + 1) * TILE).min(n));
        let c = c.get() as *mut f64;
        // Destination (i, j) of rows i0..i1, source (j, i), tile by tile of j.
        let (j_from, j_to) = if into_lower { (s, i1) } else { (i0, n) };
        for j0 in (j_from..j_to).step_by(TILE) {
            let j1 = (j0 + TILE).min(j_to);
            for i in i0..i1 {
                let js = if into_lower {
                    j0..j1.min(i)
                } else {
                    j0.max(i + 1)..j1
                };
                for j in js {
                    // SAFETY: i, j < n; this chunk alone writes the destination triangle's
                    // entries of rows i0..i1, and no chunk writes the source triangle.
                    unsafe { *c.add(i * n + j) = *c.add(j * n + i) };
                }
            }
        }
    });
}

/// Rows per panel of [`gemm_abt_symmetric`].
const SYMMETRIC_PANEL: usize = 64;

/// `C ← β C + α A Bᵀ` on sub-matrices with leading dimensions (row strides): A is `m × k` at
/// `a` with rows `lda` apart, B is `n × k` at `b` (stride `ldb`), C is `m × n` at `c` (stride
/// `ldc`). With `β = 0` the old C is not read. The kernel of [`gemm_abt`], for blocked
/// factorisations that update one part of a matrix from other parts of it. Blocks of 128 × 64
/// entries of C are shared out over threads ([`crate::parallel`]); each entry is the same dot
/// product whichever thread computes it.
///
/// # Safety
/// For every `i < m`, `j < n`: `a + i·lda .. + k`, `b + j·ldb .. + k` must be readable and
/// `c + i·ldc + j` writable, and no element of C may be an element of A or B.
#[allow(clippy::too_many_arguments)] // the operands and strides of a BLAS `gemm`
pub unsafe fn gemm_abt_raw(
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
    const BLOCK: usize = 64;
    let store = |c: *mut f64, v: f64| {
        *c = if beta == 0.0 {
            alpha * v
        } else {
            beta * *c + alpha * v
        };
    };
    // Blocks of C (ROWS × BLOCK) are independent: shared out over threads. Each entry is the
    // same dot product however C is split.
    const ROWS: usize = 128;
    let (a, b, c) = (Pointer(a), Pointer(b), Pointer(c as *const f64));
    let col_blocks = (n + BLOCK - 1) / BLOCK;
    let block = |blk: usize| {
        let (i0, j0) = (blk / col_blocks * ROWS, blk % col_blocks * BLOCK);
        let (m, j1) = ((m - i0).min(ROWS), (j0 + BLOCK).min(n));
        let (a, b, c) = (
            a.get().add(i0 * lda),
            b.get(),
            c.get().add(i0 * ldc) as *mut f64,
        );
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let i_done = gemm_abt_block4x2(a, lda, b, ldb, m, k, j0, j1, &store, c, ldc);
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
        let i_done = 0;
        for i in 0..m {
            let ai = std::slice::from_raw_parts(a.add(i * lda), k);
            let j_start = if i < i_done {
                j0 + (j1 - j0) / 2 * 2
            } else {
                j0
            };
            for j in j_start..j1 {
                let bj = std::slice::from_raw_parts(b.add(j * ldb), k);
                store(c.add(i * ldc + j), dot(ai, bj));
            }
        }
    };
    let row_blocks = (m + ROWS - 1) / ROWS;
    crate::parallel::for_each_large(row_blocks * col_blocks, m * n * k, &block);
}

/// A raw pointer the chunks of a parallel product share (they write disjoint blocks of C).
#[derive(Clone, Copy)]
struct Pointer(*const f64);
// SAFETY: see gemm_abt_raw: blocks of C are disjoint, A and B are only read.
unsafe impl Sync for Pointer {}

impl Pointer {
    fn get(&self) -> *const f64 {
        self.0
    }
}

/// The 4 × 2 register-blocked part of [`gemm_abt_raw`] for columns j0..j1: stores C[i][j] for
/// i < 4⌊m/4⌋ and j0 ≤ j < j0 + 2⌊(j1−j0)/2⌋, and returns 4⌊m/4⌋.
///
/// # Safety
/// As for [`gemm_abt_raw`].
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[allow(clippy::too_many_arguments)]
unsafe fn gemm_abt_block4x2(
    a: *const f64,
    lda: usize,
    b: *const f64,
    ldb: usize,
    m: usize,
    k: usize,
    j0: usize,
    j1: usize,
    store: &impl Fn(*mut f64, f64),
    c: *mut f64,
    ldc: usize,
) -> usize {
    let m4 = m / 4 * 4;
    let j2 = j0 + (j1 - j0) / 2 * 2;
    let k2 = k / 2 * 2;
    let hsum = |v: v128| f64x2_extract_lane::<0>(v) + f64x2_extract_lane::<1>(v);
    for i in (0..m4).step_by(4) {
        for j in (j0..j2).step_by(2) {
            let mut acc = [f64x2_splat(0.0); 8];
            let pa = a.add(i * lda);
            let pb = b.add(j * ldb);
            let mut l = 0;
            // Every load reads the 2 f64 at l..l+2 of a row, l + 2 ≤ k; v128_load needs no
            // alignment.
            while l < k2 {
                let b0 = v128_load(pb.add(l) as *const v128);
                let b1 = v128_load(pb.add(ldb + l) as *const v128);
                for r in 0..4 {
                    let ar = v128_load(pa.add(r * lda + l) as *const v128);
                    acc[2 * r] = f64x2_add(acc[2 * r], f64x2_mul(ar, b0));
                    acc[2 * r + 1] = f64x2_add(acc[2 * r + 1], f64x2_mul(ar, b1));
                }
                l += 2;
            }
            for r in 0..4 {
                for q in 0..2 {
                    let mut v = hsum(acc[2 * r + q]);
                    if k2 < k {
                        v += *pa.add(r * lda + k - 1) * *pb.add(q * ldb + k - 1);
                    }
                    store(c.add((i + r) * ldc + j + q), v);
                }
            }
        }
    }
    m4
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;

    /// `len` standard normal numbers.
    pub(super) fn random(len: usize, seed: u64) -> Vec<f64> {
        let mut r = rng::seeded(seed);
        (0..len).map(|_| rng::normal(&mut r)).collect()
    }

    #[test]
    fn dot_matches_naive_sum_for_all_tail_lengths() {
        for n in 0..40 {
            let a = random(n, 1);
            let b = random(n, 2);
            let naive: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - naive).abs() <= 1e-13 * (1.0 + naive.abs()));
        }
    }

    #[test]
    fn symmetric_gemm_equals_the_full_product_and_is_exactly_symmetric() {
        // X Xᵀ and (P R) Pᵀ with R symmetric, at sizes below, at and across the panel width.
        for (n, k) in [(1, 3), (5, 7), (64, 10), (130, 33)] {
            let x = random(n * k, 11);
            let mut full = vec![0.0; n * n];
            gemm_abt(&x, &x, n, n, k, &mut full);
            let mut sym = vec![f64::NAN; n * n];
            gemm_abt_symmetric(&x, &x, n, k, &mut sym);
            let scale = full.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
            for i in 0..n {
                for j in 0..n {
                    assert_eq!(sym[i * n + j], sym[j * n + i]);
                    assert!((sym[i * n + j] - full[i * n + j]).abs() <= 1e-14 * scale);
                }
            }
        }
        let n = 97;
        let p = random(n * n, 12);
        let half = random(n * n, 13);
        let r: Vec<f64> = (0..n * n)
            .map(|q| half[q] + half[(q % n) * n + q / n])
            .collect();
        let mut pr = vec![0.0; n * n];
        gemm_abt(&p, &r, n, n, n, &mut pr);
        let (mut full, mut sym) = (vec![0.0; n * n], vec![0.0; n * n]);
        gemm_abt(&pr, &p, n, n, n, &mut full);
        gemm_abt_symmetric(&pr, &p, n, n, &mut sym);
        let scale = full.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        assert!(full
            .iter()
            .zip(&sym)
            .all(|(f, s)| (f - s).abs() <= 1e-12 * scale));
    }

    #[test]
    fn mirror_copies_one_triangle_of_the_trailing_block_and_leaves_the_rest() {
        for (n, s) in [(1, 0), (33, 0), (75, 3), (75, 40), (97, 96)] {
            for into_lower in [true, false] {
                let before = random(n * n, 21);
                let mut c = before.clone();
                mirror(&mut c, n, s, into_lower);
                for i in 0..n {
                    for j in 0..n {
                        let target = i >= s && j >= s && if into_lower { j < i } else { j > i };
                        let want = before[if target { j * n + i } else { i * n + j }];
                        assert_eq!(c[i * n + j], want, "n {n}, s {s}, ({i}, {j})");
                    }
                }
            }
        }
    }

    #[test]
    fn strided_gemm_updates_a_sub_block_and_leaves_the_rest() {
        // C (rows 1..6, columns 2..5 of a 7 × 8 buffer) ← 0.5 C − 2 A Bᵀ, A and B sub-blocks of
        // wider buffers.
        let (m, n, k, lda, ldb, ldc) = (5, 3, 9, 11, 10, 8);
        let a = random(m * lda, 5);
        let b = random(n * ldb, 6);
        let before = random(7 * ldc, 7);
        let mut c = before.clone();
        // SAFETY: every index below lies inside the three buffers; c is separate from a and b.
        unsafe {
            gemm_abt_raw(
                -2.0,
                a.as_ptr().add(1),
                lda,
                b.as_ptr().add(1),
                ldb,
                m,
                n,
                k,
                0.5,
                c.as_mut_ptr().add(ldc + 2),
                ldc,
            )
        };
        for r in 0..7_usize {
            for q in 0..ldc {
                let (i, j) = (r.wrapping_sub(1), q.wrapping_sub(2));
                let expected = if i < m && j < n {
                    let ab: f64 = (0..k)
                        .map(|l| a[i * lda + 1 + l] * b[j * ldb + 1 + l])
                        .sum();
                    0.5 * before[r * ldc + q] - 2.0 * ab
                } else {
                    before[r * ldc + q]
                };
                assert!((c[r * ldc + q] - expected).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn gemv_and_gemm_agree_with_definitions() {
        let (m, n, k) = (7, 5, 13);
        let a = random(m * k, 3);
        let b = random(n * k, 4);
        let mut c = vec![0.0; m * n];
        gemm_abt(&a, &b, m, n, k, &mut c);
        for j in 0..n {
            let mut y = vec![0.0; m];
            gemv(&a, m, k, &b[j * k..(j + 1) * k], &mut y);
            for i in 0..m {
                let naive: f64 = (0..k).map(|l| a[i * k + l] * b[j * k + l]).sum();
                assert!((c[i * n + j] - naive).abs() < 1e-12);
                assert!((y[i] - naive).abs() < 1e-12);
            }
        }
    }
}
