// The SIMD micro-kernel and packing, written once over a vector-traits type V and
// compiled per ISA: an ISA file defines TESSERA_GEMM_TARGET (its target attribute) and V
// (intrinsics, an in-register transpose, tile shape and cache blocks), then includes this
// header. Everything here has internal linkage, so two ISAs' copies never merge at link
// time (a merged AVX-512 copy would crash an AVX2-only CPU).
#include <algorithm>
#include <utility>

#include "gemm_arch.h"
#include "tessera/cpu_features.h"

namespace tessera::cpu::gemm_detail {
namespace {

template <class V>
TESSERA_GEMM_TARGET void copy_rows(const typename V::T* src, int64_t ld_src, int64_t rows, int64_t cols,
                                   typename V::T* dst, int64_t ld_dst) {
  constexpr int VL = V::VL;
  const int64_t cols_full = cols / VL * VL;
  const int tail = static_cast<int>(cols - cols_full);
  for (int64_t r = 0; r < rows; ++r, src += ld_src, dst += ld_dst) {
    for (int64_t c = 0; c < cols_full; c += VL) V::store(dst + c, V::load(src + c));
    if (tail) V::store_n(dst + cols_full, V::load_n(src + cols_full, tail), tail);
  }
}

// dst[r * ld_dst + c] = src[c * ld_src + r] in VL x VL register tiles; edge tiles use
// masked loads and stores, so no element goes through a scalar path.
template <class V>
TESSERA_GEMM_TARGET void copy_transposed(const typename V::T* src, int64_t ld_src, int64_t rows, int64_t cols,
                                         typename V::T* dst, int64_t ld_dst) {
  constexpr int VL = V::VL;
  for (int64_t c0 = 0; c0 < cols; c0 += VL) {
    const int nc = static_cast<int>(std::min<int64_t>(VL, cols - c0));
    for (int64_t r0 = 0; r0 < rows; r0 += VL) {
      const int nr = static_cast<int>(std::min<int64_t>(VL, rows - r0));
      typename V::R t[VL];
      for (int i = 0; i < VL; ++i) t[i] = i < nc ? V::load_n(src + (c0 + i) * ld_src + r0, nr) : V::zero();
      V::transpose(t);
      for (int i = 0; i < nr; ++i) V::store_n(dst + (r0 + i) * ld_dst + c0, t[i], nc);
    }
  }
}

// The tile: ROWS x (NV vectors) accumulators held in registers for the whole K block.
// Each k step loads NV vectors of the B panel and broadcasts ROWS values of A, so loads
// stay below FMAs.
template <class V, int NV>
struct SimdKernel {
  using T = typename V::T;
  using R = typename V::R;
  static constexpr int VL = V::VL, NR = V::NV * V::VL;

  template <int ROWS>
  struct Rows {
    TESSERA_GEMM_TARGET static void run(int64_t kc, const T* a, int64_t rs_a, const T* b, T* c, int64_t rs_c,
                                        int64_t cs_c, int rows, int cols, const Epilogue<T>& ep) {
      // The tile's C lines (both, where a row spans two) arrive while the K loop runs.
      if (cs_c == 1) {
        for (int i = 0; i < ROWS; ++i) {
          __builtin_prefetch(c + i * rs_c, 1);
          __builtin_prefetch(c + i * rs_c + cols - 1, 1);
        }
      }
      R acc[ROWS][NV];
#pragma GCC unroll 32
      for (int i = 0; i < ROWS; ++i)
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[i][v] = V::zero();
          // Unrolled: rolled, the loop's 4 pointer and counter instructions were a sixth of
          // the AVX2 6 x 16 loop (2 loads, 6 broadcasts, 12 FMAs), near Zen 2's dispatch width.
#pragma GCC unroll 4
      for (int64_t k = 0; k < kc; ++k) {
        R bv[NV];
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) bv[v] = V::load(b + v * VL);
#pragma GCC unroll 32
        for (int i = 0; i < ROWS; ++i) {
          const R ai = V::broadcast(a + i * rs_a);
#pragma GCC unroll 4
          for (int v = 0; v < NV; ++v) acc[i][v] = V::fmadd(ai, bv[v], acc[i][v]);
        }
        a += 1;
        b += NR;
      }
      if (cs_c == 1) {
        // Straight into C; only the last vector of a row may be partial.
        // The epilogue's fields in locals, tested once: read through ep, they were tested
        // again for every vector (a store to C might change them), a tenth of a K = 64 call.
        const T beta_value = ep.beta;
        const T* const bias = ep.bias;
        const bool relu = ep.relu;
        // Bias runs along j, except in a transposed problem whose C is contiguous both
        // ways (N == 1, ldc == 1: a Dense layer of one unit): then along i.
        const bool bias_along_i = bias && ep.bias_cs == 0;
        if (beta_value == T(0) && !bias && !relu) {
#pragma GCC unroll 32
          for (int i = 0; i < ROWS; ++i)
#pragma GCC unroll 4
            for (int v = 0; v < NV; ++v) V::store_n(c + i * rs_c + v * VL, acc[i][v], v == NV - 1 ? cols - v * VL : VL);
        } else {
          const R beta = V::set1(beta_value);
#pragma GCC unroll 32
          for (int i = 0; i < ROWS; ++i) {
#pragma GCC unroll 4
            for (int v = 0; v < NV; ++v) {
              T* out = c + i * rs_c + v * VL;
              const int n = v == NV - 1 ? cols - v * VL : VL;
              R x = acc[i][v];
              if (beta_value != T(0)) x = V::fmadd(beta, V::load_n(out, n), x);
              if (bias) x = V::add(x, bias_along_i ? V::set1(bias[i * ep.bias_rs]) : V::load_n(bias + v * VL, n));
              if (relu) x = V::max(V::zero(), x);
              V::store_n(out, x, n);
            }
          }
        }
      } else {
        // A transposed problem (rs_c == 1): C comes in and goes out through register
        // transposes, and bias runs along i.
        alignas(64) T tile[ROWS * NR];
        if (ep.beta != T(0)) copy_transposed<V>(c, cs_c, ROWS, cols, tile, NR);
        const R beta = V::set1(ep.beta);
        // Unrolled like the loops above: an acc[i][v] indexed by a variable anywhere kept the
        // whole array in memory, stored on every k step (AVX2 ran at half speed).
#pragma GCC unroll 32
        for (int i = 0; i < ROWS; ++i) {
#pragma GCC unroll 4
          for (int v = 0; v < NV; ++v) {
            T* t = tile + i * NR + v * VL;
            R x = acc[i][v];
            if (ep.beta != T(0)) x = V::fmadd(beta, V::load(t), x);
            if (ep.bias) x = V::add(x, V::set1(ep.bias[i * ep.bias_rs]));
            if (ep.relu) x = V::max(V::zero(), x);
            V::store(t, x);
          }
        }
        copy_transposed<V>(tile, NR, cols, ROWS, c, cs_c);
      }
    }
  };

  static constexpr auto table =
      kernels_by_rows<decltype(&Rows<1>::run), Rows>(std::make_integer_sequence<int, V::MR>());
};

template <class V>
void micro_kernel(int64_t kc, const typename V::T* a, int64_t rs_a, const typename V::T* b, typename V::T* c,
                  int64_t rs_c, int64_t cs_c, int rows, int cols, const Epilogue<typename V::T>& ep) {
  // Narrow edge panels use fewer vectors rather than multiplying zeros.
  if (cols > (V::NV - 1) * V::VL) {
    SimdKernel<V, V::NV>::table[rows - 1](kc, a, rs_a, b, c, rs_c, cs_c, rows, cols, ep);
  } else {
    SimdKernel<V, 1>::table[rows - 1](kc, a, rs_a, b, c, rs_c, cs_c, rows, cols, ep);
  }
}

// K and N blocks from this CPU's caches: an A micro-panel (mr x kc) fills at most 60% of
// L1d, and a packed B block (kc x nc) at most 75% of L2. On Zen 5 (48 KB L1d, 1 MB L2)
// that is kc = 512, nc = 384 for float, which ran 2-4% faster than a fixed 256 x 512 at
// 1024^3 and 2048^3 and 4% faster at 3136 x 64 x 576.
template <class V>
std::pair<int64_t, int64_t> cache_blocks() {
  using T = typename V::T;
  const CpuFeatures& cpu = cpu_features();
  constexpr int64_t kc_unit = 32, nr = V::NV * V::VL;
  const int64_t kc_fit = int64_t(0.6 * cpu.l1d_bytes) / (V::MR * int64_t(sizeof(T))) / kc_unit * kc_unit;
  const int64_t kc = std::clamp<int64_t>(kc_fit, 128, 512);
  const int64_t nc_fit = int64_t(0.75 * cpu.l2_bytes) / (kc * int64_t(sizeof(T))) / nr * nr;
  return {kc, std::clamp<int64_t>(nc_fit, 4 * nr, V::NC_MAX)};
}

template <class V>
GemmArch<typename V::T> make_arch(const char* isa) {
  using T = typename V::T;
  const auto [kc, nc] = cache_blocks<V>();
  return GemmArch<T>{isa,
                     V::MR,
                     V::NV * V::VL,
                     V::VL,
                     kc,
                     V::MC,
                     nc,
                     kc + 64 / int64_t(sizeof(T)),  // a cache line past kc: packed rows do not alias
                     &micro_kernel<V>,
                     &copy_rows<V>,
                     &copy_transposed<V>};
}

}  // namespace
}  // namespace tessera::cpu::gemm_detail
