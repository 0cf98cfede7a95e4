#include "tessera/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace tessera {

namespace {

thread_local bool inside_pool_task = false;

// Spin this many pause instructions (tens of microseconds) before sleeping: kernels of a
// training step come back to back, and a worker that must be woken by the OS arrives
// after the caller has already taken every chunk (seen on a busy 2-core machine).
constexpr int kSpinIterations = 4000;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Workers wait for a job number to change, spinning briefly, then sleeping on a condition
// variable; a job is a range cut into chunks that workers and the caller claim with an
// atomic counter, so uneven chunks balance.
class ThreadPool {
 public:
  explicit ThreadPool(int threads) { resize(threads); }
  ~ThreadPool() { stop_workers(); }

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  void resize(int threads) {
    std::lock_guard<std::mutex> job_lock(job_mutex_);
    stop_workers();
    stopping_.store(false);
    // New workers wait for the next job: one that took the last job's generation for new
    // would run it late, and could count itself done twice for the job after it, letting
    // the caller return while a chunk still runs.
    const uint64_t current = generation_.load();
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this, current] { worker_loop(current); });
  }

  void run(int64_t begin, int64_t end, int64_t chunk, const std::function<void(int64_t, int64_t)>& fn) {
    // One job at a time; a second caller (another worker thread of Node) runs serially
    // rather than waiting.
    std::unique_lock<std::mutex> job_lock(job_mutex_, std::try_to_lock);
    if (!job_lock.owns_lock()) {
      fn(begin, end);
      return;
    }
    fn_ = &fn;
    begin_ = begin;
    end_ = end;
    chunk_ = chunk;
    next_.store(0);
    total_chunks_ = (end - begin + chunk - 1) / chunk;
    pending_workers_.store(static_cast<int>(workers_.size()));
    {
      // Under the mutex, so a worker deciding to sleep sees either the new job or the wake.
      std::lock_guard<std::mutex> lock(mutex_);
      generation_.fetch_add(1);
      if (sleeping_ > 0) wake_.notify_all();
    }
    work();
    for (int i = 0; i < kSpinIterations && pending_workers_.load() != 0; ++i) cpu_relax();
    if (pending_workers_.load() != 0) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [this] { return pending_workers_.load() == 0; });
    }
    fn_ = nullptr;
    if (error_) {
      std::exception_ptr e = error_;
      error_ = nullptr;
      std::rethrow_exception(e);
    }
  }

 private:
  void work() {
    inside_pool_task = true;
    for (;;) {
      const int64_t c = next_.fetch_add(1);
      if (c >= total_chunks_) break;
      const int64_t lo = begin_ + c * chunk_;
      const int64_t hi = std::min(end_, lo + chunk_);
      try {
        (*fn_)(lo, hi);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
    }
    inside_pool_task = false;
  }

  void worker_loop(uint64_t seen) {
    for (;;) {
      for (int i = 0; i < kSpinIterations && generation_.load() == seen && !stopping_.load(); ++i) cpu_relax();
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ++sleeping_;
        wake_.wait(lock, [&] { return stopping_.load() || generation_.load() != seen; });
        --sleeping_;
        if (stopping_.load()) return;
        seen = generation_.load();
      }
      work();
      if (pending_workers_.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_one();
      }
    }
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_.store(true);
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  std::mutex job_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> generation_{0};
  int sleeping_ = 0;  // guarded by mutex_
  std::atomic<int> pending_workers_{0};
  const std::function<void(int64_t, int64_t)>* fn_ = nullptr;
  int64_t begin_ = 0, end_ = 0, chunk_ = 1, total_chunks_ = 0;
  std::atomic<int64_t> next_{0};
  std::exception_ptr error_;
};

int default_threads() {
  if (const char* env = std::getenv("TESSERA_NUM_THREADS")) {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

ThreadPool& pool() {
  // Leaked on purpose: joining threads during static destruction at process exit can
  // deadlock when a worker_thread's addon instance is torn down first.
  static ThreadPool* p = new ThreadPool(default_threads());
  return *p;
}

}  // namespace

int num_threads() { return pool().size(); }

void set_num_threads(int n) { pool().resize(std::max(1, n)); }

void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& fn) {
  if (end <= begin) return;
  grain = std::max<int64_t>(1, grain);
  const int threads = num_threads();
  const int64_t n = end - begin;
  if (threads == 1 || inside_pool_task || n < 2 * grain) {
    fn(begin, end);
    return;
  }
  // A few chunks per thread keep the load balanced without much claiming overhead.
  const int64_t chunk = std::max(grain, (n + 4 * threads - 1) / (4 * threads));
  pool().run(begin, end, chunk, fn);
}

}  // namespace tessera
