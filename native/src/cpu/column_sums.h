// Sums down the columns of a row-major [rows, cols] block, two at once: batch norm's
// per-channel statistics (channels last) and layer norm's dgamma / dbeta.
#pragma once
#include <algorithm>
#include <cstdint>

namespace tessera::cpu {

// Adds, over rows [lo, hi) and columns [0, cols), the two terms that terms(r, c, u, v)
// sets for element (r, c) into a[c] and b[c]. One vector of columns at a time runs down a
// tile of rows with its sums in registers, four rows in flight to hide the add latency, in
// T; each tile's sums then go to the double totals. (Adding into a[c] in memory row by row
// ran at 20-30 GB/s: a store-to-load round trip per row.) Call it inside vectorized().
template <typename T, typename Terms>
inline void add_column_terms(int64_t lo, int64_t hi, int64_t cols, double* a, double* b, Terms terms) {
  constexpr int W = 64 / sizeof(T), kInFlight = 4;
  constexpr int64_t kTileRows = 256;  // a T sum adds at most 64 terms
  for (int64_t r0 = lo; r0 < hi; r0 += kTileRows) {
    const int64_t r1 = std::min(hi, r0 + kTileRows);
    int64_t c0 = 0;
    for (; c0 + W <= cols; c0 += W) {
      T sa[kInFlight][W] = {}, sb[kInFlight][W] = {};
      int64_t r = r0;
      for (; r + kInFlight <= r1; r += kInFlight)
        for (int k = 0; k < kInFlight; ++k)
          for (int j = 0; j < W; ++j) {
            T u, v;
            terms(r + k, c0 + j, u, v);
            sa[k][j] += u;
            sb[k][j] += v;
          }
      for (; r < r1; ++r)
        for (int j = 0; j < W; ++j) {
          T u, v;
          terms(r, c0 + j, u, v);
          sa[0][j] += u;
          sb[0][j] += v;
        }
      for (int j = 0; j < W; ++j) {
        a[c0 + j] += double(sa[0][j]) + double(sa[1][j]) + double(sa[2][j]) + double(sa[3][j]);
        b[c0 + j] += double(sb[0][j]) + double(sb[1][j]) + double(sb[2][j]) + double(sb[3][j]);
      }
    }
    for (; c0 < cols; ++c0) {  // columns past the last full vector
      for (int64_t r = r0; r < r1; ++r) {
        T u, v;
        terms(r, c0, u, v);
        a[c0] += u;
        b[c0] += v;
      }
    }
  }
}

}  // namespace tessera::cpu
