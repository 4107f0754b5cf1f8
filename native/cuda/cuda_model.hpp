// The entry points of one model's CUDA kernels (native/cuda/models/<model>.cu instantiates them for
// its model; model_simulation.cuh defines them).
#pragma once

#include <cstddef>

#include "../models/simulation.hpp"

namespace ag::cuda {

// Device memory a request for Model needs: per-replicate agent state plus the outputs.
template <class Model>
std::size_t model_device_bytes(const SimulationRequest& request);

// Runs a request for Model on the current device into the host buffers.
template <class Model>
void simulate_model(const SimulationRequest& request, const SimulationBuffers& host_buffers);

}  // namespace ag::cuda
