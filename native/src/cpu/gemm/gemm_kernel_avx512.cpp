// AVX-512 micro-kernels. 14 x 32 float tile (14 x 16 double): 28 accumulators + 2 B
// vectors fill 30 of the 32 zmm registers, A comes as an embedded broadcast; per k step
// 28 FMAs against 16 loads, so the two FMA pipes, not the two load ports, set the pace.
// 14 rows also divide the common 784 and 3136 exactly.
// Blocks: from the CPU's cache sizes (cache_blocks in gemm_simd.h); on Zen 5 the A
// micro-panel is 14 x 512 floats (29 KB of the 48 KB L1d) while B panels stream from a
// 512 x 384 block (768 KB) in L2.
#include <type_traits>

#include "gemm_arch.h"

#if TESSERA_GEMM_X86
#include <immintrin.h>

// GCC 12 warns inside its own AVX-512 intrinsics (_mm512_undefined_* initializes itself:
// GCC bug 105593), at every use.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#define TESSERA_GEMM_TARGET __attribute__((target("avx512f,fma")))

namespace tessera::cpu::gemm_detail {
namespace {

// In-register transposes for packing a transposed operand and for storing a transposed C
// tile: r[i] holds row i; afterwards r[j] holds column j.

// 16 x 16 floats in three shuffle stages (pairs, quads, 128-bit lanes).
TESSERA_GEMM_TARGET inline void transpose16(__m512 (&r)[16]) {
  __m512 t[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  for (int i = 0; i < 4; ++i) {
    const __m512d t0 = _mm512_castps_pd(t[4 * i]), t1 = _mm512_castps_pd(t[4 * i + 1]);
    const __m512d t2 = _mm512_castps_pd(t[4 * i + 2]), t3 = _mm512_castps_pd(t[4 * i + 3]);
    r[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
    r[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
    r[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
    r[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
  }
  // r[4g + j], 128-bit lane L, holds column 4L + j of rows 4g..4g+3.
  for (int j = 0; j < 4; ++j) {
    const __m512 u0 = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x88), u1 = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xDD);
    const __m512 u2 = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x88);
    const __m512 u3 = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xDD);
    r[j] = _mm512_shuffle_f32x4(u0, u2, 0x88);
    r[4 + j] = _mm512_shuffle_f32x4(u1, u3, 0x88);
    r[8 + j] = _mm512_shuffle_f32x4(u0, u2, 0xDD);
    r[12 + j] = _mm512_shuffle_f32x4(u1, u3, 0xDD);
  }
}

// 8 x 8 doubles: pairs, then 128-bit lanes.
TESSERA_GEMM_TARGET inline void transpose8(__m512d (&r)[8]) {
  __m512d t[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = _mm512_unpacklo_pd(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_pd(r[2 * i], r[2 * i + 1]);
  }
  // t[2g + j], 128-bit lane L, holds column 2L + j of rows 2g, 2g+1.
  for (int j = 0; j < 2; ++j) {
    const __m512d u0 = _mm512_shuffle_f64x2(t[j], t[2 + j], 0x88), u1 = _mm512_shuffle_f64x2(t[j], t[2 + j], 0xDD);
    const __m512d u2 = _mm512_shuffle_f64x2(t[4 + j], t[6 + j], 0x88);
    const __m512d u3 = _mm512_shuffle_f64x2(t[4 + j], t[6 + j], 0xDD);
    r[j] = _mm512_shuffle_f64x2(u0, u2, 0x88);
    r[2 + j] = _mm512_shuffle_f64x2(u1, u3, 0x88);
    r[4 + j] = _mm512_shuffle_f64x2(u0, u2, 0xDD);
    r[6 + j] = _mm512_shuffle_f64x2(u1, u3, 0xDD);
  }
}

struct Avx512Float {
  using T = float;
  using R = __m512;
  static constexpr int VL = 16, MR = 14, NV = 2;
  static constexpr int64_t MC = 2016, NC_MAX = 512;
  TESSERA_GEMM_TARGET static R zero() { return _mm512_setzero_ps(); }
  TESSERA_GEMM_TARGET static R set1(T x) { return _mm512_set1_ps(x); }
  TESSERA_GEMM_TARGET static R load(const T* p) { return _mm512_loadu_ps(p); }
  TESSERA_GEMM_TARGET static R broadcast(const T* p) { return _mm512_set1_ps(*p); }
  TESSERA_GEMM_TARGET static void store(T* p, R x) { _mm512_storeu_ps(p, x); }
  TESSERA_GEMM_TARGET static R load_n(const T* p, int n) { return _mm512_maskz_loadu_ps(mask(n), p); }
  TESSERA_GEMM_TARGET static void store_n(T* p, R x, int n) { _mm512_mask_storeu_ps(p, mask(n), x); }
  TESSERA_GEMM_TARGET static R fmadd(R a, R b, R c) { return _mm512_fmadd_ps(a, b, c); }
  TESSERA_GEMM_TARGET static R add(R a, R b) { return _mm512_add_ps(a, b); }
  TESSERA_GEMM_TARGET static R max(R a, R b) { return _mm512_max_ps(a, b); }
  TESSERA_GEMM_TARGET static void transpose(R (&r)[VL]) { transpose16(r); }
  static __mmask16 mask(int n) { return static_cast<__mmask16>((1u << n) - 1); }
};

struct Avx512Double {
  using T = double;
  using R = __m512d;
  static constexpr int VL = 8, MR = 14, NV = 2;
  static constexpr int64_t MC = 1008, NC_MAX = 512;
  TESSERA_GEMM_TARGET static R zero() { return _mm512_setzero_pd(); }
  TESSERA_GEMM_TARGET static R set1(T x) { return _mm512_set1_pd(x); }
  TESSERA_GEMM_TARGET static R load(const T* p) { return _mm512_loadu_pd(p); }
  TESSERA_GEMM_TARGET static R broadcast(const T* p) { return _mm512_set1_pd(*p); }
  TESSERA_GEMM_TARGET static void store(T* p, R x) { _mm512_storeu_pd(p, x); }
  TESSERA_GEMM_TARGET static R load_n(const T* p, int n) { return _mm512_maskz_loadu_pd(mask(n), p); }
  TESSERA_GEMM_TARGET static void store_n(T* p, R x, int n) { _mm512_mask_storeu_pd(p, mask(n), x); }
  TESSERA_GEMM_TARGET static R fmadd(R a, R b, R c) { return _mm512_fmadd_pd(a, b, c); }
  TESSERA_GEMM_TARGET static R add(R a, R b) { return _mm512_add_pd(a, b); }
  TESSERA_GEMM_TARGET static R max(R a, R b) { return _mm512_max_pd(a, b); }
  TESSERA_GEMM_TARGET static void transpose(R (&r)[VL]) { transpose8(r); }
  static __mmask8 mask(int n) { return static_cast<__mmask8>((1u << n) - 1); }
};

}  // namespace
}  // namespace tessera::cpu::gemm_detail

#include "gemm_simd.h"

namespace tessera::cpu::gemm_detail {

template <typename T>
const GemmArch<T>& gemm_arch_avx512() {
  using V = std::conditional_t<std::is_same_v<T, float>, Avx512Float, Avx512Double>;
  static const GemmArch<T> arch = make_arch<V>("avx512");
  return arch;
}

template const GemmArch<float>& gemm_arch_avx512<float>();
template const GemmArch<double>& gemm_arch_avx512<double>();

}  // namespace tessera::cpu::gemm_detail

#endif  // TESSERA_GEMM_X86
