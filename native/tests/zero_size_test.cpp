// Zero-size tensors through every kernel family: an empty axis anywhere gives an empty
// result (or a full one, for reductions over nothing: sum 0, mean NaN, max -inf, as
// NumPy and TensorFlow do) and never a division by zero (SIGFPE) in a work split.
// ASan (npm run test:native:sanitize) checks that nothing reads or writes out of bounds.
#include <cmath>
#include <limits>

#include "kernel_test_util.h"
#include "tessera/errors.h"
#include "tessera/ops.h"

namespace tessera::testing {
namespace {

using Shape = std::vector<int64_t>;

int64_t count(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

std::shared_ptr<TensorImpl> filled(const Shape& shape, float value = 0.5f) {
  return from_vector<float>(std::vector<float>(count(shape), value), shape);
}

std::vector<float> run1(OpId op, const std::vector<std::shared_ptr<TensorImpl>>& in, const Shape& out,
                        const std::vector<double>& attrs = {}) {
  return to_vector<float>(*run_op(op, in, {{DType::Float32, out}}, attrs)[0]);
}

TEST(ZeroSize, Elementwise) {
  for (const Shape& s : {Shape{0}, Shape{2, 0}, Shape{0, 3}}) {
    EXPECT_TRUE(run1(OpId::exp, {filled(s)}, s).empty());
    EXPECT_TRUE(run1(OpId::gelu, {filled(s)}, s).empty());
    EXPECT_TRUE(run1(OpId::add, {filled(s), filled(s)}, s).empty());
  }
  // Broadcasts with an empty side: [2, 0] + [0], [0, 3] + [3], [2, 1] * [1, 0]
  EXPECT_TRUE(run1(OpId::add, {filled({2, 0}), filled({0})}, {2, 0}).empty());
  EXPECT_TRUE(run1(OpId::mul, {filled({0, 3}), filled({3})}, {0, 3}).empty());
  EXPECT_TRUE(run1(OpId::mul, {filled({2, 1}), filled({1, 0})}, {2, 0}).empty());
  EXPECT_TRUE(run1(OpId::bias_relu, {filled({0, 3}), filled({3})}, {0, 3}).empty());
  EXPECT_TRUE(run1(OpId::bias_relu, {filled({2, 0}), filled({0})}, {2, 0}).empty());
}

TEST(ZeroSize, ReductionsOverAnEmptyAxisGiveTheIdentity) {
  const float inf = std::numeric_limits<float>::infinity();
  for (const Shape& s : {Shape{2, 0}, Shape{2, 0, 3}}) {
    const Shape out = s.size() == 2 ? Shape{2} : Shape{2, 3};
    const size_t n = static_cast<size_t>(count(out));
    EXPECT_EQ(run1(OpId::reduce_sum, {filled(s)}, out, {1}), std::vector<float>(n, 0.0f));
    EXPECT_EQ(run1(OpId::reduce_prod, {filled(s)}, out, {1}), std::vector<float>(n, 1.0f));
    EXPECT_EQ(run1(OpId::reduce_max, {filled(s)}, out, {1}), std::vector<float>(n, -inf));
    EXPECT_EQ(run1(OpId::reduce_min, {filled(s)}, out, {1}), std::vector<float>(n, inf));
    for (float v : run1(OpId::reduce_mean, {filled(s)}, out, {1})) EXPECT_TRUE(std::isnan(v));
  }
  // Over every axis of an empty tensor, and over a non-empty axis of one.
  EXPECT_EQ(run1(OpId::reduce_sum, {filled({0, 3})}, {}, {0, 1}), std::vector<float>{0.0f});
  EXPECT_TRUE(run1(OpId::reduce_sum, {filled({0, 3})}, {0}, {1}).empty());
  EXPECT_TRUE(run1(OpId::reduce_max, {filled({3, 0})}, {0}, {0}).empty());
  EXPECT_TRUE(run1(OpId::cumsum, {filled({2, 0})}, {2, 0}, {1, 0, 0}).empty());
  EXPECT_TRUE(run1(OpId::cumsum, {filled({0, 2})}, {0, 2}, {0, 1, 1}).empty());
  EXPECT_TRUE(to_vector<int32_t>(*run_op(OpId::argmax, {filled({0, 3})}, {{DType::Int32, {0}}}, {1})[0]).empty());
  // argmax over nothing has no answer: an error, as in NumPy.
  EXPECT_THROW(run_op(OpId::argmax, {filled({2, 0})}, {{DType::Int32, {2}}}, {1}), Error);
}

TEST(ZeroSize, SoftmaxFamily) {
  for (const Shape& s : {Shape{2, 0}, Shape{0}, Shape{0, 3}, Shape{0, 40}, Shape{3, 0, 5}}) {
    for (OpId op : {OpId::softmax, OpId::log_softmax}) {
      const auto y = run_op(op, {filled(s)}, {{DType::Float32, s}});
      EXPECT_EQ(y[0]->size, 0);
      const OpId back = op == OpId::softmax ? OpId::softmax_backward : OpId::log_softmax_backward;
      EXPECT_TRUE(run1(back, {y[0], filled(s)}, s).empty());
    }
  }
  // Rows of no classes: two rows, each a loss of 0 (an empty sum).
  const auto dense = run_op(OpId::softmax_cross_entropy, {filled({2, 0}), filled({2, 0})},
                            {{DType::Float32, {2}}, {DType::Float32, {2, 0}}});
  EXPECT_EQ(to_vector<float>(*dense[0]), (std::vector<float>{0.0f, 0.0f}));
  EXPECT_TRUE(run1(OpId::softmax_cross_entropy_backward, {dense[1], filled({2, 0}), filled({2})}, {2, 0}).empty());
  // No rows.
  const auto none = run_op(OpId::softmax_cross_entropy, {filled({0, 4}), filled({0, 4})},
                           {{DType::Float32, {0}}, {DType::Float32, {0, 4}}});
  EXPECT_EQ(none[0]->size, 0);
  auto no_labels = from_vector<int32_t>({}, {0});
  EXPECT_EQ(run_op(OpId::softmax_cross_entropy_sparse, {filled({0, 4}), no_labels},
                   {{DType::Float32, {0}}, {DType::Float32, {0, 4}}})[0]
                ->size,
            0);
  // Sparse labels cannot index zero classes: an error, as TensorFlow's.
  auto labels = from_vector<int32_t>({0, 0}, {2});
  EXPECT_THROW(run_op(OpId::softmax_cross_entropy_sparse, {filled({2, 0}), labels},
                      {{DType::Float32, {2}}, {DType::Float32, {2, 0}}}),
               Error);
  EXPECT_TRUE(run1(OpId::sigmoid_cross_entropy, {filled({2, 0}), filled({2, 0})}, {2, 0}).empty());
}

TEST(ZeroSize, Layout) {
  EXPECT_TRUE(run1(OpId::transpose, {filled({2, 0, 3})}, {3, 2, 0}, {2, 0, 1}).empty());
  EXPECT_TRUE(run1(OpId::slice, {filled({2, 3})}, {2, 0}, {0, 1}).empty());
  EXPECT_TRUE(run1(OpId::slice, {filled({0, 3})}, {0, 2}, {0, 1}).empty());
  EXPECT_EQ(run1(OpId::pad, {filled({2, 0})}, {2, 2}, {0, 0, 1, 1, 7}), std::vector<float>(4, 7.0f));
  EXPECT_TRUE(run1(OpId::tile, {filled({0, 2})}, {0, 6}).empty());
  EXPECT_TRUE(run1(OpId::tile, {filled({2, 2})}, {0, 2}).empty());
  EXPECT_EQ(run1(OpId::concat, {filled({2, 0}), filled({2, 1})}, {2, 1}, {1}), std::vector<float>(2, 0.5f));
  EXPECT_TRUE(run1(OpId::concat, {filled({0, 2}), filled({0, 3})}, {0, 5}, {1}).empty());
  auto no_ids = from_vector<int32_t>({}, {0});
  EXPECT_TRUE(run1(OpId::gather, {filled({2, 3}), no_ids}, {2, 0}, {1}).empty());
  EXPECT_EQ(run1(OpId::unsorted_segment_sum, {filled({0, 3}), no_ids}, {2, 3}), std::vector<float>(6, 0.0f));
}

TEST(ZeroSize, MatmulOverAnEmptyInnerAxisIsZero) {
  EXPECT_EQ(run1(OpId::matmul, {filled({2, 0}), filled({0, 3})}, {2, 3}, {0, 0}), std::vector<float>(6, 0.0f));
  EXPECT_TRUE(run1(OpId::matmul, {filled({0, 4}), filled({4, 3})}, {0, 3}, {0, 0}).empty());
  EXPECT_TRUE(run1(OpId::matmul, {filled({2, 4}), filled({4, 0})}, {2, 0}, {0, 0}).empty());
  EXPECT_TRUE(run1(OpId::matmul, {filled({0, 2, 4}), filled({0, 4, 3})}, {0, 2, 3}, {0, 0}).empty());
  // Activation 2 (gelu), keeping the pre-activation: that is the bias, the output gelu(0.5).
  const auto y = run_op(OpId::matmul_bias, {filled({2, 0}), filled({0, 3}), filled({3})},
                        {{DType::Float32, {2, 3}}, {DType::Float32, {2, 3}}}, {2});
  EXPECT_EQ(to_vector<float>(*y[1]), std::vector<float>(6, 0.5f));
  for (float v : to_vector<float>(*y[0])) EXPECT_NEAR(v, 0.5 * 0.5 * (1 + std::erf(0.5 / std::sqrt(2.0))), 1e-6);
}

TEST(ZeroSize, DropoutAndNormalization) {
  const auto d =
      run_op(OpId::dropout, {filled({2, 0})}, {{DType::Float32, {2, 0}}, {DType::Bool, {2, 0}}}, {1, 0, 0.5});
  EXPECT_EQ(d[0]->size, 0);
  EXPECT_TRUE(run1(OpId::dropout_backward, {filled({2, 0}), d[1]}, {2, 0}, {0.5}).empty());
  // Layer norm of no rows; batch norm of an empty batch (statistics of nothing: NaN).
  const auto ln = run_op(OpId::layer_norm_forward, {filled({0, 4}), filled({4}), filled({4})},
                         {{DType::Float32, {0, 4}}, {DType::Float32, {0}}, {DType::Float32, {0}}}, {1e-3});
  EXPECT_EQ(ln[0]->size, 0);
  const auto bn =
      run_op(OpId::batch_norm_inference, {filled({0, 3}), filled({3}), filled({3}), filled({3}), filled({3})},
             {{DType::Float32, {0, 3}}}, {1, 1e-3});
  EXPECT_EQ(bn[0]->size, 0);
  const auto bn0 =
      run_op(OpId::batch_norm_inference, {filled({2, 0}), filled({0}), filled({0}), filled({0}), filled({0})},
             {{DType::Float32, {2, 0}}}, {1, 1e-3});
  EXPECT_EQ(bn0[0]->size, 0);
}

TEST(ZeroSize, ConvolutionAndPooling) {
  const std::vector<double> conv{1, 1, 1, 1, 0, 0, 1, 1, 1};  // 2x2 filter, 'same'
  EXPECT_TRUE(run1(OpId::conv2d, {filled({0, 4, 4, 2}), filled({2, 2, 2, 3})}, {0, 4, 4, 3}, conv).empty());
  EXPECT_TRUE(run1(OpId::conv2d, {filled({1, 4, 4, 2}), filled({2, 2, 2, 0})}, {1, 4, 4, 0}, conv).empty());
  EXPECT_TRUE(run1(OpId::conv2d, {filled({1, 0, 4, 2}), filled({2, 2, 2, 3})}, {1, 0, 4, 3}, conv).empty());
  EXPECT_TRUE(
      run1(OpId::conv2d_backward_input, {filled({0, 4, 4, 3}), filled({2, 2, 2, 3})}, {0, 4, 4, 2}, conv).empty());
  EXPECT_EQ(run1(OpId::conv2d_backward_filter, {filled({0, 4, 4, 2}), filled({0, 4, 4, 3})}, {2, 2, 2, 3}, conv),
            std::vector<float>(24, 0.0f));
  const std::vector<double> pool{2, 2, 2, 2, 0, 0, 0, 0};
  for (OpId op : {OpId::max_pool2d, OpId::avg_pool2d}) {
    EXPECT_TRUE(run1(op, {filled({0, 4, 4, 2})}, {0, 2, 2, 2}, pool).empty());
    EXPECT_TRUE(run1(op, {filled({1, 4, 4, 0})}, {1, 2, 2, 0}, pool).empty());
  }
  EXPECT_TRUE(run1(OpId::avg_pool2d_backward, {filled({0, 2, 2, 2})}, {0, 4, 4, 2}, pool).empty());
  EXPECT_TRUE(
      run1(OpId::max_pool2d_backward, {filled({0, 4, 4, 2}), filled({0, 2, 2, 2})}, {0, 4, 4, 2}, pool).empty());
}

TEST(ZeroSize, RecurrentCells) {
  EXPECT_TRUE(run1(OpId::simple_rnn_cell, {filled({0, 2}), filled({0, 2}), filled({2, 2})}, {0, 2}).empty());
  EXPECT_TRUE(run1(OpId::simple_rnn_cell, {filled({3, 0}), filled({3, 0}), filled({0, 0})}, {3, 0}).empty());
}

}  // namespace
}  // namespace tessera::testing
