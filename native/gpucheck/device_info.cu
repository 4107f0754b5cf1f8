#include <cuda_runtime.h>

#include "../cuda/cuda_backend.hpp"
#include "device_info.hpp"

namespace ag::gpucheck {

DeviceInfo device_info() {
  DeviceInfo info;
  const cuda::DeviceStatus status = cuda::device_status();  // the backend's own verdict
  info.runtime_version = status.runtime_version;
  info.device_count = status.device_count;
  cudaDriverGetVersion(&info.driver_version);
  if (!status.available) {
    info.reason = status.reason.empty() ? "no usable CUDA device" : status.reason;
    return info;
  }
  int device = 0, cooperative = 0;
  cudaGetDevice(&device);
  cudaDeviceGetAttribute(&info.multiprocessors, cudaDevAttrMultiProcessorCount, device);
  cudaDeviceGetAttribute(&info.memory_clock_khz, cudaDevAttrMemoryClockRate, device);
  cudaDeviceGetAttribute(&info.memory_bus_bits, cudaDevAttrGlobalMemoryBusWidth, device);
  cudaDeviceGetAttribute(&cooperative, cudaDevAttrCooperativeLaunch, device);
  cudaGetLastError();  // an attribute this device lacks leaves its field 0
  info.available = true;
  info.name = status.name;
  info.compute_major = status.compute_major;
  info.compute_minor = status.compute_minor;
  info.total_memory = status.total_bytes;
  info.cooperative_launch = cooperative != 0;
  info.peak_bandwidth = 2.0 * info.memory_clock_khz * 1e3 * info.memory_bus_bits / 8.0;
  return info;
}

}  // namespace ag::gpucheck
