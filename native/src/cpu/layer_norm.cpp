// Layer normalization over the trailing axes.
//
//   layer_norm_forward   inputs  x, gamma [D], beta [D]
//                        outputs y (shape of x), mean [R], rstd [R]
//                        attrs   [epsilon]
//   layer_norm_backward  inputs  x, dy, gamma [D], mean [R], rstd [R]
//                        outputs dx, dgamma [D], dbeta [D]
//
// x is viewed as [R, D] with D = gamma's size (the product of the normalized trailing
// axes) and R = x.size / D. The mean and rstd outputs may have any shape of R elements.
// As Keras 3 (biased variance, epsilon inside the root):
//   mean = sum_j x_j / D,  var = sum_j (x_j - mean)^2 / D,  rstd = 1 / sqrt(var + eps)
//   y = (x - mean) * rstd * gamma + beta
// Backward, with xhat = (x - mean) * rstd and g = gamma * dy:
//   dx = rstd * (g - mean_j(g) - xhat * mean_j(g * xhat)),
//   dgamma = sum over rows of dy * xhat,  dbeta = sum over rows of dy.
// A layer without center/scale passes beta = 0 / gamma = 1. Row sums use 16 partial sums
// in the input's dtype (vm::lane_sum, in vector registers), added in double; dgamma and
// dbeta accumulate in double. Loops run vectorized (vectorize.h). float32 and float64;
// all tensors of a call share one dtype.
#include <cmath>
#include <vector>

#include "contracts/layer_norm.h"
#include "partition.h"
#include "tessera/kernel.h"
#include "vec_math.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

using contracts::RowLayout;
using contracts::row_layout;

int64_t rows_per_task(const RowLayout& l) { return std::max<int64_t>(1, 8192 / std::max<int64_t>(1, l.cols)); }

template <typename T>
void forward(const KernelArgs& args, const RowLayout& l) {
  const T *x = args.in(0).data<T>(), *gamma = args.in(1).data<T>(), *beta = args.in(2).data<T>();
  T *y = args.out(0).data<T>(), *mean_out = args.out(1).data<T>(), *rstd_out = args.out(2).data<T>();
  const double epsilon = args.attr(0);
  parallel_for(0, l.rows, rows_per_task(l), [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t r = lo; r < hi; ++r) {
        const T* in = x + r * l.cols;
        // Two passes over a row that stays in L1: the mean, then the centered squares.
        const double mean = vm::lane_sum<T>(l.cols, [&](int64_t j) { return in[j]; }) / static_cast<double>(l.cols);
        const T m = static_cast<T>(mean);
        const double sum_sq = vm::lane_sum<T>(l.cols, [&](int64_t j) { return (in[j] - m) * (in[j] - m); });
        const double rstd = 1.0 / std::sqrt(sum_sq / static_cast<double>(l.cols) + epsilon);
        mean_out[r] = m;
        rstd_out[r] = static_cast<T>(rstd);
        const T s = static_cast<T>(rstd);
        T* out = y + r * l.cols;
        for (int64_t j = 0; j < l.cols; ++j) out[j] = (in[j] - m) * s * gamma[j] + beta[j];
      }
    });
  });
}

template <typename T>
void backward(const KernelArgs& args, const RowLayout& l) {
  const T *x = args.in(0).data<T>(), *dy = args.in(1).data<T>(), *gamma = args.in(2).data<T>();
  const T *mean = args.in(3).data<T>(), *rstd = args.in(4).data<T>();
  T *dx = args.out(0).data<T>(), *dgamma = args.out(1).data<T>(), *dbeta = args.out(2).data<T>();
  const int64_t cols = l.cols, parts = part_count(l.rows, rows_per_task(l));
  // Per part: dgamma and dbeta partials over its rows, in double.
  std::vector<double> partial(parts * 2 * cols, 0.0);
  run_parts(l.rows, parts, [&](int64_t p, int64_t lo, int64_t hi) {
    vectorized([&] {
      double* dg = partial.data() + p * 2 * cols;
      double* db = dg + cols;
      for (int64_t r = lo; r < hi; ++r) {
        const T *in = x + r * cols, *g_out = dy + r * cols;
        const T m = mean[r], s = rstd[r];
        const auto xhat = [&](int64_t j) { return (in[j] - m) * s; };
        const T mean_g = static_cast<T>(vm::lane_sum<T>(cols, [&](int64_t j) { return gamma[j] * g_out[j]; }) / cols);
        const T mean_g_xhat =
            static_cast<T>(vm::lane_sum<T>(cols, [&](int64_t j) { return gamma[j] * g_out[j] * xhat(j); }) / cols);
        T* out = dx + r * cols;
        for (int64_t j = 0; j < cols; ++j) {
          dg[j] += g_out[j] * xhat(j);
          db[j] += g_out[j];
          out[j] = s * (gamma[j] * g_out[j] - mean_g - xhat(j) * mean_g_xhat);
        }
      }
    });
  });
  for (int64_t j = 0; j < cols; ++j) {
    double g = 0.0, b = 0.0;
    for (int64_t p = 0; p < parts; ++p) {
      g += partial[p * 2 * cols + j];
      b += partial[(p * 2 + 1) * cols + j];
    }
    dgamma[j] = static_cast<T>(g);
    dbeta[j] = static_cast<T>(b);
  }
}

}  // namespace

void layer_norm_forward(const KernelArgs& args) {
  const View x = args.in(0);
  const RowLayout l = row_layout("layerNormForward", x, args.in(1), args.out(1));
  TK_CHECK(args.in(2).size() == l.cols, "layerNormForward: expected beta of " << l.cols << " values, got " << args.in(2).size());
  TK_CHECK(args.num_attrs() >= 1, "layerNormForward: expected attributes [epsilon]");
  TK_DISPATCH_FLOAT(x.dtype(), "layerNormForward", forward<scalar_t>(args, l));
}

void layer_norm_backward(const KernelArgs& args) {
  const View x = args.in(0);
  const RowLayout l = row_layout("layerNormBackward", x, args.in(2), args.in(3));
  TK_CHECK(args.in(1).size() == x.size(), "layerNormBackward: expected dy of " << x.size() << " elements like x, got " << args.in(1).size());
  TK_DISPATCH_FLOAT(x.dtype(), "layerNormBackward", backward<scalar_t>(args, l));
}

}  // namespace tessera::cpu
