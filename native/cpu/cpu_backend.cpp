#include "cpu_backend.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../models/cancelled.hpp"
#include "../models/registry.hpp"
#include "../models/scalar_dispatch.hpp"
#include "cpu_kernels.hpp"
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

bool supports_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}

// The widest instruction set this CPU runs, unless AGENTGRAD_CPU_ISA (baseline, avx2, avx512) asks
// for a narrower one; every set gives bitwise the same results.
Isa selected_isa() {
  const Isa widest = supports_avx512() ? Isa::avx512 : __builtin_cpu_supports("avx2") ? Isa::avx2 : Isa::baseline;
  const char* requested = std::getenv("AGENTGRAD_CPU_ISA");
  if (requested == nullptr) return widest;
  const Isa wanted = std::strcmp(requested, "baseline") == 0 ? Isa::baseline
                     : std::strcmp(requested, "avx2") == 0   ? Isa::avx2
                                                             : Isa::avx512;
  return std::min(wanted, widest);
}

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
    case Isa::avx512: return avx512::float_kernel(model, bucket, discrete);
    case Isa::avx2: return avx2::float_kernel(model, bucket, discrete);
    case Isa::baseline:
    default: return baseline::float_kernel(model, bucket, discrete);
  }
}
ReplicateKernel<double> isa_kernel(Isa isa, const char* model, int bucket, const DiscreteOptions& discrete, double) {
  switch (isa) {
    case Isa::avx512: return avx512::double_kernel(model, bucket, discrete);
    case Isa::avx2: return avx2::double_kernel(model, bucket, discrete);
    case Isa::baseline:
    default: return baseline::double_kernel(model, bucket, discrete);
  }
}

float (*uniform_sum_of(Isa isa))(DrawKey, int, int) {
  switch (isa) {
    case Isa::avx512: return avx512::uniform_sum;
    case Isa::avx2: return avx2::uniform_sum;
    case Isa::baseline:
    default: return baseline::uniform_sum;
  }
}

// The selected set's kernel, or the baseline one where the wide sets carry none.
template <class T>
ReplicateKernel<T> kernel_of(Isa isa, const char* model, int bucket, const DiscreteOptions& discrete) {
  const ReplicateKernel<T> wide = isa_kernel(isa, model, bucket, discrete, T());
  return wide != nullptr ? wide : isa_kernel(Isa::baseline, model, bucket, discrete, T());
}

// Tangent lanes per run: all of them, unless AGENTGRAD_CPU_LANES_PER_PASS (1, 2, 4 or 8) asks for
// passes as the CUDA backend runs them -- a test hook that checks the passes on every machine.
int lanes_per_pass(int tangents) {
  const char* text = std::getenv("AGENTGRAD_CPU_LANES_PER_PASS");
  const int requested = text == nullptr ? 0 : std::atoi(text);
  return requested == 1 || requested == 2 || requested == 4 || requested == 8 ? std::min(requested, tangents) : tangents;
}

template <class Model, class T>
void simulate_model(const SimulationRequest& request, const SimulationBuffers& buffers, const int32_t* cancel) {
  const ReplicateInputs<T> inputs = make_replicate_inputs<Model, T>(request);
  const int per_pass = lanes_per_pass(inputs.tangents);
  const int bucket = tangent_bucket(per_pass);
  const ReplicateKernel<T> kernel = kernel_of<T>(selected_isa(), Model::kName, bucket, request.discrete);
  const OutputLayout layout = output_layout(request, output_count<Model>());
  const int lanes = lanes_for(request);
  std::size_t workspace_reals = 0;
  visit_scalar_of<T>(bucket, [&](auto scalar_tag) {
    workspace_reals = agent_fields_reals<typename decltype(scalar_tag)::type>(Model::kAgentFields, inputs.agents);
  });
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
      kernel(pass, point, DrawKey{request.seed, static_cast<uint32_t>(r)}, request.discrete,
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

std::size_t workspace_bytes(const SimulationRequest& request) {
  std::size_t bytes = 0;
  visit_model(request.model.c_str(), [&](auto model_tag) {
    using Model = typename decltype(model_tag)::type;
    visit_scalar(request.dtype, static_cast<int>(request.tangent_params.size()), [&](auto scalar_tag) {
      using S = typename decltype(scalar_tag)::type;
      const int agents = static_cast<int>(request.settings[kAgentsSetting]);
      bytes = static_cast<std::size_t>(lanes_for(request)) * agent_fields_reals<S>(Model::kAgentFields, agents) *
              sizeof(RealOf<S>);
    });
  });
  return bytes;
}

void simulate(const SimulationRequest& request, const SimulationBuffers& buffers, const int32_t* cancel) {
  const bool known = visit_model(request.model.c_str(), [&](auto model_tag) {
    using Model = typename decltype(model_tag)::type;
    if (request.dtype == Dtype::float64) {
      simulate_model<Model, double>(request, buffers, cancel);
    } else {
      simulate_model<Model, float>(request, buffers, cancel);
    }
  });
  if (!known) throw std::runtime_error("unknown model '" + request.model + "'");
}

}  // namespace ag::cpu
