/** `rnnlab dmft`: the stationary mean-field solution of dx/dt = −x + Jφ(x) (+ bias, noise). */

import { choice, num } from '../args.js';
import { table, writeCsv, writeSvg } from '../output.js';
import { solveDMFT } from '../../theory/dmft.js';
import type { Command } from './command.js';

export const dmft: Command = {
  name: 'dmft',
  summary: 'stationary DMFT: Δ0, Δ(τ), the largest Lyapunov exponent and the regime',
  example: 'rnnlab dmft --g 2 --csv delta.csv --svg delta.svg',
  specs: {
    g: { type: 'string', default: '2', help: 'coupling gain g' },
    phi: { type: 'string', default: 'tanh', help: 'nonlinearity: tanh, erf, relu, linear' },
    bias: { type: 'string', default: '0', help: 'constant input b' },
    noise: { type: 'string', default: '0', help: 'white-noise amplitude σ' },
  },
  async run(v) {
    const phi = choice('dmft', 'phi', v.phi, ['tanh', 'erf', 'relu', 'linear'] as const);
    const s = solveDMFT({ g: num('dmft', 'g', v.g), phi, bias: num('dmft', 'bias', v.bias), noise: num('dmft', 'noise', v.noise) });
    const tauAc = s.lags.find((_, j) => s.delta[j]! - s.deltaInf < (s.delta0 - s.deltaInf) / Math.E) ?? NaN;
    const result = {
      g: Number(v.g), phi, regime: s.regime, delta0: s.delta0, deltaInf: s.deltaInf, meanSlope: s.meanSlope,
      tailRate: s.tailRate, lyapunovExponent: s.lyapunovExponent, autocorrelationTime: tauAc,
    };
    if (!v.json) {
      table([['quantity', 'value'], ...Object.entries(result).map(([k, x]) => [k, typeof x === 'number' ? x : String(x)])]);
    }
    if (typeof v.csv === 'string') writeCsv(v.csv, ['tau', 'delta', 'cphi'], Array.from(s.lags, (t, j) => [t, s.delta[j]!, s.cphi[j]!]));
    if (typeof v.svg === 'string') {
      writeSvg(v.svg, { title: `DMFT autocorrelation, g = ${v.g}, ${phi}`, xLabel: 'lag τ', yLabel: 'Δ(τ)', series: [{ label: 'Δ(τ)', x: s.lags, y: s.delta }] });
    }
    return result;
  },
};
