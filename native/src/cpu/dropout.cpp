// Inverted dropout with a counter-based mask, so the CPU and CUDA kernels keep the same
// elements for the same seed.
//
//   dropout           inputs  x                 outputs y (shape of x), mask (bool, shape of x)
//   dropout_backward  inputs  dy, mask (bool)   outputs dx (shape of dy)
//
// Element i is kept iff philox_uniform01(philox_word(seed, offset, i)) > float(rate)
// (tessera/philox.h; seed and offset as random_uniform takes them), and then
//   y = x / (1 - rate), mask = 1;  otherwise y = 0, mask = 0.
// Backward: dx = dy * mask / (1 - rate). Requires 0 <= rate < 1. A noise shape (Keras's
// noise_shape) is a caller-side broadcast of a mask drawn at the smaller shape.
// float32 and float64.
#include "../contracts/dropout.h"
#include "philox_lanes.h"
#include "tessera/kernel.h"
#include "tessera/op_attrs.h"
#include "tessera/philox.h"
#include "tessera/thread_pool.h"
#include "vec_math.h"
#include "vectorize.h"

namespace tessera::cpu {

void dropout(const KernelArgs& args) {
  const View x = args.in(0), y = args.out(0), mask = args.out(1);
  contracts::check_mask("dropout", mask, x.size());
  const auto a = attrs::DropoutAttrs::read(args);
  const uint64_t seed = a.seed, offset = a.offset;
  const double rate = contracts::checked_rate("dropout", a.rate);
  const float threshold = static_cast<float>(rate);
  uint8_t* keep = mask.data<uint8_t>();
  TK_DISPATCH_FLOAT(x.dtype(), "dropout", {
    const scalar_t* in = x.data<scalar_t>();
    scalar_t* out = y.data<scalar_t>();
    const scalar_t scale = static_cast<scalar_t>(1.0 / (1.0 - rate));
    const auto apply = [&](int64_t i, uint32_t word) {
      const bool kept = philox_uniform01(word) > threshold;
      keep[i] = kept ? 1 : 0;
      out[i] = vm::select(kept, in[i] * scale, scalar_t(0));
    };
    const bool lanes = philox_lanes_available();  // 8 blocks per call in AVX2 registers
    parallel_for(0, x.size(), 8192, [&](int64_t lo, int64_t hi) {
      // One Philox call gives the words of 4 consecutive elements (philox_word): whole
      // blocks use all four, and the loop over blocks vectorizes; the ends of the chunk
      // take their word one at a time.
      const int64_t first_block = (lo + 3) / 4, end_block = hi / 4;
      if (first_block >= end_block) {
        for (int64_t i = lo; i < hi; ++i) apply(i, philox_word(seed, offset, static_cast<uint64_t>(i)));
        return;
      }
      for (int64_t i = lo; i < first_block * 4; ++i) apply(i, philox_word(seed, offset, static_cast<uint64_t>(i)));
      vectorized([&] {
        // kLanes Philox blocks side by side in vector lanes, their words stored in element
        // order, then the elements in one contiguous loop: block by block, the rounds ran
        // scalar (2.8 GB/s).
        constexpr int64_t kLanes = 16;
        int64_t b = first_block;
        for (; b + kLanes <= end_block; b += kLanes) {
          uint32_t word[4 * kLanes];
          if (lanes) {
            for (int64_t l = 0; l < kLanes; l += kPhiloxLaneBlocks)
              philox_8_blocks(seed, offset, static_cast<uint64_t>(b + l), word + 4 * l);
          } else {
            for (int64_t l = 0; l < kLanes; ++l) {
              const Philox4 r = philox_block(seed, offset, static_cast<uint64_t>(b + l));
              for (int j = 0; j < 4; ++j) word[4 * l + j] = r.v[j];
            }
          }
          // Locals, not apply's captures: through those, every store reloads the pointers.
          uint8_t* k = keep + 4 * b;
          scalar_t* o = out + 4 * b;
          const scalar_t* v = in + 4 * b;
          const scalar_t s = scale;
          const float t = threshold;
          for (int64_t e = 0; e < 4 * kLanes; ++e) {
            const bool kept = philox_uniform01(word[e]) > t;
            k[e] = kept ? 1 : 0;
            o[e] = vm::select(kept, v[e] * s, scalar_t(0));
          }
        }
        for (; b < end_block; ++b) {
          const Philox4 r = philox_block(seed, offset, static_cast<uint64_t>(b));
          for (int j = 0; j < 4; ++j) apply(4 * b + j, r.v[j]);
        }
      });
      for (int64_t i = end_block * 4; i < hi; ++i) apply(i, philox_word(seed, offset, static_cast<uint64_t>(i)));
    });
  });
}

void dropout_backward(const KernelArgs& args) {
  const View dy = args.in(0), mask = args.in(1), dx = args.out(0);
  contracts::check_mask("dropoutBackward", mask, dy.size());
  const double rate = contracts::checked_rate("dropoutBackward", attrs::DropoutBackwardAttrs::read(args).rate);
  const uint8_t* keep = mask.data<uint8_t>();
  TK_DISPATCH_FLOAT(dy.dtype(), "dropoutBackward", {
    const scalar_t* g = dy.data<scalar_t>();
    scalar_t* out = dx.data<scalar_t>();
    const scalar_t scale = static_cast<scalar_t>(1.0 / (1.0 - rate));
    parallel_for(0, dy.size(), 32768, [&](int64_t lo, int64_t hi) {
      vectorized([&] {
        for (int64_t i = lo; i < hi; ++i) out[i] = vm::select(keep[i] != 0, g[i] * scale, scalar_t(0));
      });
    });
  });
}

}  // namespace tessera::cpu
