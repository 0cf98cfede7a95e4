// Philox4x32-10 (tessera/philox.h) for 8 consecutive blocks at once, in AVX2 registers:
// the same words as philox_block, bit for bit. Compiled from plain C++ with the blocks
// side by side, the vectorizer widened each 32 x 32 -> 64-bit product and narrowed it
// back with shuffles on every round (dropout took 3 ns an element on one thread); here
// the products stay in the even and odd 64-bit halves and two blends per product pick
// the high and low words (dropout: 1.4 ns an element).
#pragma once
#include <cstdint>

#include "tessera/philox.h"
#include "vectorize.h"

#if TESSERA_VECTORIZE_X86
#include <immintrin.h>
#endif

namespace tessera::cpu {

// Blocks per philox_8_blocks call, and words it writes.
inline constexpr int64_t kPhiloxLaneBlocks = 8, kPhiloxLaneWords = 4 * kPhiloxLaneBlocks;

#if TESSERA_VECTORIZE_X86
namespace philox_lanes_detail {

// hi and lo words of m * c, lane by lane.
__attribute__((target("avx2"))) inline void mulhilo(__m256i m, __m256i c, __m256i& hi, __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(c, m), odd = _mm256_mul_epu32(_mm256_srli_epi64(c, 32), m);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

}  // namespace philox_lanes_detail

// words[4 * l + j] = philox_block(seed, offset, first + l).v[j] for l < 8. On x86 only
// where philox_lanes_available() (this is AVX2 code); elsewhere a plain loop.
__attribute__((target("avx2"))) inline void philox_8_blocks(uint64_t seed, uint64_t offset, uint64_t first,
                                                            uint32_t* words) {
  using philox_lanes_detail::mulhilo;
  // Counters first + l: the low words, and the high word plus one in lanes where the low
  // word wrapped (built in registers: eight scalar stores read back as one vector stalled
  // on store forwarding, 15% of the time).
  const __m256i first_lo = _mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(first)));
  __m256i c0 = _mm256_add_epi32(first_lo, _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  const __m256i sign = _mm256_set1_epi32(static_cast<int>(0x80000000u));
  const __m256i wrapped = _mm256_cmpgt_epi32(_mm256_xor_si256(first_lo, sign), _mm256_xor_si256(c0, sign));
  __m256i c1 = _mm256_sub_epi32(_mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(first >> 32))), wrapped);
  __m256i c2 = _mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(offset)));
  __m256i c3 = _mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(offset >> 32)));
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(0xD2511F53u));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(0xCD9E8D57u));
  for (int round = 0; round < 10; ++round) {
    __m256i hi0, lo0, hi1, lo1;
    mulhilo(m0, c0, hi0, lo0);
    mulhilo(m1, c2, hi1, lo1);
    c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(static_cast<int>(k0)));
    c1 = lo1;
    c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(static_cast<int>(k1)));
    c3 = lo0;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  // [c0 | c1 | c2 | c3] lane l -> words 4l .. 4l + 3: a 4 x 8 transpose.
  const __m256i t0 = _mm256_unpacklo_epi32(c0, c1), t1 = _mm256_unpackhi_epi32(c0, c1);
  const __m256i t2 = _mm256_unpacklo_epi32(c2, c3), t3 = _mm256_unpackhi_epi32(c2, c3);
  const __m256i b04 = _mm256_unpacklo_epi64(t0, t2), b15 = _mm256_unpackhi_epi64(t0, t2);
  const __m256i b26 = _mm256_unpacklo_epi64(t1, t3), b37 = _mm256_unpackhi_epi64(t1, t3);
  __m256i* out = reinterpret_cast<__m256i*>(words);
  _mm256_storeu_si256(out, _mm256_permute2x128_si256(b04, b15, 0x20));
  _mm256_storeu_si256(out + 1, _mm256_permute2x128_si256(b26, b37, 0x20));
  _mm256_storeu_si256(out + 2, _mm256_permute2x128_si256(b04, b15, 0x31));
  _mm256_storeu_si256(out + 3, _mm256_permute2x128_si256(b26, b37, 0x31));
}
#else
inline void philox_8_blocks(uint64_t seed, uint64_t offset, uint64_t first, uint32_t* words) {
  for (int l = 0; l < 8; ++l) {
    const Philox4 r = philox_block(seed, offset, first + static_cast<uint64_t>(l));
    for (int j = 0; j < 4; ++j) words[4 * l + j] = r.v[j];
  }
}
#endif

// Whether philox_8_blocks may run here.
inline bool philox_lanes_available() {
#if TESSERA_VECTORIZE_X86
  return vector_isa() != VectorIsa::kPortable;
#else
  return false;
#endif
}

}  // namespace tessera::cpu
