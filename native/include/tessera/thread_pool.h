// One process-wide pool of worker threads. parallel_for splits [begin, end) into chunks
// of at least `grain` items; the calling thread takes chunks too, so a pool of N threads
// uses N-1 workers plus the caller. No OpenMP: the addon must build with any compiler.
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>

namespace tessera {

// Threads used by kernels, including the caller (TESSERA_NUM_THREADS, else the cores).
int num_threads();
void set_num_threads(int n);

// Runs fn(lo, hi) over disjoint chunks covering [begin, end). Serial when the range is
// smaller than two grains, when called from inside a pool task, or with one thread.
void parallel_for(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

// Runs fn(part, parts) once for each part in [0, parts): as many parts as threads, fewer
// when `work` items hold fewer than `grain` per part (then 1: serial, as when called from
// inside a pool task). Part 0 runs on the calling thread and the workers take the others
// from the last one down, so a kernel cut this way gives each thread the same share of
// every tensor each call: an optimizer that updates each weight in `parts` pieces writes
// the piece the same thread reads next (a GEMM's half of K or of the rows, issue #22),
// where parallel_for's chunks land wherever the threads meet. A worker that is late
// leaves its part to the caller.
void parallel_parts(int64_t work, int64_t grain, const std::function<void(int, int)>& fn);

// The grain for items costing `cost_per_item` each, so that a chunk does about `budget`
// units of work; at least 1. Every kernel sizes its grain here: a cost of 0 (an empty
// row or inner axis of a zero-size tensor) must not divide by zero (it raised SIGFPE).
inline int64_t grain_for(int64_t budget, int64_t cost_per_item) {
  return std::max<int64_t>(1, budget / std::max<int64_t>(1, cost_per_item));
}

}  // namespace tessera
