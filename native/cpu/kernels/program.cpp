// The program runner's kernels for one instruction set and dtype (model programs, docs/program-format.md).
#include "../cpu_kernels.hpp"
#include "../../models/scalar_dispatch.hpp"
#include "../program_runner.hpp"

#ifndef AG_CPU_ISA
#error "define AG_CPU_ISA (baseline, avx2 or avx512)"
#endif

namespace ag::cpu::AG_CPU_ISA {
namespace {

template <class S>
void run_program(const ReplicateInputs<RealOf<S>>& inputs, const RealOf<S>* point, DrawKey key, DiscreteOptions discrete,
                 const ReplicateOutputs<RealOf<S>>& outputs, RealOf<S>* workspace) {
  ProgramRunner<S> runner(*inputs.program, inputs, point, key, discrete, workspace);
  runner.run(outputs);
}

}  // namespace

template <>
ReplicateKernel<AG_CPU_REAL> program_kernel<AG_CPU_REAL>(int tangent_bucket) {
  ReplicateKernel<AG_CPU_REAL> found = nullptr;
  visit_scalar_up_to<AG_CPU_REAL, kCpuMaxLanes>(tangent_bucket, [&](auto scalar_tag) {
    found = run_program<typename decltype(scalar_tag)::type>;
  });
  return found;
}

}  // namespace ag::cpu::AG_CPU_ISA
