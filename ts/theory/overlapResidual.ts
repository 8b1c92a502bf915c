/**
 * The residual of the linear equivalent φ_i = a x_i + r_i for a single site with a self-coupling
 * kernel R (input/output-mode overlaps; our derivation). In the linear network with the sampled J,
 * unit i's field is its cavity field η plus the feedback R(ω) of its own output through the
 * reciprocal modes, so (1 + iω − aR) x = η + R r + σξ and (1 + iω − aR) φ = aη + aσξ + (1 + iω) r.
 * Eliminating η and σξ, the single-site spectra C^x(ω), C^φ(ω) of the mean-field solution fix the
 * residual spectrum
 *
 *   C_r(ω) = |1 + iω − aR(ω)|² (C^φ(ω) − a²C^x(ω)) / (1 + ω² − a²|R(ω)|²),
 *
 * which is C^φ − a²C^x without self-coupling (R = 0). Transforms are the exact discrete cosine
 * pair of the solution's periodic grid (N_t = 2(L − 1) points of step dt, L lags and L frequencies).
 */
export function overlapResidual(
  lags: { dt: number; delta: Float64Array; cphi: Float64Array },
  kernel: { re: Float64Array; im: Float64Array },
  slope: number,
): Float64Array {
  const { dt, delta, cphi } = lags;
  const len = delta.length;
  const nt = 2 * (len - 1);
  const period = nt * dt;
  const cos = Float64Array.from({ length: nt }, (_, j) => Math.cos((2 * Math.PI * j) / nt));
  const forward = (c: Float64Array, k: number): number => {
    let s = c[0]! + (k % 2 === 0 ? c[len - 1]! : -c[len - 1]!);
    for (let m = 1; m < len - 1; m++) s += 2 * c[m]! * cos[(k * m) % nt]!;
    return dt * s;
  };
  const spectrum = new Float64Array(len);
  for (let k = 0; k < len; k++) {
    const w = (2 * Math.PI * k) / period;
    const [re, im] = [kernel.re[k]!, kernel.im[k]!];
    const d2 = (1 - slope * re) ** 2 + (w - slope * im) ** 2;
    const excess = forward(cphi, k) - slope * slope * forward(delta, k);
    spectrum[k] = (d2 * excess) / (1 + w * w - slope * slope * (re * re + im * im));
  }
  return Float64Array.from({ length: len }, (_, m) => {
    let s = spectrum[0]! + (m % 2 === 0 ? spectrum[len - 1]! : -spectrum[len - 1]!);
    for (let k = 1; k < len - 1; k++) s += 2 * spectrum[k]! * cos[(k * m) % nt]!;
    return s / period;
  });
}
