#include "memory_cap.hpp"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <mutex>
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

// Reading /proc/meminfo costs tens of microseconds, more than a small simulation; a reading serves
// the requests of the next second.
std::size_t recent_available_host_bytes() {
  using Clock = std::chrono::steady_clock;
  static std::mutex mutex;
  static Clock::time_point read_at;
  static std::size_t bytes = 0;
  const std::lock_guard<std::mutex> lock(mutex);
  const Clock::time_point now = Clock::now();
  if (bytes == 0 || now - read_at > std::chrono::seconds(1)) {
    bytes = available_host_bytes();
    read_at = now;
  }
  return bytes;
}

}  // namespace

std::size_t default_host_cap() { return recent_available_host_bytes() / 2; }

std::size_t default_device_cap(std::size_t free_device_bytes) { return free_device_bytes / 10 * 9; }

}  // namespace ag::addon
