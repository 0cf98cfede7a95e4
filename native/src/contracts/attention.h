// What the fused attention kernels accept, on every device (cpu/attention.cpp documents
// the inputs, outputs and attributes).
#pragma once
#include <cstdint>

#include "tessera/kernel.h"

namespace tessera::contracts {

// The sizes of one call: n = batch x heads rows of q [n, tq, d], k [n, tk, d], v [n, tk, dv];
// a key mask [mask_rows, tk] and a query mask [query_mask_rows, tq] serve heads consecutive
// rows of n each (rows 0: no such mask; when both are given they have one row count B and
// heads = n / B). heads_last: q [B, tq, heads, d], k [B, tk, heads, d], v [B, tk, heads, dv]
// (o and the gradients alike; lse stays [n, tq]), row b of n being (b / heads, b % heads),
// and the masks have B rows; only where a row of n starts and its stride change.
// keep_probabilities: the forward's third output (the backward's input 7) is the
// probabilities [n, tq, tk] (dropped ones negated), not an empty [0] (cpu/attention.cpp).
struct AttentionShape {
  int64_t n, tq, tk, d, dv, mask_rows, query_mask_rows, heads;
  double scale, rate;
  bool causal, heads_last, keep_probabilities;
  uint64_t seed, offset;

  // The element offset of row i of n-row b in a tensor of `len` rows of `width` (q, o: tq;
  // k, v: tk) in the call's layout, and the step from one row to the next.
  constexpr int64_t row_offset(int64_t b, int64_t i, int64_t len, int64_t width) const {
    return heads_last ? (((b / heads) * len + i) * heads + b % heads) * width : (b * len + i) * width;
  }
  constexpr int64_t row_stride(int64_t width) const { return heads_last ? heads * width : width; }
  // The additive bias of key j for batch row b: 0 where the mask attends, Keras's -1e9 where not.
  template <typename T>
  static constexpr T masked_bias() {
    return T(-1e9);
  }
};

// Checks inputs q, k, v, key_mask, query_mask (and, backward, o, lse, probabilities, do) and the
// outputs (forward o, lse, probabilities; backward dq, dk, dv) and reads the attributes; throws
// naming `op` on any mismatch.
AttentionShape attention_shape(const char* op, const KernelArgs& args, bool backward);

}  // namespace tessera::contracts
