// bias_relu and its backward pass against naive loops: odd channel counts (the column
// sums' four-vector, one-vector and single-channel paths), rows past one tile, NaN.
#include <cmath>
#include <limits>
#include <vector>

#include "nn_test_util.h"

namespace tessera::testing {
namespace {

template <typename T>
void check_bias_relu(const Shape& shape) {
  const int64_t c = shape.back(), n = count_of(shape), rows = n / c;
  auto x = random_vector<T>(n, 51), dy = random_vector<T>(n, 52);
  const auto bias = random_vector<T>(c, 53, -0.5, 0.5);
  if (n > 2) x[1] = std::numeric_limits<T>::quiet_NaN();
  const auto y = run_nn<T>(OpId::bias_relu, {{x, shape}, {bias, {c}}}, {shape})[0];
  std::vector<double> want_dx(n), want_dbias(c, 0.0);
  for (int64_t i = 0; i < n; ++i) {
    const T v = x[i] + bias[i % c];
    if (std::isnan(v)) {
      EXPECT_TRUE(std::isnan(y[i])) << "NaN passes through at " << i;
    } else {
      EXPECT_EQ(y[i], v < T(0) ? T(0) : v) << "at " << i;
    }
    want_dx[i] = y[i] > T(0) ? double(dy[i]) : 0.0;
    want_dbias[i % c] += want_dx[i];
  }
  const auto grads = run_nn<T>(OpId::bias_relu_backward, {{dy, shape}, {y, shape}}, {shape, {c}});
  expect_near_all(grads[0], want_dx, 0.0, 0.0);
  expect_near_all(grads[1], want_dbias, sizeof(T) == 4 ? 1e-5 : 1e-12, (sizeof(T) == 4 ? 1e-5 : 1e-12) * rows);
}

TEST(BiasRelu, ForwardAndBackwardMatchNaive) {
  for (const Shape& shape : std::vector<Shape>{{3, 5}, {2, 3, 4, 83}, {300, 16}, {1, 1}, {600, 70}}) {
    check_bias_relu<float>(shape);
    check_bias_relu<double>(shape);
  }
}

TEST(BiasRelu, EmptyBatchGivesZeroBiasGradient) {
  const auto grads = run_nn<float>(OpId::bias_relu_backward, {{{}, {0, 3}}, {{}, {0, 3}}}, {{0, 3}, {3}});
  EXPECT_EQ(grads[1], std::vector<float>(3, 0.0f));
}

TEST(BiasRelu, RejectsABiasOfTheWrongSize) {
  const std::vector<float> x(6), bias(2);
  EXPECT_THROW(run_nn<float>(OpId::bias_relu, {{x, {2, 3}}, {bias, {2}}}, {{2, 3}}), Error);
}

}  // namespace
}  // namespace tessera::testing
