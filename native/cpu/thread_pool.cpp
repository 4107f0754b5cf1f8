#include "thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <exception>

namespace ag::cpu {

struct ThreadPool::Job {
  const Body* body;
  int items;
  int lanes;
  std::atomic<int> next_item{0};
  int joined = 1;  // lane 0 is the caller; guarded by the pool mutex
  int running = 1; // lanes still working; guarded by the pool mutex
  std::condition_variable finished;
  std::exception_ptr error;
  std::mutex error_mutex;
};

int hardware_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

ThreadPool& ThreadPool::shared() {
  static ThreadPool pool;
  return pool;
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void ThreadPool::ensure_workers(int count) {
  while (static_cast<int>(workers_.size()) < count) workers_.emplace_back([this] { worker_loop(); });
}

void ThreadPool::work_on(Job& job, int lane) {
  for (int item = job.next_item.fetch_add(1); item < job.items; item = job.next_item.fetch_add(1)) {
    try {
      (*job.body)(item, lane);
    } catch (...) {
      std::lock_guard<std::mutex> lock(job.error_mutex);
      if (!job.error) job.error = std::current_exception();
      job.next_item.store(job.items);  // stop handing out work
    }
  }
}

void ThreadPool::worker_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    std::shared_ptr<Job> job = jobs_.front();
    if (job->next_item.load() >= job->items) {  // nothing left to share
      jobs_.pop_front();
      continue;
    }
    const int lane = job->joined++;
    if (job->joined >= job->lanes) jobs_.pop_front();
    ++job->running;
    lock.unlock();
    work_on(*job, lane);
    lock.lock();
    if (--job->running == 0) job->finished.notify_all();
  }
}

void ThreadPool::parallel_for(int items, int lanes, const Body& body) {
  if (items <= 0) return;
  lanes = std::max(1, std::min(lanes, items));
  auto job = std::make_shared<Job>();
  job->body = &body;
  job->items = items;
  job->lanes = lanes;
  if (lanes > 1) {
    std::lock_guard<std::mutex> lock(mutex_);
    ensure_workers(lanes - 1);
    jobs_.push_back(job);
  }
  if (lanes > 1) wake_.notify_all();
  work_on(*job, 0);
  std::unique_lock<std::mutex> lock(mutex_);
  // No lane may join once the caller has run out of items.
  jobs_.erase(std::remove(jobs_.begin(), jobs_.end(), job), jobs_.end());
  --job->running;
  job->finished.wait(lock, [&] { return job->running == 0; });
  lock.unlock();
  if (job->error) std::rethrow_exception(job->error);
}

}  // namespace ag::cpu
