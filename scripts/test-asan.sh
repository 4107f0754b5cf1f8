#!/usr/bin/env bash
# npm run test:asan — builds the addon with AddressSanitizer and UndefinedBehaviorSanitizer (CPU
# backend, kernels for this processor; in a copy of the checkout under build/asan, so the addon in
# build/Release is untouched) and runs the native-heavy tests on it. Any invalid memory access or
# undefined behaviour aborts the run. Leaks are valgrind's job (scripts/valgrind-simulate.sh): Node
# itself is not built for LeakSanitizer.
#   bash scripts/test-asan.sh          build, then run the tests
#   bash scripts/test-asan.sh build    only build (CI builds it while the test suite runs)
#   bash scripts/test-asan.sh run      only run the tests on the last build
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
stage=$root/build/asan
step=${1:-all}

if [[ $step == all || $step == build ]]; then
  rm -rf "$stage"
  mkdir -p "$stage"
  git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$stage"
  ln -s "$root/node_modules" "$stage/node_modules"
  (cd "$stage" && AGENTGRAD_CUDA=0 AGENTGRAD_CPU_ISAS=native npx node-gyp rebuild --silent --jobs max -- -Dsanitize=1)
fi

if [[ $step == all || $step == run ]]; then
  npm run build:ts --silent
  export AGENTGRAD_ADDON="$stage/build/Release/agentgrad.node"
  export LD_PRELOAD="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:check_initialization_order=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  npx ava dist/test/philox.test.js dist/test/dual.test.js dist/test/random.test.js dist/test/discrete.test.js \
    dist/test/randomWalk.test.js dist/test/volatility.test.js dist/test/determinism.test.js dist/test/validation.test.js \
    dist/test/estimators.test.js dist/test/extremes.test.js dist/test/fuzz.test.js dist/test/objective.test.js \
    dist/test/programFuzz.test.js dist/test/defineTwin.test.js
fi
