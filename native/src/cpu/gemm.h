// C = op(A) * op(B) for row-major matrices, where op transposes when asked.
// A is M x K (K x M when trans_a), B is K x N (N x K when trans_b), C is M x N.
// lda / ldb / ldc are row strides in elements. C is overwritten (beta = 0).
#pragma once
#include <cstdint>

namespace tessera::cpu {

template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B,
          int64_t ldb, T* C, int64_t ldc);

}  // namespace tessera::cpu
