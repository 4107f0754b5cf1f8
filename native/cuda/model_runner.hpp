// What the CUDA backend needs of each model: the device memory a request takes, and running it.
// Defined in model_runner.cuh and instantiated once per model by the files in native/cuda/models/.
#pragma once

#include <cstddef>

#include "../models/simulation.hpp"

namespace ag::cuda {

template <class Model>
struct ModelRunner {
  static std::size_t device_bytes(const SimulationRequest& request);
  static void simulate(const SimulationRequest& request, const SimulationBuffers& host_buffers);

 private:
  template <class F>
  static void visit_scalar(const SimulationRequest& request, F&& f);
};

}  // namespace ag::cuda
