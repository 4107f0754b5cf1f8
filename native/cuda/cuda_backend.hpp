// The CUDA backend: one thread block per replicate, the whole time loop inside one kernel launch.
// Compiled only when nvcc is available (AGENTGRAD_WITH_CUDA); the addon asks device_status()
// before choosing it, and every CUDA error surfaces as std::runtime_error.
#pragma once

#include <cstddef>
#include <string>

#include "../models/simulation.hpp"

namespace ag::cuda {

struct DeviceStatus {
  bool available = false;
  int device_count = 0;
  std::string name;
  std::string reason;  // why no device is usable, when none is
  int compute_major = 0;
  int compute_minor = 0;
  std::size_t free_bytes = 0;
  std::size_t total_bytes = 0;
  int runtime_version = 0;
};

DeviceStatus device_status();

// Device memory a request needs: per-replicate agent state plus the outputs (a model program's:
// program_device_bytes in cuda_program.hpp).
std::size_t device_bytes(const SimulationRequest& request);

// Runs a registered model or a model program (request.program) on device 0.

void simulate(const SimulationRequest& request, const SimulationBuffers& host_buffers, const int32_t* cancel);

}  // namespace ag::cuda
