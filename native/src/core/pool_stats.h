// What the thread pool's jobs cost, printed to stderr at exit when TESSERA_POOL_STATS is
// set (1: totals; 2: also one line per job size): per job how late the workers arrived
// after it was published, how many chunks the caller and the workers ran, how long each
// side computed, and how long the caller waited for the workers' last chunks. Off, a
// job pays one predictable branch. Used to find why a 2-thread GEMM ran 55% slower
// inside a training step than alone (issue #22).
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace tessera::pool_stats {

inline int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline int level() {
  static const int value = [] {
    const char* env = std::getenv("TESSERA_POOL_STATS");
    return env ? std::atoi(env) : 0;
  }();
  return value;
}

// Buckets of the workers' arrival delay, in microseconds (upper bounds; the last is open).
constexpr int64_t kArrivalBoundsUs[] = {2, 5, 10, 20, 50, 100, 200};
constexpr int kArrivalBuckets = sizeof(kArrivalBoundsUs) / sizeof(kArrivalBoundsUs[0]) + 1;

// Totals over jobs whose chunk count falls in one size class (by_chunks).
struct Totals {
  std::atomic<uint64_t> jobs{0}, caller_chunks{0}, worker_chunks{0};
  std::atomic<uint64_t> caller_only{0};        // jobs whose chunks the caller ran all of
  std::atomic<uint64_t> asleep_at_publish{0};  // jobs published while a worker slept
  std::atomic<uint64_t> arrivals{0}, arrival_ns{0}, arrival_hist[kArrivalBuckets] = {};
  std::atomic<uint64_t> job_ns{0}, caller_busy_ns{0}, worker_busy_ns{0}, caller_wait_ns{0};
};

// Size classes: 1-2 chunks (a GEMM's rectangles on 2 threads), 3-8, 9-32, more.
constexpr int kClasses = 4;
inline int class_of(uint64_t chunks) { return chunks <= 2 ? 0 : chunks <= 8 ? 1 : chunks <= 32 ? 2 : 3; }
inline const char* class_name(int c) {
  static const char* names[kClasses] = {"1-2 chunks", "3-8 chunks", "9-32 chunks", ">32 chunks"};
  return names[c];
}

inline Totals* totals() {
  static Totals* t = new Totals[kClasses + 1];  // [kClasses]: all jobs; leaked like the pool
  return t;
}

inline void add(std::atomic<uint64_t>& a, uint64_t v) { a.fetch_add(v, std::memory_order_relaxed); }

inline void record_arrival(uint64_t chunks, int64_t delay_ns) {
  for (Totals* t : {&totals()[class_of(chunks)], &totals()[kClasses]}) {
    add(t->arrivals, 1);
    add(t->arrival_ns, static_cast<uint64_t>(delay_ns));
    int b = 0;
    while (b < kArrivalBuckets - 1 && delay_ns > kArrivalBoundsUs[b] * 1000) ++b;
    add(t->arrival_hist[b], 1);
  }
}

inline void record_chunk(uint64_t chunks, bool caller, int64_t busy_ns) {
  for (Totals* t : {&totals()[class_of(chunks)], &totals()[kClasses]}) {
    add(caller ? t->caller_chunks : t->worker_chunks, 1);
    add(caller ? t->caller_busy_ns : t->worker_busy_ns, static_cast<uint64_t>(busy_ns));
  }
}

inline void record_job(uint64_t chunks, uint64_t caller_chunks, bool asleep, int64_t job_ns, int64_t wait_ns) {
  for (Totals* t : {&totals()[class_of(chunks)], &totals()[kClasses]}) {
    add(t->jobs, 1);
    if (caller_chunks == chunks) add(t->caller_only, 1);
    if (asleep) add(t->asleep_at_publish, 1);
    add(t->job_ns, static_cast<uint64_t>(job_ns));
    add(t->caller_wait_ns, static_cast<uint64_t>(wait_ns));
  }
}

inline void print_totals(const char* name, const Totals& t) {
  const double jobs = double(t.jobs.load()), arrivals = double(t.arrivals.load());
  if (jobs == 0) return;
  std::fprintf(stderr,
               "  %-12s jobs %8.0f  us/job %7.1f  caller busy %7.1f  worker busy %7.1f  caller wait %6.1f  "
               "chunks caller/worker %6.2f/%5.2f  caller ran all %5.1f%%  worker asleep %5.1f%%\n",
               name, jobs, t.job_ns.load() / jobs / 1e3, t.caller_busy_ns.load() / jobs / 1e3,
               t.worker_busy_ns.load() / jobs / 1e3, t.caller_wait_ns.load() / jobs / 1e3,
               t.caller_chunks.load() / jobs, t.worker_chunks.load() / jobs, 100.0 * t.caller_only.load() / jobs,
               100.0 * t.asleep_at_publish.load() / jobs);
  if (arrivals == 0) return;
  std::fprintf(stderr, "  %-12s worker arrival mean %.1f us; <=", "", t.arrival_ns.load() / arrivals / 1e3);
  for (int b = 0; b < kArrivalBuckets; ++b) {
    if (b < kArrivalBuckets - 1) {
      std::fprintf(stderr, " %lldus:%.1f%%", static_cast<long long>(kArrivalBoundsUs[b]),
                   100.0 * t.arrival_hist[b].load() / arrivals);
    } else {
      std::fprintf(stderr, " more:%.1f%%\n", 100.0 * t.arrival_hist[b].load() / arrivals);
    }
  }
}

inline void print() {
  std::fprintf(stderr, "thread pool (TESSERA_POOL_STATS), per job:\n");
  if (level() >= 2)
    for (int c = 0; c < kClasses; ++c) print_totals(class_name(c), totals()[c]);
  print_totals("all", totals()[kClasses]);
}

}  // namespace tessera::pool_stats
