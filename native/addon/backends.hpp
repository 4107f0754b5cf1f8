// The addon's view of the backends: which are compiled in, which can run now, and running one.
#pragma once

#include <cstddef>
#include <string>

#include "../models/simulation.hpp"
#include "request_parser.hpp"

namespace ag::addon {

struct CudaStatus {
  bool compiled = false;
  bool available = false;
  std::string device_name;
  std::string reason;
  int compute_major = 0;
  int compute_minor = 0;
  std::size_t free_bytes = 0;
  std::size_t total_bytes = 0;
  int runtime_version = 0;
};

CudaStatus cuda_status();

// 'auto' takes CUDA when a device is present; 'cuda' without one throws std::runtime_error.
// Registered models and model programs (defineModel) alike: both backends run both.
Backend choose_backend(const std::string& requested, bool program = false);
const char* backend_name(Backend backend);

// Throws ArgumentError (RangeError) when the request would take more memory than allowed.
void check_memory(const ParsedRequest& request, Backend backend);

void run_backend(Backend backend, const SimulationRequest& request, const SimulationBuffers& buffers, const int32_t* cancel);

}  // namespace ag::addon
