// CPU-vs-CUDA cases of the random kernels: the same Philox stream on both sides.
// Uniform values are exact; normal ones go through logf / cosf / sqrtf, which are within
// a few ulp of the CPU's libm.
#include "cuda_case_makers.h"

namespace tessera::testing {
namespace {

const CudaCaseRegistrar kRandomCases([] {
  std::vector<CudaCase> all;
  const std::vector<std::vector<int64_t>> shapes = {{0}, {1}, {7}, {17, 129}, {3000017}};
  // [seed, offset, a, b]: seeds and offsets that use both 32-bit halves.
  const std::vector<std::vector<double>> attrs = {
      {0, 0, 0, 1}, {42, 7, -3, 5}, {1234567890123.0, 98765432101.0, 1, 1.0000001}, {7, 3, -1e-3, 1e-3}};
  for (DType dtype : {DType::Float32, DType::Float64}) {
    for (const auto& shape : shapes) {
      for (const auto& a : attrs) {
        if (shape[0] == 3000017 && &a != &attrs[1]) continue;  // one large case per op and dtype: time
        all.push_back(simple_case(OpId::random_uniform, dtype, {}, shape, a));
        for (OpId op : {OpId::random_normal, OpId::truncated_normal}) {
          CudaCase c = simple_case(op, dtype, {}, shape, {a[0], a[1], a[2], std::fabs(a[3]) + 0.5});
          // One ulp of logf or cosf moves a draw by about 1e-7 relative; a draw near the
          // truncation bound could in principle flip between kept and redrawn.
          set_tolerance(c, dtype, 1e-5, 2e-5, 1e-5, 2e-5);
          all.push_back(c);
        }
      }
    }
  }
  return all;
});

}  // namespace
}  // namespace tessera::testing
