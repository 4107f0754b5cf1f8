// Replicate kernels, compiled once per instruction set (cpu_kernels.cpp with AG_CPU_ISA set to
// baseline, avx2 or avx512); cpu_backend.cpp picks one set at run time. Only plain data crosses
// this boundary, so no inline code is shared between copies built for different instruction sets.
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

// float_kernel, double_kernel: the kernel of `model` for dtype T, `tangent_bucket` tangents (0, 1,
// 2, 4, 8 or 16) and the estimator options `discrete`; null for an unknown model, and in the wide
// sets for what only the baseline set carries.
// uniform_sum: the sum over steps 0 .. steps - 1 of the team sum of agents' float uniforms at
// (step, slot 0), drawn and summed as a model's agent loop draws and sums them: the generator's
// share of any model that draws one uniform per agent-step (the benchmark's generator bound).
#define AG_DECLARE_CPU_KERNELS(isa)                                                                                \
  namespace isa {                                                                                                  \
  ReplicateKernel<float> float_kernel(const char* model, int tangent_bucket, const DiscreteOptions& discrete);   \
  ReplicateKernel<double> double_kernel(const char* model, int tangent_bucket, const DiscreteOptions& discrete); \
  float uniform_sum(DrawKey key, int agents, int steps);                                                         \
  }
AG_DECLARE_CPU_KERNELS(baseline)
AG_DECLARE_CPU_KERNELS(avx2)
AG_DECLARE_CPU_KERNELS(avx512)
#undef AG_DECLARE_CPU_KERNELS

}  // namespace ag::cpu
