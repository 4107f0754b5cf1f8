#!/usr/bin/env bash
# The GPU check (docs/gpu-check.md): builds native/gpucheck with CMake in build/gpu-check and runs
# it. With a GPU that nvidia-smi sees, the CUDA backend is built for that GPU and checked against
# the CPU backend, then benchmarked, and a record lands in bench/results/; without one, only the CPU
# side runs. Needs CMake, a C++17 compiler and, for the CUDA side, nvcc; not Node.js.
#   npm run gpu-check        or        bash scripts/gpu-check.sh [harness options]
# Environment: AGENTGRAD_CUDA=0 skips the CUDA side; AGENTGRAD_CUDA_ARCHITECTURES overrides the
# architecture (default: the visible GPU's, CMAKE_CUDA_ARCHITECTURES=native).
set -uo pipefail

start=$(date +%s)
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
build_dir=build/gpu-check

finish() {
  local status=$1
  echo "gpu-check: exit ${status}, $(($(date +%s) - start)) s in all"
  exit "${status}"
}

generator="Unix Makefiles"
if command -v ninja > /dev/null 2>&1; then generator=Ninja; fi
# A build folder configured with another generator cannot be reused.
if [[ -f ${build_dir}/CMakeCache.txt ]] && ! grep -qx "CMAKE_GENERATOR:INTERNAL=${generator}" "${build_dir}/CMakeCache.txt"; then
  rm -rf "${build_dir}"
fi

cuda_flags=(-DAGENTGRAD_CUDA=OFF)
if [[ ${AGENTGRAD_CUDA:-1} != 0 ]] && nvidia-smi -L 2> /dev/null | grep -q '^GPU '; then
  nvcc=""
  for candidate in "${CUDACXX:-}" "$(command -v nvcc || true)" "${CUDA_PATH:+${CUDA_PATH}/bin/nvcc}" /usr/local/cuda/bin/nvcc; do
    if [[ -z ${nvcc} && -n ${candidate} && -x ${candidate} ]]; then nvcc=${candidate}; fi
  done
  if [[ -z ${nvcc} ]]; then
    echo "gpu-check: nvidia-smi sees a GPU but nvcc was not found (CUDACXX, PATH, CUDA_PATH, /usr/local/cuda/bin);" \
      "install the CUDA toolkit, or run with AGENTGRAD_CUDA=0 for the CPU side alone" >&2
    finish 1
  fi
  archs=${AGENTGRAD_CUDA_ARCHITECTURES:-native}
  cmake_version=$(cmake --version | sed -n 's/^cmake version \([0-9]*\.[0-9]*\).*/\1/p')
  if [[ ${archs} == native ]] && ! printf '3.24\n%s\n' "${cmake_version}" | sort -V -C; then
    # CMake before 3.24 has no 'native': ask the driver for the compute capability.
    archs=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -n 1 | tr -d ' .')
  fi
  cuda_flags=(-DAGENTGRAD_CUDA=ON "-DCMAKE_CUDA_COMPILER=${nvcc}" "-DCMAKE_CUDA_ARCHITECTURES=${archs}")
  echo "gpu-check: GPU $(nvidia-smi --query-gpu=name --format=csv,noheader | head -n 1), CUDA architectures ${archs}"
else
  echo "gpu-check: no GPU visible to nvidia-smi (or AGENTGRAD_CUDA=0): building the CPU side only"
fi

mkdir -p "${build_dir}"
cmake -S . -B "${build_dir}" -G "${generator}" -DCMAKE_BUILD_TYPE=Release -DAGENTGRAD_GPU_CHECK=ON \
  -DAGENTGRAD_CPU_ISAS=baseline "${cuda_flags[@]}" > "${build_dir}/configure.log" 2>&1 \
  || { cat "${build_dir}/configure.log"; echo "gpu-check: CMake configure failed" >&2; finish 1; }
jobs=$(nproc 2> /dev/null || getconf _NPROCESSORS_ONLN 2> /dev/null || echo 2)
build_start=$(date +%s)
cmake --build "${build_dir}" --target agentgrad_gpu_check --parallel "${jobs}" || { echo "gpu-check: build failed" >&2; finish 1; }
echo "gpu-check: built in $(($(date +%s) - build_start)) s on ${jobs} cores"

# The record's commit: HEAD, marked +dirty when tracked files other than the records differ (as
# bench/run.ts marks its records); 'unknown' without git.
commit=unknown
if head=$(git rev-parse --short HEAD 2> /dev/null); then
  commit=${head}
  if [[ -n $(git status --porcelain --untracked-files=no -- . ':(exclude)bench/results' 2> /dev/null) ]]; then
    commit="${head}+dirty"
  fi
fi

mkdir -p bench/results
"${build_dir}/agentgrad_gpu_check" --commit "${commit}" --results bench/results "$@"
finish $?
