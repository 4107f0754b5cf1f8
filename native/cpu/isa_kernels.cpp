// The kernels of one instruction set by model name (AG_CPU_ISA names the set; see cpu_kernels.hpp),
// and the generator bound's uniform sums. The kernels themselves are built in kernels/<model>.cpp.
#include "../models/registry.hpp"
#include "cpu_kernels.hpp"
#include "cpu_team.hpp"

#ifndef AG_CPU_ISA
#error "define AG_CPU_ISA (baseline, avx2 or avx512)"
#endif

namespace ag::cpu::AG_CPU_ISA {
namespace {

struct UniformSumMode : FixedMode<DiscreteMode::exact> {};

// The wide instruction sets pay off where float agent loops vectorise (double calls libm): they
// carry float kernels of the agent-heavy models only, which keeps the build short. Every other
// request runs the baseline kernels, with bitwise the same numbers. A compact build, for this
// processor (AG_CPU_COMPACT=1), leaves the wide models' float kernels out of the baseline set, since
// the processor never runs them. The build files compile kernels/<model>.cpp for the same lists
// (binding.gyp, CMakeLists.txt).
using WideModels = ModelList<RandomWalk, Volatility, Sir>;
using NarrowModels = ModelList<NetworkSir, BrockHommes, BassDiffusion, BernoulliSum, GaussianShift, GaussianLocation>;
static_assert(partitions<WideModels, NarrowModels>(RegisteredModels{}), "every registered model is wide or narrow, once");

// Model programs (kernels/program.cpp) go where the wide models go.
#if AG_CPU_WIDE
using FloatModels = WideModels;
using DoubleModels = ModelList<>;
constexpr bool kFloatPrograms = true, kDoublePrograms = false;
#elif AG_CPU_COMPACT
using FloatModels = NarrowModels;
using DoubleModels = RegisteredModels;
constexpr bool kFloatPrograms = false, kDoublePrograms = true;
#else
using FloatModels = RegisteredModels;
using DoubleModels = RegisteredModels;
constexpr bool kFloatPrograms = true, kDoublePrograms = true;
#endif

template <class T, class Models>
ReplicateKernel<T> kernel(const char* model, int tangent_bucket, const DiscreteOptions& discrete, Models models) {
  ReplicateKernel<T> found = nullptr;
  visit_model(
      model, [&](auto model_tag) { found = model_kernel<typename decltype(model_tag)::type, T>(tangent_bucket, discrete); },
      models);
  return found;
}

}  // namespace

ReplicateKernel<float> float_kernel(const char* model, int tangent_bucket, const DiscreteOptions& discrete) {
  return kernel<float>(model, tangent_bucket, discrete, FloatModels{});
}
ReplicateKernel<double> double_kernel(const char* model, int tangent_bucket, const DiscreteOptions& discrete) {
  return kernel<double>(model, tangent_bucket, discrete, DoubleModels{});
}

ReplicateKernel<float> float_program_kernel(int tangent_bucket) {
  if constexpr (kFloatPrograms) return program_kernel<float>(tangent_bucket);
  return nullptr;
}
ReplicateKernel<double> double_program_kernel(int tangent_bucket) {
  if constexpr (kDoublePrograms) return program_kernel<double>(tangent_bucket);
  return nullptr;
}

float uniform_sum(DrawKey key, int agents, int steps) {
  CpuTeam<float, UniformSumMode> team(key, DiscreteOptions{DiscreteMode::exact, 1.0, 1.0}, GraphView{}, agents, nullptr);
  float total = 0.0f;
  for (int t = 0; t < steps; ++t) {
    const auto uniforms = team.uniforms(static_cast<uint32_t>(t), 0);
    total += team.sum([&](int i) { return uniforms(i); });
  }
  return total;
}

}  // namespace ag::cpu::AG_CPU_ISA
