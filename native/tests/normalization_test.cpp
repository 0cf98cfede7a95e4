// Batch and layer normalization against naive loops, and their backward kernels by
// finite differences.
#include "nn_test_util.h"

namespace tessera::testing {
namespace {

// x viewed as [outer, channels, inner] for an axis of `shape`.
struct Split {
  int64_t outer = 1, channels = 1, inner = 1;
  Split(const Shape& shape, int axis) {
    for (int d = 0; d < static_cast<int>(shape.size()); ++d)
      (d < axis ? outer : d == axis ? channels : inner) *= shape[d];
  }
  int64_t channel_of(int64_t i) const { return (i / inner) % channels; }
};

struct BatchNormCase {
  Shape shape;
  int axis;
};

// Channels last sum four vectors of channels at a time, then one, then single channels:
// 83 channels take all three paths; 300 rows take two tiles of rows.
const BatchNormCase kBatchNormCases[] = {{{3, 5, 7, 2}, 3},  {{3, 5, 7, 2}, 1}, {{1, 5}, 1},
                                         {{7, 1, 1, 3}, -1}, {{5, 3, 83}, -1},  {{300, 3}, 1}};

TEST(BatchNorm, TrainForwardAndInferenceMatchNaive) {
  for (const auto& k : kBatchNormCases) {
    const int axis = k.axis < 0 ? k.axis + static_cast<int>(k.shape.size()) : k.axis;
    const Split s(k.shape, axis);
    const int64_t n = count_of(k.shape), c = s.channels;
    // A large offset checks that the one-pass variance keeps its precision.
    const auto x = random_vector<double>(n, 21, 99.0, 101.0);
    const auto gamma = random_vector<double>(c, 22), beta = random_vector<double>(c, 23);
    const auto moving_mean = random_vector<double>(c, 24), moving_var = random_vector<double>(c, 25, 0.5, 2.0);
    const double eps = 1e-3, momentum = 0.99;
    std::vector<double> mean(c, 0.0), var(c, 0.0), y(n), y_inf(n);
    for (int64_t i = 0; i < n; ++i) mean[s.channel_of(i)] += x[i] / (n / c);
    for (int64_t i = 0; i < n; ++i)
      var[s.channel_of(i)] += (x[i] - mean[s.channel_of(i)]) * (x[i] - mean[s.channel_of(i)]) / (n / c);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t ch = s.channel_of(i);
      y[i] = (x[i] - mean[ch]) / std::sqrt(var[ch] + eps) * gamma[ch] + beta[ch];
      y_inf[i] = (x[i] - moving_mean[ch]) / std::sqrt(moving_var[ch] + eps) * gamma[ch] + beta[ch];
    }
    std::vector<double> inv_std(c), new_mean(c), new_var(c);
    for (int64_t ch = 0; ch < c; ++ch) {
      inv_std[ch] = 1 / std::sqrt(var[ch] + eps);
      new_mean[ch] = moving_mean[ch] * momentum + mean[ch] * (1 - momentum);
      new_var[ch] = moving_var[ch] * momentum + var[ch] * (1 - momentum);
    }
    const std::vector<Arg<double>> inputs = {
        {x, k.shape}, {gamma, {c}}, {beta, {c}}, {moving_mean, {c}}, {moving_var, {c}}};
    const auto out = run_nn<double>(OpId::batch_norm_train_forward, inputs, {k.shape, {c}, {c}, {c}, {c}},
                                    {double(k.axis), eps, momentum});
    expect_near_all(out[0], y, 1e-9, 1e-9);
    expect_near_all(out[1], mean, 1e-12);
    expect_near_all(out[2], inv_std, 1e-9);
    expect_near_all(out[3], new_mean, 1e-12);
    expect_near_all(out[4], new_var, 1e-9, 1e-12);
    expect_near_all(run_nn<double>(OpId::batch_norm_inference, inputs, {k.shape}, {double(k.axis), eps})[0], y_inf,
                    1e-12);
    // float32: the same within float precision.
    std::vector<Arg<float>> inputs32;
    for (const auto& a : inputs) inputs32.push_back({cast_all<float>(a.values), a.shape});
    const auto out32 = run_nn<float>(OpId::batch_norm_train_forward, inputs32, {k.shape, {c}, {c}, {c}, {c}},
                                     {double(k.axis), eps, momentum});
    expect_near_all(out32[0], y, 2e-3, 2e-3);
  }
}

TEST(BatchNorm, BackwardMatchesFiniteDifferences) {
  for (const auto& k : kBatchNormCases) {
    const int axis = k.axis < 0 ? k.axis + static_cast<int>(k.shape.size()) : k.axis;
    const int64_t n = count_of(k.shape), c = Split(k.shape, axis).channels;
    if (n == c) continue;  // one element per channel: x's gradient is identically zero
    const auto x = random_vector<double>(n, 31), dy = random_vector<double>(n, 32);
    const auto gamma = random_vector<double>(c, 33), beta = random_vector<double>(c, 34);
    const std::vector<double> ones(c, 1.0), zeros(c, 0.0);
    const std::vector<double> attrs = {double(k.axis), 1e-3, 0.9};
    const auto forward = [&](const std::vector<double>& xv, const std::vector<double>& g,
                             const std::vector<double>& b) {
      return run_nn<double>(OpId::batch_norm_train_forward,
                            {{xv, k.shape}, {g, {c}}, {b, {c}}, {zeros, {c}}, {ones, {c}}},
                            {k.shape, {c}, {c}, {c}, {c}}, attrs);
    };
    const auto saved = forward(x, gamma, beta);
    const auto grads = run_nn<double>(OpId::batch_norm_backward,
                                      {{x, k.shape}, {dy, k.shape}, {gamma, {c}}, {saved[1], {c}}, {saved[2], {c}}},
                                      {k.shape, {c}, {c}}, {double(k.axis)});
    expect_gradient([&](const std::vector<double>& v) { return dot(dy, forward(v, gamma, beta)[0]); }, x, grads[0],
                    "dx", 1e-5);
    expect_gradient([&](const std::vector<double>& v) { return dot(dy, forward(x, v, beta)[0]); }, gamma, grads[1],
                    "dgamma");
    expect_gradient([&](const std::vector<double>& v) { return dot(dy, forward(x, gamma, v)[0]); }, beta, grads[2],
                    "dbeta");
  }
}

TEST(BatchNorm, RejectsBadAxisAndChannelVectors) {
  const std::vector<Arg<float>> inputs = {{std::vector<float>(12), {3, 4}},
                                          {std::vector<float>(4), {4}},
                                          {std::vector<float>(4), {4}},
                                          {std::vector<float>(4), {4}},
                                          {std::vector<float>(3), {3}}};
  EXPECT_THROW(run_nn<float>(OpId::batch_norm_inference, inputs, {{3, 4}}, {1, 1e-3}), Error);
  EXPECT_THROW(run_nn<float>(OpId::batch_norm_inference, inputs, {{3, 4}}, {2, 1e-3}), Error);
}

TEST(LayerNorm, ForwardMatchesNaiveAndBackwardMatchesFiniteDifferences) {
  // Rows go in blocks of a vector's lanes (16 floats, 8 doubles) and columns a vector at a
  // time: partial blocks, partial vectors and exact ones.
  for (const Shape& shape : std::vector<Shape>{{3, 7}, {1, 129}, {2, 3, 4}, {37, 33}, {17, 32}, {40, 1}}) {
    const int64_t cols = shape.size() == 3 ? shape[1] * shape[2] : shape.back(), n = count_of(shape), rows = n / cols;
    const auto x = random_vector<double>(n, 41, -3, 5), dy = random_vector<double>(n, 42);
    const auto gamma = random_vector<double>(cols, 43), beta = random_vector<double>(cols, 44);
    const double eps = 1e-3;
    std::vector<double> y(n), mean(rows), rstd(rows);
    for (int64_t r = 0; r < rows; ++r) {
      double m = 0, v = 0;
      for (int64_t j = 0; j < cols; ++j) m += x[r * cols + j] / cols;
      for (int64_t j = 0; j < cols; ++j) v += (x[r * cols + j] - m) * (x[r * cols + j] - m) / cols;
      mean[r] = m;
      rstd[r] = 1 / std::sqrt(v + eps);
      for (int64_t j = 0; j < cols; ++j) y[r * cols + j] = (x[r * cols + j] - m) * rstd[r] * gamma[j] + beta[j];
    }
    const auto forward = [&](const std::vector<double>& xv, const std::vector<double>& g,
                             const std::vector<double>& b) {
      return run_nn<double>(OpId::layer_norm_forward, {{xv, shape}, {g, {cols}}, {b, {cols}}}, {shape, {rows}, {rows}},
                            {eps});
    };
    const auto out = forward(x, gamma, beta);
    expect_near_all(out[0], y, 1e-12, 1e-12);
    expect_near_all(out[1], mean, 1e-12, 1e-12);
    expect_near_all(out[2], rstd, 1e-12);
    const auto out32 =
        run_nn<float>(OpId::layer_norm_forward,
                      {{cast_all<float>(x), shape}, {cast_all<float>(gamma), {cols}}, {cast_all<float>(beta), {cols}}},
                      {shape, {rows}, {rows}}, {eps});
    expect_near_all(out32[0], y, 1e-4, 1e-4);
    expect_near_all(out32[1], mean, 1e-5, 1e-5);
    expect_near_all(out32[2], rstd, 1e-4, 1e-4);
    const auto grads = run_nn<double>(OpId::layer_norm_backward,
                                      {{x, shape}, {dy, shape}, {gamma, {cols}}, {out[1], {rows}}, {out[2], {rows}}},
                                      {shape, {cols}, {cols}});
    const auto grads32 = run_nn<float>(OpId::layer_norm_backward,
                                       {{cast_all<float>(x), shape},
                                        {cast_all<float>(dy), shape},
                                        {cast_all<float>(gamma), {cols}},
                                        {cast_all<float>(out[1]), {rows}},
                                        {cast_all<float>(out[2]), {rows}}},
                                       {shape, {cols}, {cols}});
    for (int i = 0; i < 3; ++i) expect_near_all(grads32[i], grads[i], 1e-4, 1e-4);
    expect_gradient([&](const std::vector<double>& v) { return dot(dy, forward(v, gamma, beta)[0]); }, x, grads[0],
                    "dx", 1e-5);
    expect_gradient([&](const std::vector<double>& v) { return dot(dy, forward(x, v, beta)[0]); }, gamma, grads[1],
                    "dgamma");
    expect_gradient([&](const std::vector<double>& v) { return dot(dy, forward(x, gamma, v)[0]); }, beta, grads[2],
                    "dbeta");
  }
}

}  // namespace
}  // namespace tessera::testing
