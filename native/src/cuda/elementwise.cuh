// Contiguous elementwise maps at copy bandwidth: each thread moves 16 bytes per load
// (a float4, two doubles, sixteen bools) when every pointer is aligned for it, and the
// last n % V elements go one by one. Shared by the unary, binary (equal shapes), cast,
// dropout and loss kernels.
#pragma once
#include <algorithm>
#include <cstdint>

#include "check.h"
#include "launch.cuh"

namespace tessera::cuda {

template <typename T, int N>
struct alignas(sizeof(T) * N) Vec {
  T v[N];
};

inline bool aligned_to(const void* p, size_t bytes) { return reinterpret_cast<uintptr_t>(p) % bytes == 0; }

// Elements per thread and load: 16 bytes of the wider of In and Out.
template <typename In, typename Out>
constexpr int vec_width() {
  return static_cast<int>(16 / std::max(sizeof(In), sizeof(Out)));
}

// y[i] = op(x[i]).
template <int V, typename In, typename Out, typename Op>
__global__ void map1_kernel(const In* __restrict__ x, Out* __restrict__ y, int64_t n, Op op) {
  const int64_t vectors = n / V;
  for (int64_t i = grid_start(); i < vectors; i += grid_stride()) {
    const Vec<In, V> a = reinterpret_cast<const Vec<In, V>*>(x)[i];
    Vec<Out, V> r;
#pragma unroll
    for (int k = 0; k < V; ++k) r.v[k] = op(a.v[k]);
    reinterpret_cast<Vec<Out, V>*>(y)[i] = r;
  }
  for (int64_t i = vectors * V + grid_start(); i < n; i += grid_stride()) y[i] = op(x[i]);
}

// y[i] = op(a[i], b[i]).
template <int V, typename In, typename Out, typename Op>
__global__ void map2_kernel(const In* __restrict__ a, const In* __restrict__ b, Out* __restrict__ y, int64_t n, Op op) {
  const int64_t vectors = n / V;
  for (int64_t i = grid_start(); i < vectors; i += grid_stride()) {
    const Vec<In, V> va = reinterpret_cast<const Vec<In, V>*>(a)[i];
    const Vec<In, V> vb = reinterpret_cast<const Vec<In, V>*>(b)[i];
    Vec<Out, V> r;
#pragma unroll
    for (int k = 0; k < V; ++k) r.v[k] = op(va.v[k], vb.v[k]);
    reinterpret_cast<Vec<Out, V>*>(y)[i] = r;
  }
  for (int64_t i = vectors * V + grid_start(); i < n; i += grid_stride()) y[i] = op(a[i], b[i]);
}

template <typename In, typename Out, typename Op>
void launch_map1(const In* x, Out* y, int64_t n, cudaStream_t stream, const char* name, Op op) {
  if (n == 0) return;
  constexpr int V = vec_width<In, Out>();
  if (aligned_to(x, V * sizeof(In)) && aligned_to(y, V * sizeof(Out))) {
    map1_kernel<V><<<grid_for(std::max<int64_t>(n / V, 1)), kBlockSize, 0, stream>>>(x, y, n, op);
  } else {
    map1_kernel<1><<<grid_for(n), kBlockSize, 0, stream>>>(x, y, n, op);
  }
  TK_CUDA_CHECK_LAUNCH(name);
}

template <typename In, typename Out, typename Op>
void launch_map2(const In* a, const In* b, Out* y, int64_t n, cudaStream_t stream, const char* name, Op op) {
  if (n == 0) return;
  constexpr int V = vec_width<In, Out>();
  if (aligned_to(a, V * sizeof(In)) && aligned_to(b, V * sizeof(In)) && aligned_to(y, V * sizeof(Out))) {
    map2_kernel<V><<<grid_for(std::max<int64_t>(n / V, 1)), kBlockSize, 0, stream>>>(a, b, y, n, op);
  } else {
    map2_kernel<1><<<grid_for(n), kBlockSize, 0, stream>>>(a, b, y, n, op);
  }
  TK_CUDA_CHECK_LAUNCH(name);
}

}  // namespace tessera::cuda
