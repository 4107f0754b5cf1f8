#include "cuda_backend.hpp"

#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "../models/cancelled.hpp"
#include "../models/registry.hpp"
#include "cuda_model.hpp"
#include "cuda_program.hpp"

namespace ag::cuda {

DeviceStatus device_status() {
  DeviceStatus status;
  cudaRuntimeGetVersion(&status.runtime_version);
  const cudaError_t count_status = cudaGetDeviceCount(&status.device_count);
  if (count_status != cudaSuccess || status.device_count == 0) {
    cudaGetLastError();
    status.device_count = 0;
    status.reason = count_status != cudaSuccess ? cudaGetErrorString(count_status) : "no CUDA device found";
    return status;
  }
  cudaDeviceProp properties{};
  if (cudaGetDeviceProperties(&properties, 0) != cudaSuccess) {
    cudaGetLastError();
    status.reason = "cannot read the properties of CUDA device 0";
    return status;
  }
  status.available = true;
  status.name = properties.name;
  status.compute_major = properties.major;
  status.compute_minor = properties.minor;
  cudaMemGetInfo(&status.free_bytes, &status.total_bytes);
  return status;
}

namespace {

// Calls f(ModelTag<M>{}) for the request's model; the model's kernels live in models/<model>.cu.
template <class F>
void visit_request_model(const SimulationRequest& request, F&& f) {
  if (!visit_model(request.model.c_str(), f)) throw std::runtime_error("unknown model '" + request.model + "'");
}

}  // namespace

std::size_t device_bytes(const SimulationRequest& request) {
  if (request.program) return program_device_bytes(request);
  std::size_t bytes = 0;
  visit_request_model(request, [&](auto model_tag) { bytes = model_device_bytes<typename decltype(model_tag)::type>(request); });
  return bytes;
}

void simulate(const SimulationRequest& request, const SimulationBuffers& host_buffers, const int32_t* cancel) {
  if (cancel != nullptr && __atomic_load_n(cancel, __ATOMIC_RELAXED) != 0) throw Cancelled();
  if (request.program) return simulate_program(request, host_buffers);
  visit_request_model(request, [&](auto model_tag) { simulate_model<typename decltype(model_tag)::type>(request, host_buffers); });
}

}  // namespace ag::cuda
