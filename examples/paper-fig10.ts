/**
 * Clark, Marschall, van Meegen & Litwin-Kumar, PRX 15, 041019 (2025), Fig. 10: dimension against
 * the effective rank for the step spectrum (D_a constant for a ≤ PR_D·N, zero beyond; α = 1, so
 * αPR_D = PR_D: a random-mode network with PR_D·N equal modes), g_eff = 3, 6, 10,
 * φ = erf(√π x/2), RK4 dt = 0.05, PR_D = 2^−4 … 2^−0.5. The paper used N = 6500 and 10 networks.
 * Its theory lines and means of PR^φ/N, read off the figure (`examples/data/prx-fig10-published.csv`),
 * are written next to ours (paper-fig10-published.csv) and drawn as light points.
 *
 *   npx tsx examples/paper-fig10.ts                                  # N = 1000, 1 network, ≈ 3 min
 *   npx tsx examples/paper-fig10.ts --n 6500 --networks 10 --trajectories 8 --duration 400
 *
 * Writes paper-fig10.svg, paper-fig10-theory.csv, paper-fig10-simulation.csv, paper-fig10-published.csv to --out (default examples/out).
 * Network k is a sweep in --cells/network-k (default <out>/paper-fig10-n<N>-cells): an interrupted run
 * resumes, more --networks keep those done, --draw draws from what is done, and a cluster can fill
 * the folders first (then run the script again to draw):
 *   npx tsx examples/paper-fig10.ts --n 6500 --networks 10 --trajectories 8 --duration 400 --prepare
 *   for k in $(seq 10); do d=examples/out/paper-fig10-n6500-cells/network-$k; rnnlab sweep slurm $d/sweep.json --out $d --cpus-per-task 2; done
 */
import { runRankFigure, type RankFigure } from './lib/paperRank.js';
import { isMain } from './lib/output.js';

export const FIG10: RankFigure = {
  name: 'paper-fig10',
  title: 'PRX Fig. 10: dimension vs effective rank (step spectrum, erf)',
  ranks: '0.0625,0.125,0.25,0.5,0.7071',
  range: [0.05, 1],
  connectivity: (rank, g, n) => ({ kind: 'randomMode', spectrum: { shape: { kind: 'flat' }, g, modes: Math.max(1, Math.round(rank * n)) } }),
  published: new URL('./data/prx-fig10-published.csv', import.meta.url),
};

export const run = (argv: string[]) => runRankFigure(FIG10, argv);

if (isMain(import.meta.url)) await run(process.argv.slice(2));
