/** `rnnlab dimension`: PR^x/N and PR^φ/N of tanh networks from the two-site cavity theory. */

import { list, num } from '../args.js';
import { table, writeCsv, writeSvg } from '../output.js';
import { dimension as dimensionTheory } from '../../theory/dimensionTheory.js';
import type { Command } from './command.js';

export const dimension: Command = {
  name: 'dimension',
  summary: 'dimension of activity PR/N from mean-field theory, against the inverse effective rank γ',
  example: 'rnnlab dimension --g 2 --gamma 0,1,4 --csv pr.csv',
  specs: {
    g: { type: 'string', default: '2', help: 'coupling gain g' },
    gamma: { type: 'string', default: '0,0.5,1,2,4', help: 'inverse effective ranks γ = N/PR_J (0: iid), comma-separated' },
  },
  async run(v) {
    const g = num('dimension', 'g', v.g);
    const gammas = list('dimension', 'gamma', v.gamma);
    const d = dimensionTheory({ g });
    const curve = d.vsRank(Float64Array.from(gammas));
    const rows = gammas.map((gamma, k) => ({ gamma, prX: curve.prX[k]!, prPhi: curve.prPhi[k]! }));
    if (!v.json) table([['gamma', 'PR^x/N', 'PR^phi/N'], ...rows.map((r) => [r.gamma, r.prX, r.prPhi])]);
    if (typeof v.csv === 'string') writeCsv(v.csv, ['gamma', 'prX', 'prPhi'], rows.map((r) => [r.gamma, r.prX, r.prPhi]));
    if (typeof v.svg === 'string') {
      writeSvg(v.svg, {
        title: `Dimension vs γ, g = ${g}`, xLabel: 'γ = N/PR_J', yLabel: 'PR/N',
        series: [
          { label: 'PR^x/N', x: Float64Array.from(gammas), y: curve.prX, style: 'both' },
          { label: 'PR^φ/N', x: Float64Array.from(gammas), y: curve.prPhi, style: 'both' },
        ],
      });
    }
    return { g, kappaX: d.kappaX, kappaPhi: d.kappaPhi, rows };
  },
};
