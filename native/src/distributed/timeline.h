// An optional per-request timeline of the MPI shim (TESSERA_DIST_TRACE): when each
// collective was submitted, started (its MPI_I* call), completed (MPI_Test said so) and
// awaited by the JS thread, which thread ran it, and how many tests it took. Written when
// the process finalizes MPI or exits, one line per request: TESSERA_DIST_TRACE=1 to
// stderr (mpirun may interleave the ranks' lines, even mid-line), any other value to the
// file <value>.rank<R>.jsonl. The measurement behind the poller's design
// (docs/DISTRIBUTED.md, "MPI progress"). Off, it costs one branch per request.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

namespace tessera_mpi {

struct Timeline {
  double submitted = 0, started = 0, completed = 0, awaited = 0, returned = 0;  // seconds
  int tests = 0;
  bool on_js_thread = false;
  bool blocking = false;  // (part of) it ran as a blocking MPI call (blocking_collective.h)
  bool in_place = false;  // an allReduce into its input's own bytes (MPI_IN_PLACE: no `out`)
  long bytes = 0;
  const char* name = "";
};

// TESSERA_DIST_TRACE's value: "" (off, also for "0"), "1" (stderr) or a path prefix.
inline const std::string& trace_target() {
  static const std::string target = [] {
    const char* v = std::getenv("TESSERA_DIST_TRACE");
    return v == nullptr || std::string(v) == "0" ? std::string() : std::string(v);
  }();
  return target;
}

inline bool tracing() { return !trace_target().empty(); }

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
  FILE* out = stderr;
  if (trace_target() != "1") {
    const std::string path = trace_target() + ".rank" + std::to_string(rank) + ".jsonl";
    out = std::fopen(path.c_str(), "a");
    if (out == nullptr) {
      std::fprintf(stderr, "tessera.distribute: TESSERA_DIST_TRACE: cannot write %s\n", path.c_str());
      return;
    }
  }
  const char* prefix = out == stderr ? "TRACE " : "";
  auto us = [](double t) { return t == 0 ? -1.0 : t * 1e6; };
  for (const Timeline& t : log.done) {
    std::fprintf(out,
                 "%s{\"rank\":%d,\"name\":\"%s\",\"bytes\":%ld,\"submitted\":%.1f,\"started\":%.1f,\"completed\":%.1f,"
                 "\"awaited\":%.1f,\"returned\":%.1f,\"tests\":%d,\"jsThread\":%s,\"blocking\":%s,\"inPlace\":%s}\n",
                 prefix, rank, t.name, t.bytes, us(t.submitted), us(t.started), us(t.completed), us(t.awaited),
                 us(t.returned), t.tests, t.on_js_thread ? "true" : "false", t.blocking ? "true" : "false",
                 t.in_place ? "true" : "false");
  }
  log.done.clear();
  if (out == stderr) std::fflush(out);
  else std::fclose(out);
}

}  // namespace tessera_mpi
