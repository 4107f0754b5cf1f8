// The CUDA device the check runs on, and why there is none (device_info.cu; device_info_none.cpp
// in a build without CUDA).
#pragma once

#include <cstddef>
#include <string>

namespace ag::gpucheck {

struct DeviceInfo {
  bool available = false;
  int device_count = 0;  // visible CUDA devices; the fields below are device 0's
  std::string reason;  // why the CUDA side is skipped, when it is
  std::string name;
  int compute_major = 0;
  int compute_minor = 0;
  std::size_t total_memory = 0;
  int multiprocessors = 0;
  int memory_clock_khz = 0;   // cudaDevAttrMemoryClockRate (cudaDeviceProp lost the field in CUDA 13)
  int memory_bus_bits = 0;    // cudaDevAttrGlobalMemoryBusWidth
  double peak_bandwidth = 0;  // bytes/s: 2 (double data rate) x memory clock x bus width / 8
  bool cooperative_launch = false;
  int runtime_version = 0;
  int driver_version = 0;
};

DeviceInfo device_info();

}  // namespace ag::gpucheck
