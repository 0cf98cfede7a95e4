// Max and average pooling, forward and backward, against naive loops; 'same' padding
// averages over the taps inside the image only.
#include <cmath>
#include <limits>

#include "nn_test_util.h"
#include "tessera/op_attrs.h"

namespace tessera::testing {
namespace {

struct PoolCase {
  const char* name;
  int64_t n, h, w, c, kh, kw, sh, sw, pt, pl, pb, pr;

  int64_t out_h() const { return window_out(h, kh, sh, 1, pt, pb); }
  int64_t out_w() const { return window_out(w, kw, sw, 1, pl, pr); }
  Shape x_shape() const { return {n, h, w, c}; }
  Shape y_shape() const { return {n, out_h(), out_w(), c}; }
  std::vector<double> attrs() const { return attrs::MaxPool2dAttrs{{kh, kw}, {sh, sw}, {pt, pl, pb, pr}}.pack(); }
  // visit(y_index, x_indices of the window's taps inside the image, in row-major order).
  template <typename F>
  void for_each_window(F visit) const {
    for (int64_t b = 0; b < n; ++b)
      for (int64_t oh = 0; oh < out_h(); ++oh)
        for (int64_t ow = 0; ow < out_w(); ++ow)
          for (int64_t ch = 0; ch < c; ++ch) {
            std::vector<int64_t> taps;
            for (int64_t i = 0; i < kh; ++i)
              for (int64_t j = 0; j < kw; ++j) {
                const int64_t ih = oh * sh - pt + i, iw = ow * sw - pl + j;
                if (ih >= 0 && ih < h && iw >= 0 && iw < w) taps.push_back(((b * h + ih) * w + iw) * c + ch);
              }
            visit(((b * out_h() + oh) * out_w() + ow) * c + ch, taps);
          }
  }
};

PoolCase same_pool(const char* name, int64_t n, int64_t h, int64_t w, int64_t c, int64_t k, int64_t s) {
  const auto ph = same_padding(h, k, s), pw = same_padding(w, k, s);
  return {name, n, h, w, c, k, k, s, s, ph.first, pw.first, ph.second, pw.second};
}

std::vector<PoolCase> cases() {
  return {
      {"7x7x1 2x2 valid", 1, 7, 7, 1, 2, 2, 2, 2, 0, 0, 0, 0},
      same_pool("13x17x5 2x2 same stride 2", 3, 13, 17, 5, 2, 2),
      same_pool("13x17x5 3x3 same stride 1 (overlapping)", 3, 13, 17, 5, 3, 1),
      same_pool("13x17x5 3x3 same stride 2", 1, 13, 17, 5, 3, 2),
      {"7x7x5 3x2 stride 1x2 explicit pads", 3, 7, 7, 5, 3, 2, 1, 2, 2, 1, 0, 1},
      {"8x6x5 2x2 stride 2 (tiles the image)", 3, 8, 6, 5, 2, 2, 2, 2, 0, 0, 0, 0},
      {"4x10x37 2x2 stride 2 (tiles, channels past a vector)", 2, 4, 10, 37, 2, 2, 2, 2, 0, 0, 0, 0},
  };
}

template <typename T>
void expect_matches_naive(const PoolCase& k, double tol) {
  SCOPED_TRACE(k.name);
  const auto x = random_vector<double>(count_of(k.x_shape()), 11);
  const auto dy = random_vector<double>(count_of(k.y_shape()), 12);
  std::vector<double> max_y(dy.size()), avg_y(dy.size()), max_dx(x.size(), 0.0), avg_dx(x.size(), 0.0);
  k.for_each_window([&](int64_t yi, const std::vector<int64_t>& taps) {
    int64_t best = taps[0];
    double sum = 0.0;
    for (int64_t t : taps) {
      if (x[t] > x[best]) best = t;
      sum += x[t];
    }
    max_y[yi] = x[best];
    max_dx[best] += dy[yi];
    avg_y[yi] = sum / taps.size();
    for (int64_t t : taps) avg_dx[t] += dy[yi] / taps.size();
  });
  const Arg<T> ax{cast_all<T>(x), k.x_shape()}, ady{cast_all<T>(dy), k.y_shape()};
  expect_near_all(run_nn<T>(OpId::max_pool2d, {ax}, {k.y_shape()}, k.attrs())[0], cast_all<T>(max_y), 0, 0);
  expect_near_all(run_nn<T>(OpId::max_pool2d_backward, {ax, ady}, {k.x_shape()}, k.attrs())[0], max_dx, tol, tol);
  expect_near_all(run_nn<T>(OpId::avg_pool2d, {ax}, {k.y_shape()}, k.attrs())[0], avg_y, tol, tol);
  expect_near_all(run_nn<T>(OpId::avg_pool2d_backward, {ady}, {k.x_shape()}, k.attrs())[0], avg_dx, tol, tol);
}

TEST(Pool2d, Float32MatchesNaiveLoops) {
  for (const auto& k : cases()) expect_matches_naive<float>(k, 1e-6);
}

TEST(Pool2d, Float64MatchesNaiveLoops) {
  for (const auto& k : cases()) expect_matches_naive<double>(k, 1e-14);
}

TEST(Pool2d, BackwardKernelsMatchFiniteDifferences) {
  const PoolCase k = cases()[4];
  const auto x = random_vector<double>(count_of(k.x_shape()), 13);
  const auto dy = random_vector<double>(count_of(k.y_shape()), 14);
  for (OpId op : {OpId::max_pool2d, OpId::avg_pool2d}) {
    const auto loss = [&](const std::vector<double>& v) {
      return dot(dy, run_nn<double>(op, {{v, k.x_shape()}}, {k.y_shape()}, k.attrs())[0]);
    };
    const auto dx = op == OpId::max_pool2d
                        ? run_nn<double>(OpId::max_pool2d_backward, {{x, k.x_shape()}, {dy, k.y_shape()}},
                                         {k.x_shape()}, k.attrs())[0]
                        : run_nn<double>(OpId::avg_pool2d_backward, {{dy, k.y_shape()}}, {k.x_shape()}, k.attrs())[0];
    expect_gradient(loss, x, dx, op == OpId::max_pool2d ? "max dx" : "avg dx");
  }
}

TEST(Pool2d, MaxGradientGoesToTheFirstOfTiedTaps) {
  const PoolCase k{"tie", 1, 2, 2, 1, 2, 2, 2, 2, 0, 0, 0, 0};
  const auto dx = run_nn<float>(OpId::max_pool2d_backward, {{{1, 1, 1, 1}, k.x_shape()}, {{5}, k.y_shape()}},
                                {k.x_shape()}, k.attrs())[0];
  EXPECT_EQ(dx, (std::vector<float>{5, 0, 0, 0}));
}

TEST(Pool2d, TiledAndGeneralMaxAgreeOnNaNsAndTies) {
  // The same 2x2 windows through the tiled loops (a 2x2 image) and the general ones (a
  // 2x3 image whose third column no window reaches), per channel: NaN in each tap, ties.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<std::vector<float>> windows = {{nan, 1, 2, 3}, {1, nan, 2, 3}, {1, 2, nan, 3},  {1, 2, 3, nan},
                                                   {4, 4, 4, 4},   {1, 5, 5, 2},   {-1, -2, -3, -4}};
  const int64_t c = static_cast<int64_t>(windows.size());
  std::vector<float> tiled_x(4 * c), general_x(6 * c, 7.0f), dy(c);
  for (int64_t ch = 0; ch < c; ++ch) {
    dy[ch] = float(ch + 1);
    for (int64_t t = 0; t < 4; ++t) {
      tiled_x[t * c + ch] = windows[ch][t];
      general_x[((t / 2) * 3 + t % 2) * c + ch] = windows[ch][t];
    }
  }
  const PoolCase tiled{"tiled", 1, 2, 2, c, 2, 2, 2, 2, 0, 0, 0, 0},
      general{"general", 1, 2, 3, c, 2, 2, 2, 2, 0, 0, 0, 0};
  const auto y_tiled =
      run_nn<float>(OpId::max_pool2d, {{tiled_x, tiled.x_shape()}}, {tiled.y_shape()}, tiled.attrs())[0];
  const auto y_general =
      run_nn<float>(OpId::max_pool2d, {{general_x, general.x_shape()}}, {general.y_shape()}, general.attrs())[0];
  const auto dx_tiled = run_nn<float>(OpId::max_pool2d_backward, {{tiled_x, tiled.x_shape()}, {dy, tiled.y_shape()}},
                                      {tiled.x_shape()}, tiled.attrs())[0];
  const auto dx_general =
      run_nn<float>(OpId::max_pool2d_backward, {{general_x, general.x_shape()}, {dy, general.y_shape()}},
                    {general.x_shape()}, general.attrs())[0];
  for (int64_t ch = 0; ch < c; ++ch) {
    SCOPED_TRACE(::testing::Message() << "channel " << ch);
    EXPECT_TRUE(y_tiled[ch] == y_general[ch] || (std::isnan(y_tiled[ch]) && std::isnan(y_general[ch])));
    for (int64_t t = 0; t < 4; ++t)
      EXPECT_EQ(dx_tiled[t * c + ch], dx_general[((t / 2) * 3 + t % 2) * c + ch]) << "tap " << t;
  }
}

TEST(Pool2d, RejectsPaddingAsLargeAsThePool) {
  const PoolCase k{"bad", 1, 4, 4, 1, 2, 2, 1, 1, 2, 0, 0, 0};
  EXPECT_THROW(run_nn<float>(OpId::max_pool2d, {{std::vector<float>(16), k.x_shape()}}, {k.y_shape()}, k.attrs()),
               Error);
}

}  // namespace
}  // namespace tessera::testing
