// AVX2 micro-kernels. 6 x 16 float tile (6 x 8 double): 12 accumulators + 2 B vectors +
// 1 broadcast fill 15 of the 16 ymm registers; 12 FMAs per 8 loads each k step.
// Blocks: from the CPU's cache sizes (cache_blocks in gemm_simd.h).
#include <type_traits>

#include "gemm_arch.h"

#if TESSERA_GEMM_X86
#include <immintrin.h>

#define TESSERA_GEMM_TARGET __attribute__((target("avx2,fma")))

namespace tessera::cpu::gemm_detail {
namespace {

// Lane masks for the first n lanes: 8 (or 4) -1s followed by 0s, read from offset 8 - n.
alignas(32) constexpr int32_t kMask32[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
alignas(32) constexpr int64_t kMask64[8] = {-1, -1, -1, -1, 0, 0, 0, 0};

struct Avx2Float {
  using T = float;
  using R = __m256;
  static constexpr int VL = 8, MR = 6, NV = 2;
  static constexpr int64_t MC = 1020, NC_MAX = 512;
  TESSERA_GEMM_TARGET static R zero() { return _mm256_setzero_ps(); }
  TESSERA_GEMM_TARGET static R set1(T x) { return _mm256_set1_ps(x); }
  TESSERA_GEMM_TARGET static R load(const T* p) { return _mm256_loadu_ps(p); }
  TESSERA_GEMM_TARGET static R broadcast(const T* p) { return _mm256_broadcast_ss(p); }
  TESSERA_GEMM_TARGET static void store(T* p, R x) { _mm256_storeu_ps(p, x); }
  TESSERA_GEMM_TARGET static R load_n(const T* p, int n) { return n == VL ? load(p) : _mm256_maskload_ps(p, mask(n)); }
  TESSERA_GEMM_TARGET static void store_n(T* p, R x, int n) {
    n == VL ? store(p, x) : _mm256_maskstore_ps(p, mask(n), x);
  }
  TESSERA_GEMM_TARGET static R fmadd(R a, R b, R c) { return _mm256_fmadd_ps(a, b, c); }
  TESSERA_GEMM_TARGET static R add(R a, R b) { return _mm256_add_ps(a, b); }
  TESSERA_GEMM_TARGET static R max(R a, R b) { return _mm256_max_ps(a, b); }
  TESSERA_GEMM_TARGET static __m256i mask(int n) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMask32 + 8 - n));
  }
  // In place, r[i] = row i becomes r[j] = column j: pairs, quads, then 128-bit halves.
  TESSERA_GEMM_TARGET static void transpose(R (&r)[VL]) {
    R t[8];
    for (int i = 0; i < 4; ++i) {
      t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
      t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int g = 0; g < 2; ++g) {
      r[4 * g] = _mm256_shuffle_ps(t[4 * g], t[4 * g + 2], 0x44);
      r[4 * g + 1] = _mm256_shuffle_ps(t[4 * g], t[4 * g + 2], 0xEE);
      r[4 * g + 2] = _mm256_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0x44);
      r[4 * g + 3] = _mm256_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0xEE);
    }
    for (int j = 0; j < 4; ++j) {
      const R lo = _mm256_permute2f128_ps(r[j], r[4 + j], 0x20), hi = _mm256_permute2f128_ps(r[j], r[4 + j], 0x31);
      r[j] = lo;
      r[4 + j] = hi;
    }
  }
};

struct Avx2Double {
  using T = double;
  using R = __m256d;
  static constexpr int VL = 4, MR = 6, NV = 2;
  static constexpr int64_t MC = 510, NC_MAX = 512;
  TESSERA_GEMM_TARGET static R zero() { return _mm256_setzero_pd(); }
  TESSERA_GEMM_TARGET static R set1(T x) { return _mm256_set1_pd(x); }
  TESSERA_GEMM_TARGET static R load(const T* p) { return _mm256_loadu_pd(p); }
  TESSERA_GEMM_TARGET static R broadcast(const T* p) { return _mm256_broadcast_sd(p); }
  TESSERA_GEMM_TARGET static void store(T* p, R x) { _mm256_storeu_pd(p, x); }
  TESSERA_GEMM_TARGET static R load_n(const T* p, int n) { return n == VL ? load(p) : _mm256_maskload_pd(p, mask(n)); }
  TESSERA_GEMM_TARGET static void store_n(T* p, R x, int n) {
    n == VL ? store(p, x) : _mm256_maskstore_pd(p, mask(n), x);
  }
  TESSERA_GEMM_TARGET static R fmadd(R a, R b, R c) { return _mm256_fmadd_pd(a, b, c); }
  TESSERA_GEMM_TARGET static R add(R a, R b) { return _mm256_add_pd(a, b); }
  TESSERA_GEMM_TARGET static R max(R a, R b) { return _mm256_max_pd(a, b); }
  TESSERA_GEMM_TARGET static __m256i mask(int n) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMask64 + 4 - n));
  }
  // In place, rows to columns: pairs, then 128-bit halves.
  TESSERA_GEMM_TARGET static void transpose(R (&r)[VL]) {
    const R t0 = _mm256_unpacklo_pd(r[0], r[1]), t1 = _mm256_unpackhi_pd(r[0], r[1]);
    const R t2 = _mm256_unpacklo_pd(r[2], r[3]), t3 = _mm256_unpackhi_pd(r[2], r[3]);
    r[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
    r[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    r[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
    r[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
  }
};

}  // namespace
}  // namespace tessera::cpu::gemm_detail

#include "gemm_simd.h"

namespace tessera::cpu::gemm_detail {

template <typename T>
const GemmArch<T>& gemm_arch_avx2() {
  using V = std::conditional_t<std::is_same_v<T, float>, Avx2Float, Avx2Double>;
  static const GemmArch<T> arch = make_arch<V>("avx2");
  return arch;
}

template const GemmArch<float>& gemm_arch_avx2<float>();
template const GemmArch<double>& gemm_arch_avx2<double>();

}  // namespace tessera::cpu::gemm_detail

#endif  // TESSERA_GEMM_X86
