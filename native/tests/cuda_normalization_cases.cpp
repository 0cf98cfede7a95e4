// CPU-vs-CUDA cases of batch and layer normalization, forward and backward
// (cuda_consistency.h): channels last, first and in the middle, one channel, one sample
// per channel, long rows and many rows. Both devices sum in double; the tolerance covers
// the float32 rounding of the elementwise passes.
#include <vector>

#include "cuda_case_makers.h"

namespace tessera::testing {
namespace {

using Shape = std::vector<int64_t>;

void set_norm_tolerance(CudaCase& c, DType dtype) {
  c.rtol = dtype == DType::Float64 ? 1e-10 : 1e-4;
  c.atol = dtype == DType::Float64 ? 1e-10 : 1e-4;
}

const CudaCaseRegistrar kNormalizationCases([] {
  std::vector<CudaCase> all;
  // (x shape, axis) for batch norm.
  const std::vector<std::pair<Shape, int>> bn = {
      {{7, 5}, -1}, {{3, 13, 17, 8}, 3}, {{3, 8, 13, 17}, 1},    {{2, 3, 4}, 0}, {{129, 257}, -1}, {{32, 64, 7, 7}, 1},
      {{5}, 0},     {{1, 1}, 1},         {{64, 28, 28, 32}, -1},
  };
  // x centered away from zero (the shifted sums matter), inverse deviations and variances positive.
  const InputMaker bn_inputs = reals_per_input({{-3, 5}, {-1, 1}, {-1, 1}, {-1, 1}, {0.1, 2}});
  const InputMaker bn_grad_inputs = reals_per_input({{-3, 5}, {-1, 1}, {-1, 1}, {-1, 1}, {0.1, 2}});
  for (DType dtype : {DType::Float32, DType::Float64}) {
    for (const auto& [shape, axis] : bn) {
      const int64_t channels = shape[axis < 0 ? axis + shape.size() : axis];
      const Shape c = {channels};
      CudaCase train;
      train.op = OpId::batch_norm_train_forward;
      train.input_dtypes.assign(5, dtype);
      train.inputs = {shape, c, c, c, c};
      train.outs = {{dtype, shape}, {dtype, c}, {dtype, c}, {dtype, c}, {dtype, c}};
      train.attrs = {double(axis), 1e-3, 0.99};
      train.make_input = bn_inputs;
      set_norm_tolerance(train, dtype);
      all.push_back(train);

      CudaCase inference = train;
      inference.op = OpId::batch_norm_inference;
      inference.outs = {{dtype, shape}};
      inference.attrs = {double(axis), 1e-3};
      all.push_back(inference);

      CudaCase backward = train;
      backward.op = OpId::batch_norm_backward;
      backward.inputs = {shape, shape, c, c, c};
      backward.outs = {{dtype, shape}, {dtype, c}, {dtype, c}};
      backward.attrs = {double(axis)};
      backward.make_input = bn_grad_inputs;
      all.push_back(backward);
    }
  }
  // (x shape, gamma shape) for layer norm: rows of D = gamma's size.
  const std::vector<std::pair<Shape, Shape>> ln = {
      {{7, 5}, {5}}, {{3, 13, 17}, {17}}, {{3, 5, 7}, {5, 7}}, {{129, 257}, {257}},
      {{1, 1}, {1}}, {{3, 4099}, {4099}}, {{2048, 64}, {64}},  {{0, 8}, {8}},
  };
  for (DType dtype : {DType::Float32, DType::Float64}) {
    for (const auto& [shape, gamma] : ln) {
      int64_t d = 1, size = 1;
      for (int64_t v : gamma) d *= v;
      for (int64_t v : shape) size *= v;
      const Shape rows = {size / d};
      CudaCase forward;
      forward.op = OpId::layer_norm_forward;
      forward.input_dtypes.assign(3, dtype);
      forward.inputs = {shape, gamma, gamma};
      forward.outs = {{dtype, shape}, {dtype, rows}, {dtype, rows}};
      forward.attrs = {1e-3};
      forward.make_input = reals_per_input({{-3, 5}, {-1, 1}, {-1, 1}});
      set_norm_tolerance(forward, dtype);
      all.push_back(forward);

      CudaCase backward = forward;
      backward.op = OpId::layer_norm_backward;
      backward.input_dtypes.assign(5, dtype);
      backward.inputs = {shape, shape, gamma, rows, rows};
      backward.outs = {{dtype, shape}, {dtype, gamma}, {dtype, gamma}};
      backward.attrs = {};
      backward.make_input = reals_per_input({{-3, 5}, {-1, 1}, {-1, 1}, {-1, 1}, {0.1, 2}});
      all.push_back(backward);
    }
  }
  return all;
});

}  // namespace
}  // namespace tessera::testing
