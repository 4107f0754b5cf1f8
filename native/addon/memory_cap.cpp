#include "memory_cap.hpp"

#include <unistd.h>

#include <fstream>
#include <string>

namespace ag::addon {
namespace {

std::size_t available_host_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::size_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024;
  }
  const long pages = sysconf(_SC_AVPHYS_PAGES);
  const long page_size = sysconf(_SC_PAGESIZE);
  return pages > 0 && page_size > 0 ? static_cast<std::size_t>(pages) * static_cast<std::size_t>(page_size) : 0;
}

}  // namespace

std::size_t default_host_cap() { return available_host_bytes() / 2; }

std::size_t default_device_cap(std::size_t free_device_bytes) { return free_device_bytes / 10 * 9; }

}  // namespace ag::addon
