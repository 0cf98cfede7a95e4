// CPU-vs-CUDA cases of bias_relu and its backward pass (cuda_consistency.h): one channel,
// odd channel counts, a conv layer's activations. The forward pass and dx are exact; dbias
// sums in double on both devices.
#include <vector>

#include "cuda_case_makers.h"

namespace tessera::testing {
namespace {

const CudaCaseRegistrar kBiasReluCases([] {
  std::vector<CudaCase> all;
  const std::vector<std::vector<int64_t>> shapes = {{7, 1}, {17, 129}, {3, 5, 7, 83}, {128, 28, 28, 32}, {0, 4}};
  for (DType dtype : {DType::Float32, DType::Float64})
    for (const auto& shape : shapes) {
      const std::vector<int64_t> c = {shape.back()};
      CudaCase forward = simple_case(OpId::bias_relu, dtype, {shape, c}, shape);
      forward.make_input = reals_in(-1, 1);
      all.push_back(forward);
      CudaCase backward;
      backward.op = OpId::bias_relu_backward;
      backward.input_dtypes = {dtype, dtype};
      backward.inputs = {shape, shape};
      backward.outs = {{dtype, shape}, {dtype, c}};
      backward.make_input = reals_in(-1, 1);
      set_tolerance(backward, dtype, 1e-5, 1e-5, 1e-12, 1e-12);
      all.push_back(backward);
    }
  return all;
});

}  // namespace
}  // namespace tessera::testing
