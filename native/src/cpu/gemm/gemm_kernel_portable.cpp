// Portable micro-kernels: plain C++ the compiler vectorizes for the baseline of any
// target (SSE2 on x86-64, NEON on AArch64). A 4 x 16 float tile (4 x 8 double) is 16
// 128-bit accumulators: all of SSE2's registers, half of NEON's.
#include <algorithm>

#include "gemm_arch.h"

namespace tessera::cpu::gemm_detail {
namespace {

constexpr int kRows = 4;
constexpr int64_t kKc = 256, kMc = 1024, kNc = 256;

template <typename T>
struct Portable {
  static constexpr int NR = 64 / sizeof(T);
  static constexpr int64_t AS = kKc + 64 / sizeof(T);

  template <int ROWS>
  struct Rows {
    static void run(int64_t kc, const T* a, int64_t rs_a, const T* b, T* c, int64_t rs_c, int64_t cs_c, int rows,
                    int cols, const Epilogue<T>& ep) {
      T acc[ROWS][NR] = {};
      for (int64_t k = 0; k < kc; ++k) {
        for (int i = 0; i < ROWS; ++i) {
          const T ai = a[i * rs_a + k];
          for (int j = 0; j < NR; ++j) acc[i][j] += ai * b[k * NR + j];
        }
      }
      store_tile_scalar(&acc[0][0], NR, c, rs_c, cs_c, ROWS, cols, ep);
    }
  };

  static void kernel(int64_t kc, const T* a, int64_t rs_a, const T* b, T* c, int64_t rs_c, int64_t cs_c, int rows,
                     int cols, const Epilogue<T>& ep) {
    static constexpr auto table =
        kernels_by_rows<decltype(&Rows<1>::run), Rows>(std::make_integer_sequence<int, kRows>());
    table[rows - 1](kc, a, rs_a, b, c, rs_c, cs_c, rows, cols, ep);
  }

  static void copy_rows(const T* src, int64_t ld_src, int64_t rows, int64_t cols, T* dst, int64_t ld_dst) {
    for (int64_t r = 0; r < rows; ++r) std::copy_n(src + r * ld_src, cols, dst + r * ld_dst);
  }

  // Blocked so both the reads and the strided writes stay within a few cache lines.
  static void copy_transposed(const T* src, int64_t ld_src, int64_t rows, int64_t cols, T* dst, int64_t ld_dst) {
    constexpr int64_t kBlock = 16;
    for (int64_t c0 = 0; c0 < cols; c0 += kBlock)
      for (int64_t r0 = 0; r0 < rows; r0 += kBlock)
        copy_transposed_scalar(src, ld_src, r0, std::min(rows, r0 + kBlock), c0, std::min(cols, c0 + kBlock), dst,
                               ld_dst);
  }

  static GemmArch<T> arch() {
    return GemmArch<T>{"portable", kRows, NR, NR, kKc, kMc, kNc, AS, &kernel, &copy_rows, &copy_transposed};
  }
};

}  // namespace

template <typename T>
const GemmArch<T>& gemm_arch_portable() {
  static const GemmArch<T> arch = Portable<T>::arch();
  return arch;
}

template const GemmArch<float>& gemm_arch_portable<float>();
template const GemmArch<double>& gemm_arch_portable<double>();

}  // namespace tessera::cpu::gemm_detail
