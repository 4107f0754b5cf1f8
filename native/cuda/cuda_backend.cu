#include "cuda_backend.hpp"

#include <cuda_runtime.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "../models/cancelled.hpp"
#include "../models/registry.hpp"
#include "../models/scalar_dispatch.hpp"
#include "cuda_team.cuh"
#include "device_buffer.cuh"

namespace ag::cuda {
namespace {

constexpr int kBlockThreads = 256;

template <class Model, class S>
__global__ void __launch_bounds__(kBlockThreads)
    simulate_replicates_kernel(ReplicateInputs<RealOf<S>> inputs, const RealOf<S>* theta_table, DrawKey base_key,
                               DiscreteOptions discrete,
                               RealOf<S>* workspace, std::size_t workspace_per_replicate, SimulationBuffers outputs,
                               OutputLayout layout) {
  using Team = CudaTeam<S, kBlockThreads>;
  __shared__ typename Team::SharedStorage shared;
  const uint32_t replicate = blockIdx.x;
  Team team(DrawKey{base_key.seed, replicate}, discrete, inputs.agents, workspace + replicate * workspace_per_replicate,
            shared);
  constexpr int kParams = parameter_count<Model>();
  const RealOf<S>* point = theta_table == nullptr ? inputs.theta : theta_table + replicate * kParams;
  run_replicate<Model, S, Team, kParams, output_count<Model>()>(team, inputs, point,
                                                                 replicate_outputs<RealOf<S>>(outputs, layout, replicate));
}

struct OutputSizes {
  std::size_t values;
  std::size_t tangents;
  std::size_t log_prob;
};

OutputSizes output_sizes(const SimulationRequest& request, const OutputLayout& layout) {
  const std::size_t replicates = static_cast<std::size_t>(request.replicates);
  return OutputSizes{
      replicates * layout.values_per_replicate(),
      layout.tangents > 0 ? replicates * layout.tangents_per_replicate() : 0,
      request.discrete.mode == DiscreteMode::score ? replicates * layout.log_prob_per_replicate() : 0,
  };
}

template <class Model, class S>
std::size_t model_device_bytes(const SimulationRequest& request) {
  using T = RealOf<S>;
  const OutputLayout layout = output_layout(request, output_count<Model>());
  const OutputSizes sizes = output_sizes(request, layout);
  const std::size_t workspace = agent_fields_reals<S>(
      Model::kAgentFields, static_cast<int>(request.settings[kAgentsSetting]));
  return (workspace * request.replicates + request.theta_table.size() + sizes.values + sizes.tangents + sizes.log_prob) *
         sizeof(T);
}

template <class Model, class S>
void simulate_model(const SimulationRequest& request, const SimulationBuffers& host_buffers) {
  using T = RealOf<S>;
  const ReplicateInputs<T> inputs = make_replicate_inputs<Model, T>(request);
  const OutputLayout layout = output_layout(request, output_count<Model>());
  const OutputSizes sizes = output_sizes(request, layout);
  const std::size_t workspace_per_replicate =
      agent_fields_reals<S>(Model::kAgentFields, inputs.agents);

  DeviceBuffer<T> workspace(workspace_per_replicate * request.replicates);
  DeviceBuffer<T> values(sizes.values);
  DeviceBuffer<T> tangents(sizes.tangents);
  DeviceBuffer<T> log_prob(sizes.log_prob);
  const std::vector<T> host_table = theta_table_as<T>(request);
  DeviceBuffer<T> theta_table(host_table.size());
  theta_table.copy_from_host(host_table.data());
  const SimulationBuffers device_buffers{values.get(), tangents.get(), log_prob.get()};

  simulate_replicates_kernel<Model, S><<<request.replicates, kBlockThreads>>>(
      inputs, theta_table.get(), DrawKey{request.seed, 0}, request.discrete, workspace.get(), workspace_per_replicate, device_buffers,
      layout);
  check(cudaGetLastError(), "kernel launch");
  check(cudaDeviceSynchronize(), "kernel execution");

  values.copy_to_host(host_buffers.values);
  if (sizes.tangents > 0) tangents.copy_to_host(host_buffers.tangents);
  if (sizes.log_prob > 0) log_prob.copy_to_host(host_buffers.log_prob);
}

template <class F>
void visit_request(const SimulationRequest& request, F&& f) {
  const bool known = visit_model(request.model.c_str(), [&](auto model_tag) {
    visit_scalar(request.dtype, static_cast<int>(request.tangent_params.size()),
                 [&](auto scalar_tag) { f(model_tag, scalar_tag); });
  });
  if (!known) throw std::runtime_error("unknown model '" + request.model + "'");
}

}  // namespace

DeviceStatus device_status() {
  DeviceStatus status;
  cudaRuntimeGetVersion(&status.runtime_version);
  const cudaError_t count_status = cudaGetDeviceCount(&status.device_count);
  if (count_status != cudaSuccess || status.device_count == 0) {
    cudaGetLastError();
    status.device_count = 0;
    status.reason = count_status != cudaSuccess ? cudaGetErrorString(count_status) : "no CUDA device found";
    return status;
  }
  cudaDeviceProp properties{};
  if (cudaGetDeviceProperties(&properties, 0) != cudaSuccess) {
    cudaGetLastError();
    status.reason = "cannot read the properties of CUDA device 0";
    return status;
  }
  status.available = true;
  status.name = properties.name;
  status.compute_major = properties.major;
  status.compute_minor = properties.minor;
  cudaMemGetInfo(&status.free_bytes, &status.total_bytes);
  return status;
}

std::size_t device_bytes(const SimulationRequest& request) {
  std::size_t bytes = 0;
  visit_request(request, [&](auto model_tag, auto scalar_tag) {
    bytes = model_device_bytes<typename decltype(model_tag)::type, typename decltype(scalar_tag)::type>(request);
  });
  return bytes;
}

void simulate(const SimulationRequest& request, const SimulationBuffers& host_buffers, const int32_t* cancel) {
  if (cancel != nullptr && __atomic_load_n(cancel, __ATOMIC_RELAXED) != 0) throw Cancelled();
  visit_request(request, [&](auto model_tag, auto scalar_tag) {
    simulate_model<typename decltype(model_tag)::type, typename decltype(scalar_tag)::type>(request, host_buffers);
  });
}

}  // namespace ag::cuda
