// An optional per-request timeline of the MPI shim (TESSERA_DIST_TRACE=1): when each
// collective was submitted, started (its MPI_I* call), completed (MPI_Test said so) and
// awaited by the JS thread, which thread ran it, and how many tests it took. Written to
// stderr, one line per request, when the process finalizes MPI or exits: the measurement
// behind the poller's design (docs/DISTRIBUTED.md, "MPI progress"). Off, it costs one
// branch per request.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

namespace tessera_mpi {

struct Timeline {
  double submitted = 0, started = 0, completed = 0, awaited = 0, returned = 0;  // seconds
  int tests = 0;
  bool on_js_thread = false;
  long bytes = 0;
  const char* name = "";
};

inline bool tracing() {
  static const bool on = [] {
    const char* v = std::getenv("TESSERA_DIST_TRACE");
    return v != nullptr && v[0] == '1';
  }();
  return on;
}

inline double trace_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct TimelineLog {
  std::mutex mu;
  std::vector<Timeline> done;
};

inline TimelineLog& timeline_log() {
  static TimelineLog& log = *new TimelineLog;  // never destroyed: written at exit
  return log;
}

inline void record(const Timeline& t) {
  if (!tracing()) return;
  std::lock_guard<std::mutex> lock(timeline_log().mu);
  timeline_log().done.push_back(t);
}

// One line per request, in microseconds of the monotonic clock (comparable across the
// ranks of one host).
inline void dump_timeline(int rank) {
  if (!tracing()) return;
  TimelineLog& log = timeline_log();
  std::lock_guard<std::mutex> lock(log.mu);
  if (log.done.empty()) return;
  const double base = 0;  // absolute: CLOCK_MONOTONIC is shared by the ranks of one host
  auto us = [&](double t) { return t == 0 ? -1.0 : (t - base) * 1e6; };
  for (const Timeline& t : log.done) {
    std::fprintf(
        stderr,
        "TRACE {\"rank\":%d,\"name\":\"%s\",\"bytes\":%ld,\"submitted\":%.1f,\"started\":%.1f,\"completed\":%.1f,"
        "\"awaited\":%.1f,\"returned\":%.1f,\"tests\":%d,\"jsThread\":%s}\n",
        rank, t.name, t.bytes, us(t.submitted), us(t.started), us(t.completed), us(t.awaited), us(t.returned), t.tests,
        t.on_js_thread ? "true" : "false");
  }
  log.done.clear();
  std::fflush(stderr);
}

}  // namespace tessera_mpi
