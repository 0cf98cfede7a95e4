// What the neural-network kernel tests share: running a kernel on typed vectors, a dot
// product to turn outputs into a scalar loss, and a finite-difference gradient check.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "kernel_test_util.h"
#include "tessera/errors.h"
#include "tessera/ops.h"

namespace tessera::testing {

using Shape = std::vector<int64_t>;

template <typename T>
struct Arg {
  std::vector<T> values;
  Shape shape;
};

// Runs `op` on float tensors of type T; outputs of the given shapes, also of type T.
template <typename T>
std::vector<std::vector<T>> run_nn(OpId op, const std::vector<Arg<T>>& inputs, const std::vector<Shape>& outputs,
                                   const std::vector<double>& attrs = {}) {
  std::vector<std::shared_ptr<TensorImpl>> in;
  for (const auto& a : inputs) in.push_back(from_vector(a.values, a.shape));
  std::vector<OutSpec> specs;
  for (const auto& s : outputs) specs.push_back({DTypeOf<T>::value, s});
  std::vector<std::vector<T>> result;
  for (const auto& t : run_op(op, in, specs, attrs)) result.push_back(to_vector<T>(*t));
  return result;
}

template <typename T, typename U>
std::vector<T> cast_all(const std::vector<U>& v) {
  return std::vector<T>(v.begin(), v.end());
}

inline double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0.0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Checks `analytic` against central differences of the scalar `loss` at x, in double.
inline void expect_gradient(const std::function<double(const std::vector<double>&)>& loss, std::vector<double> x,
                            const std::vector<double>& analytic, const char* what, double tol = 1e-6) {
  ASSERT_EQ(x.size(), analytic.size()) << what;
  const double h = 1e-6;
  for (size_t i = 0; i < x.size(); ++i) {
    const double saved = x[i];
    x[i] = saved + h;
    const double up = loss(x);
    x[i] = saved - h;
    const double down = loss(x);
    x[i] = saved;
    const double numeric = (up - down) / (2 * h);
    ASSERT_NEAR(analytic[i], numeric, tol * (1.0 + std::fabs(numeric))) << what << " at element " << i;
  }
}

inline int64_t count_of(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

// Keras's 'same' padding for one axis: {before, after}, the odd one after.
inline std::pair<int64_t, int64_t> same_padding(int64_t in, int64_t kernel, int64_t stride, int64_t dilation = 1) {
  const int64_t out = (in + stride - 1) / stride;
  const int64_t total = std::max<int64_t>(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - in);
  return {total / 2, total - total / 2};
}

inline int64_t window_out(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, int64_t pad_a, int64_t pad_b) {
  return (in + pad_a + pad_b - dilation * (kernel - 1) - 1) / stride + 1;
}

}  // namespace tessera::testing
