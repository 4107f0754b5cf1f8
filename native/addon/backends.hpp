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
  int device_count = 0;  // visible CUDA devices
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

// Throws ArgumentError (RangeError) when the request runs on CUDA and lists a device index that is
// not visible. On the CPU (backend 'auto' without a usable device) the devices are not used.
void check_devices(const ParsedRequest& request, Backend backend);

// Throws ArgumentError (RangeError) when the request would take more memory than allowed; on
// several CUDA devices, the device cap applies to each device's piece.
void check_memory(const ParsedRequest& request, Backend backend);

void run_backend(Backend backend, const SimulationRequest& request, const SimulationBuffers& buffers, const int32_t* cancel);

}  // namespace ag::addon
