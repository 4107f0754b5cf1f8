// The memory a single request may take, unless the caller sets maxBytes.
#pragma once

#include <cstddef>

namespace ag::addon {

// Half of the host memory that is available now (read at most once a second).
std::size_t default_host_cap();

// 90% of the free memory of the CUDA device.
std::size_t default_device_cap(std::size_t free_device_bytes);

}  // namespace ag::addon
