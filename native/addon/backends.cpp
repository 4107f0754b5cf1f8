#include "backends.hpp"

#include <stdexcept>
#include <string>

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

void check_memory(const ParsedRequest& request, Backend backend) {
  const SimulationRequest& sim = request.simulation;
  const bool cap_given = request.max_bytes > 0;
  const double host_cap = cap_given ? request.max_bytes : static_cast<double>(default_host_cap());
  double host_bytes = static_cast<double>(output_counts(sim).total_bytes());
  if (backend == Backend::cpu) host_bytes += static_cast<double>(cpu::workspace_bytes(sim));
  check_cap(host_bytes, host_cap, "host", cap_given);
#if AGENTGRAD_WITH_CUDA
  if (backend == Backend::cuda) {
    const double device_cap = cap_given ? request.max_bytes : static_cast<double>(default_device_cap(cuda_status().free_bytes));
    check_cap(static_cast<double>(cuda::device_bytes(sim)), device_cap, "device", cap_given);
  }
#endif
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
