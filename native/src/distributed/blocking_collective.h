// Blocking all-reduces for the sizes where they are faster, and the deadline thread that
// keeps them bounded. Part of the MPI shim (mpi_shim.cpp), one translation unit.
//
// Why blocking: Open MPI's nonblocking MPI_Iallreduce (libnbc) uses other, slower
// algorithms than its blocking MPI_Allreduce (coll/tuned). Measured in C on this machine
// (bench/native/allreduce_variants.c: 2 ranks, shared memory, out of place as the shim
// reduces, blocking vs polled back to back): 64 KB 27 vs 30 us, 1 MB 287 vs 387 us,
// 4 MB 1.23 vs 1.57 ms, 16 MB 6.9 vs 8.3 ms, but 64 MB 34.9 vs 29.9 ms; below 64 KB
// the polled path's timeouts stay catchable. MPICH is the same either way. Horovod's
// background thread also runs blocking collectives, one after another.
//
// Why a deadline thread: a blocking MPI call cannot be abandoned, so a rank that never
// joins would hang the caller for ever. The thread making the call arms a deadline first;
// if the call is still running when it passes, the deadline thread prints which
// collective timed out on which rank and ends the job (MPI_Abort): the collective's
// buffers belong to tensors the JS side would free, so no error can be handed back.
#pragma once
#include <mpi.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

namespace tessera_mpi {

// Prints `message` and ends every rank; defined by the shim (mpi_shim.cpp).
[[noreturn]] void abort_job(const std::string& message);

// The all-reduce sizes (bytes) run blocking: [min, max). TESSERA_DIST_BLOCKING=0 turns
// them off (every all-reduce polled: the earlier path, for comparisons); it must be the
// same on every rank (mpirun -x), as the collective chosen must match.
struct BlockingRange {
  size_t min = size_t{64} << 10;
  size_t max = size_t{32} << 20;
};
inline BlockingRange& blocking_range() {
  static BlockingRange r;
  return r;
}

// Reads TESSERA_DIST_BLOCKING; returns an error message for a value it does not know.
inline std::string configure_blocking() {
  const char* v = std::getenv("TESSERA_DIST_BLOCKING");
  if (v == nullptr || *v == '\0' || std::strcmp(v, "1") == 0) return "";
  if (std::strcmp(v, "0") == 0) {
    blocking_range().max = 0;
    return "";
  }
  return std::string(
             "ts.distribute.init: TESSERA_DIST_BLOCKING must be 0 (every all-reduce nonblocking and polled) or 1 (the "
             "default: "
             "blocking from 64 KB to 32 MB), got '") +
         v + "'";
}

inline bool use_blocking(size_t bytes) { return bytes >= blocking_range().min && bytes < blocking_range().max; }

struct Deadline {
  std::mutex mu;
  std::condition_variable cv;
  std::atomic<int> inside{0};  // threads inside a blocking collective (with or without a timeout)
  bool started = false;        // the deadline thread runs
  bool armed = false;          // a call with a timeout is running
  bool watching = false;       // the deadline thread sleeps until `watched`
  std::chrono::steady_clock::time_point at, watched;
  const char* name = "";
  double timeout_s = 0;
  int rank = 0, size = 1;
};
inline Deadline& deadline() {
  static Deadline& d = *new Deadline;  // never destroyed: its thread outlives static teardown
  return d;
}

// True while some thread is inside a blocking collective (it cannot be stopped).
inline bool in_blocking_call() { return deadline().inside.load(std::memory_order_acquire) > 0; }

// The deadline thread. It sleeps until the armed call's deadline and is woken only when it
// idles or a deadline comes earlier than the one it sleeps towards (no wake-up per call:
// two ranks share two cores here); waking at a passed deadline it re-reads the current one.
inline void watch_deadlines() {
  Deadline& d = deadline();
  std::unique_lock<std::mutex> lock(d.mu);
  for (;;) {
    d.cv.wait(lock, [&] { return d.armed; });
    d.watching = true;
    while (d.armed && std::chrono::steady_clock::now() < d.at) {
      d.watched = d.at;
      d.cv.wait_until(lock, d.watched);
    }
    d.watching = false;
    if (!d.armed) continue;
    char msg[512];
    std::snprintf(msg, sizeof msg,
                  "tessera.distribute: rank %d of %d failed (%s: timed out after %.1f s on rank %d of %d: another rank "
                  "died, is stuck, or is running a different collective; a blocking MPI_Allreduce cannot be "
                  "abandoned); aborting all ranks",
                  d.rank, d.size, d.name, d.timeout_s, d.rank, d.size);
    lock.unlock();
    abort_job(msg);
  }
}

// Runs `call` (a blocking MPI collective) under `timeout_s` (0: none) on rank `rank` of `size`.
template <typename F>
int blocking(const char* name, double timeout_s, int rank, int size, F call) {
  Deadline& d = deadline();
  d.inside.fetch_add(1, std::memory_order_acq_rel);
  if (timeout_s > 0) {
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(d.mu);
      if (!d.started) {
        d.started = true;
        std::thread(watch_deadlines).detach();
      }
      d.armed = true;
      d.at = std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(timeout_s));
      d.name = name;
      d.timeout_s = timeout_s;
      d.rank = rank;
      d.size = size;
      wake = !d.watching || d.at < d.watched;
    }
    if (wake) d.cv.notify_all();
  }
  const int rc = call();
  if (timeout_s > 0) {
    std::lock_guard<std::mutex> lock(d.mu);
    d.armed = false;
  }
  d.inside.fetch_sub(1, std::memory_order_acq_rel);
  return rc;
}

}  // namespace tessera_mpi
