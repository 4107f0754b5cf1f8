// A process-wide pool of worker threads. parallel_for hands out items one at a time to the caller
// and up to lanes - 1 workers; which lane runs which item varies, so results must not depend on it.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ag::cpu {

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
  static void work_on(Job& job, int lane);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job>> jobs_;
  std::vector<std::thread> workers_;
  bool stopping_ = false;
};

int hardware_threads();

}  // namespace ag::cpu
