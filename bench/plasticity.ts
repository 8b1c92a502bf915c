/**
 * Plasticity speed, next to the learning algorithms: FORCE learning (ms per learning step: two
 * Euler steps and one recursive-least-squares update) at N = 300 and 1000 against the same loop in
 * NumPy (bench/force.py, run in this script when python3 with NumPy is available). The
 * compartmental local rules appear in the learning table (`compartmental`).
 *
 *   npm run bench
 */
import { execFileSync } from 'node:child_process';
import { ForceNetwork, sumOfSines } from '../ts/index.js';

function perLearningStep(n: number): number {
  using net = new ForceNetwork({ n, seed: 1 });
  const target = sumOfSines({});
  net.train({ target, steps: 200 });
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    net.train({ target, steps: 600 });
    best = Math.min(best, (performance.now() - t0) / 300);
  }
  return best;
}

const sizes = [300, 1000];
const ours = sizes.map(perLearningStep);
let numpy: Record<string, number> = {};
try {
  const out = execFileSync('python3', [new URL('./force.py', import.meta.url).pathname, ...sizes.map(String)], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
    encoding: 'utf8',
  });
  numpy = Object.fromEntries(out.trim().split(' ').map((kv) => kv.split(':') as [string, string]).map(([k, v]) => [k, Number(v)]));
} catch {
  numpy = {};
}
console.log('\nFORCE learning, ms per learning step (2 Euler steps + 1 RLS update), single thread');
console.log('N       rnnlab   NumPy   NumPy/rnnlab');
sizes.forEach((n, i) => {
  const np = numpy[String(n)];
  console.log(`${String(n).padEnd(6)}  ${ours[i]!.toFixed(3).padStart(6)}  ${np === undefined ? '   n/a' : np.toFixed(3).padStart(6)}  ${np === undefined ? 'n/a' : (np / ours[i]!).toFixed(1)}`);
});
