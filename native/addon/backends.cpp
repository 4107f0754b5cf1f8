#include "backends.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "../cpu/cpu_backend.hpp"
#include "argument_error.hpp"
#include "memory_cap.hpp"
#if AGENTGRAD_WITH_CUDA
#include "../cuda/cuda_backend.hpp"
#endif

namespace ag::addon {
namespace {

std::string mebibytes(double bytes) {
  return std::to_string(static_cast<long long>(bytes / (1024.0 * 1024.0) + 0.5)) + " MiB";
}

void check_cap(double needed, double cap, const char* where, bool cap_given) {
  if (needed <= cap) return;
  throw_range_error("the request needs " + mebibytes(needed) + " of " + where + " memory, more than the cap of " +
                    mebibytes(cap) + (cap_given ? " (maxBytes)" : " (the default, half the available memory; set maxBytes to change it)") +
                    "; lower replicates, agents, steps or tangents");
}

}  // namespace

CudaStatus cuda_status() {
  CudaStatus status;
#if AGENTGRAD_WITH_CUDA
  const cuda::DeviceStatus device = cuda::device_status();
  status.compiled = true;
  status.available = device.available;
  status.device_count = device.device_count;
  status.device_name = device.name;
  status.reason = device.reason;
  status.compute_major = device.compute_major;
  status.compute_minor = device.compute_minor;
  status.free_bytes = device.free_bytes;
  status.total_bytes = device.total_bytes;
  status.runtime_version = device.runtime_version;
#else
  status.reason = "this build of agentgrad has no CUDA backend (built where no GPU driver or no nvcc was found; AGENTGRAD_CUDA=1 npm rebuild agentgrad builds it)";
#endif
  return status;
}

Backend choose_backend(const std::string& requested, bool program) {
  (void)program;  // both backends run model programs (CUDA: native/cuda/program.cu)
  if (requested == "cpu") return Backend::cpu;
  const CudaStatus cuda = cuda_status();
  if (requested == "cuda" && !cuda.available) {
    throw std::runtime_error("backend 'cuda' is not available: " + cuda.reason + "; use backend 'cpu' or 'auto'");
  }
  return cuda.available ? Backend::cuda : Backend::cpu;
}

const char* backend_name(Backend backend) { return backend == Backend::cuda ? "cuda" : "cpu"; }

void check_devices(const ParsedRequest& request, Backend backend) {
  const SimulationRequest& sim = request.simulation;
  if (backend != Backend::cuda || sim.devices.empty()) return;
  const int visible = cuda_status().device_count;
  for (std::size_t i = 0; i < sim.devices.size(); ++i) {
    if (sim.devices[i] < visible) continue;
    throw_range_error("devices[" + std::to_string(i) + "] is " + std::to_string(sim.devices[i]) + ", but this process sees " +
                      std::to_string(visible) + " CUDA device" + (visible == 1 ? " (index 0)" : "s (indices 0 to " + std::to_string(visible - 1) + ")"));
  }
}

#if AGENTGRAD_WITH_CUDA
namespace {

// Each piece of a request split over devices holds a copy of the contact graph (request_pieces.hpp).
double piece_copies_bytes(const SimulationRequest& sim, std::size_t pieces) {
  if (pieces < 2) return 0;
  const double graph = static_cast<double>((sim.graph_offsets.size() + sim.graph_neighbours.size()) * sizeof(int32_t));
  return static_cast<double>(pieces) * graph;
}

void check_device_memory(const SimulationRequest& sim, const std::vector<cuda::DeviceShare>& shares, double max_bytes) {
  const bool cap_given = max_bytes > 0;
  for (const cuda::DeviceShare& share : shares) {
    const double cap = cap_given ? max_bytes : static_cast<double>(default_device_cap(share.free_bytes));
    const std::string where = shares.size() == 1 && sim.devices.empty() ? std::string("device")
                                                                        : "CUDA device " + std::to_string(share.device) + "'s";
    check_cap(static_cast<double>(share.bytes), cap, where.c_str(), cap_given);
  }
}

}  // namespace
#endif

void check_memory(const ParsedRequest& request, Backend backend) {
  const SimulationRequest& sim = request.simulation;
  const bool cap_given = request.max_bytes > 0;
  const double host_cap = cap_given ? request.max_bytes : static_cast<double>(default_host_cap());
  double host_bytes = static_cast<double>(output_counts(sim).total_bytes());
  if (backend == Backend::cpu) host_bytes += static_cast<double>(cpu::workspace_bytes(sim));
#if AGENTGRAD_WITH_CUDA
  if (backend == Backend::cuda) {
    const std::vector<cuda::DeviceShare> shares = cuda::device_shares(sim);
    check_cap(host_bytes + piece_copies_bytes(sim, shares.size()), host_cap, "host", cap_given);
    check_device_memory(sim, shares, request.max_bytes);
    return;
  }
#endif
  check_cap(host_bytes, host_cap, "host", cap_given);
}

void run_backend(Backend backend, const SimulationRequest& request, const SimulationBuffers& buffers, const int32_t* cancel) {
#if AGENTGRAD_WITH_CUDA
  if (backend == Backend::cuda) {
    cuda::simulate(request, buffers, cancel);
    return;
  }
#endif
  (void)backend;
  cpu::simulate(request, buffers, cancel);
}

}  // namespace ag::addon
