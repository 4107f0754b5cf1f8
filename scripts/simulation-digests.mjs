#!/usr/bin/env node
// One SHA-256 line per CPU simulation case: every model x estimator mode x tau x dtype x tangent
// set (none, one, all parameters, all with four intervention factors: more than a CPU pass
// carries) on 1 and 2 threads. Run it against two builds (AGENTGRAD_ADDON=path/agentgrad.node)
// and diff the output to show that a build change left every number bitwise the same.
//   node scripts/simulation-digests.mjs > digests.txt
import { createHash } from 'node:crypto';

import { models, simulate, withIntervention } from '../dist/lib/index.js';

const cases = [
  ['randomWalk', models.randomWalk({ agents: 203, steps: 17 })],
  ['volatility', models.volatility({ agents: 203, steps: 17 })],
  ['sir', models.sir({ agents: 203, steps: 17 })],
  ['networkSir', models.networkSir({ agents: 203, steps: 17 })],
  ['brockHommes', models.brockHommes({ steps: 17 })],
  ['bassDiffusion', models.bassDiffusion({ agents: 203, steps: 17 })],
  ['bernoulliSum', models.bernoulliSum({ agents: 203, steps: 3 })],
  ['gaussianShift', models.gaussianShift({ agents: 203, steps: 3 })],
  ['gaussianLocation', models.gaussianLocation({ agents: 203, steps: 5 })],
];

function withFourInterventions(model) {
  let result = model;
  const parameter = model.parameters[0].name;
  for (let m = 0; m < 4; m++) result = withIntervention(result, { parameter, from: 2 + 3 * m, to: 4 + 3 * m, name: `f${m}` });
  return result;
}

function reference(model) {
  const theta = Object.fromEntries(model.parameters.map((p) => [p.name, p.reference ?? 1]));
  for (const i of model.interventions ?? []) theta[i.name] = 1.1;
  return theta;
}

for (const [name, plain] of cases) {
  const intervened = withFourInterventions(plain);
  const tangentSets = [
    ['none', plain, false],
    ['one', plain, [plain.parameters[0].name]],
    ['all', plain, true],
    ['all+4', intervened, true],
  ];
  for (const mode of ['exact', 'relaxed', 'straight-through', 'smoothed', 'score'])
    for (const tau of [0.1, 0.5, 0.3])
      for (const dtype of ['float32', 'float64'])
        for (const [label, model, tangents] of tangentSets)
          for (const threads of [1, 2]) {
            const sim = await simulate(model, reference(model), {
              replicates: 3, seed: 5, dtype, tangents, threads, backend: 'cpu', discrete: { mode, tau },
            });
            const hash = createHash('sha256');
            hash.update(new Uint8Array(sim.values.buffer));
            if (sim.tangents) hash.update(new Uint8Array(sim.tangents.buffer));
            if (sim.logProb) hash.update(new Uint8Array(sim.logProb.buffer));
            console.log(`${name} ${mode} tau=${tau} ${dtype} tangents=${label} threads=${threads} ${hash.digest('hex').slice(0, 16)}`);
          }
}
