// Softmax, log-softmax and the fused cross-entropy losses against naive formulas; their
// backward kernels by finite differences.
#include <numeric>

#include "nn_test_util.h"

namespace tessera::testing {
namespace {

std::vector<double> naive_log_softmax(const std::vector<double>& x, int64_t cols) {
  std::vector<double> y(x.size());
  for (size_t r = 0; r < x.size() / cols; ++r) {
    double top = x[r * cols];
    for (int64_t k = 0; k < cols; ++k) top = std::max(top, x[r * cols + k]);
    double sum = 0;
    for (int64_t k = 0; k < cols; ++k) sum += std::exp(x[r * cols + k] - top);
    for (int64_t k = 0; k < cols; ++k) y[r * cols + k] = x[r * cols + k] - top - std::log(sum);
  }
  return y;
}

std::vector<double> exp_all(std::vector<double> v) {
  for (auto& x : v) x = std::exp(x);
  return v;
}

const Shape kShapes[] = {{3, 7}, {1, 129}, {2, 3, 5}, {4, 1}};

TEST(Softmax, ForwardMatchesNaiveAndIsStable) {
  for (const Shape& shape : kShapes) {
    const int64_t n = count_of(shape), cols = shape.back();
    auto x = random_vector<double>(n, 51, -5, 5);
    x[0] = 1000;  // exp would overflow without the max shift
    const auto log_y = naive_log_softmax(x, cols);
    expect_near_all(run_nn<double>(OpId::log_softmax, {{x, shape}}, {shape})[0], log_y, 1e-12, 1e-12);
    expect_near_all(run_nn<double>(OpId::softmax, {{x, shape}}, {shape})[0], exp_all(log_y), 1e-12, 1e-15);
    expect_near_all(run_nn<float>(OpId::softmax, {{cast_all<float>(x), shape}}, {shape})[0], exp_all(log_y), 1e-5,
                    1e-7);
  }
}

TEST(Softmax, BackwardMatchesFiniteDifferences) {
  for (const Shape& shape : kShapes) {
    const int64_t n = count_of(shape);
    const auto x = random_vector<double>(n, 52, -3, 3), dy = random_vector<double>(n, 53);
    for (auto [forward, backward] :
         {std::pair{OpId::softmax, OpId::softmax_backward}, std::pair{OpId::log_softmax, OpId::log_softmax_backward}}) {
      const auto y = run_nn<double>(forward, {{x, shape}}, {shape})[0];
      const auto dx = run_nn<double>(backward, {{y, shape}, {dy, shape}}, {shape})[0];
      expect_gradient(
          [&, op = forward](const std::vector<double>& v) {
            return dot(dy, run_nn<double>(op, {{v, shape}}, {shape})[0]);
          },
          x, dx, "dx");
    }
  }
}

TEST(SoftmaxCrossEntropy, SparseAndDenseMatchNaiveAndFiniteDifferences) {
  const int64_t rows = 5, cols = 7;
  const Shape shape{rows, cols};
  auto logits = random_vector<double>(rows * cols, 61, -4, 4);
  logits[3] = -1000;  // a hopeless class must not give NaN
  const std::vector<int32_t> ids = {0, 6, 3, 3, 1};
  // Dense labels: probability rows, one of them not summing to 1.
  auto labels = random_vector<double>(rows * cols, 62, 0, 1);
  for (int64_t r = 0; r < rows; ++r) {
    double s = 0;
    for (int64_t k = 0; k < cols; ++k) s += labels[r * cols + k];
    for (int64_t k = 0; k < cols; ++k) labels[r * cols + k] /= r == 2 ? s / 2 : s;
  }
  const auto dloss = random_vector<double>(rows, 63);
  const auto log_p = naive_log_softmax(logits, cols);
  std::vector<double> sparse_loss(rows), dense_loss(rows, 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    sparse_loss[r] = -log_p[r * cols + ids[r]];
    for (int64_t k = 0; k < cols; ++k) dense_loss[r] -= labels[r * cols + k] * log_p[r * cols + k];
  }
  const auto run_sparse = [&](const std::vector<double>& l) {
    auto label_tensor = from_vector(ids, {rows});
    auto outs = run_op(OpId::softmax_cross_entropy_sparse, {from_vector(l, shape), label_tensor},
                       {{DType::Float64, {rows}}, {DType::Float64, shape}});
    return std::pair{to_vector<double>(*outs[0]), to_vector<double>(*outs[1])};
  };
  const auto [loss, probs] = run_sparse(logits);
  expect_near_all(loss, sparse_loss, 1e-12, 1e-12);
  expect_near_all(probs, exp_all(log_p), 1e-12, 1e-15);
  const auto dlogits = to_vector<double>(*run_op(
      OpId::softmax_cross_entropy_sparse_backward,
      {from_vector(probs, shape), from_vector(ids, {rows}), from_vector(dloss, {rows})}, {{DType::Float64, shape}})[0]);
  expect_gradient([&](const std::vector<double>& v) { return dot(dloss, run_sparse(v).first); }, logits, dlogits,
                  "sparse dlogits");

  const auto dense = [&](const std::vector<double>& l) {
    return run_nn<double>(OpId::softmax_cross_entropy, {{l, shape}, {labels, shape}}, {{rows}, shape});
  };
  const auto dense_out = dense(logits);
  expect_near_all(dense_out[0], dense_loss, 1e-12, 1e-12);
  const auto dense_grad = run_nn<double>(OpId::softmax_cross_entropy_backward,
                                         {{dense_out[1], shape}, {labels, shape}, {dloss, {rows}}}, {shape})[0];
  expect_gradient([&](const std::vector<double>& v) { return dot(dloss, dense(v)[0]); }, logits, dense_grad,
                  "dense dlogits");
}

TEST(SoftmaxCrossEntropy, RejectsLabelsOutOfRange) {
  EXPECT_THROW(run_op(OpId::softmax_cross_entropy_sparse,
                      {from_vector(std::vector<float>(6), {2, 3}), from_vector(std::vector<int32_t>{0, 3}, {2})},
                      {{DType::Float32, {2}}, {DType::Float32, {2, 3}}}),
               Error);
}

TEST(SigmoidCrossEntropy, MatchesNaiveAndFiniteDifferencesAtExtremeLogits) {
  const Shape shape{3, 7};
  auto logits = random_vector<double>(21, 71, -6, 6);
  logits[0] = 100;
  logits[1] = -100;
  const auto labels = random_vector<double>(21, 72, 0, 1), dloss = random_vector<double>(21, 73);
  std::vector<double> want(21);
  for (int i = 0; i < 21; ++i) {
    const double p = 1 / (1 + std::exp(-logits[i]));
    want[i] = i < 2 ? std::max(logits[i], 0.0) - logits[i] * labels[i]
                    : -(labels[i] * std::log(p) + (1 - labels[i]) * std::log(1 - p));
  }
  const auto loss = [&](const std::vector<double>& l) {
    return run_nn<double>(OpId::sigmoid_cross_entropy, {{l, shape}, {labels, shape}}, {shape})[0];
  };
  expect_near_all(loss(logits), want, 1e-10, 1e-12);
  expect_near_all(run_nn<float>(OpId::sigmoid_cross_entropy,
                                {{cast_all<float>(logits), shape}, {cast_all<float>(labels), shape}}, {shape})[0],
                  want, 1e-5, 1e-6);
  const auto grad = run_nn<double>(OpId::sigmoid_cross_entropy_backward,
                                   {{logits, shape}, {labels, shape}, {dloss, shape}}, {shape})[0];
  expect_gradient([&](const std::vector<double>& v) { return dot(dloss, loss(v)); }, logits, grad, "dlogits");
}

}  // namespace
}  // namespace tessera::testing
