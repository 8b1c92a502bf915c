// Fingerprints of seeded results, computed identically in Node and in a browser page: FNV-1a
// over the IEEE-754 bytes of each array. Equal fingerprints mean bit-identical numbers.

/** 64-bit FNV-1a of the bytes of a Float64Array, as 16 hex digits. */
export function fnv1a(array) {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (const b of bytes) h = ((h ^ BigInt(b)) * prime) & mask;
  return h.toString(16).padStart(16, '0');
}

/** Seeded objects whose bits must agree across runtimes; `lib` is the rnnlab module. */
export function fingerprints(lib) {
  const iid = lib.iidGaussian({ n: 64, g: 1.5, seed: 42 });
  const rmm = lib.randomMode({
    n: 64,
    spectrum: { shape: { kind: 'powerLaw', beta: 1 }, g: 2 },
    overlaps: 0.3,
    gains: { lognormalSigma: 0.4 },
    seed: 7,
  });
  const sim = new lib.Simulation({ J: iid, seed: 3, noise: 0.2, method: 'rk4' });
  const run = sim.run({ steps: 500, stride: 5, record: 'both' });
  sim.dispose();
  const eig = lib.symmetricEigenvalues(lib.covariance(run.x).covariance);
  const network = lib.createNetwork({ n: 12, nIn: 2, nOut: 2, seed: 5 });
  const trainer = new lib.Trainer({
    network, task: lib.addTask({ lags: [2, 4] }), algorithm: 'uoro', compare: ['rtrl'], seed: 6, block: 50,
    optimizer: { type: 'adam', lr: 0.01 }, clip: 1,
  });
  trainer.run(300);
  const trained = trainer.network();
  const curve = Float64Array.from([...trainer.curve.loss, ...trainer.curve.alignment[0].cosine]);
  trainer.dispose();
  // Large enough for every parallel loop of the threaded module to share out its work.
  const quenched = lib.predictActivity({ J: lib.iidGaussian({ n: 400, g: 1.5, seed: 8 }), noise: 0.5, method: 'eigen' });
  return {
    iid: fnv1a(iid.data),
    randomMode: fnv1a(rmm.J.data),
    trajectory: fnv1a(run.x.data),
    rates: fnv1a(run.phi.data),
    covarianceEigenvalues: fnv1a(eig),
    trainedWeights: fnv1a(trained.wRec),
    learningCurve: fnv1a(curve),
    quenched: fnv1a(Float64Array.from([...quenched.spectrumX, ...quenched.spectrumPhi, ...quenched.covarianceX.data.subarray(0, 400)])),
  };
}
