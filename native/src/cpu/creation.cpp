// Copy, fill, cast and random tensors.
// Attributes: ops.def's rows (attrs::FillAttrs, RandomUniformAttrs, RandomNormalAttrs).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "../contracts/elementwise_unary.h"
#include "tessera/kernel.h"
#include "tessera/op_attrs.h"
#include "tessera/philox.h"
#include "tessera/thread_pool.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

constexpr double kTwoPi = 6.283185307179586;

// philox_word(seed, offset, index) for indices read in order: one Philox call yields the
// four words of a block, so it runs once per block rather than once per word.
class PhiloxStream {
 public:
  PhiloxStream(uint64_t seed, uint64_t offset) : seed_(seed), offset_(offset) {}
  uint32_t word(uint64_t index) {
    const uint64_t block = index >> 2;
    if (block != block_) {
      block_ = block;
      words_ = philox_block(seed_, offset_, block);
    }
    return words_.v[index & 3];
  }

 private:
  uint64_t seed_, offset_;
  uint64_t block_ = ~uint64_t{0};
  Philox4 words_{};
};

// Box-Muller from two words of the element's own stream, so each element is independent
// of the tensor's shape and of how the work is split.
float philox_normal(PhiloxStream& stream, uint64_t index) {
  const float u1 = philox_uniform01(stream.word(2 * index));
  const float u2 = philox_uniform01(stream.word(2 * index + 1));
  return std::sqrt(-2.0f * std::log(u1)) * std::cos(static_cast<float>(kTwoPi) * u2);
}

// gen(stream, i, scalar_t{}) gives element i in the output's type, from the words of the
// (seed, offset) stream.
template <typename Gen>
void generate(const KernelArgs& args, uint64_t seed, uint64_t offset, const char* name, Gen gen) {
  const View out = args.out(0);
  TK_DISPATCH_FLOAT(out.dtype(), name, {
    scalar_t* y = out.data<scalar_t>();
    parallel_for(0, out.size(), 8192, [&](int64_t lo, int64_t hi) {
      PhiloxStream stream(seed, offset);
      for (int64_t i = lo; i < hi; ++i) y[i] = gen(stream, static_cast<uint64_t>(i), scalar_t{});
    });
  });
}

}  // namespace

void copy(const KernelArgs& args) {
  const View x = args.in(0);
  contracts::check_copy(x, args.out(0));
  std::memcpy(args.out(0).data<void>(), x.data<void>(), x.size() * dtype_size(x.dtype()));
}

void fill(const KernelArgs& args) {
  const View out = args.out(0);
  const double value = attrs::FillAttrs::read(args).value;
  TK_DISPATCH_ALL(out.dtype(), "fill", {
    scalar_t* y = out.data<scalar_t>();
    // A bool is stored as 0 or 1, whatever non-zero value came.
    const scalar_t v = std::is_same_v<scalar_t, uint8_t> ? scalar_t(value != 0) : static_cast<scalar_t>(value);
    // std::fill with the value in a local: a bool (byte) store through captured
    // references may alias them, so the plain loop reloaded both every element and ran
    // 10x slower than float32 (a dropout mask's zero gradient, 1M bools: 0.9 ms).
    parallel_for(0, out.size(), 65536, [&, v](int64_t lo, int64_t hi) { std::fill(y + lo, y + hi, v); });
  });
}

void cast(const KernelArgs& args) {
  const View x = args.in(0), out = args.out(0);
  contracts::check_cast(x, out);
  TK_DISPATCH_ALL(x.dtype(), "cast", {
    using In = scalar_t;
    const In* px = x.data<In>();
    TK_DISPATCH_ALL(out.dtype(), "cast", {
      scalar_t* py = out.data<scalar_t>();
      parallel_for(0, x.size(), 32768, [&](int64_t lo, int64_t hi) {
        // Locals: a bool output may alias anything, so through the captured references
        // the compiler would reload the pointers after every store and stay scalar.
        const In* __restrict src = px;
        scalar_t* __restrict dst = py;
        vectorized([&] {
          const int64_t first = lo, last = hi;
          for (int64_t i = first; i < last; ++i) {
            if constexpr (std::is_same_v<scalar_t, uint8_t>) dst[i] = src[i] != In(0) ? 1 : 0;
            else dst[i] = static_cast<scalar_t>(src[i]);
          }
        });
      });
    });
  });
}

void random_uniform(const KernelArgs& args) {
  const auto a = attrs::RandomUniformAttrs::read(args);
  const double lo = a.minval, hi = a.maxval;
  generate(args, a.seed, a.offset, "randomUniform", [&](PhiloxStream& stream, uint64_t i, auto zero) {
    using T = decltype(zero);
    // (0, 1] mapped to [lo, hi): 1 - u is in [0, 1). Rounding to float32 can still land
    // on hi itself (1 + (1 - 2^-24) rounds to 2), which the range excludes.
    const T v = static_cast<T>(lo + (hi - lo) * (1.0 - philox_uniform01(stream.word(i))));
    return v < static_cast<T>(hi)
               ? v
               : std::max(static_cast<T>(lo), std::nextafter(static_cast<T>(hi), static_cast<T>(lo)));
  });
}

void random_normal(const KernelArgs& args) {
  const auto a = attrs::RandomNormalAttrs::read(args);
  const double mean = a.mean, stddev = a.stddev;
  generate(args, a.seed, a.offset, "randomNormal", [&](PhiloxStream& stream, uint64_t i, auto zero) {
    return static_cast<decltype(zero)>(mean + stddev * philox_normal(stream, i));
  });
}

void truncated_normal(const KernelArgs& args) {
  const auto a = attrs::TruncatedNormalAttrs::read(args);
  const uint64_t seed = a.seed, offset = a.offset;
  const double mean = a.mean, stddev = a.stddev;
  generate(args, seed, offset, "truncatedNormal", [&](PhiloxStream& stream, uint64_t i, auto zero) {
    // Redraw beyond two standard deviations, each attempt from a stream offset far from any other call's.
    float z = philox_normal(stream, i);
    for (uint64_t attempt = 1; std::fabs(z) > 2.0f; ++attempt) {
      PhiloxStream redraw(seed, offset + (attempt << 40));
      z = philox_normal(redraw, i);
    }
    return static_cast<decltype(zero)>(mean + stddev * z);
  });
}

}  // namespace tessera::cpu
