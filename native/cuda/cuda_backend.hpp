// The CUDA backend: one thread block per replicate, the whole time loop inside one kernel launch.
// Compiled only when nvcc is available (AGENTGRAD_WITH_CUDA); the addon asks device_status()
// before choosing it, and every CUDA error surfaces as std::runtime_error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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

// Whether a device is usable, and device 0's name, capability and memory; device_count is the
// number of visible devices (CUDA_VISIBLE_DEVICES applies).
DeviceStatus device_status();

// The devices a request runs on, in order: request.devices, every visible device with
// request.all_devices, else device 0. Throws std::runtime_error for an index that is not visible.
// The same index may appear twice: its pieces then share the device (the GPU check uses this).
std::vector<int> selected_devices(const SimulationRequest& request);

// Device memory a request needs on one device: per-replicate agent state plus the outputs (a model
// program's: program_device_bytes in cuda_program.hpp).
std::size_t device_bytes(const SimulationRequest& request);

// What one selected device holds of a request: the device memory its piece needs and the memory
// free on it now.
struct DeviceShare {
  int device = 0;
  int32_t replicates = 0;
  std::size_t bytes = 0;
  std::size_t free_bytes = 0;
};
std::vector<DeviceShare> device_shares(const SimulationRequest& request);

// Runs a registered model or a model program (request.program) on the selected devices: on one,
// on the calling thread; on several, the replicates split into contiguous pieces, one per device,
// each on a thread of its own, with bitwise the numbers of the whole request on one device (the
// pieces keep its random streams and its launch plan; request_pieces.hpp). The calling thread's
// current device is left as it was. A cancel flag set before a piece starts stops it (Cancelled).
void simulate(const SimulationRequest& request, const SimulationBuffers& host_buffers, const int32_t* cancel);

}  // namespace ag::cuda
