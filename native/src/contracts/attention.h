// What the fused attention kernels accept, on every device (cpu/attention.cpp documents
// the inputs, outputs and attributes).
#pragma once
#include <cstdint>

#include "tessera/kernel.h"

namespace tessera::contracts {

// The sizes of one call: n = batch x heads rows of q [n, tq, d], k [n, tk, d], v [n, tk, dv];
// a key mask [mask_rows, tk] and a query mask [query_mask_rows, tq] serve heads consecutive
// rows of n each (rows 0: no such mask; when both are given they have one row count B and
// heads = n / B).
struct AttentionShape {
  int64_t n, tq, tk, d, dv, mask_rows, query_mask_rows, heads;
  double scale, rate;
  bool causal;
  uint64_t seed, offset;
  // The additive bias of key j for batch row b: 0 where the mask attends, Keras's -1e9 where not.
  template <typename T>
  static constexpr T masked_bias() {
    return T(-1e9);
  }
};

// Checks inputs q, k, v, key_mask, query_mask (and, backward, o, lse, do) and the outputs (forward o,
// lse; backward dq, dk, dv) and reads the attributes; throws naming `op` on any mismatch.
AttentionShape attention_shape(const char* op, const KernelArgs& args, bool backward);

}  // namespace tessera::contracts
