// The kernels of one model in one instruction set and dtype: included by native/cpu/kernels/<model>.cpp,
// which instantiates them with AG_CPU_MODEL_KERNELS(Model). Every instantiation that runs agent loops
// takes a mode type with internal linkage (IsaMode, IsaRunTimeMode, IsaContinuousMode), so the
// copies built for different instruction sets can never be merged by the linker. A set carries all
// of a model's kernels for its dtype: a source build has the wide models' float kernels in its wide
// set only.
#pragma once

#include <type_traits>

#include "../models/registry.hpp"
#include "../models/scalar_dispatch.hpp"
#include "cpu_kernels.hpp"
#include "cpu_team.hpp"

#ifndef AG_CPU_ISA
#error "define AG_CPU_ISA (baseline, avx2 or avx512)"
#endif
#ifndef AG_CPU_REAL
#error "define AG_CPU_REAL (float or double)"
#endif
#ifndef AG_CPU_COMPACT
#define AG_CPU_COMPACT 0
#endif

namespace ag::cpu::AG_CPU_ISA {
namespace {

template <DiscreteMode M, int32_t WholePower = kNoWholePower>
struct IsaMode : FixedMode<M, WholePower> {};
struct IsaRunTimeMode : ModeFromOptions {};
template <DiscreteMode M>
struct IsaContinuousMode : ContinuousMode<M> {};

template <class Model, class S, class Mode>
void run_one(const ReplicateInputs<RealOf<S>>& inputs, const RealOf<S>* point, DrawKey key, DiscreteOptions discrete,
             const ReplicateOutputs<RealOf<S>>& outputs, RealOf<S>* workspace) {
  CpuTeam<S, Mode> team(key, discrete, inputs.graph, inputs.agents, workspace);
  run_replicate<Model, S, CpuTeam<S, Mode>, parameter_count<Model>(), output_count<Model>()>(team, inputs, point, outputs);
}

#if AG_CPU_WIDE
constexpr bool kWideInstructionSet = true;
#else
constexpr bool kWideInstructionSet = false;
#endif

// The default estimator, straight-through at tau = 0.1, gets kernels with 1/tau = 10 compiled in
// where the agent loops vectorise (the wide instruction sets): q^10 is then three squarings and a
// product, against five bits' worth of selects and products at a run-time exponent, with the
// same numbers. Other modes and temperatures share the run-time kernels, which keeps the build short.
template <DiscreteMode M, class S>
constexpr bool kCompilesDefaultPower = kWideInstructionSet && M == DiscreteMode::straight_through && ScalarTraits<S>::tangents > 0;

// Concrete draws (relaxed and straight-through modes) at a whole 1/tau get kernels of their own,
// whose agent loops take the whole-power form without a branch; straight-through draws without
// tangents never evaluate the relaxation, so one kernel serves every tau there.
template <class Model, class S, DiscreteMode M>
ReplicateKernel<RealOf<S>> concrete_kernel(int32_t whole_inverse) {
  constexpr bool kEvaluatesRelaxation = M == DiscreteMode::relaxed || ScalarTraits<S>::tangents > 0;
  if constexpr (kCompilesDefaultPower<M, S>) {
    if (whole_inverse == kCompiledWholeInverseTemperature) {
      return run_one<Model, S, IsaMode<M, kCompiledWholeInverseTemperature>>;
    }
  }
  if constexpr (kEvaluatesRelaxation) {
    if (whole_inverse > 0) return run_one<Model, S, IsaMode<M, kRunTimeWholePower>>;
  }
  return run_one<Model, S, IsaMode<M>>;
}

// Each mode gets a kernel without mode branches in its agent loops. A compact build (a source build
// for this processor) gives float64 one kernel that reads the mode at run time instead (the same
// draws, the same numbers, 1.5-1.8x slower on models with discrete draws, a quarter of the build),
// and score mode, whose sums run in agent order, its own.
template <class Model, class S>
ReplicateKernel<RealOf<S>> discrete_kernel(const DiscreteOptions& discrete) {
  if constexpr (AG_CPU_COMPACT && std::is_same<RealOf<S>, double>::value) {
    if (discrete.mode == DiscreteMode::score) return run_one<Model, S, IsaMode<DiscreteMode::score>>;
    return run_one<Model, S, IsaRunTimeMode>;
  } else {
    const int32_t whole_inverse = whole_inverse_temperature(discrete.temperature);
    switch (discrete.mode) {
      case DiscreteMode::relaxed: return concrete_kernel<Model, S, DiscreteMode::relaxed>(whole_inverse);
      case DiscreteMode::straight_through: return concrete_kernel<Model, S, DiscreteMode::straight_through>(whole_inverse);
      case DiscreteMode::smoothed: return run_one<Model, S, IsaMode<DiscreteMode::smoothed>>;
      case DiscreteMode::score: return run_one<Model, S, IsaMode<DiscreteMode::score>>;
      case DiscreteMode::exact:
      default: return run_one<Model, S, IsaMode<DiscreteMode::exact>>;
    }
  }
}

template <class Model, class S>
ReplicateKernel<RealOf<S>> kernel_for_mode(const DiscreteOptions& discrete) {
  if constexpr (is_continuous<Model>()) {
    if (discrete.mode == DiscreteMode::score) return run_one<Model, S, IsaContinuousMode<DiscreteMode::score>>;
    return run_one<Model, S, IsaContinuousMode<DiscreteMode::exact>>;
  } else {
    return discrete_kernel<Model, S>(discrete);
  }
}

}  // namespace

template <class Model, class T>
ReplicateKernel<T> model_kernel(int tangent_bucket, const DiscreteOptions& discrete) {
  ReplicateKernel<T> found = nullptr;
  visit_scalar_up_to<T, kCpuMaxLanes>(tangent_bucket, [&](auto scalar_tag) {
    found = kernel_for_mode<Model, typename decltype(scalar_tag)::type>(discrete);
  });
  return found;
}

}  // namespace ag::cpu::AG_CPU_ISA

#define AG_CPU_MODEL_KERNELS(Model)                   \
  namespace ag::cpu::AG_CPU_ISA {                     \
  template ReplicateKernel<AG_CPU_REAL> model_kernel< \
      Model, AG_CPU_REAL>(int tangent_bucket, const DiscreteOptions& discrete); \
  }
