#include "device_info.hpp"

namespace ag::gpucheck {

DeviceInfo device_info() {
  DeviceInfo info;
  info.reason = "built without the CUDA backend (AGENTGRAD_CUDA=OFF)";
  return info;
}

}  // namespace ag::gpucheck
