// Copy, fill, cast and random tensors (the CUDA half of cpu/creation.cpp).
// Attributes: ops.def's rows (attrs::FillAttrs, RandomUniformAttrs, RandomNormalAttrs).
//
// Random tensors draw the CPU's numbers: element i uses the words philox_word(seed,
// offset, i) (uniform) or 2i and 2i + 1 (normal, by Box-Muller) of the same Philox
// stream, and one thread makes all the elements of one Philox call. Uniform values are
// the CPU's bits (the double arithmetic is written out without FMA); normal ones go
// through logf, cosf and sqrtf, so they match within CUDA's ulp bounds of the CPU's libm.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "check.h"
#include "contracts/elementwise_unary.h"
#include "elementwise.cuh"
#include "exact.cuh"
#include "kernels.h"
#include "launch.cuh"
#include "math.cuh"
#include "tessera/philox.h"

namespace tessera::cuda {

namespace {

template <typename T>
__global__ void fill_kernel(T* out, int64_t n, T value) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) out[i] = value;
}

// A value whose bytes are all alike (zeros, any bool, -1) is a memset, the fastest fill.
template <typename T>
bool is_byte_pattern(const T& value, unsigned char* byte) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  for (size_t i = 1; i < sizeof(T); ++i) {
    if (bytes[i] != bytes[0]) return false;
  }
  *byte = bytes[0];
  return true;
}

constexpr double kTwoPi = 6.283185307179586;

// Box-Muller from two words, in float as the CPU computes it.
__device__ float box_muller(uint32_t w1, uint32_t w2) {
  const float u1 = philox_uniform01(w1), u2 = philox_uniform01(w2);
  return math::sqrt(-2.0f * math::log(u1)) * math::cos(static_cast<float>(kTwoPi) * u2);
}

// The normal draw of element i of the (seed, offset) stream: words 2i and 2i + 1.
__device__ float normal_at(uint64_t seed, uint64_t offset, uint64_t i) {
  const Philox4 r = philox_block(seed, offset, i >> 1);
  return (i & 1) ? box_muller(r.v[2], r.v[3]) : box_muller(r.v[0], r.v[1]);
}

struct RandomAttrs {
  uint64_t seed, offset;
  double a, b;  // min and max, or mean and stddev
};

RandomAttrs normal_attrs(const KernelArgs& args) {
  const auto a = attrs::RandomNormalAttrs::read(args);  // truncated_normal's are the same
  return {a.seed, a.offset, a.mean, a.stddev};
}

// Four elements per thread, from one Philox call: lo + (hi - lo) * (1 - u), in double,
// then in T; a value that rounds up to hi becomes `top`, the largest T below hi.
template <typename T>
__global__ void uniform_kernel(T* out, int64_t n, RandomAttrs r, T hi, T top) {
  const int64_t calls = (n + 3) / 4;
  const double lo = r.a, span = sub_rn(r.b, r.a);
  for (int64_t c = grid_start(); c < calls; c += grid_stride()) {
    const Philox4 words = philox_block(r.seed, r.offset, static_cast<uint64_t>(c));
#pragma unroll
    for (int k = 0; k < 4; ++k) {
      const int64_t i = 4 * c + k;
      if (i >= n) break;
      const double u = philox_uniform01(words.v[k]);
      const T v = static_cast<T>(add_rn(lo, mul_rn(span, sub_rn(1.0, u))));
      out[i] = v < hi ? v : top;
    }
  }
}

// Two elements per thread, from one Philox call (words 4c..4c+3 are elements 2c and 2c+1).
// Truncated: a draw beyond two standard deviations is redrawn from the stream at offset
// + (attempt << 40), element by element, as the CPU does.
template <typename T, bool kTruncated>
__global__ void normal_kernel(T* out, int64_t n, RandomAttrs r) {
  const int64_t calls = (n + 1) / 2;
  for (int64_t c = grid_start(); c < calls; c += grid_stride()) {
    const Philox4 words = philox_block(r.seed, r.offset, static_cast<uint64_t>(c));
#pragma unroll
    for (int k = 0; k < 2; ++k) {
      const int64_t i = 2 * c + k;
      if (i >= n) break;
      float z = box_muller(words.v[2 * k], words.v[2 * k + 1]);
      if (kTruncated) {
        for (uint64_t attempt = 1; math::fabs(z) > 2.0f; ++attempt)
          z = normal_at(r.seed, r.offset + (attempt << 40), static_cast<uint64_t>(i));
      }
      out[i] = static_cast<T>(add_rn(r.a, mul_rn(r.b, static_cast<double>(z))));
    }
  }
}

template <bool kTruncated>
void launch_normal(const KernelArgs& args, cudaStream_t stream, const char* name) {
  const RandomAttrs r = normal_attrs(args);
  const View out = args.out(0);
  const int64_t n = out.size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(out.dtype(), name, {
    normal_kernel<scalar_t, kTruncated><<<grid_for((n + 1) / 2), kBlockSize, 0, stream>>>(out.data<scalar_t>(), n, r);
  });
  TK_CUDA_CHECK_LAUNCH(name);
}

// To bool: any non-zero value (NaN too) is true, stored as 1; otherwise a C++ conversion.
template <typename Out>
struct CastOp {
  template <typename In>
  __device__ Out operator()(In v) const {
    if constexpr (std::is_same_v<Out, uint8_t>) return v != In(0) ? 1 : 0;
    else return static_cast<Out>(v);
  }
};

}  // namespace

void copy(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), out = args.out(0);
  contracts::check_copy(x, out);
  const size_t bytes = x.size() * dtype_size(x.dtype());
  if (bytes) TK_CUDA_CHECK(cudaMemcpyAsync(out.data<void>(), x.data<void>(), bytes, cudaMemcpyDeviceToDevice, stream));
}

void fill(const KernelArgs& args, cudaStream_t stream) {
  const View out = args.out(0);
  const double value = attrs::FillAttrs::read(args).value;
  const int64_t n = out.size();
  if (n == 0) return;
  TK_DISPATCH_ALL(out.dtype(), "fill", {
    // Converted on the host as the CPU kernel converts it, so both write the same bits;
    // any non-zero value (NaN too) is true, stored as 1.
    const scalar_t v =
        std::is_same_v<scalar_t, uint8_t> ? static_cast<scalar_t>(value != 0.0) : static_cast<scalar_t>(value);
    unsigned char byte = 0;
    if (is_byte_pattern(v, &byte)) {
      TK_CUDA_CHECK(cudaMemsetAsync(out.data<void>(), byte, n * sizeof(scalar_t), stream));
    } else {
      fill_kernel<scalar_t><<<grid_for(n), kBlockSize, 0, stream>>>(out.data<scalar_t>(), n, v);
      TK_CUDA_CHECK_LAUNCH("fill");
    }
  });
}

void cast(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), out = args.out(0);
  contracts::check_cast(x, out);
  TK_DISPATCH_ALL(x.dtype(), "cast", {
    using In = scalar_t;
    TK_DISPATCH_ALL(out.dtype(), "cast",
                    launch_map1(x.data<In>(), out.data<scalar_t>(), x.size(), stream, "cast", CastOp<scalar_t>{}));
  });
}

void random_uniform(const KernelArgs& args, cudaStream_t stream) {
  const auto a = attrs::RandomUniformAttrs::read(args);
  const RandomAttrs r{a.seed, a.offset, a.minval, a.maxval};
  const View out = args.out(0);
  const int64_t n = out.size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(out.dtype(), "randomUniform", {
    // The CPU's replacement for a value that rounds up to max, computed the CPU's way.
    const scalar_t hi = static_cast<scalar_t>(r.b), lo = static_cast<scalar_t>(r.a);
    const scalar_t top = std::max(lo, std::nextafter(hi, lo));
    uniform_kernel<scalar_t><<<grid_for((n + 3) / 4), kBlockSize, 0, stream>>>(out.data<scalar_t>(), n, r, hi, top);
  });
  TK_CUDA_CHECK_LAUNCH("randomUniform");
}

void random_normal(const KernelArgs& args, cudaStream_t stream) { launch_normal<false>(args, stream, "randomNormal"); }

void truncated_normal(const KernelArgs& args, cudaStream_t stream) {
  launch_normal<true>(args, stream, "truncatedNormal");
}

}  // namespace tessera::cuda
