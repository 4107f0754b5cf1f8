// What every CUDA launch of a request shares, models (model_simulation.cuh) and programs
// (program.cu) alike: where a replicate's parameters are, the output buffers' sizes, and the
// contact graph in device memory.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "../models/simulation.hpp"
#include "device_buffer.cuh"

namespace ag::cuda {
namespace {

template <class T>
__host__ __device__ const T* point_of(const ReplicateInputs<T>& inputs, const T* theta_table, uint32_t replicate) {
  return theta_table == nullptr ? inputs.theta : theta_table + static_cast<std::size_t>(replicate) * inputs.parameters;
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

// The request's contact graph in device memory.
struct DeviceGraph {
  DeviceBuffer<int32_t> offsets;
  DeviceBuffer<int32_t> neighbours;
  explicit DeviceGraph(const SimulationRequest& request)
      : offsets(request.graph_offsets.size()), neighbours(request.graph_neighbours.size()) {
    offsets.copy_from_host(request.graph_offsets.data());
    neighbours.copy_from_host(request.graph_neighbours.data());
  }
  GraphView view() const { return GraphView{offsets.get(), neighbours.get()}; }
};

}  // namespace
}  // namespace ag::cuda
