// Tolerances for the CUDA kernels that sum products (matmul, convolutions, recurrent
// cells), whose order of accumulation differs from the CPU's blocked GEMM. Inputs in
// [-1, 1): a sum of K products then has rounding errors near eps * sqrt(K) on both
// devices; the bounds below leave a wide margin over that, and stay far below the size
// of one wrong term. With TESSERA_ALLOW_TF32=1 set, the float32 cases run on tensor
// cores, whose operands keep 10 mantissa bits: relative errors near 1e-3 per product.
#pragma once
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "cuda_consistency.h"

namespace tessera::testing {

inline bool tf32_requested_for_tests() {
  const char* v = std::getenv("TESSERA_ALLOW_TF32");
  return v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
}

// Sets c's tolerance for sums of k products of values in [-1, 1).
inline void set_gemm_tolerance(CudaCase& c, DType dtype, int64_t k) {
  const double kd = static_cast<double>(k < 1 ? 1 : k);
  if (dtype == DType::Float64) {
    c.rtol = 1e-10;
    c.atol = 1e-13 * kd + 1e-14;
  } else if (tf32_requested_for_tests()) {
    c.rtol = 1e-2;
    c.atol = 3e-3 * std::sqrt(kd);
    c.label += c.label.empty() ? "tf32" : "_tf32";
  } else {
    c.rtol = 1e-4;
    c.atol = 2e-6 * kd + 1e-5;
  }
}

}  // namespace tessera::testing
