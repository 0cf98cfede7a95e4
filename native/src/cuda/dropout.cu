// Inverted dropout with the CPU's Philox mask (the CUDA half of cpu/dropout.cpp, which
// documents inputs, outputs and attributes). Element i is kept iff
// philox_uniform01(philox_word(seed, offset, i)) > float(rate); a thread makes the four
// elements of one Philox call. Only exact arithmetic: the CPU's bits, mask and values.
#include <cstdint>

#include "check.h"
#include "contracts/dropout.h"
#include "elementwise.cuh"
#include "kernels.h"
#include "launch.cuh"
#include "tessera/philox.h"

namespace tessera::cuda {

namespace {

template <typename T>
__global__ void dropout_kernel(const T* x, T* y, uint8_t* keep, int64_t n, uint64_t seed, uint64_t offset,
                               float threshold, T scale) {
  const int64_t calls = (n + 3) / 4;
  for (int64_t c = grid_start(); c < calls; c += grid_stride()) {
    const Philox4 words = philox_block(seed, offset, static_cast<uint64_t>(c));
#pragma unroll
    for (int k = 0; k < 4; ++k) {
      const int64_t i = 4 * c + k;
      if (i >= n) break;
      const bool kept = philox_uniform01(words.v[k]) > threshold;
      keep[i] = kept ? 1 : 0;
      y[i] = kept ? x[i] * scale : T(0);
    }
  }
}

template <typename T>
struct DropoutBackwardOp {
  T scale;
  __device__ T operator()(T g, uint8_t keep) const { return keep ? g * scale : T(0); }
};

// dx[i] = op(dy[i], mask[i]): two inputs of different types, so not map2.
template <typename T>
__global__ void dropout_backward_kernel(const T* dy, const uint8_t* keep, T* dx, int64_t n, DropoutBackwardOp<T> op) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) dx[i] = op(dy[i], keep[i]);
}

}  // namespace

void dropout(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), y = args.out(0), mask = args.out(1);
  contracts::check_mask("dropout", mask, x.size());
  TK_CHECK(y.dtype() == x.dtype() && y.size() == x.size(),
           "dropout: expected an output of " << x.size() << " " << dtype_name(x.dtype()) << " values");
  const auto a = attrs::DropoutAttrs::read(args);
  const uint64_t seed = a.seed, offset = a.offset;
  const double rate = contracts::checked_rate("dropout", a.rate);
  const int64_t n = x.size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(x.dtype(), "dropout", {
    const scalar_t scale = static_cast<scalar_t>(1.0 / (1.0 - rate));
    dropout_kernel<<<grid_for((n + 3) / 4), kBlockSize, 0, stream>>>(
        x.data<scalar_t>(), y.data<scalar_t>(), mask.data<uint8_t>(), n, seed, offset, static_cast<float>(rate), scale);
  });
  TK_CUDA_CHECK_LAUNCH("dropout");
}

void dropout_backward(const KernelArgs& args, cudaStream_t stream) {
  const View dy = args.in(0), mask = args.in(1), dx = args.out(0);
  contracts::check_mask("dropoutBackward", mask, dy.size());
  TK_CHECK(dx.dtype() == dy.dtype() && dx.size() == dy.size(),
           "dropoutBackward: expected an output of " << dy.size() << " " << dtype_name(dy.dtype()) << " values");
  const double rate = contracts::checked_rate("dropoutBackward", attrs::DropoutBackwardAttrs::read(args).rate);
  const int64_t n = dy.size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(dy.dtype(), "dropoutBackward", {
    const DropoutBackwardOp<scalar_t> op{static_cast<scalar_t>(1.0 / (1.0 - rate))};
    dropout_backward_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(dy.data<scalar_t>(), mask.data<uint8_t>(),
                                                                    dx.data<scalar_t>(), n, op);
  });
  TK_CUDA_CHECK_LAUNCH("dropoutBackward");
}

}  // namespace tessera::cuda
