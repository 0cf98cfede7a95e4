// One process-wide pool of worker threads. parallel_for splits [begin, end) into chunks
// of at least `grain` items; the calling thread takes chunks too, so a pool of N threads
// uses N-1 workers plus the caller. No OpenMP: the addon must build with any compiler.
#pragma once
#include <cstdint>
#include <functional>

namespace tessera {

// Threads used by kernels, including the caller (TESSERA_NUM_THREADS, else the cores).
int num_threads();
void set_num_threads(int n);

// Runs fn(lo, hi) over disjoint chunks covering [begin, end). Serial when the range is
// smaller than two grains, when called from inside a pool task, or with one thread.
void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& fn);

}  // namespace tessera
