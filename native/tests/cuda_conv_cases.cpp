// CPU-vs-CUDA cases of conv2d and its two gradients (cuda_consistency.h): batch 1 and 3,
// odd images, strides, dilations, every kind of padding, groups and depthwise, 1x1
// filters, windows larger than the image, and layer-sized shapes for split-K.
#include <vector>

#include "cuda_case_makers.h"
#include "cuda_gemm_tolerance.h"
#include "tessera/op_attrs.h"

namespace tessera::testing {
namespace {

struct Conv {
  int64_t n, h, w, c, kh, kw, o;
  int64_t sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t pt = 0, pl = 0, pb = 0, pr = 0;
  int64_t groups = 1;

  int64_t out_h() const { return (h + pt + pb - dh * (kh - 1) - 1) / sh + 1; }
  int64_t out_w() const { return (w + pl + pr - dw * (kw - 1) - 1) / sw + 1; }
  std::vector<double> attrs() const { return attrs::Conv2dAttrs{{sh, sw}, {dh, dw}, {pt, pl, pb, pr}, groups}.pack(); }
};

// The three ops of one convolution.
void add_conv_cases(std::vector<CudaCase>& all, DType dtype, const Conv& v) {
  const std::vector<int64_t> x = {v.n, v.h, v.w, v.c}, f = {v.kh, v.kw, v.c / v.groups, v.o},
                             y = {v.n, v.out_h(), v.out_w(), v.o};
  const struct {
    OpId op;
    std::vector<std::vector<int64_t>> ins;
    std::vector<int64_t> out;
    int64_t k;  // products per output element
  } ops[] = {
      {OpId::conv2d, {x, f}, y, v.kh * v.kw * (v.c / v.groups)},
      {OpId::conv2d_backward_input, {y, f}, x, v.kh * v.kw * (v.o / v.groups)},
      {OpId::conv2d_backward_filter, {x, y}, f, v.n * v.out_h() * v.out_w()},
  };
  for (const auto& op : ops) {
    CudaCase c = simple_case(op.op, dtype, op.ins, op.out, v.attrs());
    c.make_input = reals_in(-1, 1);
    set_gemm_tolerance(c, dtype, op.k);
    all.push_back(c);
  }
}

const CudaCaseRegistrar kConvCases([] {
  std::vector<CudaCase> all;
  const std::vector<Conv> convs = {
      {1, 7, 7, 3, 3, 3, 5},                               // valid, batch 1
      {3, 13, 17, 4, 3, 3, 8, 2, 2, 1, 1, 1, 1, 1, 1},     // stride 2, same padding
      {3, 13, 17, 5, 3, 3, 6, 1, 1, 2, 2, 2, 2, 2, 2},     // dilation 2
      {3, 7, 7, 2, 7, 7, 3, 1, 1, 1, 1, 3, 3, 3, 3},       // window as large as the image
      {3, 13, 17, 3, 4, 2, 5, 1, 1, 1, 1, 1, 0, 2, 1},     // asymmetric padding, even kernel
      {1, 13, 17, 3, 3, 5, 4, 3, 2, 1, 2, 0, 2, 1, 0},     // unequal strides and dilations
      {3, 7, 7, 32, 1, 1, 64},                             // pointwise
      {3, 13, 17, 6, 1, 1, 5, 2, 2},                       // 1x1 with stride 2
      {3, 13, 17, 6, 3, 3, 9, 1, 1, 1, 1, 1, 1, 1, 1, 3},  // 3 groups
      {3, 13, 17, 8, 3, 3, 8, 2, 2, 1, 1, 1, 1, 1, 1, 8},  // depthwise
      {1, 13, 17, 5, 3, 3, 5, 1, 1, 2, 2, 2, 2, 2, 2, 5},  // depthwise, dilated
      {3, 13, 17, 4, 3, 3, 8, 1, 1, 1, 1, 1, 1, 1, 1, 4},  // depth multiplier 2
      {2, 28, 28, 16, 5, 5, 32, 1, 1, 1, 1, 2, 2, 2, 2},   // a layer: K = 400, 1568 pixels
  };
  for (const Conv& v : convs) add_conv_cases(all, DType::Float32, v);
  for (size_t i : {size_t{1}, size_t{2}, size_t{8}, size_t{9}}) add_conv_cases(all, DType::Float64, convs[i]);
  // Layer-sized (split-K over 25088 pixels in backward filter), float32 only.
  add_conv_cases(all, DType::Float32, {32, 28, 28, 1, 3, 3, 32, 1, 1, 1, 1, 1, 1, 1, 1});
  add_conv_cases(all, DType::Float32, {8, 14, 14, 32, 3, 3, 64, 1, 1, 1, 1, 1, 1, 1, 1});
  return all;
});

}  // namespace
}  // namespace tessera::testing
