/** `rnnlab demo`: a short tour — theory, a simulation next to it, and online learning. */

import { dimension } from './dimension.js';
import { dmft } from './dmft.js';
import { simulate } from './simulate.js';
import { train } from './train.js';
import type { Command } from './command.js';

export const demo: Command = {
  name: 'demo',
  summary: 'a short tour: DMFT at g = 2, the dimension vs rank, a simulation next to the theory, and online learning',
  example: 'rnnlab demo',
  specs: {},
  async run(v) {
    const quiet = v.quiet === true || v.json === true;
    const log = (title: string) => { if (!v.json) console.log(`\n== ${title}`); };
    const shared = { json: v.json, quiet };
    log('mean-field theory, tanh, g = 2 (rnnlab dmft)');
    const theory = await dmft.run({ ...shared, g: '2', phi: 'tanh', bias: '0', noise: '0' });
    log('dimension vs inverse effective rank (rnnlab dimension)');
    const dim = await dimension.run({ ...shared, g: '2', gamma: '0,1,4' });
    log('simulation, N = 1024, iid J, 8 trajectories, next to the theory (rnnlab simulate)');
    const sim = await simulate.run({
      ...shared, n: '1024', g: '2', phi: 'tanh', trajectories: '8', duration: '100', 'burn-in': '50', dt: '0.1', seed: '1',
    });
    log('online learning: RFLO on the Add task, lags 5 and 9 (rnnlab train)');
    const learn = await train.run({
      ...shared, task: 'add', lags: '5,9', algorithm: 'rflo', steps: '20000', n: '32', alpha: '1', lr: '0.003',
      optimizer: 'sgd', seed: '0', 'test-steps': '5000',
    });
    return { theory, dimension: dim, simulation: sim, learning: learn };
  },
};
