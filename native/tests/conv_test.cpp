// conv2d and its two backward kernels against naive loops, at odd sizes, strides,
// dilations, asymmetric paddings and groups; backward kernels also by finite differences.
#include "cpu/vectorize.h"
#include "nn_test_util.h"
#include "tessera/op_attrs.h"

namespace tessera::testing {
namespace {

struct ConvCase {
  const char* name;
  int64_t n, h, w, c, kh, kw, o, sh, sw, dh, dw, pt, pl, pb, pr, groups;

  int64_t out_h() const { return window_out(h, kh, sh, dh, pt, pb); }
  int64_t out_w() const { return window_out(w, kw, sw, dw, pl, pr); }
  Shape x_shape() const { return {n, h, w, c}; }
  Shape w_shape() const { return {kh, kw, c / groups, o}; }
  Shape y_shape() const { return {n, out_h(), out_w(), o}; }
  std::vector<double> attrs() const { return attrs::Conv2dAttrs{{sh, sw}, {dh, dw}, {pt, pl, pb, pr}, groups}.pack(); }

  // visit(x_index, filter_index, y_index) for every product the convolution sums.
  template <typename F>
  void for_each_product(F visit) const {
    const int64_t cg = c / groups, og = o / groups, oh_count = out_h(), ow_count = out_w();
    for (int64_t b = 0; b < n; ++b)
      for (int64_t oh = 0; oh < oh_count; ++oh)
        for (int64_t ow = 0; ow < ow_count; ++ow)
          for (int64_t oc = 0; oc < o; ++oc)
            for (int64_t i = 0; i < kh; ++i)
              for (int64_t j = 0; j < kw; ++j) {
                const int64_t ih = oh * sh - pt + i * dh, iw = ow * sw - pl + j * dw;
                if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                for (int64_t ci = 0; ci < cg; ++ci)
                  visit(((b * h + ih) * w + iw) * c + (oc / og) * cg + ci, ((i * kw + j) * cg + ci) * o + oc,
                        ((b * oh_count + oh) * ow_count + ow) * o + oc);
              }
  }
};

ConvCase same_case(const char* name, int64_t n, int64_t h, int64_t w, int64_t c, int64_t k, int64_t o, int64_t stride,
                   int64_t groups) {
  const auto ph = same_padding(h, k, stride), pw = same_padding(w, k, stride);
  return {name, n, h, w, c, k, k, o, stride, stride, 1, 1, ph.first, pw.first, ph.second, pw.second, groups};
}

std::vector<ConvCase> cases() {
  return {
      same_case("7x7x1 3x3 same", 1, 7, 7, 1, 3, 4, 1, 1),
      same_case("9x11x3 3x3 same, 37 filters (direct loops: a block and a tail)", 2, 9, 11, 3, 3, 37, 1, 1),
      {"9x11x2 3x3 stride 2 dilation 2 explicit pads (direct loops)", 2, 9, 11, 2, 3, 3, 32, 2, 2, 2, 2, 1, 2, 0, 1, 1},
      same_case("13x37x1 3x3 same: rows past one vector of pixels (direct loops)", 2, 13, 37, 1, 3, 33, 1, 1),
      {"9x20x4 2x2 valid stride 2: 16 taps, blocks of 12 (direct loops)", 2, 9, 20, 4, 2, 2, 32, 2, 2, 1, 1, 0, 0, 0, 0,
       1},
      same_case("13x17x5 3x3 same stride 2", 3, 13, 17, 5, 3, 6, 2, 1),
      same_case("13x17x5 2x2 same (asymmetric)", 3, 13, 17, 5, 2, 3, 1, 1),
      {"13x17x5 3x3 valid dilation 2", 1, 13, 17, 5, 3, 3, 3, 1, 1, 2, 2, 0, 0, 0, 0, 1},
      {"7x7x5 2x3 explicit pads stride 2x1 dilation 1x2", 3, 7, 7, 5, 2, 3, 4, 2, 1, 1, 2, 0, 2, 1, 0, 1},
      same_case("7x7x6 groups 3", 3, 7, 7, 6, 3, 9, 1, 3),
      same_case("7x7x5 depthwise stride 2", 3, 7, 7, 5, 3, 5, 2, 5),
      same_case("7x7x5 depthwise multiplier 2", 1, 7, 7, 5, 3, 10, 1, 5),
      {"7x7x5 1x1", 3, 7, 7, 5, 1, 1, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1},
      {"7x7x5 1x1 stride 2", 3, 7, 7, 5, 1, 1, 4, 2, 2, 1, 1, 0, 0, 0, 0, 1},
      {"conv1d: 1x17x5 1x3 causal pad", 3, 1, 17, 5, 1, 3, 4, 1, 1, 1, 1, 0, 2, 0, 0, 1},
      same_case("batch 40 13x17x5: blocks span images, several parts", 40, 13, 17, 5, 3, 6, 1, 1),
      same_case("23x23x64: blocks split images", 3, 23, 23, 64, 3, 4, 1, 1),
      same_case("9x20x6 2x2 same: stride-one GEMMs, asymmetric pads", 2, 9, 20, 6, 2, 7, 1, 1),
      {"11x19x6 3x3 valid: stride-one GEMMs, no pads", 2, 11, 19, 6, 3, 3, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1},
      same_case("14x14x32 3x3 same: stride-one rows of one micro-tile, filter by im2col", 2, 14, 14, 32, 3, 5, 1, 1),
      same_case("9x7x5 3x3 same: stride-one rows of 7 pixels", 2, 9, 7, 5, 3, 4, 1, 1),
      same_case("6x6x5 3x3 same: rows too short for stride-one", 2, 6, 6, 5, 3, 4, 1, 1),
  };
}

template <typename T>
void expect_matches_naive(const ConvCase& k, double rtol, double atol) {
  SCOPED_TRACE(k.name);
  const auto x = random_vector<double>(count_of(k.x_shape()), 1);
  const auto w = random_vector<double>(count_of(k.w_shape()), 2);
  const auto dy = random_vector<double>(count_of(k.y_shape()), 3);
  std::vector<double> y(dy.size(), 0.0), dx(x.size(), 0.0), dw(w.size(), 0.0);
  k.for_each_product([&](int64_t xi, int64_t wi, int64_t yi) {
    y[yi] += x[xi] * w[wi];
    dx[xi] += dy[yi] * w[wi];
    dw[wi] += x[xi] * dy[yi];
  });
  const Arg<T> ax{cast_all<T>(x), k.x_shape()}, aw{cast_all<T>(w), k.w_shape()}, ady{cast_all<T>(dy), k.y_shape()};
  expect_near_all(run_nn<T>(OpId::conv2d, {ax, aw}, {k.y_shape()}, k.attrs())[0], y, rtol, atol);
  expect_near_all(run_nn<T>(OpId::conv2d_backward_input, {ady, aw}, {k.x_shape()}, k.attrs())[0], dx, rtol, atol);
  expect_near_all(run_nn<T>(OpId::conv2d_backward_filter, {ax, ady}, {k.w_shape()}, k.attrs())[0], dw, rtol, atol);
}

TEST(Conv2d, Float32MatchesNaiveLoops) {
  for (const auto& k : cases()) expect_matches_naive<float>(k, 1e-4, 1e-4);
}

TEST(Conv2d, Float64MatchesNaiveLoops) {
  for (const auto& k : cases()) expect_matches_naive<double>(k, 1e-11, 1e-11);
}

// The direct loops of few-channel layers are register-blocked per vector ISA (AVX2: 6
// pixels, or 6 taps of the filter gradient, by one vector of outputs; AVX-512 and
// portable: 8 pixels or 9-12 taps by 32 outputs): each ISA this CPU runs,
// on rows and filter counts that end mid-block, and the CNN benchmark's first layer.
TEST(Conv2d, DirectLoopsMatchNaiveLoopsOnEveryVectorIsa) {
  std::vector<ConvCase> direct;
  for (const auto& k : cases())
    if (std::string(k.name).find("direct loops") != std::string::npos) direct.push_back(k);
  direct.push_back(
      same_case("28x28x1 3x3 same, 32 filters (the CNN benchmark's first layer)", 2, 28, 28, 1, 3, 32, 1, 1));
  direct.push_back(same_case("5x13x2 3x3 same, 7 filters: no full block of outputs", 2, 5, 13, 2, 3, 7, 1, 1));
  ASSERT_GE(direct.size(), 6u);
  for (const char* isa : {"avx512", "avx2", "portable"}) {
    if (std::string(isa) != "portable" && kernel_isa() != isa &&
        !(std::string(isa) == "avx2" && kernel_isa() == "avx512"))
      continue;
    SCOPED_TRACE(isa);
    cpu::set_vector_isa_for_testing(isa);
    for (const auto& k : direct) {
      expect_matches_naive<float>(k, 1e-4, 1e-4);
      expect_matches_naive<double>(k, 1e-11, 1e-11);
    }
    cpu::set_vector_isa_for_testing("");
  }
}

TEST(Conv2d, BackwardKernelsMatchFiniteDifferences) {
  const ConvCase small[] = {same_case("5x6x3 3x3 same stride 2", 2, 5, 6, 3, 3, 2, 2, 1),
                            {"6x7x2 3x3 valid dilation 2", 1, 6, 7, 2, 3, 3, 2, 1, 1, 2, 2, 0, 0, 0, 0, 1},
                            same_case("5x5x4 groups 2", 1, 5, 5, 4, 3, 6, 1, 2),
                            same_case("5x5x3 depthwise", 2, 5, 5, 3, 3, 3, 1, 3)};
  for (const auto& k : small) {
    SCOPED_TRACE(k.name);
    const auto x = random_vector<double>(count_of(k.x_shape()), 4);
    const auto w = random_vector<double>(count_of(k.w_shape()), 5);
    const auto dy = random_vector<double>(count_of(k.y_shape()), 6);
    const auto forward = [&](const std::vector<double>& xv, const std::vector<double>& wv) {
      return dot(dy, run_nn<double>(OpId::conv2d, {{xv, k.x_shape()}, {wv, k.w_shape()}}, {k.y_shape()}, k.attrs())[0]);
    };
    const auto dx =
        run_nn<double>(OpId::conv2d_backward_input, {{dy, k.y_shape()}, {w, k.w_shape()}}, {k.x_shape()}, k.attrs())[0];
    const auto dw = run_nn<double>(OpId::conv2d_backward_filter, {{x, k.x_shape()}, {dy, k.y_shape()}}, {k.w_shape()},
                                   k.attrs())[0];
    expect_gradient([&](const std::vector<double>& v) { return forward(v, w); }, x, dx, "dx");
    expect_gradient([&](const std::vector<double>& v) { return forward(x, v); }, w, dw, "dfilter");
  }
}

TEST(Conv2d, RejectsInconsistentShapes) {
  const ConvCase k = cases()[1];
  const Arg<float> x{std::vector<float>(count_of(k.x_shape())), k.x_shape()};
  const Arg<float> w{std::vector<float>(count_of(k.w_shape())), k.w_shape()};
  Shape wrong = k.y_shape();
  wrong[1] += 1;
  EXPECT_THROW(run_nn<float>(OpId::conv2d, {x, w}, {wrong}, k.attrs()), Error);
  auto attrs = k.attrs();
  attrs[8] = 2;  // 5 channels do not split into 2 groups
  EXPECT_THROW(run_nn<float>(OpId::conv2d, {x, w}, {k.y_shape()}, attrs), Error);
  attrs = k.attrs();
  attrs[0] = 0;
  EXPECT_THROW(run_nn<float>(OpId::conv2d, {x, w}, {k.y_shape()}, attrs), Error);
}

}  // namespace
}  // namespace tessera::testing
