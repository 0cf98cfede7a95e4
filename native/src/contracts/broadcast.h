// Iteration over NumPy-broadcast operands. Dimensions are coalesced first (adjacent dims
// that every operand walks contiguously, or broadcasts together, merge into one), so the
// common cases, same shape and bias-like trailing broadcasts, run as flat inner loops.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "tessera/kernel.h"
#include "tessera/thread_pool.h"

namespace tessera::contracts {

template <int N>
struct BroadcastPlan {
  std::vector<int64_t> shape;                   // coalesced output shape
  std::array<std::vector<int64_t>, N> strides;  // element strides of each input, 0 when broadcast
  int64_t inner() const { return shape.empty() ? 1 : shape.back(); }
  int64_t outer() const {
    int64_t n = 1;
    for (size_t i = 0; i + 1 < shape.size(); ++i) n *= shape[i];
    return n;
  }
};

template <int N>
BroadcastPlan<N> make_broadcast_plan(const View& out, const std::array<View, N>& ins) {
  const int rank = out.rank();
  // Full-rank strides per input, right-aligned as NumPy does.
  std::array<std::vector<int64_t>, N> full;
  for (int k = 0; k < N; ++k) {
    full[k].assign(rank, 0);
    int64_t stride = 1;
    for (int d = rank - 1, id = ins[k].rank() - 1; d >= 0 && id >= 0; --d, --id) {
      const int64_t extent = ins[k].dim(id);
      full[k][d] = extent == 1 ? 0 : stride;
      stride *= extent;
    }
  }
  BroadcastPlan<N> plan;
  for (int d = 0; d < rank; ++d) {
    const int64_t extent = out.dim(d);
    if (extent == 1) continue;  // size-1 dims contribute nothing to the walk
    if (!plan.shape.empty()) {
      bool merge = true;
      for (int k = 0; k < N; ++k) {
        // Mergeable when the outer stride equals inner stride times inner extent.
        if (plan.strides[k].back() != full[k][d] * extent) merge = false;
      }
      if (merge) {
        plan.shape.back() *= extent;
        for (int k = 0; k < N; ++k) plan.strides[k].back() = full[k][d];
        continue;
      }
    }
    plan.shape.push_back(extent);
    for (int k = 0; k < N; ++k) plan.strides[k].push_back(full[k][d]);
  }
  if (plan.shape.empty()) {
    plan.shape.push_back(1);
    for (int k = 0; k < N; ++k) plan.strides[k].push_back(0);
  }
  return plan;
}

// Calls row(out_offset, in_offsets, inner_len, inner_strides) for every row of the
// coalesced output, spread over the thread pool.
template <int N, typename RowFn>
void for_each_broadcast_row(const BroadcastPlan<N>& plan, RowFn row) {
  const int64_t inner = plan.inner();
  const int64_t outer = plan.outer();
  const int dims = static_cast<int>(plan.shape.size());
  std::array<int64_t, N> inner_strides;
  for (int k = 0; k < N; ++k) inner_strides[k] = plan.strides[k].back();
  if (outer == 1) {
    // One long row: split the row itself.
    parallel_for(0, inner, 32768, [&](int64_t lo, int64_t hi) {
      std::array<int64_t, N> offsets;
      for (int k = 0; k < N; ++k) offsets[k] = lo * inner_strides[k];
      row(lo, offsets, hi - lo, inner_strides);
    });
    return;
  }
  const int64_t grain = grain_for(32768, inner);
  parallel_for(0, outer, grain, [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      std::array<int64_t, N> offsets{};
      int64_t rem = r;
      for (int d = dims - 2; d >= 0; --d) {
        const int64_t i = rem % plan.shape[d];
        rem /= plan.shape[d];
        for (int k = 0; k < N; ++k) offsets[k] += i * plan.strides[k][d];
      }
      row(r * inner, offsets, inner, inner_strides);
    }
  });
}

}  // namespace tessera::contracts
