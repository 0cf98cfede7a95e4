// A 64-byte GCC vector of T and an in-register transpose of a square block of them, for
// loops in vectorized() bodies (vectorize.h) where the auto-vectorizer picks the wrong
// axis: they compile to one AVX-512 register each there (two AVX2 ones, four SSE2 ones
// elsewhere), without per-ISA intrinsics. GCC and Clang only.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

// GCC notes that passing a 64-byte vector by value differs between AVX-512 and other
// targets' calling conventions. These helpers are only used inside vectorized() bodies,
// which inline everything they call (flatten), so no call crosses that boundary.
#pragma GCC diagnostic ignored "-Wpsabi"

// Always inlined, also where a vectorized() body runs uncompiled for AVX-512 (the portable
// path): an out-of-line call returning a 64-byte vector is the ABI difference GCC warns of.
#define TESSERA_VECTOR64_INLINE inline __attribute__((always_inline))

namespace tessera::cpu {

template <typename T>
struct Vector64 {
  typedef T type __attribute__((vector_size(64)));
  static constexpr int kLanes = 64 / sizeof(T);
};

// Loads and stores of one vector at any alignment. Store takes the vector by value: an
// accumulator array whose element's address is taken (memcpy(dst, &acc[i], ...)) is kept
// in memory and stored on every iteration of the loop that sums into it.
template <typename T>
TESSERA_VECTOR64_INLINE typename Vector64<T>::type load_vector(const T* src) {
  typename Vector64<T>::type v;
  std::memcpy(&v, src, sizeof(v));
  return v;
}
template <typename T>
TESSERA_VECTOR64_INLINE void store_vector(T* dst, typename Vector64<T>::type v) {
  std::memcpy(dst, &v, sizeof(v));
}

// The first `count` elements at src (count <= lanes), zeros in the other lanes: a row a
// vector at a time, its tail included. The tail goes element by element, not through a
// variable-length memcpy: that is a libc call.
template <typename T>
TESSERA_VECTOR64_INLINE typename Vector64<T>::type load_vector_n(const T* src, int64_t count) {
  if (count == Vector64<T>::kLanes) return load_vector(src);
  T lanes[Vector64<T>::kLanes] = {};
  for (int64_t k = 0; k < count; ++k) lanes[k] = src[k];
  return load_vector(lanes);
}

// The first `count` lanes of v to dst (count <= lanes).
template <typename T>
TESSERA_VECTOR64_INLINE void store_vector_n(T* dst, typename Vector64<T>::type v, int64_t count) {
  if (count == Vector64<T>::kLanes) return store_vector(dst, v);
  T lanes[Vector64<T>::kLanes];
  store_vector(lanes, v);
  for (int64_t k = 0; k < count; ++k) dst[k] = lanes[k];
}

// v with the lanes from `count` on set to zero.
template <typename T>
TESSERA_VECTOR64_INLINE typename Vector64<T>::type first_lanes(typename Vector64<T>::type v, int64_t count) {
  using Lane = std::conditional_t<sizeof(T) == 4, int32_t, int64_t>;  // an integer as wide as T
  typename Vector64<Lane>::type index;
  for (int k = 0; k < Vector64<T>::kLanes; ++k) index[k] = k;
  return index < static_cast<Lane>(count) ? v : typename Vector64<T>::type{};
}

namespace vector64_detail {

// Exchanges the off-diagonal S x S blocks of every 2S-wide chunk of rows a and b.
template <typename V, int L, int S, int... K>
inline void butterfly(V& a, V& b, std::integer_sequence<int, K...>) {
  const V lo = __builtin_shufflevector(
      a, b, ((K % (2 * S)) < S ? (K / (2 * S)) * 2 * S + K % (2 * S) : L + (K / (2 * S)) * 2 * S + K % (2 * S) - S)...);
  const V hi = __builtin_shufflevector(
      a, b, ((K % (2 * S)) < S ? (K / (2 * S)) * 2 * S + S + K % (2 * S) : L + (K / (2 * S)) * 2 * S + K % (2 * S))...);
  a = lo;
  b = hi;
}

template <typename V, int L, int S>
inline void transpose_stage(V* r) {
  if constexpr (S >= 1) {
    for (int i = 0; i < L; ++i)
      if ((i & S) == 0) butterfly<V, L, S>(r[i], r[i + S], std::make_integer_sequence<int, L>());
    transpose_stage<V, L, S / 2>(r);
  }
}

}  // namespace vector64_detail

// r[i][j] becomes r[j][i]: log2(lanes) stages of block swaps.
template <typename T>
inline void transpose(typename Vector64<T>::type (&r)[Vector64<T>::kLanes]) {
  constexpr int L = Vector64<T>::kLanes;
  vector64_detail::transpose_stage<typename Vector64<T>::type, L, L / 2>(r);
}

namespace vector64_detail {

// Folds pairs (r[i], r[i + S]) for i < S into r[i]: each 2S-lane chunk keeps r[i]'s half
// sums in its low S lanes and r[i + S]'s in its high S lanes.
template <typename V, int L, int S>
inline void fold_stage(V* r) {
  if constexpr (S >= 1) {
    for (int i = 0; i < S; ++i) {
      V a = r[i], b = r[i + S];
      butterfly<V, L, S>(a, b, std::make_integer_sequence<int, L>());
      r[i] = a + b;
    }
    fold_stage<V, L, S / 2>(r);
  }
}

}  // namespace vector64_detail

// Lane i of the result is the sum of the lanes of r[i] (r is overwritten): all the
// horizontal sums of a block of rows in lanes - 1 shuffle-and-add steps, where one scalar
// reduction tree per row cost layer norm 60 cycles on a 32-wide row.
template <typename T>
TESSERA_VECTOR64_INLINE typename Vector64<T>::type fold_lane_sums(
    typename Vector64<T>::type (&r)[Vector64<T>::kLanes]) {
  constexpr int L = Vector64<T>::kLanes;
  vector64_detail::fold_stage<typename Vector64<T>::type, L, L / 2>(r);
  return r[0];
}

// dst[c * ld_dst + r] = src[r * ld_src + c] for r < rows, c < cols, a lanes x lanes block
// at a time through registers, and zeros at r in [rows, round_up(rows, lanes)): dst's
// rows must have room for those. Columns past the last full block go element by element.
template <typename T>
inline void transpose_copy(const T* src, int64_t ld_src, int64_t rows, int64_t cols, T* dst, int64_t ld_dst) {
  using V = typename Vector64<T>::type;
  constexpr int L = Vector64<T>::kLanes;
  const int64_t full_cols = cols / L * L;
  for (int64_t r0 = 0; r0 < rows; r0 += L) {
    const int64_t n = std::min<int64_t>(L, rows - r0);
    for (int64_t c0 = 0; c0 < full_cols; c0 += L) {
      V block[L] = {};
      for (int64_t i = 0; i < n; ++i) std::memcpy(&block[i], src + (r0 + i) * ld_src + c0, sizeof(V));
      transpose<T>(block);
      for (int i = 0; i < L; ++i) std::memcpy(dst + (c0 + i) * ld_dst + r0, &block[i], sizeof(V));
    }
    for (int64_t c = full_cols; c < cols; ++c)
      for (int64_t i = 0; i < L; ++i) dst[c * ld_dst + r0 + i] = i < n ? src[(r0 + i) * ld_src + c] : T(0);
  }
}

}  // namespace tessera::cpu
