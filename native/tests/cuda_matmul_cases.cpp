// CPU-vs-CUDA cases of matmul (cuda_consistency.h): odd and large sizes, skinny and
// empty products, every transpose combination, broadcast batch dimensions; and of
// matmul_bias, with each activation (none, relu, gelu), with and without the kept
// pre-activation.
#include <vector>

#include "cuda_case_makers.h"
#include "cuda_gemm_tolerance.h"

namespace tessera::testing {
namespace {

using Shape = std::vector<int64_t>;

// batch_a / batch_b: the leading dimensions of each input; out_batch: their broadcast.
CudaCase matmul_case(DType dtype, int64_t M, int64_t K, int64_t N, bool ta, bool tb, const Shape& batch_a = {},
                     const Shape& batch_b = {}, const Shape& out_batch = {}) {
  Shape a = batch_a, b = batch_b, out = out_batch;
  if (ta) a.insert(a.end(), {K, M});
  else a.insert(a.end(), {M, K});
  if (tb) b.insert(b.end(), {N, K});
  else b.insert(b.end(), {K, N});
  out.insert(out.end(), {M, N});
  CudaCase c = simple_case(OpId::matmul, dtype, {a, b}, out, {ta ? 1.0 : 0.0, tb ? 1.0 : 0.0});
  c.make_input = reals_in(-1, 1);
  set_gemm_tolerance(c, dtype, K);
  return c;
}

// activation: 0 none, 1 relu, 2 gelu (ops.def's enum); keep_pre: the second output (the
// values before the activation) is [M, N] rather than [0].
CudaCase matmul_bias_case(DType dtype, int64_t M, int64_t K, int64_t N, int activation, bool keep_pre) {
  CudaCase c = simple_case(OpId::matmul_bias, dtype, {{M, K}, {K, N}, {N}}, {M, N}, {double(activation)});
  c.outs.push_back({dtype, keep_pre ? std::vector<int64_t>{M, N} : std::vector<int64_t>{0}});
  if (keep_pre) c.label = "keep_pre";
  c.make_input = reals_in(-1, 1);
  set_gemm_tolerance(c, dtype, K);
  return c;
}

const CudaCaseRegistrar kMatmulBiasCases([] {
  std::vector<CudaCase> all;
  for (DType dtype : {DType::Float32, DType::Float64})
    for (int activation : {0, 1, 2}) {
      all.push_back(matmul_bias_case(dtype, 128, 784, 256, activation, false));
      all.push_back(matmul_bias_case(dtype, 7, 17, 129, activation, false));
      all.push_back(matmul_bias_case(dtype, 3, 0, 5, activation, false));
      all.push_back(matmul_bias_case(dtype, 0, 5, 4, activation, false));
      // The pre-activation kept (a recorded Dense forward with gelu), odd sizes.
      all.push_back(matmul_bias_case(dtype, 33, 65, 127, activation, true));
      all.push_back(matmul_bias_case(dtype, 3, 0, 5, activation, true));
    }
  return all;
});

const CudaCaseRegistrar kMatmulCases([] {
  std::vector<CudaCase> all;
  for (DType dtype : {DType::Float32, DType::Float64}) {
    // Square sizes around the 128 (float) and 64 (double) tiles.
    for (int64_t n : {1, 7, 17, 129, 257}) all.push_back(matmul_case(dtype, n, n, n, false, false));
    // Every transpose combination at sizes that are no multiple of any tile.
    for (int t = 0; t < 4; ++t) {
      all.push_back(matmul_case(dtype, 17, 129, 7, t & 1, t & 2));
      all.push_back(matmul_case(dtype, 129, 65, 257, t & 1, t & 2));
    }
    // Skinny, tall and empty products.
    all.push_back(matmul_case(dtype, 1, 1000, 1000, false, false));
    all.push_back(matmul_case(dtype, 1000, 1000, 1, false, true));
    all.push_back(matmul_case(dtype, 1000, 1, 1000, true, false));
    all.push_back(matmul_case(dtype, 3, 0, 4, false, false));
    all.push_back(matmul_case(dtype, 0, 5, 4, false, false));
    // Batches: plain, broadcast from rank 2, from ones, and interleaved ones.
    all.push_back(matmul_case(dtype, 7, 9, 11, false, false, {5}, {5}, {5}));
    all.push_back(matmul_case(dtype, 17, 9, 13, false, true, {2, 3}, {}, {2, 3}));
    all.push_back(matmul_case(dtype, 7, 5, 6, true, false, {4, 1}, {1, 3}, {4, 3}));
    all.push_back(matmul_case(dtype, 7, 9, 4, true, true, {1}, {3}, {3}));
    all.push_back(matmul_case(dtype, 33, 17, 65, false, false, {}, {2, 1, 3}, {2, 1, 3}));
  }
  // One product the size of a real layer (float32 only: the CPU reference is slow in double).
  all.push_back(matmul_case(DType::Float32, 1000, 1000, 1000, false, false));
  all.push_back(matmul_case(DType::Float32, 513, 1031, 257, true, true, {3}, {3}, {3}));
  return all;
});

}  // namespace
}  // namespace tessera::testing
