#include "index_check.h"

#include "check.h"
#include "launch.cuh"
#include "scratch.h"

namespace tessera::cuda {

namespace {

constexpr unsigned long long kNone = ~0ull;

// The smallest position whose index is out of range, by atomicMin into *first.
__global__ void find_bad_index_kernel(const int32_t* ids, int64_t n, int64_t limit, unsigned long long* first) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    const int32_t id = ids[i];
    if (id < 0 || id >= limit) atomicMin(first, static_cast<unsigned long long>(i));
  }
}

}  // namespace

BadIndex find_bad_index(const int32_t* ids, int64_t n, int64_t limit, cudaStream_t stream) {
  BadIndex bad;
  if (n == 0) return bad;
  Scratch flag(sizeof(unsigned long long));
  auto* first = flag.as<unsigned long long>();
  TK_CUDA_CHECK(cudaMemsetAsync(first, 0xFF, sizeof(unsigned long long), stream));
  find_bad_index_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(ids, n, limit, first);
  TK_CUDA_CHECK_LAUNCH("index check");
  unsigned long long position = kNone;
  TK_CUDA_CHECK(cudaMemcpyAsync(&position, first, sizeof position, cudaMemcpyDeviceToHost, stream));
  TK_CUDA_CHECK(cudaStreamSynchronize(stream));
  if (position == kNone) return bad;
  bad.position = static_cast<int64_t>(position);
  TK_CUDA_CHECK(cudaMemcpyAsync(&bad.value, ids + position, sizeof bad.value, cudaMemcpyDeviceToHost, stream));
  TK_CUDA_CHECK(cudaStreamSynchronize(stream));
  return bad;
}

}  // namespace tessera::cuda
