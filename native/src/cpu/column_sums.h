// Sums down the columns of a row-major [rows, cols] block: two at once in T tiles
// (batch norm's per-channel statistics, layer norm's dgamma / dbeta), or one in double
// (bias gradients: reduce_sum down a leading axis, biasRelu's dbias).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>

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
// inner), in double (float32 sums stay double-accurate): eight columns at a time, as two
// vectors of four doubles (what an AVX2 register holds), four rows in flight, in vector
// registers. Call it inside vectorized(), on rows in L1. Whole blocks of eight load
// straight from the row; only the last, partial block goes through a zeroed array.
// (Eight-double vectors updated by reference, every block through an array, spilled to
// the stack under AVX2 and stalled store forwarding: [128, 256] took 70 us on one
// thread, 10x an elementwise op; the sums, lane by lane and in order, are the same.)
template <typename T>
inline void add_column_sums_in_double(const T* data, int64_t inner, int64_t r0, int64_t r1, double* sums) {
  constexpr int L = 8, H = L / 2;  // columns per block, per half
  typedef T Narrow __attribute__((vector_size(H * sizeof(T))));
  typedef double Wide __attribute__((vector_size(H * sizeof(double))));
  // Columns [c0, c0 + count) of rows [r0, r1) summed into sums; count is L when `whole`.
  auto block = [&](int64_t c0, int64_t count, auto whole) {
    T lanes[L] = {};
    // Half h (columns c0 + 4h ..) of row r, in double.
    auto half = [&](int64_t r, int h) {
      const T* src = data + r * inner + c0 + h * H;
      Narrow v;
      if constexpr (decltype(whole)::value) {
        std::memcpy(&v, src, sizeof(v));
      } else {
        for (int64_t k = 0; k < count; ++k) lanes[k] = data[r * inner + c0 + k];
        std::memcpy(&v, lanes + h * H, sizeof(v));
      }
      return __builtin_convertvector(v, Wide);
    };
    Wide a0 = {}, a1 = {}, a2 = {}, a3 = {}, b0 = {}, b1 = {}, b2 = {}, b3 = {};
    int64_t r = r0;
    for (; r + 4 <= r1; r += 4) {
      a0 += half(r, 0), b0 += half(r, 1);
      a1 += half(r + 1, 0), b1 += half(r + 1, 1);
      a2 += half(r + 2, 0), b2 += half(r + 2, 1);
      a3 += half(r + 3, 0), b3 += half(r + 3, 1);
    }
    for (; r < r1; ++r) a0 += half(r, 0), b0 += half(r, 1);
    double total[L];
    const Wide low = (a0 + a1) + (a2 + a3), high = (b0 + b1) + (b2 + b3);
    std::memcpy(total, &low, sizeof(low));
    std::memcpy(total + H, &high, sizeof(high));
    for (int64_t k = 0; k < count; ++k) sums[c0 + k] += total[k];
  };
  int64_t c0 = 0;
  for (; c0 + L <= inner; c0 += L) block(c0, L, std::true_type{});
  if (c0 < inner) block(c0, inner - c0, std::false_type{});
}

}  // namespace tessera::cpu
