// Two sums per channel over a tensor viewed as [outer, C, inner], in double and
// deterministic: batch norm's statistics and gradients, layer norm's dgamma and dbeta
// (outer = rows, C = columns, inner = 1). Blocks own a range of channels and a chunk of
// the rest; each writes its partial sums, and the op's own finalize kernel adds the
// chunks of a channel in order: partial[(chunk * C + c) * 2 + {0, 1}].
//
// The summand is a functor: f(i, c, o, a, b) adds to a and b the terms of element i (of
// channel c, in outer row o).
#pragma once
#include <algorithm>
#include <cstdint>

#include "check.h"
#include "contracts/batch_norm.h"
#include "gemm.cuh"

namespace tessera::cuda {

using contracts::ChannelLayout;  // x as [outer, C, inner]

// inner == 1: rows of C contiguous values. Block (32, 8): 32 channels, 8 lanes of rows.
template <class F>
__global__ void channel_sums_rows_kernel(ChannelLayout l, F f, int64_t rows_per_chunk, double* partial) {
  __shared__ double sums[2][8][33];
  const int64_t c = static_cast<int64_t>(blockIdx.x) * 32 + threadIdx.x;
  const int64_t o0 = blockIdx.y * rows_per_chunk, o1 = min(l.outer, o0 + rows_per_chunk);
  double a = 0.0, b = 0.0;
  if (c < l.channels)
    for (int64_t o = o0 + threadIdx.y; o < o1; o += 8) f(o * l.channels + c, c, o, a, b);
  sums[0][threadIdx.y][threadIdx.x] = a;
  sums[1][threadIdx.y][threadIdx.x] = b;
  __syncthreads();
  if (threadIdx.y == 0 && c < l.channels) {
    for (int r = 1; r < 8; ++r) {
      a += sums[0][r][threadIdx.x];
      b += sums[1][r][threadIdx.x];
    }
    double* p = partial + (blockIdx.y * l.channels + c) * 2;
    p[0] = a;
    p[1] = b;
  }
}

// inner > 1: blockIdx.x is the channel; 256 threads walk its elements j = o * inner + t,
// contiguous along t.
template <class F>
__global__ void channel_sums_strided_kernel(ChannelLayout l, F f, int64_t per_chunk, double* partial) {
  __shared__ double sums[2][256];
  const int64_t c = blockIdx.x;
  const int64_t j0 = blockIdx.y * per_chunk, j1 = min(l.per_channel(), j0 + per_chunk);
  double a = 0.0, b = 0.0;
  for (int64_t j = j0 + threadIdx.x; j < j1; j += 256) {
    const int64_t o = j / l.inner, t = j - o * l.inner;
    f((o * l.channels + c) * l.inner + t, c, o, a, b);
  }
  sums[0][threadIdx.x] = a;
  sums[1][threadIdx.x] = b;
  __syncthreads();
  for (int half = 128; half > 0; half /= 2) {
    if (threadIdx.x < half) {
      sums[0][threadIdx.x] += sums[0][threadIdx.x + half];
      sums[1][threadIdx.x] += sums[1][threadIdx.x + half];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    double* p = partial + (blockIdx.y * l.channels + c) * 2;
    p[0] = sums[0][0];
    p[1] = sums[1][0];
  }
}

// How many chunks the rest of each channel is cut into: about four blocks per
// multiprocessor in all, none with less than a few hundred elements.
inline int64_t channel_chunks(const ChannelLayout& l) {
  const int64_t want = 4 * static_cast<int64_t>(multiprocessor_count());
  if (l.inner == 1) {
    const int64_t blocks = (l.channels + 31) / 32;
    return std::clamp<int64_t>((want + blocks - 1) / blocks, 1, std::max<int64_t>(1, (l.outer + 31) / 32));
  }
  return std::clamp<int64_t>((want + l.channels - 1) / l.channels, 1,
                             std::max<int64_t>(1, (l.per_channel() + 1023) / 1024));
}

// Fills partial[chunks * C * 2]; chunks from channel_chunks(l). Needs C > 0.
template <class F>
void launch_channel_sums(const ChannelLayout& l, F f, int64_t chunks, double* partial, cudaStream_t stream,
                         const char* name) {
  TK_CHECK(chunks <= 65535 && l.channels <= (int64_t{1} << 31) - 1, name << ": too many channels for one launch");
  if (l.inner == 1) {
    const int64_t rows = (l.outer + chunks - 1) / chunks;
    const dim3 grid(static_cast<unsigned>((l.channels + 31) / 32), static_cast<unsigned>(chunks));
    channel_sums_rows_kernel<<<grid, dim3(32, 8), 0, stream>>>(l, f, std::max<int64_t>(rows, 1), partial);
  } else {
    const int64_t per = (l.per_channel() + chunks - 1) / chunks;
    const dim3 grid(static_cast<unsigned>(l.channels), static_cast<unsigned>(chunks));
    channel_sums_strided_kernel<<<grid, 256, 0, stream>>>(l, f, std::max<int64_t>(per, 1), partial);
  }
  TK_CUDA_CHECK_LAUNCH(name);
}

}  // namespace tessera::cuda
