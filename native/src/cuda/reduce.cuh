// Warp and block reductions by shuffles, shared by the reduction and softmax kernels.
// Every lane (thread) gets the result, so a row's threads can all use it.
#pragma once

namespace tessera::cuda {

constexpr unsigned kFullWarp = 0xffffffffu;

template <typename T, typename Combine>
__device__ __forceinline__ T warp_reduce(T v, Combine combine) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v = combine(v, __shfl_xor_sync(kFullWarp, v, o));
  return v;
}

// Over the whole block (a multiple of 32 threads, all of which must call it). `shared`
// holds one T per warp; the partials are combined in warp order, so the result does not
// depend on timing.
template <typename T, typename Combine>
__device__ T block_reduce(T v, Combine combine, T* shared) {
  v = warp_reduce(v, combine);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  __syncthreads();  // the previous call's readers are done with `shared`
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  v = shared[0];
  for (int w = 1; w < warps; ++w) v = combine(v, shared[w]);
  return v;
}

// A group of kThreads threads reduces one row: a warp (32, several rows per block) or the
// whole block. index() is the thread's place in its group.
template <int kThreads>
struct RowGroup {
  static_assert(kThreads == 32 || kThreads % 32 == 0, "a group is a warp or a whole block");
  static constexpr int kSize = kThreads;
  __device__ static int index() { return kThreads == 32 ? (threadIdx.x & 31) : threadIdx.x; }
  // The group's number within the grid, and how many groups the grid has.
  __device__ static int64_t first() {
    return kThreads == 32 ? static_cast<int64_t>(blockIdx.x) * (blockDim.x >> 5) + (threadIdx.x >> 5) : blockIdx.x;
  }
  __device__ static int64_t count() {
    return kThreads == 32 ? static_cast<int64_t>(gridDim.x) * (blockDim.x >> 5) : gridDim.x;
  }
  template <typename T, typename Combine>
  __device__ static T reduce(T v, Combine combine, T* shared) {
    if constexpr (kThreads == 32) return warp_reduce(v, combine);
    else return block_reduce(v, combine, shared);
  }
};

struct Plus {
  template <typename T>
  __device__ T operator()(T a, T b) const {
    return a + b;
  }
};
struct NanMax {
  template <typename T>
  __device__ T operator()(T a, T b) const {
    return (a != a || a > b) ? a : b;
  }
};

}  // namespace tessera::cuda
