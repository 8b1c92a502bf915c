/**
 * One RK4 step of dx/dt = −x + Jx + b for B trajectories (B × N, row-major), summed term by term
 * in f32 in the large-N engine's order of operations: k = (J y − y) + b with J y summed in column
 * order, the stage sum k₁ + 2k₂ + 2k₃ + k₄ accumulated in that order, y_{s+1} = x + c dt k.
 */
const f = Math.fround;

export function rk4StepF32(n: number, b: number, J: Float32Array, x: Float32Array, dt: number, bias: number): Float32Array {
  const field = (y: Float32Array) => {
    const k = new Float32Array(b * n);
    for (let t = 0; t < b; t++) {
      for (let r = 0; r < n; r++) {
        let acc = 0;
        for (let c = 0; c < n; c++) acc = f(acc + f(J[r * n + c]! * y[t * n + c]!));
        k[t * n + r] = f(f(acc - y[t * n + r]!) + f(bias));
      }
    }
    return k;
  };
  const sum = new Float32Array(b * n);
  let y = x;
  for (let s = 0; s < 4; s++) {
    const k = field(y);
    for (let i = 0; i < sum.length; i++) sum[i] = s === 0 ? k[i]! : f(sum[i]! + (s === 3 ? k[i]! : f(2 * k[i]!)));
    if (s < 3) {
      const h = f([0.5, 0.5, 1][s]! * dt);
      y = x.map((v, i) => f(v + f(h * k[i]!)));
    }
  }
  return x.map((v, i) => f(v + f(f(dt / 6) * sum[i]!)));
}
