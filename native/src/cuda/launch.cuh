// Launch geometry shared by the elementwise kernels: fixed blocks, a grid that fills any
// GPU, and grid-stride loops in the kernels for tensors larger than one grid.
#pragma once
#include <algorithm>
#include <cstdint>

namespace tessera::cuda {

constexpr int kBlockSize = 256;
constexpr int64_t kMaxBlocks = 65536;

// Callers return early for n == 0: an empty grid is a launch error.
inline unsigned grid_for(int64_t n) {
  return static_cast<unsigned>(std::min<int64_t>((n + kBlockSize - 1) / kBlockSize, kMaxBlocks));
}

// The first element and the stride of a grid-stride loop, in 64-bit: n may exceed 2^31.
__device__ inline int64_t grid_start() { return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ inline int64_t grid_stride() { return static_cast<int64_t>(gridDim.x) * blockDim.x; }

}  // namespace tessera::cuda
