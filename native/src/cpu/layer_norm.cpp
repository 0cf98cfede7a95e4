// Layer normalization over the trailing axes.
//
//   layer_norm_forward   inputs  x, gamma [D], beta [D]
//                        outputs y (shape of x), mean [R], rstd [R]
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
// A layer without center/scale passes beta = 0 / gamma = 1. Row sums run in the input's
// dtype, a vector of partial sums per row, folded a block of rows at a time; dgamma and
// dbeta run down tiles of rows in registers and add up in double (column_sums.h). Loops
// run vectorized (vectorize.h). float32 and float64; all tensors of a call share one dtype.
#include <cmath>
#include <vector>

#include "../contracts/layer_norm.h"
#include "column_sums.h"
#include "partition.h"
#include "tessera/kernel.h"
#include "tessera/op_attrs.h"
#include "vec_math.h"
#include "vector64.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

using contracts::row_layout;
using contracts::RowLayout;

int64_t rows_per_task(const RowLayout& l) { return grain_for(8192, l.cols); }

template <typename T>
using Vec = typename Vector64<T>::type;

// Rows go in blocks of one vector's lanes, each step over the whole block before the
// next: a row's sums end as one vector of partial sums, and the block's horizontal sums
// fold together (fold_lane_sums), so that lane b of a block statistic is row b's. One
// scalar reduction per row cost 60 cycles at 32 columns.
template <typename T>
constexpr int64_t kBlockRows = Vector64<T>::kLanes;

// Lane b: the sum over the columns of rows b < rows of a block (0 for the others), where
// add(b, j, count, sum) adds row b's terms at columns [j, j + count) to the vector sum,
// zero past count (count < lanes only at the end of a row). (It adds rather than returns:
// GCC warns, unsilenceably, of the ABI of a lambda returning a 64-byte vector.)
template <typename T, typename Add>
inline Vec<T> block_row_sums(int64_t rows, int64_t cols, Add add) {
  constexpr int L = Vector64<T>::kLanes;
  Vec<T> sums[L];
  for (int64_t b = rows; b < L; ++b) sums[b] = Vec<T>{};
  for (int64_t b = 0; b < rows; ++b) {
    Vec<T> even = {}, odd = {};  // two chains: the add latency, not the loads, bounds a row
    int64_t j = 0;
    for (; j + 2 * L <= cols; j += 2 * L) {
      add(b, j, L, even);
      add(b, j + L, L, odd);
    }
    if (j + L <= cols) add(b, j, L, even), j += L;
    if (j < cols) add(b, j, cols - j, odd);
    sums[b] = even + odd;
  }
  return fold_lane_sums<T>(sums);
}

// f(j, count) over a row's columns a vector at a time; count < lanes only at the end.
template <typename T, typename F>
inline void for_each_vector(int64_t cols, F f) {
  constexpr int L = Vector64<T>::kLanes;
  int64_t j = 0;
  for (; j + L <= cols; j += L) f(j, L);
  if (j < cols) f(j, cols - j);
}

template <typename T>
void forward(const KernelArgs& args, const RowLayout& l) {
  const T *x = args.in(0).data<T>(), *gamma = args.in(1).data<T>(), *beta = args.in(2).data<T>();
  T *y = args.out(0).data<T>(), *mean_out = args.out(1).data<T>(), *rstd_out = args.out(2).data<T>();
  const int64_t cols = l.cols;
  const T epsilon = static_cast<T>(attrs::LayerNormForwardAttrs::read(args).epsilon),
          inv_cols = T(1) / static_cast<T>(cols);
  parallel_for(0, l.rows, rows_per_task(l), [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      constexpr int64_t kRows = kBlockRows<T>;
      // Locals: through the captures, the pointers were reloaded after every store.
      const T *g = gamma, *bt = beta;
      for (int64_t r0 = lo; r0 < hi; r0 += kRows) {
        const int64_t n = std::min(kRows, hi - r0);
        const T* xb = x + r0 * cols;
        // Two passes over rows that stay in L1: the means, then the centered squares.
        const Vec<T> mean = block_row_sums<T>(n, cols,
                                              [&](int64_t b, int64_t j, int64_t count, Vec<T>& sum) {
                                                sum += load_vector_n(xb + b * cols + j, count);
                                              }) *
                            inv_cols;
        const Vec<T> var = block_row_sums<T>(n, cols,
                                             [&](int64_t b, int64_t j, int64_t count, Vec<T>& sum) {
                                               const Vec<T> d = first_lanes<T>(
                                                   load_vector_n(xb + b * cols + j, count) - mean[b], count);
                                               sum += d * d;
                                             }) *
                           inv_cols;
        T m[kRows], s[kRows];
        store_vector(m, mean);
        store_vector(s, var);
        for (int64_t b = 0; b < kRows; ++b) s[b] = T(1) / vm::sqrt(s[b] + epsilon);
        for (int64_t b = 0; b < n; ++b) {
          mean_out[r0 + b] = m[b];
          rstd_out[r0 + b] = s[b];
          const T *in = xb + b * cols, mb = m[b], sb = s[b];
          T* out = y + (r0 + b) * cols;
          for_each_vector<T>(cols, [&](int64_t j, int64_t count) {
            const Vec<T> xhat = (load_vector_n(in + j, count) - mb) * sb;
            const Vec<T> v = xhat * load_vector_n(g + j, count) + load_vector_n(bt + j, count);
            store_vector_n(out + j, v, count);
          });
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
      constexpr int64_t kRows = kBlockRows<T>;
      for (int64_t r0 = lo; r0 < hi; r0 += kRows) {
        const int64_t n = std::min(kRows, hi - r0);
        const T *xb = x + r0 * cols, *dyb = dy + r0 * cols;
        Vec<T> m = {}, s = {};
        for (int64_t b = 0; b < n; ++b) m[b] = mean[r0 + b], s[b] = rstd[r0 + b];
        // g = gamma * dy (zero past a row's end, as gamma is) and g * xhat.
        const Vec<T> mean_g =
            block_row_sums<T>(n, cols,
                              [&](int64_t b, int64_t j, int64_t count, Vec<T>& sum) {
                                sum += load_vector_n(gamma + j, count) * load_vector_n(dyb + b * cols + j, count);
                              }) *
            inv_cols;
        const Vec<T> mean_g_xhat =
            block_row_sums<T>(n, cols,
                              [&](int64_t b, int64_t j, int64_t count, Vec<T>& sum) {
                                const Vec<T> xhat = (load_vector_n(xb + b * cols + j, count) - m[b]) * s[b];
                                sum +=
                                    load_vector_n(gamma + j, count) * load_vector_n(dyb + b * cols + j, count) * xhat;
                              }) *
            inv_cols;
        for (int64_t b = 0; b < n; ++b) {
          const T *in = xb + b * cols, *g_out = dyb + b * cols;
          const T mb = m[b], sb = s[b], mg = mean_g[b], mgx = mean_g_xhat[b];
          T* out = dx + (r0 + b) * cols;
          TESSERA_IVDEP
          for (int64_t j = 0; j < cols; ++j) out[j] = sb * (gamma[j] * g_out[j] - mg - (in[j] - mb) * sb * mgx);
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
  TK_CHECK(args.in(2).size() == l.cols,
           "layerNormForward: expected beta of " << l.cols << " values, got " << args.in(2).size());
  TK_DISPATCH_FLOAT(x.dtype(), "layerNormForward", forward<scalar_t>(args, l));
}

void layer_norm_backward(const KernelArgs& args) {
  const View x = args.in(0);
  const RowLayout l = row_layout("layerNormBackward", x, args.in(2), args.in(3));
  TK_CHECK(args.in(1).size() == x.size(),
           "layerNormBackward: expected dy of " << x.size() << " elements like x, got " << args.in(1).size());
  TK_DISPATCH_FLOAT(x.dtype(), "layerNormBackward", backward<scalar_t>(args, l));
}

}  // namespace tessera::cpu
