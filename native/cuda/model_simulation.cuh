// The CUDA kernels and launch of one model: included by native/cuda/models/<model>.cu, which
// instantiates them with AG_CUDA_MODEL(Model). One translation unit per model keeps nvcc's register
// allocation to one model's kernels at a time and lets a parallel build spread them over the cores.
#pragma once

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdlib>
#include <type_traits>

#include "../models/registry.hpp"
#include "../models/scalar_dispatch.hpp"
#include "cuda_grid_team.cuh"
#include "cuda_model.hpp"
#include "cuda_team.cuh"
#include "device_buffer.cuh"
#include "request_buffers.cuh"

namespace ag::cuda {
namespace {

constexpr int kBlockThreads = 256;
// One resident block per multiprocessor is all a kernel needs to run. Without this bound ptxas
// held some kernels below the registers they need and spilled 4-40 bytes (9 of 97 kernels at
// sm_90); with it none spills (npm run bench -- cuda-report).
constexpr int kMinBlocksPerProcessor = 1;

// Models whose replicates may span several blocks (cuda_grid_team.cuh): the agent-heavy epidemic
// models. The others always run one block per replicate, which keeps the build short.
template <class Model>
constexpr bool spans_blocks() {
  return std::is_same<Model, Sir>::value || std::is_same<Model, NetworkSir>::value;
}

template <class Model, class S>
__global__ void __launch_bounds__(kBlockThreads, kMinBlocksPerProcessor)
    simulate_replicates_kernel(ReplicateInputs<RealOf<S>> inputs, const RealOf<S>* theta_table, DrawKey base_key,
                               DiscreteOptions discrete,
                               RealOf<S>* workspace, std::size_t workspace_per_replicate, SimulationBuffers outputs,
                               OutputLayout layout) {
  using Team = CudaTeam<S, kBlockThreads>;
  __shared__ typename Team::SharedStorage shared;
  const uint32_t replicate = blockIdx.x;
  Team team(DrawKey{base_key.seed, base_key.replicate + replicate}, discrete, inputs.graph, inputs.agents,
            workspace + replicate * workspace_per_replicate, shared);
  run_replicate<Model, S, Team, parameter_count<Model>(), output_count<Model>()>(
      team, inputs, point_of(inputs, theta_table, replicate), replicate_outputs<RealOf<S>>(outputs, layout, replicate));
}

// Replicates first_replicate + blockIdx.y, each spread over gridDim.x blocks; launched cooperatively.
template <class Model, class S>
__global__ void __launch_bounds__(kBlockThreads, kMinBlocksPerProcessor)
    simulate_spanning_replicates_kernel(ReplicateInputs<RealOf<S>> inputs, const RealOf<S>* theta_table,
                                        DrawKey base_key, uint32_t first_replicate, DiscreteOptions discrete,
                                        RealOf<S>* workspace, std::size_t workspace_per_replicate, S* partials,
                                        SimulationBuffers outputs, OutputLayout layout) {
  using Team = CudaGridTeam<S, kBlockThreads>;
  __shared__ typename Team::SharedStorage shared;
  const uint32_t replicate = first_replicate + blockIdx.y;
  Team team(DrawKey{base_key.seed, base_key.replicate + replicate}, discrete, inputs.graph, inputs.agents,
            workspace + blockIdx.y * workspace_per_replicate, partials + 2 * gridDim.x * blockIdx.y, shared);
  run_replicate<Model, S, Team, parameter_count<Model>(), output_count<Model>()>(
      team, inputs, point_of(inputs, theta_table, replicate), replicate_outputs<RealOf<S>>(outputs, layout, replicate));
}

// How a request's replicates map onto blocks: `blocks_per_replicate` > 1 takes the spanning kernel,
// `replicates_per_launch` of them at a time (a cooperative grid must fit on the device at once).
struct LaunchPlan {
  int blocks_per_replicate = 1;
  int replicates_per_launch = 0;
};

constexpr int kAgentsPerThread = 8;  // below this, more blocks add more barrier cost than parallelism

int requested_blocks_per_replicate() {
  const char* text = std::getenv("AGENTGRAD_CUDA_BLOCKS_PER_REPLICATE");
  return text == nullptr ? 0 : std::max(0, std::atoi(text));
}

// `plan_replicates` decides the blocks per replicate (the whole request's, for a piece of one split
// over devices: the same blocks give the same sums), `replicates` how many run at once.
template <class Model, class S>
LaunchPlan launch_plan(int agents, int replicates, int plan_replicates) {
  LaunchPlan plan;
  plan.replicates_per_launch = replicates;
  if constexpr (spans_blocks<Model>()) {
    int device = 0;
    int cooperative = 0;
    int processors = 0;
    int blocks_per_processor = 0;
    check(cudaGetDevice(&device), "cudaGetDevice");
    check(cudaDeviceGetAttribute(&cooperative, cudaDevAttrCooperativeLaunch, device), "cudaDeviceGetAttribute");
    check(cudaDeviceGetAttribute(&processors, cudaDevAttrMultiProcessorCount, device), "cudaDeviceGetAttribute");
    check(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks_per_processor,
                                                        simulate_spanning_replicates_kernel<Model, S>, kBlockThreads, 0),
          "cudaOccupancyMaxActiveBlocksPerMultiprocessor");
    const int capacity = processors * blocks_per_processor;
    if (cooperative == 0 || capacity < 2) return plan;
    const int useful = (agents + kBlockThreads * kAgentsPerThread - 1) / (kBlockThreads * kAgentsPerThread);
    const int requested = requested_blocks_per_replicate();
    const int blocks = requested > 0 ? std::min(requested, capacity)
                                     : std::min(useful, plan_replicates >= capacity ? 1 : capacity / plan_replicates);
    if (blocks <= 1) return plan;
    plan.blocks_per_replicate = blocks;
    plan.replicates_per_launch = std::min(replicates, capacity / blocks);
  }
  return plan;
}

template <class Model, class S>
std::size_t scalar_device_bytes(const SimulationRequest& request) {
  using T = RealOf<S>;
  const OutputLayout layout = output_layout(request, output_count<Model>());
  const OutputSizes sizes = output_sizes(request, layout);
  const std::size_t workspace = agent_fields_reals<S>(
      Model::kAgentFields, static_cast<int>(request.settings[kAgentsSetting]));
  const std::size_t graph_bytes = (request.graph_offsets.size() + request.graph_neighbours.size()) * sizeof(int32_t);
  return (workspace * request.replicates + request.theta_table.size() + sizes.values + sizes.tangents + sizes.log_prob) *
             sizeof(T) +
         graph_bytes;
}

// The most tangent lanes one kernel run carries. A thread has at most 255 registers, and a dual
// number of K lanes takes (K + 1) of them per float, 2 (K + 1) per double: wider duals spill to
// local memory, so a request with more tangents runs in passes (and the wider kernels are never
// built, which also halves the CUDA build). Models with many parameters (Brock–Hommes: 11, all
// live in every step) get half as many lanes.
template <class Model, class T>
constexpr int lanes_per_pass() {
  const int lanes = sizeof(T) == sizeof(float) ? 8 : 4;
  return parameter_count<Model>() > 6 ? lanes / 2 : lanes;
}

template <class Model, class S>
void launch_spanning(const LaunchPlan& plan, const SimulationRequest& request, const ReplicateInputs<RealOf<S>>& inputs,
                     const RealOf<S>* theta_table, std::size_t workspace_per_replicate, const SimulationBuffers& outputs,
                     const OutputLayout& layout) {
  using T = RealOf<S>;
  DeviceBuffer<T> workspace(workspace_per_replicate * plan.replicates_per_launch);
  const std::size_t partial_reals = 2 * plan.blocks_per_replicate * AgentArray<S>::reals_per_agent();
  DeviceBuffer<T> partials(partial_reals * plan.replicates_per_launch);
  const DrawKey base_key{request.seed, request.first_replicate};
  for (int first = 0; first < request.replicates; first += plan.replicates_per_launch) {
    const int count = std::min(plan.replicates_per_launch, request.replicates - first);
    T* workspace_data = workspace.get();
    S* partial_data = reinterpret_cast<S*>(partials.get());
    uint32_t first_replicate = static_cast<uint32_t>(first);
    DiscreteOptions discrete = request.discrete;
    ReplicateInputs<T> kernel_inputs = inputs;
    const T* table = theta_table;
    std::size_t per_replicate = workspace_per_replicate;
    SimulationBuffers kernel_outputs = outputs;
    OutputLayout kernel_layout = layout;
    DrawKey key = base_key;
    void* arguments[] = {&kernel_inputs, &table,        &key,          &first_replicate, &discrete,
                         &workspace_data, &per_replicate, &partial_data, &kernel_outputs,  &kernel_layout};
    check(cudaLaunchCooperativeKernel(reinterpret_cast<const void*>(simulate_spanning_replicates_kernel<Model, S>),
                                      dim3(plan.blocks_per_replicate, count), dim3(kBlockThreads), arguments, 0, nullptr),
          "cooperative kernel launch");
  }
  check(cudaDeviceSynchronize(), "kernel execution");  // before the workspace is freed
}

template <class Model, class S>
void simulate_scalar(const SimulationRequest& request, const SimulationBuffers& host_buffers) {
  using T = RealOf<S>;
  ReplicateInputs<T> inputs = make_replicate_inputs<Model, T>(request);
  const DeviceGraph graph(request);
  inputs.graph = graph.view();
  const OutputLayout layout = output_layout(request, output_count<Model>());
  const OutputSizes sizes = output_sizes(request, layout);
  const std::size_t workspace_per_replicate =
      agent_fields_reals<S>(Model::kAgentFields, inputs.agents);
  const int plan_replicates = request.plan_replicates > 0 ? request.plan_replicates : request.replicates;
  const LaunchPlan plan = launch_plan<Model, S>(inputs.agents, request.replicates, plan_replicates);

  DeviceBuffer<T> values(sizes.values);
  DeviceBuffer<T> tangents(sizes.tangents);
  DeviceBuffer<T> log_prob(sizes.log_prob);
  const std::vector<T> host_table = theta_table_as<T>(request);
  DeviceBuffer<T> theta_table(host_table.size());
  theta_table.copy_from_host(host_table.data());
  const SimulationBuffers device_buffers{values.get(), tangents.get(), log_prob.get()};

  // One run per group of at most lanes_per_pass() tangent lanes; every run recomputes (bitwise)
  // the same values, since each draw is keyed by its counter.
  constexpr int kLanes = lanes_per_pass<Model, T>();
  const int K = inputs.tangents;
  for (int first_lane = 0; first_lane == 0 || first_lane < K; first_lane += kLanes) {
    const ReplicateInputs<T> pass = inputs_for_lanes(inputs, first_lane, std::min(K - first_lane, kLanes));
    if constexpr (spans_blocks<Model>()) {
      if (plan.blocks_per_replicate > 1) {
        launch_spanning<Model, S>(plan, request, pass, theta_table.get(), workspace_per_replicate, device_buffers, layout);
      }
    }
    if (plan.blocks_per_replicate == 1) {
      DeviceBuffer<T> workspace(workspace_per_replicate * request.replicates);
      simulate_replicates_kernel<Model, S><<<request.replicates, kBlockThreads>>>(
          pass, theta_table.get(), DrawKey{request.seed, request.first_replicate}, request.discrete, workspace.get(), workspace_per_replicate,
          device_buffers, layout);
      check(cudaGetLastError(), "kernel launch");
      check(cudaDeviceSynchronize(), "kernel execution");  // before the workspace is freed
    }
  }

  values.copy_to_host(host_buffers.values);
  if (sizes.tangents > 0) tangents.copy_to_host(host_buffers.tangents);
  if (sizes.log_prob > 0) log_prob.copy_to_host(host_buffers.log_prob);
}

// Calls f(ScalarTag<S>{}) for the scalar type of the request's dtype and its tangents per pass.
template <class Model, class F>
void visit_scalar_of_request(const SimulationRequest& request, F&& f) {
  const int tangents = static_cast<int>(request.tangent_params.size());
  if (request.dtype == Dtype::float64) {
    constexpr int kLanes = lanes_per_pass<Model, double>();
    visit_scalar_up_to<double, kLanes>(std::min(tangents, kLanes), f);
  } else {
    constexpr int kLanes = lanes_per_pass<Model, float>();
    visit_scalar_up_to<float, kLanes>(std::min(tangents, kLanes), f);
  }
}

}  // namespace

template <class Model>
std::size_t model_device_bytes(const SimulationRequest& request) {
  std::size_t bytes = 0;
  visit_scalar_of_request<Model>(request, [&](auto scalar_tag) {
    bytes = scalar_device_bytes<Model, typename decltype(scalar_tag)::type>(request);
  });
  return bytes;
}

template <class Model>
void simulate_model(const SimulationRequest& request, const SimulationBuffers& host_buffers) {
  visit_scalar_of_request<Model>(request, [&](auto scalar_tag) {
    simulate_scalar<Model, typename decltype(scalar_tag)::type>(request, host_buffers);
  });
}

}  // namespace ag::cuda

#define AG_CUDA_MODEL(Model)                                                                              \
  namespace ag::cuda {                                                                                    \
  template std::size_t model_device_bytes<Model>(const SimulationRequest& request);                       \
  template void simulate_model<Model>(const SimulationRequest& request, const SimulationBuffers& buffers); \
  }
