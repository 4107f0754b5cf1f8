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

template <DiscreteMode M>
struct IsaMode : FixedMode<M> {};

template <class Model, class S, class Mode>
void run_one(const ReplicateInputs<RealOf<S>>& inputs, const RealOf<S>* point, DrawKey key, DiscreteOptions discrete,
             const ReplicateOutputs<RealOf<S>>& outputs, RealOf<S>* workspace) {
  CpuTeam<S, Mode> team(key, discrete, inputs.graph, inputs.agents, workspace);
  run_replicate<Model, S, CpuTeam<S, Mode>, parameter_count<Model>(), output_count<Model>()>(team, inputs, point, outputs);
}

template <class Model, class S>
ReplicateKernel<RealOf<S>> kernel_for_mode(DiscreteMode mode) {
  switch (mode) {
    case DiscreteMode::relaxed: return run_one<Model, S, IsaMode<DiscreteMode::relaxed>>;
    case DiscreteMode::straight_through: return run_one<Model, S, IsaMode<DiscreteMode::straight_through>>;
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
ReplicateKernel<T> kernel(const char* model, int tangent_bucket, DiscreteMode mode) {
  ReplicateKernel<T> found = nullptr;
  visit_model(
      model,
      [&](auto model_tag) {
        visit_scalar_of<T>(tangent_bucket, [&](auto scalar_tag) {
          found = kernel_for_mode<typename decltype(model_tag)::type, typename decltype(scalar_tag)::type>(mode);
        });
      },
      KernelModels{});
  return found;
}

}  // namespace

ReplicateKernel<float> float_kernel(const char* model, int tangent_bucket, DiscreteMode mode) {
  return kernel<float>(model, tangent_bucket, mode);
}
ReplicateKernel<double> double_kernel(const char* model, int tangent_bucket, DiscreteMode mode) {
#if AG_CPU_WIDE
  (void)model, (void)tangent_bucket, (void)mode;
  return nullptr;
#else
  return kernel<double>(model, tangent_bucket, mode);
#endif
}

}  // namespace ag::cpu::AG_CPU_ISA
