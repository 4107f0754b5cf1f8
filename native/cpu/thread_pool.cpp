#include "thread_pool.hpp"

#include <algorithm>
#include <chrono>
#include <exception>

namespace ag::cpu {

struct ThreadPool::Job {
  const Body* body;
  int items;
  int lanes;
  std::atomic<int> next_item{0};
  int joined = 1;                 // lane 0 is the caller; guarded by the pool mutex
  std::atomic<int> running{1};    // lanes still working; a lane joins only under the pool mutex
  std::condition_variable finished;
  std::exception_ptr error;
  std::mutex error_mutex;
};

namespace {

void pause_briefly() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Polls until done() or kIdlePollMicroseconds have passed; whether done() held.
template <class Done>
bool poll_until(const Done& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(kIdlePollMicroseconds);
  for (;;) {
    if (done()) return true;
    for (int i = 0; i < 32; ++i) pause_briefly();
    if (std::chrono::steady_clock::now() >= deadline) return done();
  }
}

}  // namespace

int hardware_threads() {
  static const int count = [] {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
  }();
  return count;
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

void ThreadPool::set_queued_jobs() { queued_jobs_.store(static_cast<int>(jobs_.size()), std::memory_order_release); }

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
    if (jobs_.empty() && !stopping_) {
      lock.unlock();
      poll_until([this] { return queued_jobs_.load(std::memory_order_acquire) > 0; });
      lock.lock();
    }
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    std::shared_ptr<Job> job = jobs_.front();
    if (job->next_item.load() >= job->items) {  // nothing left to share
      jobs_.pop_front();
      set_queued_jobs();
      continue;
    }
    const int lane = job->joined++;
    if (job->joined >= job->lanes) {
      jobs_.pop_front();
      set_queued_jobs();
    }
    job->running.fetch_add(1, std::memory_order_relaxed);
    lock.unlock();
    work_on(*job, lane);
    lock.lock();
    // Under the mutex, so that a caller between its last check and its sleep cannot miss it.
    if (job->running.fetch_sub(1, std::memory_order_acq_rel) == 1) job->finished.notify_all();
  }
}

void ThreadPool::wait_for_lanes(Job& job) {
  {
    // No lane may join once the caller has run out of items.
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.erase(std::remove_if(jobs_.begin(), jobs_.end(), [&](const auto& queued) { return queued.get() == &job; }), jobs_.end());
    set_queued_jobs();
  }
  if (job.running.fetch_sub(1, std::memory_order_acq_rel) == 1) return;
  if (poll_until([&] { return job.running.load(std::memory_order_acquire) == 0; })) return;
  std::unique_lock<std::mutex> lock(mutex_);
  job.finished.wait(lock, [&] { return job.running.load(std::memory_order_acquire) == 0; });
}

void ThreadPool::parallel_for(int items, int lanes, const Body& body) {
  if (items <= 0) return;
  lanes = std::max(1, std::min(lanes, items));
  auto job = std::make_shared<Job>();
  job->body = &body;
  job->items = items;
  job->lanes = lanes;
  if (lanes > 1) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ensure_workers(lanes - 1);
      jobs_.push_back(job);
      set_queued_jobs();
    }
    wake_.notify_all();
  }
  work_on(*job, 0);
  if (lanes > 1) wait_for_lanes(*job);
  if (job->error) std::rethrow_exception(job->error);
}

}  // namespace ag::cpu
