/**
 * Clark, Marschall, van Meegen & Litwin-Kumar, PRX 15, 041019 (2025), Fig. 4: dimension against
 * the effective rank αPR_D, exponential spectrum D_a ∝ exp(−β_D a/M) with PR_D = tanh β_D/β_D
 * (α = 1, β_D solved for αPR_D ≤ 1; a flat spectrum with M = αN modes above), g_eff = 3, 6, 10,
 * φ = erf(√π x/2), RK4 dt = 0.05; theory curves to αPR_D = 10 (the paper's inset). The paper used
 * N = 5000 and 10 networks per point; its simulation means sit on the theory for αPR_D ≥ 0.2 and
 * above it at αPR_D = 0.1 at g_eff = 10.
 * Its theory lines and means, read off the figure (`examples/data/prx-fig4-published.csv`), are
 * written next to ours (paper-fig4-published.csv) and drawn as light points.
 *
 *   npx tsx examples/paper-fig4.ts                                   # N = 1000, 1 network, ≈ 3 min
 *   npx tsx examples/paper-fig4.ts --n 5000 --networks 10 --trajectories 8 --duration 400
 *
 * Writes paper-fig4.svg, paper-fig4-theory.csv, paper-fig4-simulation.csv, paper-fig4-published.csv to --out (default examples/out).
 * Network k is a sweep in --cells/network-k (default <out>/paper-fig4-n<N>-cells): an interrupted run
 * resumes, more --networks keep those done, --draw draws from what is done, and a cluster can fill
 * the folders first (then run the script again to draw):
 *   npx tsx examples/paper-fig4.ts --n 5000 --networks 10 --trajectories 8 --duration 400 --prepare
 *   for k in $(seq 10); do d=examples/out/paper-fig4-n5000-cells/network-$k; rnnlab sweep slurm $d/sweep.json --out $d --cpus-per-task 2; done
 */
import { betaForParticipation, runRankFigure, type RankFigure } from './lib/paperRank.js';
import { isMain } from './lib/output.js';

export const FIG4: RankFigure = {
  name: 'paper-fig4',
  title: 'PRX Fig. 4: dimension vs effective rank (exponential spectrum, erf)',
  ranks: '0.1,0.25,0.5,1,2',
  range: [0.05, 10],
  connectivity: (rank, g, n) =>
    rank < 1
      ? { kind: 'randomMode', spectrum: { shape: { kind: 'exponential', beta: betaForParticipation(rank) }, g } }
      : { kind: 'randomMode', spectrum: { shape: { kind: 'flat' }, g, modes: Math.round(rank * n) } },
  published: new URL('./data/prx-fig4-published.csv', import.meta.url),
};

export const run = (argv: string[]) => runRankFigure(FIG4, argv);

if (isMain(import.meta.url)) await run(process.argv.slice(2));
