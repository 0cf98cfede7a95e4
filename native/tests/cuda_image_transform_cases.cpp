// CPU-vs-CUDA cases of the projective image transform and its gradient w.r.t. the image
// (cuda_consistency.h): every fill mode with bilinear sampling under random near-identity
// projective maps, and nearest sampling under maps whose coordinates are whole numbers
// (a quarter turn, a flip, a shift), where both devices must pick the same pixels.
#include <vector>

#include "cuda_case_makers.h"

namespace tessera::testing {
namespace {

// Input 0 (images or dy): reals in [-100, 100). Input 1 (transforms): `rows` when given,
// else random near-identity projective maps (scale and shear within 0.3, shifts within 3
// pixels, perspective terms within 0.01).
InputMaker transforms_maker(std::vector<std::vector<double>> rows) {
  return [rows](int index, DType dtype, int64_t n, uint32_t seed) {
    if (index == 0) return random_bytes(dtype, n, seed);
    std::vector<double> v(static_cast<size_t>(n));
    const auto u = random_vector<double>(static_cast<size_t>(n), seed, -1.0, 1.0);
    const double base[8] = {1, 0, 0, 0, 1, 0, 0, 0}, spread[8] = {0.3, 0.3, 3, 0.3, 0.3, 3, 0.01, 0.01};
    for (int64_t i = 0; i < n; ++i) {
      const size_t k = static_cast<size_t>(i % 8), row = static_cast<size_t>(i / 8);
      v[i] = rows.empty() ? base[k] + spread[k] * u[i] : rows[row % rows.size()][k];
    }
    if (dtype == DType::Float64) return bytes_of_values(v);
    return bytes_of_values(std::vector<float>(v.begin(), v.end()));
  };
}

void add_transform_cases(std::vector<CudaCase>& all, DType dtype, std::vector<int64_t> image, int64_t out_h,
                         int64_t out_w, int64_t transform_rows, double interpolation, double fill_mode,
                         std::vector<std::vector<double>> rows, const std::string& label) {
  const std::vector<int64_t> out = {image[0], out_h, out_w, image[3]}, m = {transform_rows, 8};
  const std::vector<double> attrs = {interpolation, fill_mode, 0.5};
  // FMA contraction on the device moves coordinates by a rounding; the backward pass adds
  // by atomics in any order.
  CudaCase forward = simple_case(OpId::image_transform, dtype, {image, m}, out, attrs, 1e-5, 1e-3);
  CudaCase backward = simple_case(OpId::image_transform_backward, dtype, {out, m}, image, attrs, 1e-5, 1e-3);
  for (CudaCase* c : {&forward, &backward}) {
    c->label = label;
    c->make_input = transforms_maker(rows);
    all.push_back(*c);
  }
}

const CudaCaseRegistrar kImageTransformCases([] {
  std::vector<CudaCase> all;
  const std::vector<int64_t> image = {3, 13, 17, 5};
  for (double fill = 0; fill < 4; ++fill) {
    add_transform_cases(all, DType::Float32, image, 13, 17, 3, 1, fill, {}, "bilinear");
    add_transform_cases(all, DType::Float32, image, 9, 21, 1, 1, fill, {}, "bilinear_one_map_resized");
  }
  add_transform_cases(all, DType::Float64, image, 13, 17, 3, 1, 1, {}, "bilinear");
  // Whole-number maps for nearest: a quarter turn of a square, a horizontal flip, a shift.
  const std::vector<std::vector<double>> exact = {
      {0, 1, 0, -1, 0, 10, 0, 0}, {-1, 0, 10, 0, 1, 0, 0, 0}, {1, 0, -3, 0, 1, 4, 0, 0}};
  for (double fill = 0; fill < 4; ++fill)
    add_transform_cases(all, DType::Float32, {3, 11, 11, 4}, 11, 11, 3, 0, fill, exact, "nearest_exact_maps");
  // A layer-sized batch, and an empty one.
  add_transform_cases(all, DType::Float32, {8, 64, 64, 3}, 64, 64, 8, 1, 1, {}, "bilinear_layer_sized");
  add_transform_cases(all, DType::Float32, {0, 5, 5, 2}, 5, 5, 1, 1, 0, {}, "empty_batch");
  return all;
});

}  // namespace
}  // namespace tessera::testing
