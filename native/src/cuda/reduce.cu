// Reductions over any set of axes, argmax / argmin, cumsum (the CUDA half of
// cpu/reduce.cpp; attributes as there: reduce_* [axis...], argmax / argmin [axis],
// cumsum [axis, exclusive, reverse]).
//
// The input is seen as [outer, R, inner] after size-1 axes are dropped and neighbours
// merged; reduced axes that are still apart are first permuted to the end (into scratch),
// as the CPU does. Then:
//   inner == 1   a warp (short rows) or a block (long rows) per row, tree-reduced by
//                shuffles; few long rows are also split over several blocks;
//   inner > 1    a thread per column, reading rows of the block coalesced; few long
//                columns are split over R.
// A split writes partial accumulators to scratch, which a second pass reduces per row.
// Sums accumulate as the CPU's do (double for float32 and float64, int64 for int32), so
// float32 sums usually match to the bit and float64 ones to rounding; integer sums and
// products are exact modulo 2^64, so they match whatever the order. max / min propagate
// NaN as the CPU does.
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "check.h"
#include "contracts/reduce.h"
#include "kernels.h"
#include "launch.cuh"
#include "layout.h"
#include "reduce.cuh"
#include "scratch.h"

namespace tessera::cuda {

namespace {

template <typename T>
using SumAcc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;

// An op: accumulator type, identity, combine, and finish(acc, count) -> T.
template <typename T>
struct SumOp {
  using Acc = SumAcc<T>;
  using Out = T;
  Acc identity() const { return 0; }
  __device__ Acc operator()(Acc a, Acc b) const { return a + b; }
  __device__ T finish(Acc a, int64_t) const { return static_cast<T>(a); }
};

template <typename T>
struct MeanOp : SumOp<T> {
  __device__ T finish(typename SumOp<T>::Acc a, int64_t n) const {
    // The CPU's NaN, std::numeric_limits<double>::quiet_NaN(), to the bit.
    if constexpr (std::is_floating_point_v<T>)
      return static_cast<T>(n == 0 ? __longlong_as_double(0x7ff8000000000000LL) : a / n);
    else return static_cast<T>(n == 0 ? 0 : a / n);
  }
};

template <typename T>
struct ProdOp {
  using Acc = SumAcc<T>;
  using Out = T;
  Acc identity() const { return 1; }
  __device__ Acc operator()(Acc a, Acc b) const { return a * b; }
  __device__ T finish(Acc a, int64_t) const { return static_cast<T>(a); }
};

template <typename T, bool kMax>
struct ExtremumOp {
  using Acc = T;
  using Out = T;
  Acc identity() const {
    if constexpr (std::numeric_limits<T>::has_infinity)
      return kMax ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    else return kMax ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
  }
  // NaN propagates: once the accumulator is NaN it stays; a NaN b wins.
  __device__ Acc operator()(Acc a, Acc b) const { return (a != a || (kMax ? a > b : a < b)) ? a : b; }
  __device__ T finish(Acc a, int64_t) const { return a; }
};

// Combines x[first, last) of one row (stride 1) over the group's threads; four independent
// accumulators per thread keep four loads in flight.
template <typename Group, typename In, typename Op>
__device__ typename Op::Acc reduce_span(const In* x, int64_t first, int64_t last, Op op, typename Op::Acc identity) {
  using Acc = typename Op::Acc;
  Acc a[4] = {identity, identity, identity, identity};
  int64_t k = first + Group::index();
  for (; k + 3 * Group::kSize < last; k += 4 * Group::kSize) {
#pragma unroll
    for (int j = 0; j < 4; ++j) a[j] = op(a[j], static_cast<Acc>(x[k + j * Group::kSize]));
  }
  for (; k < last; k += Group::kSize) a[0] = op(a[0], static_cast<Acc>(x[k]));
  return op(op(a[0], a[1]), op(a[2], a[3]));
}

// Rows of R elements, each cut in `splits` parts; a group per (row, part). With one part
// the group writes finish(acc, count) to out, otherwise its accumulator to partial.
template <int kThreads, typename In, typename Op>
__global__ void reduce_rows_kernel(const In* x, int64_t rows, int64_t R, int64_t splits, Op op,
                                   typename Op::Acc identity, typename Op::Acc* partial, typename Op::Out* out,
                                   int64_t count) {
  using Group = RowGroup<kThreads>;
  using Acc = typename Op::Acc;
  __shared__ Acc shared[32];
  for (int64_t item = Group::first(); item < rows * splits; item += Group::count()) {
    const int64_t row = item / splits, part = item % splits;
    const Acc acc = Group::reduce(
        reduce_span<Group>(x + row * R, R * part / splits, R * (part + 1) / splits, op, identity), op, shared);
    if (Group::index() == 0) {
      if (partial) partial[item] = acc;
      else out[row] = op.finish(acc, count);
    }
  }
}

// [outer, R, inner] with inner > 1: a thread per (column, part of R), neighbours on
// neighbouring columns so that reads coalesce.
template <typename T, typename Op>
__global__ void reduce_columns_kernel(const T* x, int64_t outer, int64_t R, int64_t inner, int64_t splits, Op op,
                                      typename Op::Acc identity, typename Op::Acc* partial, T* out) {
  using Acc = typename Op::Acc;
  const int64_t columns = outer * inner;
  for (int64_t t = grid_start(); t < columns * splits; t += grid_stride()) {
    const int64_t part = t / columns, column = t % columns;
    const int64_t o = column / inner, i = column % inner;
    const T* base = x + o * R * inner + i;
    Acc acc = identity;
    for (int64_t k = R * part / splits, last = R * (part + 1) / splits; k < last; ++k)
      acc = op(acc, static_cast<Acc>(base[k * inner]));
    if (partial) partial[column * splits + part] = acc;
    else out[column] = op.finish(acc, R);
  }
}

// The input as [outer, R, inner]: `reduced` flags the reduced axes.
struct ReduceShape {
  int64_t outer = 1, R = 1, inner = 1;
  std::vector<int64_t> perm, shape;  // a permutation to apply first, when not empty
};

ReduceShape reduce_shape(const View& x, const std::vector<bool>& reduced) {
  // Groups of neighbouring axes of one kind; size-1 axes belong to none.
  std::vector<int64_t> extent;
  std::vector<bool> kind;
  for (int d = 0; d < x.rank(); ++d) {
    if (x.dim(d) == 1) continue;
    if (!kind.empty() && kind.back() == reduced[d]) {
      extent.back() *= x.dim(d);
    } else {
      extent.push_back(x.dim(d));
      kind.push_back(reduced[d]);
    }
  }
  ReduceShape r;
  int groups = 0;
  for (bool k : kind) groups += k;
  if (groups <= 1) {
    bool seen = false;
    for (size_t g = 0; g < extent.size(); ++g) {
      if (kind[g]) {
        r.R = extent[g];
        seen = true;
      } else {
        (seen ? r.inner : r.outer) *= extent[g];
      }
    }
    return r;
  }
  // Kept groups first, then reduced ones: rows of R contiguous elements.
  r.shape = extent;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t g = 0; g < extent.size(); ++g) {
      if (kind[g] != (pass == 1)) continue;
      r.perm.push_back(static_cast<int64_t>(g));
      (pass == 0 ? r.outer : r.R) *= extent[g];
    }
  }
  return r;
}

// Streaming multiprocessors of the current device, to size grids that must fill it.
int sm_count() {
  int device = 0, count = 0;
  TK_CUDA_CHECK(cudaGetDevice(&device));
  TK_CUDA_CHECK(cudaDeviceGetAttribute(&count, cudaDevAttrMultiProcessorCount, device));
  return count > 0 ? count : 1;
}

// Parts per row so that the grid fills the GPU, each at least `min_part` long.
int64_t split_count(int64_t items, int64_t R, int64_t threads_per_item, int64_t min_part) {
  const int64_t target = static_cast<int64_t>(sm_count()) * 2048;
  const int64_t wanted = (target + items * threads_per_item - 1) / (items * threads_per_item);
  return std::max<int64_t>(1, std::min<int64_t>(wanted, R / min_part));
}

constexpr int64_t kWarpRowLimit = 1024;  // rows up to this long get a warp; longer, a block

template <typename In, typename Op>
void launch_rows(const In* x, int64_t rows, int64_t R, int64_t splits, Op op, typename Op::Acc* partial,
                 typename Op::Out* out, int64_t count, cudaStream_t stream) {
  const int64_t items = rows * splits;
  if (R <= kWarpRowLimit) {
    const int64_t blocks = std::min<int64_t>((items + 7) / 8, kMaxBlocks);
    reduce_rows_kernel<32>
        <<<static_cast<unsigned>(blocks), 256, 0, stream>>>(x, rows, R, splits, op, op.identity(), partial, out, count);
  } else {
    const int64_t blocks = std::min<int64_t>(items, kMaxBlocks);
    reduce_rows_kernel<256>
        <<<static_cast<unsigned>(blocks), 256, 0, stream>>>(x, rows, R, splits, op, op.identity(), partial, out, count);
  }
}

template <typename T, typename Op>
void reduce(const KernelArgs& args, cudaStream_t stream, const char* name, Op op) {
  using Acc = typename Op::Acc;
  const View x = args.in(0), out = args.out(0);
  // The five reductions share one attribute row: ints[<=rank(0)] axes.
  const std::vector<bool> reduced = contracts::check_reduce(name, x, out, attrs::ReduceSumAttrs::read(args).axes);
  if (out.size() == 0) return;
  const ReduceShape r = reduce_shape(x, reduced);
  const T* data = x.data<T>();
  Scratch permuted(r.perm.empty() ? 0 : x.size() * sizeof(T));
  if (!r.perm.empty()) {
    permute(data, permuted.as<T>(), r.shape, r.perm, sizeof(T), stream);
    data = permuted.as<T>();
  }
  T* y = out.data<T>();
  if (r.inner == 1) {
    const int64_t splits = r.R <= kWarpRowLimit ? 1 : split_count(r.outer, r.R, 256, 4096);
    if (splits == 1) {
      launch_rows(data, r.outer, r.R, 1, op, static_cast<Acc*>(nullptr), y, r.R, stream);
    } else {
      Scratch partial(r.outer * splits * sizeof(Acc));
      launch_rows(data, r.outer, r.R, splits, op, partial.as<Acc>(), y, r.R, stream);
      launch_rows(partial.as<Acc>(), r.outer, splits, 1, op, static_cast<Acc*>(nullptr), y, r.R, stream);
    }
  } else {
    const int64_t columns = r.outer * r.inner;
    const int64_t splits = split_count(columns, r.R, 1, 32);
    if (splits == 1) {
      reduce_columns_kernel<<<grid_for(columns), kBlockSize, 0, stream>>>(data, r.outer, r.R, r.inner, 1, op,
                                                                          op.identity(), static_cast<Acc*>(nullptr), y);
    } else {
      Scratch partial(columns * splits * sizeof(Acc));
      reduce_columns_kernel<<<grid_for(columns * splits), kBlockSize, 0, stream>>>(
          data, r.outer, r.R, r.inner, splits, op, op.identity(), partial.as<Acc>(), y);
      launch_rows(partial.as<Acc>(), columns, splits, 1, op, static_cast<Acc*>(nullptr), y, r.R, stream);
    }
  }
  TK_CUDA_CHECK_LAUNCH(name);
}

// ---- argmax / argmin ------------------------------------------------------------------

constexpr int32_t kNoIndex = std::numeric_limits<int32_t>::max();

// Whether (v, i) beats (best, b) under the CPU's scan: the first NaN wins and stays,
// otherwise the largest (smallest) value, the first index on ties.
template <bool kMax, typename T>
__device__ bool beats(T v, int32_t i, T best, int32_t b) {
  if (i == kNoIndex) return false;
  if (b == kNoIndex) return true;
  if (best != best) return v != v && i < b;
  if (v != v) return true;
  if (kMax ? v > best : v < best) return true;
  return v == best && i < b;
}

// inner == 1: a group per row, each thread scanning its stride, then a shuffle tree.
template <int kThreads, bool kMax, typename T>
__global__ void arg_rows_kernel(const T* x, int64_t rows, int64_t R, int32_t* out) {
  using Group = RowGroup<kThreads>;
  __shared__ T shared_v[32];
  __shared__ int32_t shared_i[32];
  for (int64_t row = Group::first(); row < rows; row += Group::count()) {
    T best{};
    int32_t b = kNoIndex;
    for (int64_t k = Group::index(); k < R; k += kThreads) {
      const T v = x[row * R + k];
      if (beats<kMax>(v, static_cast<int32_t>(k), best, b)) {
        best = v;
        b = static_cast<int32_t>(k);
      }
    }
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
      const T v = __shfl_xor_sync(kFullWarp, best, o);
      const int32_t i = __shfl_xor_sync(kFullWarp, b, o);
      if (beats<kMax>(v, i, best, b)) {
        best = v;
        b = i;
      }
    }
    if constexpr (kThreads > 32) {
      const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
      __syncthreads();
      if (lane == 0) {
        shared_v[warp] = best;
        shared_i[warp] = b;
      }
      __syncthreads();
      best = shared_v[0];
      b = shared_i[0];
      for (int w = 1; w < (kThreads >> 5); ++w) {
        if (beats<kMax>(shared_v[w], shared_i[w], best, b)) {
          best = shared_v[w];
          b = shared_i[w];
        }
      }
    }
    if (Group::index() == 0) out[row] = b;
  }
}

// inner > 1: a thread per column scans R in order, exactly as the CPU does.
template <bool kMax, typename T>
__global__ void arg_columns_kernel(const T* x, int64_t outer, int64_t R, int64_t inner, int32_t* out) {
  for (int64_t t = grid_start(); t < outer * inner; t += grid_stride()) {
    const T* base = x + (t / inner) * R * inner + t % inner;
    T best = base[0];
    int32_t b = 0;
    for (int64_t k = 1; k < R; ++k) {
      const T v = base[k * inner];
      if (best == best && (v != v || (kMax ? v > best : v < best))) {
        best = v;
        b = static_cast<int32_t>(k);
      }
    }
    out[t] = b;
  }
}

template <bool kMax>
void arg_reduce(const KernelArgs& args, cudaStream_t stream, const char* name) {
  const View x = args.in(0), out = args.out(0);
  const int64_t axis = attrs::ArgmaxAttrs::read(args).axis;  // argmin's are the same
  contracts::check_arg_reduce(name, x, out, axis);
  int64_t outer = 1, R = x.dim(static_cast<int>(axis)), inner = 1;
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = static_cast<int>(axis) + 1; d < x.rank(); ++d) inner *= x.dim(d);
  if (outer * inner == 0) return;
  int32_t* y = out.data<int32_t>();
  TK_DISPATCH_NUMERIC(x.dtype(), name, {
    const scalar_t* px = x.data<scalar_t>();
    if (inner > 1) {
      arg_columns_kernel<kMax><<<grid_for(outer * inner), kBlockSize, 0, stream>>>(px, outer, R, inner, y);
    } else if (R <= kWarpRowLimit) {
      arg_rows_kernel<32, kMax>
          <<<static_cast<unsigned>(std::min<int64_t>((outer + 7) / 8, kMaxBlocks)), 256, 0, stream>>>(px, outer, R, y);
    } else {
      arg_rows_kernel<256, kMax>
          <<<static_cast<unsigned>(std::min<int64_t>(outer, kMaxBlocks)), 256, 0, stream>>>(px, outer, R, y);
    }
  });
  TK_CUDA_CHECK_LAUNCH(name);
}

// ---- cumsum ---------------------------------------------------------------------------

// A thread per column, in the CPU's order and accumulator: the CPU's bits.
template <typename T, typename Acc>
__global__ void scan_columns_kernel(const T* x, T* y, int64_t outer, int64_t R, int64_t inner, bool exclusive,
                                    bool reverse) {
  for (int64_t t = grid_start(); t < outer * inner; t += grid_stride()) {
    const int64_t base = (t / inner) * R * inner + t % inner;
    Acc acc = 0;
    for (int64_t s = 0; s < R; ++s) {
      const int64_t at = base + (reverse ? R - 1 - s : s) * inner;
      const Acc v = x[at];
      y[at] = static_cast<T>(exclusive ? acc : acc + v);
      acc += v;
    }
  }
}

constexpr int kScanThreads = 256, kScanItems = 4;

// inner == 1, long rows: a block per row walks it in tiles of kScanThreads * kScanItems;
// each thread scans its kScanItems, the block scans the thread totals by shuffles, and a
// carry runs from tile to tile. Sums in the CPU's accumulator, in another order.
template <typename T, typename Acc>
__global__ void scan_rows_kernel(const T* x, T* y, int64_t rows, int64_t R, bool exclusive, bool reverse) {
  __shared__ Acc warp_totals[kScanThreads / 32];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    const T* in = x + row * R;
    T* out = y + row * R;
    Acc carry = 0;
    for (int64_t tile = 0; tile < R; tile += kScanThreads * kScanItems) {
      const int64_t first = tile + static_cast<int64_t>(threadIdx.x) * kScanItems;
      Acc v[kScanItems];
      Acc total = 0;
#pragma unroll
      for (int j = 0; j < kScanItems; ++j) {
        const int64_t s = first + j;
        v[j] = s < R ? static_cast<Acc>(in[reverse ? R - 1 - s : s]) : Acc(0);
        total += v[j];
      }
      // Inclusive scan of the thread totals within the warp, then across warps.
      Acc inclusive = total;
#pragma unroll
      for (int o = 1; o < 32; o <<= 1) {
        const Acc up = __shfl_up_sync(kFullWarp, inclusive, o);
        if (lane >= o) inclusive += up;
      }
      if (lane == 31) warp_totals[warp] = inclusive;
      __syncthreads();
      Acc before = carry, tile_total = 0;
      for (int w = 0; w < kScanThreads / 32; ++w) {
        if (w < warp) before += warp_totals[w];
        tile_total += warp_totals[w];
      }
      __syncthreads();  // warp_totals is rewritten by the next tile
      Acc running = before + (inclusive - total);
#pragma unroll
      for (int j = 0; j < kScanItems; ++j) {
        const int64_t s = first + j;
        if (s < R) out[reverse ? R - 1 - s : s] = static_cast<T>(exclusive ? running : running + v[j]);
        running += v[j];
      }
      carry += tile_total;
    }
  }
}

}  // namespace

void reduce_sum(const KernelArgs& args, cudaStream_t stream) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "sum", reduce<scalar_t>(args, stream, "sum", SumOp<scalar_t>{}));
}
void reduce_mean(const KernelArgs& args, cudaStream_t stream) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "mean", reduce<scalar_t>(args, stream, "mean", MeanOp<scalar_t>{}));
}
void reduce_prod(const KernelArgs& args, cudaStream_t stream) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "prod", reduce<scalar_t>(args, stream, "prod", ProdOp<scalar_t>{}));
}
void reduce_max(const KernelArgs& args, cudaStream_t stream) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "max", (reduce<scalar_t>(args, stream, "max", ExtremumOp<scalar_t, true>{})));
}
void reduce_min(const KernelArgs& args, cudaStream_t stream) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "min",
                      (reduce<scalar_t>(args, stream, "min", ExtremumOp<scalar_t, false>{})));
}
void argmax(const KernelArgs& args, cudaStream_t stream) { arg_reduce<true>(args, stream, "argMax"); }
void argmin(const KernelArgs& args, cudaStream_t stream) { arg_reduce<false>(args, stream, "argMin"); }

void cumsum(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), out = args.out(0);
  const auto a = attrs::CumsumAttrs::read(args);
  const int64_t axis = a.axis;
  contracts::check_cumsum(x, out, axis);
  const bool exclusive = a.exclusive, reverse = a.reverse;
  int64_t outer = 1, R = x.dim(static_cast<int>(axis)), inner = 1;
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = static_cast<int>(axis) + 1; d < x.rank(); ++d) inner *= x.dim(d);
  if (x.size() == 0) return;
  TK_DISPATCH_NUMERIC(x.dtype(), "cumsum", {
    using Acc = SumAcc<scalar_t>;
    const scalar_t* px = x.data<scalar_t>();
    scalar_t* py = out.data<scalar_t>();
    if (inner == 1 && R > 64) {
      scan_rows_kernel<scalar_t, Acc>
          <<<static_cast<unsigned>(std::min<int64_t>(outer, kMaxBlocks)), kScanThreads, 0, stream>>>(
              px, py, outer, R, exclusive, reverse);
    } else {
      scan_columns_kernel<scalar_t, Acc>
          <<<grid_for(outer * inner), kBlockSize, 0, stream>>>(px, py, outer, R, inner, exclusive, reverse);
    }
  });
  TK_CUDA_CHECK_LAUNCH("cumsum");
}

}  // namespace tessera::cuda
