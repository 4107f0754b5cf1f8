// The CUDA backend's model programs: the per-agent interpreter (native/program/interpreter.hpp)
// compiled into the addon, one thread block per replicate and the whole time loop inside one
// kernel launch, as for the built-in models. The decoded program (image.hpp) is copied to the
// device once per request; each thread interprets the replicate-level code into its own registers
// and the agent-loop bodies for its agents, and sum loops end in CUB block reductions (CudaTeam).
// Replicates run in launches of at most a few waves of blocks, whose workspace is reused, so that
// device memory does not grow with the replicates beyond their outputs.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../models/scalar_dispatch.hpp"
#include "../program/image.hpp"
#include "../program/interpreter.hpp"
#include "../program/program.hpp"
#include "cuda_program.hpp"
#include "cuda_team.cuh"
#include "device_buffer.cuh"
#include "request_buffers.cuh"

namespace ag {

// A block's threads as the interpreter's members: thread j runs agents j, j + B, ...; its sum
// partials live in its rows of the workspace, and totals are CudaTeam's CUB block reductions.
template <class S, int BlockThreads>
struct ProgramMembers<cuda::CudaTeam<S, BlockThreads>> {
  using Team = cuda::CudaTeam<S, BlockThreads>;
  static constexpr int kMembers = BlockThreads;
  __device__ static int member(const Team&) { return static_cast<int>(threadIdx.x); }
  __device__ static void barrier(Team&) { __syncthreads(); }
  __device__ static S total(Team& team, const S& x) { return team.sum_of_members(x); }

  template <class V>
  using Sums = MemberRowSums<Team, V>;
};

}  // namespace ag

namespace ag::cuda {
namespace {

constexpr int kProgramThreads = 256;
// One resident block per multiprocessor suffices, and lets ptxas give a thread all the registers
// the interpreter's widest instruction (a Dual<float, 8> power, a relaxed categorical) needs.
constexpr int kProgramMinBlocks = 1;
// Blocks per launch, in waves of the device's resident blocks: two, so that a wave's stragglers
// overlap the next one's start.
constexpr int kWavesPerLaunch = 2;

// The most tangent lanes one run carries (a request with more runs in passes): the interpreter
// keeps at most a few duals live at once, but those few must fit a thread's registers.
template <class T>
constexpr int program_lanes_per_pass() {
  return sizeof(T) == sizeof(float) ? 8 : 4;
}

template <class S>
__global__ void __launch_bounds__(kProgramThreads, kProgramMinBlocks)
    program_kernel(const __grid_constant__ ProgramImage image, const __grid_constant__ ReplicateInputs<RealOf<S>> inputs, const RealOf<S>* theta_table, DrawKey base_key,
                   uint32_t first_replicate, DiscreteOptions discrete, RealOf<S>* workspace,
                   std::size_t workspace_per_replicate, SimulationBuffers outputs, OutputLayout layout) {
  using Team = CudaTeam<S, kProgramThreads>;
  __shared__ typename Team::SharedStorage shared;
  const uint32_t replicate = first_replicate + blockIdx.x;
  RealOf<S>* replicate_workspace = workspace + blockIdx.x * workspace_per_replicate;
  Team team(DrawKey{base_key.seed, base_key.replicate + replicate}, discrete, inputs.graph, inputs.agents, replicate_workspace, shared);
  ProgramInterpreter<Team, S> interpreter(team, image, inputs, point_of(inputs, theta_table, replicate), replicate_workspace);
  interpreter.run(replicate_outputs<RealOf<S>>(outputs, layout, replicate));
}

// Replicates per launch: kWavesPerLaunch waves of the blocks the device holds at once.
template <class S>
int replicates_per_launch(int replicates) {
  int device = 0;
  int processors = 0;
  int blocks_per_processor = 0;
  check(cudaGetDevice(&device), "cudaGetDevice");
  check(cudaDeviceGetAttribute(&processors, cudaDevAttrMultiProcessorCount, device), "cudaDeviceGetAttribute");
  check(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks_per_processor, program_kernel<S>, kProgramThreads, 0),
        "cudaOccupancyMaxActiveBlocksPerMultiprocessor");
  const long long capacity = static_cast<long long>(std::max(1, processors)) * std::max(1, blocks_per_processor) * kWavesPerLaunch;
  return static_cast<int>(std::min<long long>(replicates, capacity));
}

// The decoded program's tables in device memory, and the image over them.
struct DeviceProgram {
  DeviceBuffer<DecodedInstruction> init, step;
  DeviceBuffer<double> constants;
  DeviceBuffer<int32_t> register_rows, register_duals, field_duals, neighbour_fields;
  DeviceBuffer<uint64_t> field_offsets, snapshot_offsets;
  ProgramImage image;

  explicit DeviceProgram(const ProgramPlan& plan)
      : init(copy_of(plan.init)),
        step(copy_of(plan.step)),
        constants(copy_of(plan.constants)),
        register_rows(copy_of(plan.register_rows)),
        register_duals(copy_of(plan.register_duals)),
        field_duals(copy_of(plan.field_duals)),
        neighbour_fields(copy_of(plan.neighbour_fields)),
        field_offsets(copy_of(plan.field_offsets)),
        snapshot_offsets(copy_of(plan.snapshot_offsets)) {
    image.init = init.get();
    image.step = step.get();
    image.constants = constants.get();
    image.register_rows = register_rows.get();
    image.register_duals = register_duals.get();
    image.field_duals = field_duals.get();
    image.neighbour_fields = neighbour_fields.get();
    image.field_offsets = field_offsets.get();
    image.snapshot_offsets = snapshot_offsets.get();
    image = plan.with_sizes(image);
  }

  template <class V>
  static DeviceBuffer<V> copy_of(const std::vector<V>& host) {
    DeviceBuffer<V> buffer(host.size());
    buffer.copy_from_host(host.data());
    return buffer;
  }
};

int output_count_of(const SimulationRequest& request) { return static_cast<int>(request.program->outputs.size()); }

template <class S>
std::size_t scalar_program_device_bytes(const SimulationRequest& request) {
  using T = RealOf<S>;
  const ProgramPlan plan(*request.program, request.settings, static_cast<int>(AgentArray<S>::reals_per_agent()), kProgramThreads);
  const OutputSizes sizes = output_sizes(request, output_layout(request, output_count_of(request)));
  const std::size_t workspace = plan.reals_per_replicate() * static_cast<std::size_t>(replicates_per_launch<S>(request.replicates));
  const std::size_t graph_bytes = (request.graph_offsets.size() + request.graph_neighbours.size()) * sizeof(int32_t);
  return (workspace + request.theta_table.size() + sizes.values + sizes.tangents + sizes.log_prob) * sizeof(T) + graph_bytes +
         plan.table_bytes();
}

template <class S>
void simulate_program_scalar(const SimulationRequest& request, const SimulationBuffers& host_buffers) {
  using T = RealOf<S>;
  const int outputs = output_count_of(request);
  ReplicateInputs<T> inputs = make_inputs<T>(request, outputs);
  const DeviceGraph graph(request);
  inputs.graph = graph.view();
  inputs.program = nullptr;  // the kernel reads the device image
  const OutputLayout layout = output_layout(request, outputs);
  const OutputSizes sizes = output_sizes(request, layout);
  const ProgramPlan plan(*request.program, request.settings, static_cast<int>(AgentArray<S>::reals_per_agent()), kProgramThreads);
  const DeviceProgram program(plan);
  const std::size_t per_replicate = plan.reals_per_replicate();
  const int per_launch = replicates_per_launch<S>(request.replicates);

  DeviceBuffer<T> values(sizes.values);
  DeviceBuffer<T> tangents(sizes.tangents);
  DeviceBuffer<T> log_prob(sizes.log_prob);
  const std::vector<T> host_table = theta_table_as<T>(request);
  DeviceBuffer<T> theta_table(host_table.size());
  theta_table.copy_from_host(host_table.data());
  DeviceBuffer<T> workspace(per_replicate * static_cast<std::size_t>(per_launch));
  const SimulationBuffers device_buffers{values.get(), tangents.get(), log_prob.get()};

  // One run per group of at most program_lanes_per_pass() tangent lanes; every run recomputes
  // (bitwise) the same values, since each draw is keyed by its counter.
  constexpr int kLanes = program_lanes_per_pass<T>();
  const int K = inputs.tangents;
  for (int first_lane = 0; first_lane == 0 || first_lane < K; first_lane += kLanes) {
    const ReplicateInputs<T> pass = inputs_for_lanes(inputs, first_lane, std::min(K - first_lane, kLanes));
    for (int first = 0; first < request.replicates; first += per_launch) {
      const int count = std::min(per_launch, request.replicates - first);
      // State and fields start at 0; registers too (a replicate register read before any write is 0).
      check(cudaMemsetAsync(workspace.get(), 0, per_replicate * static_cast<std::size_t>(count) * sizeof(T)), "cudaMemsetAsync");
      program_kernel<S><<<count, kProgramThreads>>>(program.image, pass, theta_table.get(), DrawKey{request.seed, request.first_replicate},
                                                    static_cast<uint32_t>(first), request.discrete, workspace.get(),
                                                    per_replicate, device_buffers, layout);
      check(cudaGetLastError(), "kernel launch");
    }
  }
  check(cudaDeviceSynchronize(), "kernel execution");  // before the workspace is freed

  values.copy_to_host(host_buffers.values);
  if (sizes.tangents > 0) tangents.copy_to_host(host_buffers.tangents);
  if (sizes.log_prob > 0) log_prob.copy_to_host(host_buffers.log_prob);
}

// Calls f(ScalarTag<S>{}) for the scalar type of the request's dtype and its tangents per pass.
template <class F>
void visit_program_scalar(const SimulationRequest& request, F&& f) {
  const int tangents = static_cast<int>(request.tangent_params.size());
  if (request.dtype == Dtype::float64) {
    constexpr int kLanes = program_lanes_per_pass<double>();
    visit_scalar_up_to<double, kLanes>(std::min(tangents, kLanes), f);
  } else {
    constexpr int kLanes = program_lanes_per_pass<float>();
    visit_scalar_up_to<float, kLanes>(std::min(tangents, kLanes), f);
  }
}

}  // namespace

std::size_t program_device_bytes(const SimulationRequest& request) {
  std::size_t bytes = 0;
  visit_program_scalar(request, [&](auto scalar_tag) { bytes = scalar_program_device_bytes<typename decltype(scalar_tag)::type>(request); });
  return bytes;
}

void simulate_program(const SimulationRequest& request, const SimulationBuffers& host_buffers) {
  visit_program_scalar(request, [&](auto scalar_tag) { simulate_program_scalar<typename decltype(scalar_tag)::type>(request, host_buffers); });
}

}  // namespace ag::cuda
