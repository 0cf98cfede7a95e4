// CPU-vs-CUDA cases of the image resize kernels and their gradients (cuda_consistency.h):
// up and down, each coordinate rule (legacy, aligned corners, half-pixel centres), edge
// clamping, and an empty batch. Forward passes read the same taps (contracts/resize.h);
// the CUDA backward adds with atomics in no fixed order, hence the tolerances.
#include <vector>

#include "cuda_case_makers.h"

namespace tessera::testing {
namespace {

struct Resize {
  int64_t n, h, w, c, oh, ow;
};

const CudaCaseRegistrar kResizeCases([] {
  std::vector<CudaCase> all;
  const std::vector<Resize> shapes = {
      {2, 5, 7, 3, 9, 4},      // up in height, down in width
      {1, 8, 8, 2, 3, 3},      // down
      {3, 1, 6, 4, 4, 6},      // a single row to four
      {0, 4, 4, 1, 2, 2},      // empty batch
      {4, 28, 28, 1, 32, 32},  // a layer-sized batch
  };
  const std::vector<std::vector<double>> rules = {{0, 0}, {1, 0}, {0, 1}};  // legacy, aligned, half-pixel
  for (const Resize& r : shapes)
    for (const auto& attrs : rules) {
      const std::vector<int64_t> x = {r.n, r.h, r.w, r.c}, y = {r.n, r.oh, r.ow, r.c};
      for (DType dtype : {DType::Float32, DType::Float64}) {
        all.push_back(simple_case(OpId::resize_bilinear, dtype, {x}, y, attrs, 1e-6, 1e-6));
        all.push_back(simple_case(OpId::resize_bilinear_backward, dtype, {y}, x, attrs, 1e-5, 1e-5));
        all.push_back(simple_case(OpId::resize_nearest, dtype, {x}, y, attrs));
        all.push_back(simple_case(OpId::resize_nearest_backward, dtype, {y}, x, attrs, 1e-5, 1e-5));
      }
    }
  return all;
});

}  // namespace
}  // namespace tessera::testing
