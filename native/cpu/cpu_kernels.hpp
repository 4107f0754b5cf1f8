// Replicate kernels, compiled once per instruction set (AG_CPU_ISA: baseline, avx2 or avx512) and,
// within a set, in one translation unit per model and dtype (native/cpu/kernels/, AG_CPU_REAL), so
// that a parallel build spreads them over the cores; cpu_backend.cpp picks one set at run time.
// Only plain data crosses this boundary, so no inline code is shared between copies built for
// different instruction sets.
#pragma once

#include "../core/discrete.hpp"
#include "../core/random.hpp"
#include "../models/simulation.hpp"

namespace ag::cpu {

// Runs one replicate at parameter point `point`: its team lives on the calling thread, its agent
// state in `workspace`.
template <class T>
using ReplicateKernel = void (*)(const ReplicateInputs<T>& inputs, const T* point, DrawKey key, DiscreteOptions discrete,
                                 const ReplicateOutputs<T>& outputs, T* workspace);

// The most tangent lanes one CPU run carries: a request with more runs in passes, each of which
// recomputes bitwise the same values (every draw is keyed by its counter). A pass of 8 lanes costs
// about what half a pass of 16 does per lane, and the 16-lane kernels were a third of the build.
constexpr int kCpuMaxLanes = 8;

// model_kernel<Model, T>: the kernel of `Model` for dtype T, `tangent_bucket` tangents (0, 1, 2, 4
// or 8) and the estimator options `discrete`. Instantiated in kernels/<model>.cpp.
// float_kernel, double_kernel: the same by model name; null for a model this set does not carry.
// program_kernel<T>: the program runner (program_runner.hpp) for dtype T and `tangent_bucket`
// tangents, instantiated in kernels/program.cpp; float_program_kernel, double_program_kernel: the
// same, or null where this set does not carry it (the lists of the wide models).
// uniform_sum: the sum over steps 0 .. steps - 1 of the team sum of agents' float uniforms at
// (step, slot 0), drawn and summed as a model's agent loop draws and sums them: the generator's
// share of any model that draws one uniform per agent-step (the benchmark's generator bound).
#define AG_DECLARE_CPU_KERNELS(isa)                                                                                \
  namespace isa {                                                                                                  \
  template <class Model, class T>                                                                                  \
  ReplicateKernel<T> model_kernel(int tangent_bucket, const DiscreteOptions& discrete);                           \
  ReplicateKernel<float> float_kernel(const char* model, int tangent_bucket, const DiscreteOptions& discrete);   \
  ReplicateKernel<double> double_kernel(const char* model, int tangent_bucket, const DiscreteOptions& discrete); \
  float uniform_sum(DrawKey key, int agents, int steps);                                                         \
  template <class T>                                                                                               \
  ReplicateKernel<T> program_kernel(int tangent_bucket);                                                           \
  ReplicateKernel<float> float_program_kernel(int tangent_bucket);                                                 \
  ReplicateKernel<double> double_program_kernel(int tangent_bucket);                                               \
  }
AG_DECLARE_CPU_KERNELS(baseline)
AG_DECLARE_CPU_KERNELS(avx2)
AG_DECLARE_CPU_KERNELS(avx512)
#undef AG_DECLARE_CPU_KERNELS

}  // namespace ag::cpu
