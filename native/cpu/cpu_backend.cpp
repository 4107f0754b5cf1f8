#include "cpu_backend.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "../models/cancelled.hpp"
#include "../models/registry.hpp"
#include "../models/scalar_dispatch.hpp"
#include "../program/request_outputs.hpp"
#include "cpu_kernels.hpp"
#include "program_layout.hpp"
#include "thread_pool.hpp"
#include "workspace_cache.hpp"

namespace ag::cpu {
namespace {

int lanes_for(int threads, int replicates) {
  return std::max(1, std::min(threads > 0 ? threads : default_threads(), replicates));
}

int lanes_for(const SimulationRequest& request) { return lanes_for(request.threads, request.replicates); }

bool is_cancelled(const int32_t* cancel) {
  return cancel != nullptr && __atomic_load_n(cancel, __ATOMIC_RELAXED) != 0;
}

enum class Isa { baseline, avx2, avx512 };

// The wide sets this binary carries: a source build compiles the widest set its processor runs
// (scripts/build-config.cjs), a release prebuild all of them.
#ifndef AG_CPU_HAS_AVX2
#define AG_CPU_HAS_AVX2 0
#endif
#ifndef AG_CPU_HAS_AVX512
#define AG_CPU_HAS_AVX512 0
#endif
// A compact build, for this processor: its widest set alone carries the wide models' float kernels.
#ifndef AG_CPU_COMPACT
#define AG_CPU_COMPACT 0
#endif

bool supports_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}

bool runs(Isa isa) {
  switch (isa) {
    case Isa::avx512: return AG_CPU_HAS_AVX512 && supports_avx512();
    case Isa::avx2: return AG_CPU_HAS_AVX2 && __builtin_cpu_supports("avx2");
    case Isa::baseline:
    default: return true;
  }
}

// The widest instruction set this binary carries and this CPU runs, and no wider than
// AGENTGRAD_CPU_ISA (baseline, avx2, avx512) asks; every set gives bitwise the same results.
Isa selected_isa() {
  const char* requested = std::getenv("AGENTGRAD_CPU_ISA");
  const Isa widest_wanted = requested == nullptr                      ? Isa::avx512
                            : std::strcmp(requested, "baseline") == 0 ? Isa::baseline
                            : std::strcmp(requested, "avx2") == 0     ? Isa::avx2
                                                                      : Isa::avx512;
  for (const Isa isa : {Isa::avx512, Isa::avx2}) {
    if (isa <= widest_wanted && runs(isa)) return isa;
  }
  return Isa::baseline;
}

const char* widest_built_name() { return AG_CPU_HAS_AVX512 ? "avx512" : AG_CPU_HAS_AVX2 ? "avx2" : "baseline"; }

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::avx512: return "avx512";
    case Isa::avx2: return "avx2";
    case Isa::baseline:
    default: return "baseline";
  }
}

ReplicateKernel<float> isa_kernel(Isa isa, const char* model, int bucket, const DiscreteOptions& discrete, float) {
  switch (isa) {
#if AG_CPU_HAS_AVX512
    case Isa::avx512: return avx512::float_kernel(model, bucket, discrete);
#endif
#if AG_CPU_HAS_AVX2
    case Isa::avx2: return avx2::float_kernel(model, bucket, discrete);
#endif
    default: return baseline::float_kernel(model, bucket, discrete);
  }
}
ReplicateKernel<double> isa_kernel(Isa isa, const char* model, int bucket, const DiscreteOptions& discrete, double) {
  switch (isa) {
#if AG_CPU_HAS_AVX512
    case Isa::avx512: return avx512::double_kernel(model, bucket, discrete);
#endif
#if AG_CPU_HAS_AVX2
    case Isa::avx2: return avx2::double_kernel(model, bucket, discrete);
#endif
    default: return baseline::double_kernel(model, bucket, discrete);
  }
}

ReplicateKernel<float> isa_program_kernel(Isa isa, int bucket, float) {
  switch (isa) {
#if AG_CPU_HAS_AVX512
    case Isa::avx512: return avx512::float_program_kernel(bucket);
#endif
#if AG_CPU_HAS_AVX2
    case Isa::avx2: return avx2::float_program_kernel(bucket);
#endif
    default: return baseline::float_program_kernel(bucket);
  }
}
ReplicateKernel<double> isa_program_kernel(Isa isa, int bucket, double) {
  switch (isa) {
#if AG_CPU_HAS_AVX512
    case Isa::avx512: return avx512::double_program_kernel(bucket);
#endif
#if AG_CPU_HAS_AVX2
    case Isa::avx2: return avx2::double_program_kernel(bucket);
#endif
    default: return baseline::double_program_kernel(bucket);
  }
}

float (*uniform_sum_of(Isa isa))(DrawKey, int, int) {
  switch (isa) {
#if AG_CPU_HAS_AVX512
    case Isa::avx512: return avx512::uniform_sum;
#endif
#if AG_CPU_HAS_AVX2
    case Isa::avx2: return avx2::uniform_sum;
#endif
    default: return baseline::uniform_sum;
  }
}

const char* dtype_name(float) { return "float32"; }
const char* dtype_name(double) { return "float64"; }

// The selected set's kernel, or the baseline one where the wide sets carry none. A source build
// with a wide set carries the wide models' float kernels in that set only: on a processor without
// it (a binary built elsewhere, or AGENTGRAD_CPU_ISA asking for less) it has none to run.
template <class T>
ReplicateKernel<T> kernel_of(Isa isa, const char* model, int bucket, const DiscreteOptions& discrete, bool program) {
  ReplicateKernel<T> found = program ? isa_program_kernel(isa, bucket, T()) : isa_kernel(isa, model, bucket, discrete, T());
  if (found == nullptr) {
    found = program ? isa_program_kernel(Isa::baseline, bucket, T()) : isa_kernel(Isa::baseline, model, bucket, discrete, T());
  }
  if (found == nullptr) {
    throw std::runtime_error(std::string("this agentgrad binary was built from source with the ") + dtype_name(T()) + " kernels of '" +
                             model + "' for " + widest_built_name() + " only, which the CPU backend does not run here (" +
                             isa_name(isa) + "): rebuild it on this machine (npm rebuild agentgrad), or build every set with AGENTGRAD_CPU_ISAS=all");
  }
  return found;
}

// Tangent lanes per run: all of them up to kCpuMaxLanes, unless AGENTGRAD_CPU_LANES_PER_PASS (1, 2,
// 4 or 8) asks for fewer, as the CUDA backend runs them -- a test hook that checks the passes on
// every machine.
int lanes_per_pass(int tangents) {
  const char* text = std::getenv("AGENTGRAD_CPU_LANES_PER_PASS");
  const int requested = text == nullptr ? 0 : std::atoi(text);
  const bool valid = requested == 1 || requested == 2 || requested == 4 || requested == 8;
  return std::min(valid ? requested : kCpuMaxLanes, tangents);
}

// Reals of workspace one replicate of a request needs, at `bucket` tangent lanes.
std::size_t real_bytes_of(const SimulationRequest& request) {
  return request.dtype == Dtype::float64 ? sizeof(double) : sizeof(float);
}

std::size_t replicate_workspace_reals(const SimulationRequest& request, int bucket) {
  const int agents = static_cast<int>(request.settings[kAgentsSetting]);
  if (request.program) return ProgramLayout(*request.program, agents, bucket + 1, real_bytes_of(request)).total();
  std::size_t reals = 0;
  visit_model(request.model.c_str(), [&](auto model_tag) {
    using Model = typename decltype(model_tag)::type;
    visit_scalar_of<double>(bucket, [&](auto scalar_tag) {
      reals = agent_fields_reals<typename decltype(scalar_tag)::type>(Model::kAgentFields, agents);
    });
  });
  return reals;
}

// Runs a registered model or a program, whose kernels the request names.
template <class T>
void simulate_request(const SimulationRequest& request, const SimulationBuffers& buffers, const int32_t* cancel) {
  const int outputs = request_output_count(request);
  ReplicateInputs<T> inputs = make_inputs<T>(request, outputs);
  const int per_pass = lanes_per_pass(inputs.tangents);
  const int bucket = tangent_bucket(per_pass);
  std::unique_ptr<ProgramLayout> program_layout;
  if (request.program) {
    program_layout = std::make_unique<ProgramLayout>(*request.program, inputs.agents, bucket + 1, sizeof(T));
    inputs.program_plan = &program_layout->plan();
  }
  const ReplicateKernel<T> kernel = kernel_of<T>(selected_isa(), request.model.c_str(), bucket, request.discrete, request.program != nullptr);
  const OutputLayout layout = output_layout(request, outputs);
  const int lanes = lanes_for(request);
  const std::size_t workspace_reals = replicate_workspace_reals(request, bucket);
  std::vector<WorkspaceCache::Lease> workspaces;
  workspaces.reserve(lanes);
  for (int lane = 0; lane < lanes; ++lane) workspaces.push_back(WorkspaceCache::shared().acquire(workspace_reals * sizeof(T)));
  const std::vector<T> table = theta_table_as<T>(request);
  const std::size_t point_length = static_cast<std::size_t>(inputs.parameters);

  for (int first_lane = 0; first_lane == 0 || first_lane < inputs.tangents; first_lane += std::max(per_pass, 1)) {
    const ReplicateInputs<T> pass = inputs_for_lanes(inputs, first_lane, std::min(per_pass, inputs.tangents - first_lane));
    ThreadPool::shared().parallel_for(request.replicates, lanes, [&](int r, int lane) {
      if (is_cancelled(cancel)) throw Cancelled();
      const T* point = table.empty() ? pass.theta : table.data() + static_cast<std::size_t>(r) * point_length;
      kernel(pass, point, DrawKey{request.seed, request.first_replicate + static_cast<uint32_t>(r)}, request.discrete,
             replicate_outputs<T>(buffers, layout, r), workspaces[lane].as<T>());
    });
  }
}

}  // namespace

void uniform_sums(uint64_t seed, int replicates, int agents, int steps, int threads, float* sums) {
  float (*const uniform_sum)(DrawKey, int, int) = uniform_sum_of(selected_isa());
  ThreadPool::shared().parallel_for(replicates, lanes_for(threads, replicates), [&](int r, int) {
    sums[r] = uniform_sum(DrawKey{seed, static_cast<uint32_t>(r)}, agents, steps);
  });
}

int default_threads() { return hardware_threads(); }

const char* instruction_set() { return isa_name(selected_isa()); }

bool portable() { return !AG_CPU_COMPACT; }

std::vector<const char*> built_instruction_sets() {
  std::vector<const char*> sets{"baseline"};
  if (AG_CPU_HAS_AVX2) sets.push_back("avx2");
  if (AG_CPU_HAS_AVX512) sets.push_back("avx512");
  return sets;
}

std::size_t workspace_bytes(const SimulationRequest& request) {
  const int bucket = tangent_bucket(std::min(static_cast<int>(request.tangent_params.size()), kCpuMaxLanes));
  return static_cast<std::size_t>(lanes_for(request)) * replicate_workspace_reals(request, bucket) * real_bytes_of(request);
}

void simulate(const SimulationRequest& request, const SimulationBuffers& buffers, const int32_t* cancel) {
  if (!request.program && !visit_model(request.model.c_str(), [](auto) {})) throw std::runtime_error("unknown model '" + request.model + "'");
  if (request.dtype == Dtype::float64) {
    simulate_request<double>(request, buffers, cancel);
  } else {
    simulate_request<float>(request, buffers, cancel);
  }
}

}  // namespace ag::cpu
