// Scratch memory for the agents' state, kept between runs. A fresh allocation of megabytes costs a
// page fault for every 4 KiB on first touch, and glibc hands large freed blocks back to the kernel,
// so at a million agents and 10 steps, allocating two lanes' workspaces took a third of each run.
// A lease returns its buffer when the run ends; the cache keeps at most kCachedBytes of them. A
// buffer is zeroed when first allocated and later holds what earlier runs left, as a lane's
// workspace already does between the replicates of one run.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace ag::cpu {

class WorkspaceCache {
 public:
  static constexpr std::size_t kCachedBytes = std::size_t(64) << 20;

  struct Buffer {
    std::unique_ptr<std::byte[]> data;
    std::size_t bytes = 0;
  };

  class Lease {
   public:
    Lease(WorkspaceCache& cache, Buffer buffer) : cache_(&cache), buffer_(std::move(buffer)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();

    template <class T>
    T* as() const {
      return reinterpret_cast<T*>(buffer_.data.get());
    }

   private:
    WorkspaceCache* cache_;
    Buffer buffer_;
  };

  static WorkspaceCache& shared();

  // A buffer of at least `bytes`: the smallest cached one that is large enough, or a new one.
  Lease acquire(std::size_t bytes);

 private:
  void release(Buffer buffer);

  std::mutex mutex_;
  std::vector<Buffer> cached_;  // oldest first
  std::size_t cached_bytes_ = 0;
};

}  // namespace ag::cpu
