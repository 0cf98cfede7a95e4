// A cache-friendly GEMM: i-k-j order so the inner loop streams rows of B and C, with
// rows of C spread over the thread pool.
#include "gemm.h"

#include <algorithm>
#include <vector>

#include "tessera/thread_pool.h"

namespace tessera::cpu {

template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B,
          int64_t ldb, T* C, int64_t ldc) {
  const int64_t grain = std::max<int64_t>(1, 65536 / std::max<int64_t>(1, N * K));
  parallel_for(0, M, grain, [&](int64_t lo, int64_t hi) {
    std::vector<T> b_row(trans_b ? N : 0);
    for (int64_t i = lo; i < hi; ++i) {
      T* c = C + i * ldc;
      std::fill(c, c + N, T(0));
      for (int64_t k = 0; k < K; ++k) {
        const T a = trans_a ? A[k * lda + i] : A[i * lda + k];
        if (a == T(0)) continue;
        if (trans_b) {
          for (int64_t j = 0; j < N; ++j) c[j] += a * B[j * ldb + k];
        } else {
          const T* b = B + k * ldb;
          for (int64_t j = 0; j < N; ++j) c[j] += a * b[j];
        }
      }
    }
  });
}

template void gemm<float>(bool, bool, int64_t, int64_t, int64_t, const float*, int64_t, const float*, int64_t, float*,
                          int64_t);
template void gemm<double>(bool, bool, int64_t, int64_t, int64_t, const double*, int64_t, const double*, int64_t,
                           double*, int64_t);

}  // namespace tessera::cpu
