// The replicate kernels of one instruction set; AG_CPU_ISA names it (see cpu_kernels.hpp). Every
// instantiation that runs agent loops takes IsaMode, a type with internal linkage, so the copies
// built for different instruction sets can never be merged by the linker.
#include "cpu_kernels.hpp"

#include "../models/registry.hpp"
#include "../models/scalar_dispatch.hpp"
#include "cpu_team.hpp"

#ifndef AG_CPU_ISA
#error "define AG_CPU_ISA (baseline, avx2 or avx512)"
#endif

namespace ag::cpu::AG_CPU_ISA {
namespace {

template <DiscreteMode M, int32_t WholePower = kNoWholePower>
struct IsaMode : FixedMode<M, WholePower> {};

template <class Model, class S, class Mode>
void run_one(const ReplicateInputs<RealOf<S>>& inputs, const RealOf<S>* point, DrawKey key, DiscreteOptions discrete,
             const ReplicateOutputs<RealOf<S>>& outputs, RealOf<S>* workspace) {
  CpuTeam<S, Mode> team(key, discrete, inputs.graph, inputs.agents, workspace);
  run_replicate<Model, S, CpuTeam<S, Mode>, parameter_count<Model>(), output_count<Model>()>(team, inputs, point, outputs);
}

// The default estimator, straight-through at tau = 0.1, gets kernels with 1/tau = 10 compiled in
// where the agent loops vectorise (the wide instruction sets): q^10 is then three squarings and a
// product, against five bits' worth of selects and products at a run-time exponent, with the
// same numbers. Other modes and temperatures share the run-time kernels, which keeps the build short.
#if AG_CPU_WIDE
constexpr bool kWideInstructionSet = true;
#else
constexpr bool kWideInstructionSet = false;
#endif
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

template <class Model, class S>
ReplicateKernel<RealOf<S>> kernel_for_mode(const DiscreteOptions& discrete) {
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

// The wide instruction sets pay off where float agent loops vectorise (double calls libm): they
// carry float kernels of the agent-heavy models only, which keeps the build short. Every other
// request runs the baseline kernels, with bitwise the same numbers.
#if AG_CPU_WIDE
using KernelModels = ModelList<RandomWalk, Volatility, Sir>;
#else
using KernelModels = RegisteredModels;
#endif

template <class T>
ReplicateKernel<T> kernel(const char* model, int tangent_bucket, const DiscreteOptions& discrete) {
  ReplicateKernel<T> found = nullptr;
  visit_model(
      model,
      [&](auto model_tag) {
        visit_scalar_of<T>(tangent_bucket, [&](auto scalar_tag) {
          found = kernel_for_mode<typename decltype(model_tag)::type, typename decltype(scalar_tag)::type>(discrete);
        });
      },
      KernelModels{});
  return found;
}

}  // namespace

ReplicateKernel<float> float_kernel(const char* model, int tangent_bucket, const DiscreteOptions& discrete) {
  return kernel<float>(model, tangent_bucket, discrete);
}
ReplicateKernel<double> double_kernel(const char* model, int tangent_bucket, const DiscreteOptions& discrete) {
#if AG_CPU_WIDE
  (void)model, (void)tangent_bucket, (void)discrete;
  return nullptr;
#else
  return kernel<double>(model, tangent_bucket, discrete);
#endif
}

float uniform_sum(DrawKey key, int agents, int steps) {
  CpuTeam<float, IsaMode<DiscreteMode::exact>> team(key, DiscreteOptions{DiscreteMode::exact, 1.0, 1.0}, GraphView{}, agents,
                                                     nullptr);
  float total = 0.0f;
  for (int t = 0; t < steps; ++t) {
    const auto uniforms = team.uniforms(static_cast<uint32_t>(t), 0);
    total += team.sum([&](int i) { return uniforms(i); });
  }
  return total;
}

}  // namespace ag::cpu::AG_CPU_ISA
