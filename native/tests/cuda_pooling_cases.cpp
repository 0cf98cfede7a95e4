// CPU-vs-CUDA cases of max and average pooling and their gradients (cuda_consistency.h):
// disjoint and overlapping windows, every padding, unequal pools and strides, ties
// (integer inputs) for the max's first-maximum rule, and a layer-sized image.
#include <vector>

#include "cuda_case_makers.h"
#include "tessera/op_attrs.h"

namespace tessera::testing {
namespace {

struct Pool {
  int64_t n, h, w, c, ph, pw, sh, sw;
  int64_t pt = 0, pl = 0, pb = 0, pr = 0;

  int64_t out_h() const { return (h + pt + pb - ph) / sh + 1; }
  int64_t out_w() const { return (w + pl + pr - pw) / sw + 1; }
  std::vector<double> attrs() const { return attrs::MaxPool2dAttrs{{ph, pw}, {sh, sw}, {pt, pl, pb, pr}}.pack(); }
};

void add_pool_cases(std::vector<CudaCase>& all, DType dtype, const Pool& p, const std::string& label = "",
                    InputMaker make = nullptr) {
  const std::vector<int64_t> x = {p.n, p.h, p.w, p.c}, y = {p.n, p.out_h(), p.out_w(), p.c};
  std::vector<CudaCase> cases = {
      // The forward passes compare bit for bit: the same taps in the same order.
      simple_case(OpId::max_pool2d, dtype, {x}, y, p.attrs()),
      simple_case(OpId::max_pool2d_backward, dtype, {x, y}, x, p.attrs()),
      simple_case(OpId::avg_pool2d, dtype, {x}, y, p.attrs(), 1e-6, 1e-6),
      simple_case(OpId::avg_pool2d_backward, dtype, {y}, x, p.attrs(), 1e-6, 1e-6),
  };
  // The max's gradient adds the same terms in the same order as the CPU, but keep a
  // rounding's room in case the compiler reassociates.
  cases[1].rtol = 1e-6;
  cases[1].atol = 1e-6;
  for (CudaCase& c : cases) {
    c.label = label;
    if (make) c.make_input = make;
    all.push_back(c);
  }
}

const CudaCaseRegistrar kPoolingCases([] {
  std::vector<CudaCase> all;
  const std::vector<Pool> pools = {
      {1, 7, 7, 3, 2, 2, 2, 2},                // disjoint, the odd row left out
      {3, 13, 17, 5, 3, 3, 2, 2, 1, 1, 1, 1},  // overlapping, same padding
      {3, 13, 17, 5, 3, 3, 1, 1, 1, 1, 1, 1},  // stride 1: nine windows per pixel
      {2, 8, 8, 4, 2, 2, 2, 2, 0, 0, 1, 1},    // padding at the bottom and right only
      {2, 9, 11, 3, 3, 2, 3, 1, 2, 1, 0, 0},   // unequal pool and strides, top-left padding
      {3, 7, 7, 2, 7, 7, 1, 1},                // global pooling
      {0, 7, 7, 3, 2, 2, 2, 2},                // empty batch
  };
  for (const Pool& p : pools) add_pool_cases(all, DType::Float32, p);
  for (const Pool& p : {pools[1], pools[4]}) add_pool_cases(all, DType::Float64, p);
  // Integers in [0, 3): many equal maxima in each window; the first in row-major order
  // takes the gradient.
  add_pool_cases(all, DType::Float32, pools[2], "ties", integers_in(0, 3));
  add_pool_cases(all, DType::Float64, pools[1], "ties", integers_in(0, 3));
  // A layer: 64 channels of 56x56, 3x3 windows with stride 2.
  add_pool_cases(all, DType::Float32, {8, 56, 56, 64, 3, 3, 2, 2, 0, 0, 1, 1});
  return all;
});

}  // namespace
}  // namespace tessera::testing
