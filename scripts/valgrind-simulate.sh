#!/usr/bin/env bash
# Valgrind memcheck of a small simulate loop: fails on any definite leak or invalid access whose
# stack reaches the agentgrad addon. Node and V8 themselves are not checked (JIT code confuses
# memcheck), hence --undef-value-errors=no and the filter on our frames.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
script='
  const { models, simulate } = await import("./dist/lib/index.js");
  const model = models.volatility({ agents: 200, steps: 20 });
  for (let i = 0; i < 20; i++) await simulate(model, model.reference, { replicates: 4, seed: i, tangents: true, threads: 2 });
  for (let i = 0; i < 5; i++) await simulate(models.randomWalk({ agents: 100, steps: 10 }), { p: 0.4 }, { replicates: 3, seed: i, tangents: true, discrete: { mode: "score" } });
  const { default: networkSir } = await import("./dist/examples/models/networkSir.js");
  const { default: volatility } = await import("./dist/examples/models/volatility.js");
  for (const mode of ["exact", "relaxed", "straight-through", "smoothed", "score"]) {
    await simulate(networkSir({ agents: 300, steps: 8 }), { beta: 0.05, gamma: 0.1, I0: 0.05 }, { replicates: 3, seed: 2, tangents: true, threads: 2, discrete: { mode } });
    await simulate(volatility({ agents: 300, steps: 8 }), { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 }, { replicates: 3, seed: 2, tangents: true, dtype: "float64", discrete: { mode } });
  }
'
AGENTGRAD_CPU_ISA=avx2 valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite --undef-value-errors=no \
  --num-callers=40 --log-file="$log" node --input-type=module -e "$script"
if grep -q "agentgrad.node" "$log" && grep -B2 -A40 "definitely lost\|Invalid read\|Invalid write" "$log" | grep -q "agentgrad.node"; then
  grep -B2 -A40 "definitely lost\|Invalid read\|Invalid write" "$log"
  echo "valgrind: errors in agentgrad's native code" >&2
  exit 1
fi
grep -E "definitely lost|ERROR SUMMARY" "$log" || true
echo "valgrind: no leak or invalid access in agentgrad's native code"
