// NumPy broadcasting on the GPU, from the same coalesced plan the CPU walks
// (contracts/broadcast.h): one thread per output element. A plan of one dimension that every
// input walks contiguously (equal shapes) needs no index arithmetic; any other turns the
// element index into input offsets, in 32-bit arithmetic when the tensor allows.
#pragma once
#include <array>
#include <cstdint>
#include <limits>
#include <sstream>

#include "check.h"
#include "contracts/broadcast.h"
#include "contracts/shape_text.h"
#include "elementwise.cuh"
#include "launch.cuh"

namespace tessera::cuda {

template <int N, typename Index>
struct BroadcastIndexer {
  int rank;
  Index shape[TK_MAX_RANK];
  Index strides[N][TK_MAX_RANK];

  __device__ void offsets(Index i, Index (&off)[N]) const {
#pragma unroll
    for (int k = 0; k < N; ++k) off[k] = 0;
#pragma unroll
    for (int step = 0; step < TK_MAX_RANK; ++step) {
      const int d = rank - 1 - step;
      if (d < 0) break;
      const Index q = i / shape[d];
      const Index r = i - q * shape[d];
      i = q;
#pragma unroll
      for (int k = 0; k < N; ++k) off[k] += r * strides[k][d];
    }
  }
};

template <typename In, typename Out, typename Index, typename Op>
__global__ void binary_broadcast_kernel(const In* a, const In* b, Out* out, Index n, BroadcastIndexer<2, Index> indexer,
                                        Op op) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    Index off[2];
    indexer.offsets(static_cast<Index>(i), off);
    out[i] = op(a[off[0]], b[off[1]]);
  }
}

using contracts::shape_text;

// A mismatch here would be an out-of-bounds read on the GPU, which loses the context.
template <int N>
void check_broadcast(const char* name, const View& out, const std::array<View, N>& ins) {
  for (int k = 0; k < N; ++k) {
    bool fits = ins[k].rank() <= out.rank();
    for (int d = 1; fits && d <= ins[k].rank(); ++d) fits = ins[k].dim(-d) == 1 || ins[k].dim(-d) == out.dim(-d);
    TK_CHECK(fits, name << ": input " << k << " of shape " << shape_text(ins[k])
                        << " does not broadcast to the output shape " << shape_text(out));
  }
}

template <int N, typename Index>
BroadcastIndexer<N, Index> make_indexer(const contracts::BroadcastPlan<N>& plan) {
  BroadcastIndexer<N, Index> indexer{};
  indexer.rank = static_cast<int>(plan.shape.size());
  for (int d = 0; d < indexer.rank; ++d) {
    indexer.shape[d] = static_cast<Index>(plan.shape[d]);
    for (int k = 0; k < N; ++k) indexer.strides[k][d] = static_cast<Index>(plan.strides[k][d]);
  }
  return indexer;
}

// out = op(a, b) elementwise with broadcasting; a and b are In, out is Out.
template <typename In, typename Out, typename Op>
void launch_binary(const KernelArgs& args, cudaStream_t stream, const char* name, Op op) {
  const View a = args.in(0), b = args.in(1), out = args.out(0);
  TK_CHECK(b.dtype() == a.dtype(), name << ": expected both inputs of dtype " << dtype_name(a.dtype()) << ", got "
                                        << dtype_name(b.dtype()) << " for input 1");
  TK_CHECK(out.dtype() == DTypeOf<Out>::value, name << ": expected an output of dtype "
                                                    << dtype_name(DTypeOf<Out>::value) << ", got "
                                                    << dtype_name(out.dtype()));
  check_broadcast<2>(name, out, {a, b});
  const int64_t n = out.size();
  if (n == 0) return;
  const auto plan = contracts::make_broadcast_plan<2>(out, {a, b});
  const In* pa = a.data<In>();
  const In* pb = b.data<In>();
  Out* po = out.data<Out>();
  if (plan.shape.size() == 1 && plan.strides[0][0] == 1 && plan.strides[1][0] == 1) {
    launch_map2(pa, pb, po, n, stream, name, op);
    return;
  } else if (n <= std::numeric_limits<uint32_t>::max()) {
    binary_broadcast_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(pa, pb, po, static_cast<uint32_t>(n),
                                                                    make_indexer<2, uint32_t>(plan), op);
  } else {
    binary_broadcast_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(pa, pb, po, n, make_indexer<2, int64_t>(plan), op);
  }
  TK_CUDA_CHECK_LAUNCH(name);
}

template <typename T, typename Index>
__global__ void where_kernel(const uint8_t* c, const T* a, const T* b, T* out, Index n,
                             BroadcastIndexer<3, Index> indexer) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    Index off[3];
    indexer.offsets(static_cast<Index>(i), off);
    out[i] = c[off[0]] ? a[off[1]] : b[off[2]];
  }
}

// out = cond ? a : b elementwise, the three broadcast together; cond is bool.
template <typename T>
void launch_where(const KernelArgs& args, cudaStream_t stream) {
  const View c = args.in(0), a = args.in(1), b = args.in(2), out = args.out(0);
  TK_CHECK(c.dtype() == DType::Bool, "where: expected a bool condition, got " << dtype_name(c.dtype()));
  TK_CHECK(a.dtype() == out.dtype() && b.dtype() == out.dtype(),
           "where: expected both branches of the output's dtype "
               << dtype_name(out.dtype()) << ", got " << dtype_name(a.dtype()) << " and " << dtype_name(b.dtype()));
  check_broadcast<3>("where", out, {c, a, b});
  const int64_t n = out.size();
  if (n == 0) return;
  const auto plan = contracts::make_broadcast_plan<3>(out, {c, a, b});
  if (n <= std::numeric_limits<uint32_t>::max()) {
    where_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(c.data<uint8_t>(), a.data<T>(), b.data<T>(), out.data<T>(),
                                                         static_cast<uint32_t>(n), make_indexer<3, uint32_t>(plan));
  } else {
    where_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(c.data<uint8_t>(), a.data<T>(), b.data<T>(), out.data<T>(), n,
                                                         make_indexer<3, int64_t>(plan));
  }
  TK_CUDA_CHECK_LAUNCH("where");
}

}  // namespace tessera::cuda
