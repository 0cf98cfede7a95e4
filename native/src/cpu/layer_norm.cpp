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
// in the input's dtype (vm::lane_sum_t, in vector registers); dgamma and dbeta run down
// tiles of rows in registers and add up in double (column_sums.h). Loops run vectorized
// (vectorize.h). float32 and float64; all tensors of a call share one dtype.
#include <cmath>
#include <vector>

#include "column_sums.h"
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

// Rows go in blocks, each step over the whole block before the next, so that the short
// dependency chains of one row (a sum, its horizontal reduction, a square root) overlap
// with the other rows' instead of running one row at a time: at 32 columns that was
// 100 cycles a row.
constexpr int64_t kBlockRows = 8;

template <typename T>
void forward(const KernelArgs& args, const RowLayout& l) {
  const T *x = args.in(0).data<T>(), *gamma = args.in(1).data<T>(), *beta = args.in(2).data<T>();
  T *y = args.out(0).data<T>(), *mean_out = args.out(1).data<T>(), *rstd_out = args.out(2).data<T>();
  const int64_t cols = l.cols;
  const T epsilon = static_cast<T>(args.attr(0)), inv_cols = T(1) / static_cast<T>(cols);
  parallel_for(0, l.rows, rows_per_task(l), [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t r0 = lo; r0 < hi; r0 += kBlockRows) {
        const int64_t n = std::min(kBlockRows, hi - r0);
        T m[kBlockRows], s[kBlockRows];
        // Two passes over rows that stay in L1: the means, then the centered squares.
        for (int64_t b = 0; b < n; ++b) {
          const T* in = x + (r0 + b) * cols;
          m[b] = vm::lane_sum_t<T>(cols, [&](int64_t j) { return in[j]; }) * inv_cols;
        }
        for (int64_t b = 0; b < n; ++b) {
          const T* in = x + (r0 + b) * cols;
          const T mb = m[b];
          s[b] = vm::lane_sum_t<T>(cols, [&](int64_t j) { return (in[j] - mb) * (in[j] - mb); }) * inv_cols;
        }
        for (int64_t b = 0; b < n; ++b) {
          s[b] = T(1) / std::sqrt(s[b] + epsilon);
          mean_out[r0 + b] = m[b];
          rstd_out[r0 + b] = s[b];
        }
        for (int64_t b = 0; b < n; ++b) {
          const T *in = x + (r0 + b) * cols, mb = m[b], sb = s[b];
          T* out = y + (r0 + b) * cols;
          TESSERA_IVDEP
          for (int64_t j = 0; j < cols; ++j) out[j] = (in[j] - mb) * sb * gamma[j] + beta[j];
        }
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
  const T inv_cols = T(1) / static_cast<T>(cols);
  // Per part: dgamma and dbeta partials over its rows, in double.
  std::vector<double> partial(parts * 2 * cols, 0.0);
  run_parts(l.rows, parts, [&](int64_t p, int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t r0 = lo; r0 < hi; r0 += kBlockRows) {
        const int64_t n = std::min(kBlockRows, hi - r0);
        T mean_g[kBlockRows], mean_g_xhat[kBlockRows];
        for (int64_t b = 0; b < n; ++b) {
          const T *in = x + (r0 + b) * cols, *g_out = dy + (r0 + b) * cols;
          const T m = mean[r0 + b], s = rstd[r0 + b];
          mean_g[b] = vm::lane_sum_t<T>(cols, [&](int64_t j) { return gamma[j] * g_out[j]; }) * inv_cols;
          mean_g_xhat[b] =
              vm::lane_sum_t<T>(cols, [&](int64_t j) { return gamma[j] * g_out[j] * ((in[j] - m) * s); }) * inv_cols;
        }
        for (int64_t b = 0; b < n; ++b) {
          const T *in = x + (r0 + b) * cols, *g_out = dy + (r0 + b) * cols;
          const T m = mean[r0 + b], s = rstd[r0 + b], mg = mean_g[b], mgx = mean_g_xhat[b];
          T* out = dx + (r0 + b) * cols;
          TESSERA_IVDEP
          for (int64_t j = 0; j < cols; ++j) out[j] = s * (gamma[j] * g_out[j] - mg - (in[j] - m) * s * mgx);
        }
      }
      // dgamma and dbeta: sums down the columns, in registers (column_sums.h).
      double* dg = partial.data() + p * 2 * cols;
      add_column_terms<T>(lo, hi, cols, dg, dg + cols, [&](int64_t r, int64_t j, T& u, T& v) {
        const T g_out = dy[r * cols + j];
        u = g_out * ((x[r * cols + j] - mean[r]) * rstd[r]);
        v = g_out;
      });
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
