//! Dense kernels of the hot loops: dot products, matrix–vector and matrix–matrix products.
//!
//! On wasm32 with `simd128` they run on `f64x2` lanes with four independent accumulators; elsewhere
//! they fall back to plain loops that the compiler vectorises. Both paths sum in the same order
//! within a lane pair, so results differ between targets only by floating-point reassociation.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use core::arch::wasm32::*;

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
    const BLOCK: usize = 64;
    let mut j0 = 0;
    while j0 < n {
        let j1 = (j0 + BLOCK).min(n);
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let i_done = gemm_abt_block4x2(a, b, n, k, j0, j1, c);
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
        let i_done = 0;
        for i in 0..m {
            let ai = &a[i * k..(i + 1) * k];
            let j_start = if i < i_done {
                j0 + (j1 - j0) / 2 * 2
            } else {
                j0
            };
            for j in j_start..j1 {
                c[i * n + j] = dot(ai, &b[j * k..(j + 1) * k]);
            }
        }
        j0 = j1;
    }
}

/// The 4 × 2 register-blocked part of [`gemm_abt`] for columns j0..j1: fills C[i][j] for
/// i < 4⌊m/4⌋ and j0 ≤ j < j0 + 2⌊(j1−j0)/2⌋, and returns 4⌊m/4⌋.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn gemm_abt_block4x2(
    a: &[f64],
    b: &[f64],
    n: usize,
    k: usize,
    j0: usize,
    j1: usize,
    c: &mut [f64],
) -> usize {
    let m4 = c.len() / n / 4 * 4;
    let j2 = j0 + (j1 - j0) / 2 * 2;
    let k2 = k / 2 * 2;
    let hsum = |v: v128| f64x2_extract_lane::<0>(v) + f64x2_extract_lane::<1>(v);
    for i in (0..m4).step_by(4) {
        for j in (j0..j2).step_by(2) {
            let mut acc = [f64x2_splat(0.0); 8];
            // SAFETY: rows i..i+4 of A and j..j+2 of B exist (i + 4 ≤ m, j + 2 ≤ n) and every
            // load reads the 2 f64 at l..l+2 with l + 2 ≤ k; v128_load needs no alignment.
            unsafe {
                let pa = a.as_ptr().add(i * k);
                let pb = b.as_ptr().add(j * k);
                let mut l = 0;
                while l < k2 {
                    let b0 = v128_load(pb.add(l) as *const v128);
                    let b1 = v128_load(pb.add(k + l) as *const v128);
                    for r in 0..4 {
                        let ar = v128_load(pa.add(r * k + l) as *const v128);
                        acc[2 * r] = f64x2_add(acc[2 * r], f64x2_mul(ar, b0));
                        acc[2 * r + 1] = f64x2_add(acc[2 * r + 1], f64x2_mul(ar, b1));
                    }
                    l += 2;
                }
            }
            for r in 0..4 {
                for q in 0..2 {
                    let mut v = hsum(acc[2 * r + q]);
                    if k2 < k {
                        v += a[(i + r) * k + k - 1] * b[(j + q) * k + k - 1];
                    }
                    c[(i + r) * n + j + q] = v;
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

    fn random(len: usize, seed: u64) -> Vec<f64> {
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
