// Reductions over any set of axes. Attributes: ops.def's rows (reduce_* take distinct
// non-negative axes, checked by contracts/reduce.h). keepDims only changes the output
// shape, which the caller chose, so the kernels never see it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "../contracts/reduce.h"
#include "column_sums.h"
#include "layout.h"
#include "tessera/kernel.h"
#include "tessera/op_attrs.h"
#include "tessera/thread_pool.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

// The input viewed as [outer, reduced, inner]. Reduced axes that are not adjacent are
// first moved to the end by a permutation copy held in `scratch`.
template <typename T>
struct ReduceShape {
  const T* data;
  int64_t outer = 1, reduced = 1, inner = 1;
  std::vector<T> scratch;
};

template <typename T>
ReduceShape<T> reduce_shape(const View& x, const std::vector<int64_t>& axes) {
  ReduceShape<T> r;
  r.data = x.data<T>();
  const int rank = x.rank();
  bool adjacent = true;
  for (size_t i = 1; i < axes.size(); ++i) adjacent &= axes[i] == axes[i - 1] + 1;
  if (axes.empty()) {
    r.outer = x.size();
    return r;
  }
  if (adjacent) {
    for (int d = 0; d < rank; ++d) {
      if (d < axes.front()) r.outer *= x.dim(d);
      else if (d <= axes.back()) r.reduced *= x.dim(d);
      else r.inner *= x.dim(d);
    }
    return r;
  }
  std::vector<int64_t> perm;
  std::vector<bool> is_reduced(rank, false);
  for (int64_t a : axes) is_reduced[a] = true;
  for (int d = 0; d < rank; ++d)
    if (!is_reduced[d]) {
      perm.push_back(d);
      r.outer *= x.dim(d);
    }
  for (int64_t a : axes) {
    perm.push_back(a);
    r.reduced *= x.dim(static_cast<int>(a));
  }
  r.scratch.resize(x.size());
  permute_copy(x.data<T>(), r.scratch.data(), x.shape(), perm, sizeof(T));
  r.data = r.scratch.data();
  return r;
}

// Inner positions handled side by side: a stack buffer of this many accumulators walks
// an [R, inner] block row by row, so the reads stay contiguous (not strided by inner, one
// cache miss per element) and nothing is allocated.
constexpr int64_t kInnerTile = 256;

// Calls tile(o, i0, width) for every tile [i0, i0 + width) of inner positions of every
// outer index, over the pool; `work_per_position` (the reduced length) sizes the grain.
template <typename TileFn>
void for_each_inner_tile(int64_t outer, int64_t inner, int64_t work_per_position, TileFn tile) {
  const int64_t tiles = (inner + kInnerTile - 1) / kInnerTile;
  const int64_t tile_work = std::max<int64_t>(1, work_per_position * std::min(inner, kInnerTile));
  parallel_for(0, outer * tiles, grain_for(16384, tile_work), [&](int64_t lo, int64_t hi) {
    for (int64_t t = lo; t < hi; ++t) {
      const int64_t i0 = (t % tiles) * kInnerTile;
      tile(t / tiles, i0, std::min(kInnerTile, inner - i0));
    }
  });
}

// combine over row[0, R), with independent accumulators so that a long row's combines do
// not wait on each other (they vectorize, and a double sum of float32 keeps its accuracy
// at memory speed). `init` must be combine's identity.
template <typename Acc, typename T, typename Combine>
Acc reduce_row(const T* row, int64_t R, Acc init, Combine combine) {
  constexpr int kLanes = 8;
  Acc lanes[kLanes];
  for (Acc& lane : lanes) lane = init;
  int64_t k = 0;
  for (; k + kLanes <= R; k += kLanes)
    for (int j = 0; j < kLanes; ++j) lanes[j] = combine(lanes[j], static_cast<Acc>(row[k + j]));
  for (; k < R; ++k) lanes[0] = combine(lanes[0], static_cast<Acc>(row[k]));
  Acc acc = lanes[0];
  for (int j = 1; j < kLanes; ++j) acc = combine(acc, lanes[j]);
  return acc;
}

// Accumulates in Acc (double for float32 sums, so long reductions stay accurate) and
// writes finish(acc) per output element.
template <typename T, typename Acc, typename Combine, typename Finish>
void reduce_loop(const View& x, const View& out, const std::vector<int64_t>& axes, Acc init, Combine combine,
                 Finish finish) {
  const ReduceShape<T> r = reduce_shape<T>(x, axes);
  T* y = out.data<T>();
  const int64_t R = r.reduced, inner = r.inner;
  const T* data = r.data;
  if (inner == 1) {
    parallel_for(0, r.outer, grain_for(16384, R), [&](int64_t lo, int64_t hi) {
      for (int64_t o = lo; o < hi; ++o) y[o] = finish(reduce_row(data + o * R, R, init, combine), R);
    });
    return;
  }
  for_each_inner_tile(r.outer, inner, R, [&](int64_t o, int64_t i0, int64_t width) {
    Acc acc[kInnerTile];
    for (int64_t i = 0; i < width; ++i) acc[i] = init;
    const T* base = data + o * R * inner + i0;
    for (int64_t k = 0; k < R; ++k) {
      const T* row = base + k * inner;
      for (int64_t i = 0; i < width; ++i) acc[i] = combine(acc[i], static_cast<Acc>(row[i]));
    }
    T* dst = y + o * inner + i0;
    for (int64_t i = 0; i < width; ++i) dst[i] = finish(acc[i], R);
  });
}

template <typename T>
using SumAcc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;

// A floating sum down a reduced axis that is not the last, when the outer positions are
// few (a bias's gradient: [batch * pixels, channels] summed over the rows). Fixed chunks
// of rows go to the threads: at most 256 KB (L2) and 256 rows, so that the cache lines
// one column block walks down (one per row) are still in L1 for the next block, which
// reads their other half. A chunk runs down its rows
// eight columns at a time, four rows in flight, in double vector registers (float32 sums
// in double, as everywhere here); the chunks' partials add up in chunk order, so the
// result does not depend on the thread count. One inner tile per thread with double sums
// in memory took [100352, 32] at 32 GB/s on one thread.
constexpr int64_t kColumnSumOuterMax = 8, kColumnSumInnerMax = 2048;

// The partial sums' buffer: grow-only, one per calling thread, so that a bias gradient
// of [4096, 1024] does not map, fault in and zero 2 MB of fresh pages on every call.
inline std::vector<double>& column_partials(size_t n) {
  thread_local std::vector<double> buffer;
  if (buffer.size() < n) buffer.resize(n);
  return buffer;
}

template <typename T, typename Finish>
void column_sum_loop(const ReduceShape<T>& r, T* y, Finish finish) {
  const int64_t R = r.reduced, inner = r.inner, outer = r.outer, width = outer * inner;
  const int64_t chunk_rows = std::clamp<int64_t>(grain_for(262144, inner * int64_t(sizeof(T))), 16, 256) / 4 * 4;
  const int64_t chunks = std::max<int64_t>(1, (R + chunk_rows - 1) / chunk_rows);
  double* partial = column_partials(chunks * width).data();  // per chunk and outer position
  const T* data = r.data;
  // A task of at least 64K elements: smaller ones (a Dense bias, 32K) ran slower on two threads.
  parallel_for(0, chunks * outer, grain_for(65536, chunk_rows * inner), [&](int64_t lo, int64_t hi) {
    std::fill(partial + lo * inner, partial + hi * inner, 0.0);
    vectorized([&] {
      for (int64_t t = lo; t < hi; ++t) {
        const int64_t chunk = t / outer, o = t % outer;
        add_column_sums_in_double(data + o * R * inner, inner, chunk * chunk_rows,
                                  std::min(R, (chunk + 1) * chunk_rows), partial + t * inner);
      }
    });
  });
  // Each output's partials added in chunk order, a tile of outputs at a time reading the
  // partials along memory, tiles over the threads. With this added column by column on
  // one thread (terms `width` doubles apart), 16-row chunks and a fresh zeroed buffer,
  // [4096, 1024] took 3.4 ms on one thread and 2.7 on two; now about 1.8 and 0.8.
  constexpr int64_t kTile = 256;
  parallel_for(0, (width + kTile - 1) / kTile, grain_for(65536, chunks * kTile), [&](int64_t lo, int64_t hi) {
    for (int64_t tile = lo; tile < hi; ++tile) {
      const int64_t f0 = tile * kTile, n = std::min(kTile, width - f0);
      double total[kTile] = {};
      vectorized([&] {
        for (int64_t chunk = 0; chunk < chunks; ++chunk) {
          const double* p = partial + chunk * width + f0;
          for (int64_t x = 0; x < n; ++x) total[x] += p[x];
        }
      });
      for (int64_t x = 0; x < n; ++x) y[f0 + x] = finish(total[x], R);
    }
  });
}

// Sums (finished by finish(sum, count)) over the axes: column_sum_loop where it applies.
template <typename T, typename Finish>
void sum_loop(const View& x, const View& out, const std::vector<int64_t>& axes, Finish finish) {
  using Acc = SumAcc<T>;
  if constexpr (std::is_floating_point_v<T>) {
    bool adjacent = !axes.empty();  // then reduce_shape needs no permutation copy
    for (size_t i = 1; i < axes.size(); ++i) adjacent &= axes[i] == axes[i - 1] + 1;
    if (adjacent) {
      const ReduceShape<T> r = reduce_shape<T>(x, axes);
      if (r.inner > 1 && r.inner <= kColumnSumInnerMax && r.outer <= kColumnSumOuterMax)
        return column_sum_loop(r, out.data<T>(), finish);
    }
  }
  reduce_loop<T, Acc>(
      x, out, axes, Acc(0), [](Acc a, Acc b) { return a + b; }, finish);
}

// The five reductions share one attribute row (ints[<=rank(0)] axes) and one contract.
std::vector<int64_t> axes_of(const KernelArgs& args, const char* name) {
  std::vector<int64_t> axes = attrs::ReduceSumAttrs::read(args).axes;
  contracts::check_reduce(name, args.in(0), args.out(0), axes);
  return axes;
}

// NaN propagates, as in TensorFlow: once the accumulator is NaN it stays; a NaN b wins.
template <typename T>
T nan_max(T a, T b) {
  return (a != a || a > b) ? a : b;
}
template <typename T>
T nan_min(T a, T b) {
  return (a != a || a < b) ? a : b;
}

template <bool kMax>
void arg_reduce(const KernelArgs& args, const char* name) {
  const View x = args.in(0), out = args.out(0);
  const int64_t attr_axis = attrs::ArgmaxAttrs::read(args).axis;  // argmin's are the same
  contracts::check_arg_reduce(name, x, out, attr_axis);
  const int axis = static_cast<int>(attr_axis);
  int64_t outer = 1, R = x.dim(axis), inner = 1;
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  if (outer * inner == 0) return;
  int32_t* y = out.data<int32_t>();
  TK_DISPATCH_NUMERIC(x.dtype(), name, {
    const scalar_t* px = x.data<scalar_t>();
    for_each_inner_tile(outer, inner, R, [&](int64_t o, int64_t i0, int64_t width) {
      const scalar_t* base = px + o * R * inner + i0;
      int32_t* best = y + o * inner + i0;
      scalar_t best_v[kInnerTile];
      for (int64_t i = 0; i < width; ++i) {
        best[i] = 0;
        best_v[i] = base[i];
      }
      // Ties keep the first index, as TensorFlow does; a NaN wins and stays.
      for (int64_t k = 1; k < R; ++k) {
        const scalar_t* row = base + k * inner;
        for (int64_t i = 0; i < width; ++i) {
          const scalar_t v = row[i], b = best_v[i];
          if (b == b && (v != v || (kMax ? v > b : v < b))) {
            best_v[i] = v;
            best[i] = static_cast<int32_t>(k);
          }
        }
      }
    });
  });
}

}  // namespace

void reduce_sum(const KernelArgs& args) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "sum", {
    using Acc = SumAcc<scalar_t>;
    sum_loop<scalar_t>(args.in(0), args.out(0), axes_of(args, "sum"),
                       [](Acc a, int64_t) { return static_cast<scalar_t>(a); });
  });
}

void reduce_mean(const KernelArgs& args) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "mean", {
    using Acc = SumAcc<scalar_t>;
    sum_loop<scalar_t>(args.in(0), args.out(0), axes_of(args, "mean"), [](Acc a, int64_t n) {
      if constexpr (std::is_floating_point_v<scalar_t>)
        return static_cast<scalar_t>(n == 0 ? std::numeric_limits<double>::quiet_NaN() : a / n);
      else return static_cast<scalar_t>(n == 0 ? 0 : a / n);
    });
  });
}

void reduce_prod(const KernelArgs& args) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "prod", {
    using Acc = SumAcc<scalar_t>;
    reduce_loop<scalar_t, Acc>(
        args.in(0), args.out(0), axes_of(args, "prod"), Acc(1), [](Acc a, Acc b) { return a * b; },
        [](Acc a, int64_t) { return static_cast<scalar_t>(a); });
  });
}

void reduce_max(const KernelArgs& args) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "max", {
    const scalar_t init = std::numeric_limits<scalar_t>::has_infinity ? -std::numeric_limits<scalar_t>::infinity()
                                                                      : std::numeric_limits<scalar_t>::lowest();
    reduce_loop<scalar_t, scalar_t>(
        args.in(0), args.out(0), axes_of(args, "max"), init, [](scalar_t a, scalar_t b) { return nan_max(a, b); },
        [](scalar_t a, int64_t) { return a; });
  });
}

void reduce_min(const KernelArgs& args) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "min", {
    const scalar_t init = std::numeric_limits<scalar_t>::has_infinity ? std::numeric_limits<scalar_t>::infinity()
                                                                      : std::numeric_limits<scalar_t>::max();
    reduce_loop<scalar_t, scalar_t>(
        args.in(0), args.out(0), axes_of(args, "min"), init, [](scalar_t a, scalar_t b) { return nan_min(a, b); },
        [](scalar_t a, int64_t) { return a; });
  });
}

// Attributes: axis, exclusive, reverse, as TensorFlow's cumsum.
void cumsum(const KernelArgs& args) {
  const View x = args.in(0), out = args.out(0);
  const auto a = attrs::CumsumAttrs::read(args);
  contracts::check_cumsum(x, out, a.axis);
  // Nothing to scan; the tiles of an empty [0, huge] input would still be walked one by one.
  if (x.size() == 0) return;
  const int axis = static_cast<int>(a.axis);
  const bool exclusive = a.exclusive, reverse = a.reverse;
  int64_t outer = 1, R = x.dim(axis), inner = 1;
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  TK_DISPATCH_NUMERIC(x.dtype(), "cumsum", {
    const scalar_t* px = x.data<scalar_t>();
    scalar_t* py = out.data<scalar_t>();
    // Accumulated as reduce_sum does, so the last running sum is the sum.
    using Acc = SumAcc<scalar_t>;
    const auto scan = [&](int64_t o, int64_t i0, auto width) {
      Acc acc[kInnerTile];
      std::fill(acc, acc + width, Acc(0));
      const int64_t base = o * R * inner + i0;
      for (int64_t s = 0; s < R; ++s) {
        const int64_t k = reverse ? R - 1 - s : s;
        const scalar_t* src = px + base + k * inner;
        scalar_t* dst = py + base + k * inner;
        for (int64_t i = 0; i < width; ++i) {
          const Acc v = src[i];
          dst[i] = static_cast<scalar_t>(exclusive ? acc[i] : acc[i] + v);
          acc[i] += v;
        }
      }
    };
    for_each_inner_tile(outer, inner, R, [&](int64_t o, int64_t i0, int64_t width) {
      // A scan along the last axis (width 1) compiles to a plain scalar loop.
      if (width == 1) scan(o, i0, std::integral_constant<int64_t, 1>{});
      else scan(o, i0, width);
    });
  });
}

void argmax(const KernelArgs& args) { arg_reduce<true>(args, "argMax"); }
void argmin(const KernelArgs& args) { arg_reduce<false>(args, "argMin"); }

}  // namespace tessera::cpu
