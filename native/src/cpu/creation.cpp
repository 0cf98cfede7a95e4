// Copy, fill, cast and random tensors.
// Attributes: fill [value]; random_uniform [seed, offset, min, max];
// random_normal and truncated_normal [seed, offset, mean, stddev].
#include <cmath>
#include <cstdint>
#include <cstring>

#include "tessera/kernel.h"
#include "tessera/philox.h"
#include "tessera/thread_pool.h"

namespace tessera::cpu {

namespace {

constexpr double kTwoPi = 6.283185307179586;

uint64_t seed_of(const KernelArgs& args) { return static_cast<uint64_t>(args.attr(0)); }
uint64_t offset_of(const KernelArgs& args) { return static_cast<uint64_t>(args.attr(1)); }

// Box-Muller from two words of the element's own stream, so each element is independent
// of the tensor's shape and of how the work is split.
float philox_normal(uint64_t seed, uint64_t offset, uint64_t index) {
  const float u1 = philox_uniform01(philox_word(seed, offset, 2 * index));
  const float u2 = philox_uniform01(philox_word(seed, offset, 2 * index + 1));
  return std::sqrt(-2.0f * std::log(u1)) * std::cos(static_cast<float>(kTwoPi) * u2);
}

template <typename Gen>
void generate(const KernelArgs& args, const char* name, Gen gen) {
  const View out = args.out(0);
  TK_DISPATCH_FLOAT(out.dtype(), name, {
    scalar_t* y = out.data<scalar_t>();
    parallel_for(0, out.size(), 8192, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) y[i] = static_cast<scalar_t>(gen(static_cast<uint64_t>(i)));
    });
  });
}

}  // namespace

void copy(const KernelArgs& args) {
  const View x = args.in(0);
  std::memcpy(args.out(0).data<void>(), x.data<void>(), x.size() * dtype_size(x.dtype()));
}

void fill(const KernelArgs& args) {
  const View out = args.out(0);
  const double value = args.attr(0);
  TK_DISPATCH_ALL(out.dtype(), "fill", {
    scalar_t* y = out.data<scalar_t>();
    const scalar_t v = static_cast<scalar_t>(value);
    parallel_for(0, out.size(), 65536, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) y[i] = v;
    });
  });
}

void cast(const KernelArgs& args) {
  const View x = args.in(0), out = args.out(0);
  TK_DISPATCH_ALL(x.dtype(), "cast", {
    using In = scalar_t;
    const In* px = x.data<In>();
    TK_DISPATCH_ALL(out.dtype(), "cast", {
      scalar_t* py = out.data<scalar_t>();
      parallel_for(0, x.size(), 32768, [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) {
          if constexpr (std::is_same_v<scalar_t, uint8_t>) py[i] = px[i] != In(0) ? 1 : 0;
          else py[i] = static_cast<scalar_t>(px[i]);
        }
      });
    });
  });
}

void random_uniform(const KernelArgs& args) {
  const uint64_t seed = seed_of(args), offset = offset_of(args);
  const double lo = args.attr(2), hi = args.attr(3);
  generate(args, "randomUniform", [&](uint64_t i) {
    // (0, 1] mapped to [lo, hi): 1 - u is in [0, 1).
    return lo + (hi - lo) * (1.0 - philox_uniform01(philox_word(seed, offset, i)));
  });
}

void random_normal(const KernelArgs& args) {
  const uint64_t seed = seed_of(args), offset = offset_of(args);
  const double mean = args.attr(2), stddev = args.attr(3);
  generate(args, "randomNormal", [&](uint64_t i) { return mean + stddev * philox_normal(seed, offset, i); });
}

void truncated_normal(const KernelArgs& args) {
  const uint64_t seed = seed_of(args), offset = offset_of(args);
  const double mean = args.attr(2), stddev = args.attr(3);
  generate(args, "truncatedNormal", [&](uint64_t i) {
    // Redraw beyond two standard deviations, each attempt from a stream offset far from any other call's.
    float z = philox_normal(seed, offset, i);
    for (uint64_t attempt = 1; std::fabs(z) > 2.0f; ++attempt) z = philox_normal(seed, offset + (attempt << 40), i);
    return mean + stddev * z;
  });
}

}  // namespace tessera::cpu
