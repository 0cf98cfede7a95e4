// Static splitting of a range into one contiguous part per thread, for kernels that keep a
// partial result per part (a sum over the batch) or a scratch buffer per part. Partials are
// added in part order, so results do not depend on thread timing.
#pragma once
#include <algorithm>
#include <cstdint>

#include "tessera/thread_pool.h"

namespace tessera::cpu {

// How many parts to cut n items into: at most one per thread, each at least min_items.
inline int64_t part_count(int64_t n, int64_t min_items) {
  return std::max<int64_t>(1, std::min<int64_t>(num_threads(), n / std::max<int64_t>(1, min_items)));
}

// Runs fn(part, lo, hi) for part in [0, parts), where [lo, hi) is the part's share of [0, n).
template <typename F>
void run_parts(int64_t n, int64_t parts, F fn) {
  parallel_for(0, parts, 1, [&](int64_t first, int64_t last) {
    for (int64_t p = first; p < last; ++p) fn(p, n * p / parts, n * (p + 1) / parts);
  });
}

}  // namespace tessera::cpu
