#include "workspace_cache.hpp"

#include <algorithm>

namespace ag::cpu {

WorkspaceCache& WorkspaceCache::shared() {
  // Never destroyed: a run still going on another thread while the process exits may yet return
  // its buffers. The pointer keeps the cached buffers reachable, so leak checkers do not count them.
  static WorkspaceCache* const cache = new WorkspaceCache();
  return *cache;
}

WorkspaceCache::Lease::~Lease() {
  if (buffer_.data) cache_->release(std::move(buffer_));
}

WorkspaceCache::Lease WorkspaceCache::acquire(std::size_t bytes) {
  bytes = std::max<std::size_t>(bytes, 1);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto best = cached_.end();
    for (auto it = cached_.begin(); it != cached_.end(); ++it) {
      if (it->bytes >= bytes && (best == cached_.end() || it->bytes < best->bytes)) best = it;
    }
    if (best != cached_.end()) {
      Buffer buffer = std::move(*best);
      cached_.erase(best);
      cached_bytes_ -= buffer.bytes;
      return Lease(*this, std::move(buffer));
    }
  }
  return Lease(*this, Buffer{std::unique_ptr<std::byte[]>(new std::byte[bytes]()), bytes});
}

void WorkspaceCache::release(Buffer buffer) {
  if (buffer.bytes > kCachedBytes) return;  // freed
  std::lock_guard<std::mutex> lock(mutex_);
  cached_bytes_ += buffer.bytes;
  cached_.push_back(std::move(buffer));
  while (cached_bytes_ > kCachedBytes) {
    cached_bytes_ -= cached_.front().bytes;
    cached_.erase(cached_.begin());
  }
}

}  // namespace ag::cpu
