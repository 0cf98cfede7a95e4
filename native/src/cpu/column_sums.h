// Sums down the columns of a row-major [rows, cols] block: two at once in T tiles
// (batch norm's per-channel statistics, layer norm's dgamma / dbeta), or one in double
// (bias gradients: reduce_sum down a leading axis, biasRelu's dbias).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>

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

// Adds the sums of rows [r0, r1) of a row-major [rows, inner] block at data to sums[0,
// inner), in double (float32 sums stay double-accurate): eight columns at a time, four
// rows in flight, in vector registers. Call it inside vectorized(), on rows in L1.
template <typename T>
inline void add_column_sums_in_double(const T* data, int64_t inner, int64_t r0, int64_t r1, double* sums) {
  constexpr int L = 8;  // doubles per 64-byte vector
  typedef T Narrow __attribute__((vector_size(L * sizeof(T))));
  typedef double Wide __attribute__((vector_size(L * sizeof(double))));
  // Adds columns [c0, c0 + count) of row r to sum, in double. (It adds rather than
  // returns: GCC warns of the ABI of a lambda returning a 64-byte vector.)
  auto add = [&](Wide& sum, int64_t r, int64_t c0, int64_t count) {
    T lanes[L] = {};
    const T* src = data + r * inner + c0;
    if (count == L) {
      std::memcpy(lanes, src, sizeof(lanes));
    } else {
      for (int64_t k = 0; k < count; ++k) lanes[k] = src[k];
    }
    Narrow v;
    std::memcpy(&v, lanes, sizeof(v));
    sum += __builtin_convertvector(v, Wide);
  };
  for (int64_t c0 = 0; c0 < inner; c0 += L) {
    const int64_t count = std::min<int64_t>(L, inner - c0);
    Wide s0 = {}, s1 = {}, s2 = {}, s3 = {};
    int64_t r = r0;
    for (; r + 4 <= r1; r += 4) {
      add(s0, r, c0, count);
      add(s1, r + 1, c0, count);
      add(s2, r + 2, c0, count);
      add(s3, r + 3, c0, count);
    }
    for (; r < r1; ++r) add(s0, r, c0, count);
    double lanes[L];
    const Wide total = (s0 + s1) + (s2 + s3);
    std::memcpy(lanes, &total, sizeof(lanes));
    for (int64_t k = 0; k < count; ++k) sums[c0 + k] += lanes[k];
  }
}

}  // namespace tessera::cpu
