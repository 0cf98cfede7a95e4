// Sums down the columns of a row-major [rows, cols] block, two at once: batch norm's
// per-channel statistics (channels last) and layer norm's dgamma / dbeta.
#pragma once
#include <algorithm>
#include <cstdint>

namespace tessera::cpu {

namespace column_sums_detail {

// Columns [c0, c0 + kVectors vectors) down rows [r0, r1), kRows rows in flight, with the
// sums in registers, in T; then into the double totals a and b.
template <typename T, int kVectors, int kRows, typename Terms>
inline void add_tile(int64_t r0, int64_t r1, int64_t c0, double* a, double* b, Terms& terms) {
  constexpr int kCols = kVectors * 64 / int(sizeof(T));
  T sa[kRows][kCols] = {}, sb[kRows][kCols] = {};
  int64_t r = r0;
  for (; r + kRows <= r1; r += kRows)
    for (int k = 0; k < kRows; ++k)
      for (int j = 0; j < kCols; ++j) {
        T u, v;
        terms(r + k, c0 + j, u, v);
        sa[k][j] += u;
        sb[k][j] += v;
      }
  for (; r < r1; ++r)
    for (int j = 0; j < kCols; ++j) {
      T u, v;
      terms(r, c0 + j, u, v);
      sa[0][j] += u;
      sb[0][j] += v;
    }
  for (int j = 0; j < kCols; ++j) {
    double ta = 0.0, tb = 0.0;
    for (int k = 0; k < kRows; ++k) ta += double(sa[k][j]), tb += double(sb[k][j]);
    a[c0 + j] += ta;
    b[c0 + j] += tb;
  }
}

}  // namespace column_sums_detail

// Adds, over rows [lo, hi) and columns [0, cols), the two terms that terms(r, c, u, v)
// sets for element (r, c) into a[c] and b[c]. A tile of columns runs down a tile of rows
// with its sums in registers, in T; each tile's sums then go to the double totals. (Adding
// into a[c] in memory row by row ran at 20-30 GB/s: a store-to-load round trip per row.)
// Wide rows go four vectors of columns at a time, so that each row is read in long runs
// (one vector at a time down 128 rows of 256 columns took 1.9 us for 128 KB); narrow ones
// a vector at a time, four rows in flight to hide the add latency. Call it inside
// vectorized().
template <typename T, typename Terms>
inline void add_column_terms(int64_t lo, int64_t hi, int64_t cols, double* a, double* b, Terms terms) {
  constexpr int W = 64 / sizeof(T);
  constexpr int64_t kTileRows = 256;  // a T sum adds at most 128 terms
  for (int64_t r0 = lo; r0 < hi; r0 += kTileRows) {
    const int64_t r1 = std::min(hi, r0 + kTileRows);
    int64_t c0 = 0;
    for (; c0 + 4 * W <= cols; c0 += 4 * W) column_sums_detail::add_tile<T, 4, 2>(r0, r1, c0, a, b, terms);
    for (; c0 + W <= cols; c0 += W) column_sums_detail::add_tile<T, 1, 4>(r0, r1, c0, a, b, terms);
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
