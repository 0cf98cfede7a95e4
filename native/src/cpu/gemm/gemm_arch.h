// The contract between the GEMM driver (blocking, packing, threads) and one family of
// micro-kernels. The driver packs op(A) into row-major blocks with a fixed row stride and
// op(B) into panels of `nr` columns; a micro-kernel multiplies one A micro-panel (up to
// `mr` rows) by one B panel and writes the C tile through an Epilogue.
#pragma once
#include <array>
#include <cstdint>
#include <utility>

namespace tessera::cpu::gemm_detail {

// How a finished tile lands in C: C = beta * C + acc (beta == 0 never reads C), then
// + bias(i, j) and max(., 0). bias(i, j) = bias[i * bias_rs + j * bias_cs], so the same
// row vector serves a transposed problem. The driver clears bias and relu on all but the
// last K block, and sets beta to 1 after the first.
template <typename T>
struct Epilogue {
  T beta;
  const T* bias;
  int64_t bias_rs, bias_cs;
  bool relu;
};

template <typename T>
struct GemmArch {
  const char* isa;
  int mr;            // rows of a micro-tile
  int nr;            // columns of a packed B panel (a multiple of vl)
  int vl;            // vector lanes: panels narrower than nr are zero-padded to nr
  int64_t kc;        // K block: an A micro-panel (mr x kc) stays in L1
  int64_t mc;        // M block: the packed A block (mc x kc) stays in L2/L3
  int64_t nc;        // N block: the packed B block (kc x nc) stays in L2
  int64_t a_stride;  // row stride of packed A; kc plus a cache line, so rows do not alias in L1
  // One micro-tile: C(i, j) at c[i * rs_c + j * cs_c] for i < rows <= mr, j < cols <= nr.
  // a: A rows, a[i * rs_a + k] (packed: rs_a = a_stride; or op(A) read in place), b: a
  // packed B panel (kc rows of nr).
  void (*kernel)(int64_t kc, const T* a, int64_t rs_a, const T* b, T* c, int64_t rs_c, int64_t cs_c, int rows, int cols,
                 const Epilogue<T>& ep);
  // Packing: dst[r * ld_dst + c] = src[r * ld_src + c] (copy_rows) or src[c * ld_src + r]
  // (copy_transposed) for r < rows, c < cols; inline vector code, since the rows are short
  // (one B panel is 32 floats wide) and a libc call per row costs as much as the copy.
  void (*copy_rows)(const T* src, int64_t ld_src, int64_t rows, int64_t cols, T* dst, int64_t ld_dst);
  void (*copy_transposed)(const T* src, int64_t ld_src, int64_t rows, int64_t cols, T* dst, int64_t ld_dst);
};

template <typename T>
const GemmArch<T>& gemm_arch_portable();
#if defined(__x86_64__) && defined(__GNUC__)
#define TESSERA_GEMM_X86 1
template <typename T>
const GemmArch<T>& gemm_arch_avx2();
template <typename T>
const GemmArch<T>& gemm_arch_avx512();
#endif

// Scalar transposed copy of the rectangle [r0, r1) x [c0, c1): the portable family's
// packing, and the SIMD families' edges.
template <typename T>
void copy_transposed_scalar(const T* src, int64_t ld_src, int64_t r0, int64_t r1, int64_t c0, int64_t c1, T* dst,
                            int64_t ld_dst) {
  for (int64_t c = c0; c < c1; ++c)
    for (int64_t r = r0; r < r1; ++r) dst[r * ld_dst + c] = src[c * ld_src + r];
}

// The epilogue element by element, for tiles a kernel cannot store with vectors (a
// transposed C, or the portable family): tile is rows x cols with row stride ld_tile.
template <typename T>
void store_tile_scalar(const T* tile, int64_t ld_tile, T* c, int64_t rs_c, int64_t cs_c, int rows, int cols,
                       const Epilogue<T>& ep) {
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      T& out = c[i * rs_c + j * cs_c];
      T x = tile[i * ld_tile + j];
      if (ep.beta != T(0)) x += ep.beta * out;
      if (ep.bias) x += ep.bias[i * ep.bias_rs + j * ep.bias_cs];
      if (ep.relu && x < T(0)) x = T(0);  // NaN passes through, as in TensorFlow
      out = x;
    }
  }
}

// table[r - 1] = &Kernel<r>::run for r in 1..sizeof...(R): micro-kernels are compiled per
// row count, so an M edge costs no wasted rows and no runtime-bounded loops.
template <typename Fn, template <int> class Kernel, int... R>
constexpr std::array<Fn, sizeof...(R)> kernels_by_rows(std::integer_sequence<int, R...>) {
  return {&Kernel<R + 1>::run...};
}

}  // namespace tessera::cpu::gemm_detail

namespace tessera::cpu::gemm_detail {

// The family gemm() runs now (see gemm_isa.h).
template <typename T>
const GemmArch<T>& current_arch();

}  // namespace tessera::cpu::gemm_detail
