#include "tessera/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <pthread.h>
#endif

#include "pool_stats.h"

namespace tessera {

namespace {

thread_local bool inside_pool_task = false;

// How long a thread waiting for a job (a worker) or for the workers' chunks (the caller)
// spins before it sleeps: kernels of a training step come back to back with some
// JavaScript between them, and a worker woken by the OS arrives after the caller has
// taken every chunk, or runs its chunk slowly. 200 µs covers most gaps inside an MLP
// step; 1 ms (all of them) was 5-9% slower in bench:train's MLP at normal priority, where
// a worker that never sleeps competes with V8's background threads for the 2 cores (it
// was faster only under chrt, docs/PERFORMANCE.md). With more threads than cores a
// spinning thread holds a core another one needs, so it spins briefly.
constexpr int64_t kSpinNs = 200000, kOversubscribedSpinNs = 50000;

// Loads of the awaited word between reads of the clock.
constexpr int kLoadsPerClockRead = 64;

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Spins until done() or `budget_ns` pass; returns done(). Without the pause instruction:
// in a KVM guest (the 2-core AMD EPYC of docs/PERFORMANCE.md) a loop of pauses trips the
// hypervisor's pause filter, and a worker that had spun on pauses through a 200 µs gap
// then ran its half of a [128, 256] x [256, 128] product in 79 µs instead of 54-57 (its
// vCPU descheduled and moved, most likely); reading the word alone, 57 (issue #22).
// A worker that has waited 50 us for a job yields its core on each clock read of its
// spin (`yields`), so that a runnable thread the OS would otherwise put on the JS
// thread's core (V8's compiler and GC threads: about 250 us of CPU a step of the bench
// MLP) runs on the worker's core instead. A worker spinning without yielding pushed them
// onto the JS thread, which waited for a core 54-127 us a step (bench:threads; 11-17
// with the yield). Back-to-back kernels (a CNN's) find the worker before it yields; with
// nothing else runnable the yield returns at once. bench:train's MLP +5-13% by medians,
// the others even or better (Zen 5, idle, docs/PERFORMANCE.md, issue #22). The caller's
// wait for the workers' chunks does not yield: it is the step's critical path.
constexpr int64_t kYieldAfterNs = 50000;

template <typename Done>
bool spin_until(Done done, int64_t budget_ns, bool yields) {
  const int64_t start = steady_ns(), deadline = start + budget_ns;
  for (;;) {
    for (int i = 0; i < kLoadsPerClockRead; ++i)
      if (done()) return true;
    const int64_t now = steady_ns();
    if (now >= deadline) return done();
    if (yields && now - start >= kYieldAfterNs) std::this_thread::yield();
  }
}

// A job is a range cut into chunks that workers and the caller claim, so uneven chunks
// balance. Its whole claim state is one atomic word, [generation | front | back], the
// unclaimed chunks being [front, back): a claim is a compare-and-swap on it, so a worker
// that wakes late (descheduled on a busy machine) can never claim a chunk of a finished
// job or of the next one. The caller claims from the front, workers from the back: when
// both keep pace, each thread gets the same end of every job, so a kernel reads mostly
// what this thread wrote in the one before (an optimizer's update and the next forward
// GEMM's weights, issue #22) instead of lines the other core must hand over. The caller
// waits only for chunks that were claimed, never for workers that did not show up: it
// runs every chunk itself if need be. Workers wait for a new generation, spinning up to
// kSpinNs (spin_until), then sleeping on a condition variable.
class ThreadPool {
 public:
  explicit ThreadPool(int threads) { resize(threads); }
  ~ThreadPool() { stop_workers(); }

  // Read by every parallel_for, from any Node worker thread, while another may resize.
  int size() const { return size_.load(std::memory_order_relaxed); }

  void resize(int threads) {
    std::lock_guard<std::mutex> job_lock(job_mutex_);
    stop_workers();
    stopping_.store(false);
    const uint64_t current = generation_of(job_.load());
    const unsigned cores = std::thread::hardware_concurrency();
    spin_ns_ = cores > 0 && unsigned(threads) > cores ? kOversubscribedSpinNs : kSpinNs;
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this, current] { worker_loop(current); });
    size_.store(static_cast<int>(workers_.size()) + 1, std::memory_order_relaxed);
  }

  // With `caller_first` the caller runs chunk 0 whoever arrives when (it is claimed before
  // the job is published).
  void run(int64_t begin, int64_t end, int64_t chunk, const std::function<void(int64_t, int64_t)>& fn,
           bool caller_first = false) {
    // One job at a time; a second caller (another worker thread of Node) runs serially
    // rather than waiting.
    std::unique_lock<std::mutex> job_lock(job_mutex_, std::try_to_lock);
    if (!job_lock.owns_lock()) {
      fn(begin, end);
      return;
    }
    const int64_t max_chunks = static_cast<int64_t>(kMaxChunks);
    if ((end - begin + chunk - 1) / chunk > max_chunks) chunk = (end - begin + max_chunks - 1) / max_chunks;
    fn_ = &fn;
    begin_ = begin;
    end_ = end;
    chunk_ = chunk;
    const uint64_t chunks = static_cast<uint64_t>((end - begin + chunk - 1) / chunk);
    chunks_ = chunks;
    done_.store(0);
    const uint64_t generation = (generation_of(job_.load()) + 1) & 0xffffffff;
    const bool stats = pool_stats::level() > 0;
    const int64_t published = stats ? pool_stats::now_ns() : 0;
    published_ns_.store(published);
    bool asleep = false;
    {
      // Under the mutex, so a worker deciding to sleep sees either the new job or the wake.
      std::lock_guard<std::mutex> lock(mutex_);
      job_.store(generation << 32 | (caller_first ? uint64_t(1) << 16 : 0) | chunks);
      asleep = sleeping_ > 0;
      if (sleeping_ > 0) wake_.notify_all();
    }
    if (caller_first) {
      inside_pool_task = true;
      run_chunk(0, true);
      inside_pool_task = false;
    }
    const uint64_t caller_chunks = work(generation, true) + (caller_first ? 1 : 0);
    const int64_t caller_done = stats ? pool_stats::now_ns() : 0;
    spin_until([&] { return done_.load() == chunks; }, spin_ns_, false);
    if (done_.load() != chunks) {
      std::unique_lock<std::mutex> lock(mutex_);
      all_done_.wait(lock, [&] { return done_.load() == chunks; });
    }
    if (stats) {
      const int64_t end = pool_stats::now_ns();
      pool_stats::record_job(chunks, caller_chunks, asleep, end - published, end - caller_done);
    }
    fn_ = nullptr;
    if (error_) {
      std::exception_ptr e = error_;
      error_ = nullptr;
      std::rethrow_exception(e);
    }
  }

 private:
  static constexpr uint64_t kMaxChunks = 0xffff;
  static uint64_t generation_of(uint64_t job) { return job >> 32; }

  // Runs chunk `index` of the current job, claimed by this thread: the job's fields stay
  // put until its chunks are all done.
  void run_chunk(uint64_t index, bool caller) {
    const bool stats = pool_stats::level() > 0;
    const uint64_t chunks = chunks_;
    const int64_t lo = begin_ + static_cast<int64_t>(index) * chunk_;
    const int64_t hi = std::min(end_, lo + chunk_);
    const int64_t started = stats ? pool_stats::now_ns() : 0;
    try {
      (*fn_)(lo, hi);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
    if (stats) pool_stats::record_chunk(chunks, caller, pool_stats::now_ns() - started);
    if (done_.fetch_add(1) + 1 == chunks) {
      std::lock_guard<std::mutex> lock(mutex_);
      all_done_.notify_one();
    }
  }

  // Runs chunks of job `generation` while it has unclaimed ones; returns how many it ran.
  uint64_t work(uint64_t generation, bool caller) {
    inside_pool_task = true;
    uint64_t job = job_.load(), ran = 0;
    const bool from_back = !caller;
    for (;;) {
      const uint64_t front = (job >> 16) & kMaxChunks, back = job & kMaxChunks;
      if (generation_of(job) != generation || front >= back) break;
      const uint64_t next = from_back ? back - 1 : front;
      if (!job_.compare_exchange_weak(job, from_back ? job - 1 : job + (uint64_t(1) << 16))) continue;
      run_chunk(next, caller);
      ++ran;
      job = job_.load();
    }
    inside_pool_task = false;
    return ran;
  }

  void worker_loop(uint64_t seen) {
#if defined(__linux__)
    // A name of its own, so /proc/self/task/*/comm, top -H and perf tell the pool's
    // workers from V8's and libuv's threads (bench/step_threads.ts counts them apart).
    pthread_setname_np(pthread_self(), "tessera-pool");
#endif
    for (;;) {
      spin_until([&] { return generation_of(job_.load()) != seen || stopping_.load(); }, spin_ns_, true);
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ++sleeping_;
        wake_.wait(lock, [&] { return stopping_.load() || generation_of(job_.load()) != seen; });
        --sleeping_;
        if (stopping_.load()) return;
        seen = generation_of(job_.load());
      }
      if (pool_stats::level() > 0) {
        const uint64_t job = job_.load();
        if (generation_of(job) == seen)
          pool_stats::record_arrival(job & kMaxChunks, pool_stats::now_ns() - published_ns_.load());
      }
      work(seen, false);
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
    size_.store(1, std::memory_order_relaxed);
  }

  std::mutex job_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_, all_done_;
  std::vector<std::thread> workers_;
  std::atomic<int> size_{1};
  int64_t spin_ns_ = kSpinNs;  // set by resize before the workers start
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> job_{0};   // [generation (32 bits) | front (16) | back (16)]: chunks [front, back) unclaimed
  uint64_t chunks_ = 0;            // chunks of the current job
  std::atomic<uint64_t> done_{0};  // chunks of the current job finished
  std::atomic<int64_t> published_ns_{0};  // when the current job was published (pool_stats)
  int sleeping_ = 0;                      // guarded by mutex_
  const std::function<void(int64_t, int64_t)>* fn_ = nullptr;
  int64_t begin_ = 0, end_ = 0, chunk_ = 1;
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
  static ThreadPool* p = [] {
    if (pool_stats::level() > 0) std::atexit(pool_stats::print);
    return new ThreadPool(default_threads());
  }();
  return *p;
}

}  // namespace

int num_threads() { return pool().size(); }

void set_num_threads(int n) { pool().resize(std::max(1, n)); }

void parallel_for(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
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

void parallel_parts(int64_t work, int64_t grain, const std::function<void(int, int)>& fn) {
  const int64_t worth = work / std::max<int64_t>(1, grain);
  const int parts = inside_pool_task ? 1 : static_cast<int>(std::clamp<int64_t>(worth, 1, num_threads()));
  if (parts == 1) return fn(0, 1);
  // One chunk per part, the first the caller's; workers claim from the back.
  pool().run(
      0, parts, 1,
      [&](int64_t lo, int64_t hi) {
        for (int64_t part = lo; part < hi; ++part) fn(static_cast<int>(part), parts);
      },
      /*caller_first=*/true);
}

}  // namespace tessera
