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

// The kernel of `model` for dtype T, `tangent_bucket` tangents (0, 1, 2, 4, 8 or 16) and the
// estimator options `discrete`; null for an unknown model, and in the wide sets for what only the
// baseline set carries.
#define AG_DECLARE_CPU_KERNELS(isa)                                                                                \
  namespace isa {                                                                                                  \
  ReplicateKernel<float> float_kernel(const char* model, int tangent_bucket, const DiscreteOptions& discrete);   \
  ReplicateKernel<double> double_kernel(const char* model, int tangent_bucket, const DiscreteOptions& discrete); \
  }
AG_DECLARE_CPU_KERNELS(baseline)
AG_DECLARE_CPU_KERNELS(avx2)
AG_DECLARE_CPU_KERNELS(avx512)
#undef AG_DECLARE_CPU_KERNELS

}  // namespace ag::cpu
