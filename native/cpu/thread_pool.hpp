// A process-wide pool of worker threads. parallel_for hands out items one at a time to the caller
// and up to lanes - 1 workers; which lane runs which item varies, so results must not depend on it.
//
// Idle threads poll for up to kIdlePollMicroseconds before they sleep on a condition variable: a
// worker polls for the next job, and the caller, its items done, polls for the workers to finish
// theirs. A wake from sleep costs tens of microseconds, and on a virtual machine whose idle cores
// the hypervisor deschedules it can take longer than a whole millisecond-long job, which the caller
// then runs alone; back-to-back runs (a fit loop's simulate calls) find their threads awake.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ag::cpu {

constexpr int kIdlePollMicroseconds = 250;

class ThreadPool {
 public:
  using Body = std::function<void(int item, int lane)>;

  static ThreadPool& shared();
  ~ThreadPool();

  // Runs body(item, lane) for every item in [0, items) on at most `lanes` threads, the caller
  // being lane 0. Rethrows the first exception a body threw, after every lane has stopped.
  void parallel_for(int items, int lanes, const Body& body);

 private:
  struct Job;
  void ensure_workers(int count);
  void worker_loop();
  void wait_for_lanes(Job& job);
  void set_queued_jobs();
  static void work_on(Job& job, int lane);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job>> jobs_;
  std::atomic<int> queued_jobs_{0};  // jobs_.size(), for polling without the mutex
  std::vector<std::thread> workers_;
  bool stopping_ = false;
};

// The number of hardware threads, read once (the C++ library reads it from /sys on every call).
int hardware_threads();

}  // namespace ag::cpu
