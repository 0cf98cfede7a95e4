// Softmax and log-softmax over the last axis, and the fused cross-entropy losses.
//
//   softmax                  inputs x [..., K]               outputs y (shape of x)
//   log_softmax              inputs x [..., K]               outputs y
//   softmax_backward         inputs y (softmax's output), dy outputs dx = y * (dy - sum_k dy * y)
//   log_softmax_backward     inputs y (log_softmax's output), dy
//                                                            outputs dx = dy - exp(y) * sum_k dy
//   softmax_cross_entropy_sparse           inputs  logits [..., K], labels int32 [...]
//                                          outputs loss [...], probs [..., K]
//   softmax_cross_entropy_sparse_backward  inputs  probs [..., K], labels int32 [...], dloss [...]
//                                          outputs dlogits [..., K] = dloss * (probs - onehot(labels))
//   softmax_cross_entropy                  inputs  logits [..., K], labels [..., K] (probabilities)
//                                          outputs loss [...], probs [..., K]
//   softmax_cross_entropy_backward         inputs  probs [..., K], labels [..., K], dloss [...]
//                                          outputs dlogits = dloss * (probs * sum_k labels - labels)
//   sigmoid_cross_entropy                  inputs  logits, labels (same shape)
//                                          outputs loss (same shape), elementwise
//   sigmoid_cross_entropy_backward         inputs  logits, labels, dloss (same shape)
//                                          outputs dlogits = dloss * (sigmoid(logits) - labels)
// No attributes. Rows are the leading axes flattened; "[...]" tensors hold one value per
// row in any shape. The losses are per example (per element for the sigmoid one): the
// caller reduces, applies label smoothing and sample weights. Cross-entropy:
//   loss = sum_k labels_k * (logsumexp(logits) - logits_k)
// which for sparse labels is logsumexp(logits) - logits[label]. Sparse labels must lie in
// [0, K) (checked; TensorFlow raises too). Labels are treated as constants (no gradient).
// Sigmoid cross-entropy in the stable form max(x, 0) - x * z + log1p(exp(-|x|)).
// All stable against overflow (max subtracted). float32 and float64 (labels int32 for
// the sparse pair); row sums accumulate in double, except that rows of at most one
// vector of lanes go in transposed blocks, summed in T (RowBlock). Loops run vectorized (vectorize.h);
// float32 exp and log1p are vec_math.h's (<= 2.4 ulps), so probabilities are within a
// few ulps: softmax is exp(x - max) / sum, one exponential per element.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "../contracts/softmax.h"
#include "tessera/kernel.h"
#include "tessera/thread_pool.h"
#include "vec_math.h"
#include "vector64.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

using contracts::Rows;

// fn(row) over every row, in parallel, compiled for the CPU's widest vectors.
template <typename F>
void for_each_row(const Rows& r, F fn) {
  parallel_for(0, r.rows, grain_for(4096, r.cols), [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t i = lo; i < hi; ++i) fn(i);
    });
  });
}

template <typename T>
struct ExpSum {
  T top;
  double sum;
};

// Writes e_k = exp(x_k - max) to e and returns max and sum_k e_k (in double).
template <typename T>
inline ExpSum<T> exp_sum(const T* x, int64_t n, T* e) {
  const T top = vm::lane_max<T>(n, [&](int64_t k) { return x[k]; });
  for (int64_t k = 0; k < n; ++k) e[k] = vm::exp(x[k] - top);
  return {top, vm::lane_sum<double, 8>(n, [&](int64_t k) { return e[k]; })};
}

// Rows of at most one vector's lanes (a classifier's 10 classes) go kLanes rows at a time,
// transposed, so that each class is one vector across the rows and the max, sum and log
// are plain vector operations. Row by row, such short rows cost about 110 cycles each in
// loop overhead and horizontal reductions (8192 x 10 ran at 2.9 GB/s).
template <typename T>
struct RowBlock {
  static constexpr int kLanes = Vector64<T>::kLanes;
  alignas(64) T t[kLanes][kLanes];  // t[k][r]: column k of row r

  // Element loops, not memcpy: a libc call per short row cost more than the row.
  void load(const T* x, int64_t cols, int64_t n) {
    alignas(64) T rows[kLanes][kLanes];
    for (int r = 0; r < kLanes; ++r)
      for (int k = 0; k < kLanes; ++k) rows[r][k] = r < n && k < cols ? x[r * cols + k] : T(0);
    typename Vector64<T>::type v[kLanes];
    std::memcpy(v, rows, sizeof(v));
    transpose<T>(v);
    std::memcpy(t, v, sizeof(t));
  }
  void store(T* y, int64_t cols, int64_t n) const {
    typename Vector64<T>::type v[kLanes];
    std::memcpy(v, t, sizeof(t));
    transpose<T>(v);
    alignas(64) T rows[kLanes][kLanes];
    std::memcpy(rows, v, sizeof(rows));
    for (int64_t r = 0; r < n; ++r)
      for (int64_t k = 0; k < cols; ++k) y[r * cols + k] = rows[r][k];
  }
};

// p = softmax of each row of x (cols <= kLanes), and lse = max + log(sum exp(x - max)).
// Sums in T over at most kLanes terms. NaNs are skipped by the max, as in lane_max.
template <typename T>
inline void block_softmax(const RowBlock<T>& x, int64_t cols, RowBlock<T>& p, T (&lse)[RowBlock<T>::kLanes]) {
  constexpr int L = RowBlock<T>::kLanes;
  T top[L], sum[L] = {}, inv[L];
  for (int r = 0; r < L; ++r) top[r] = -INFINITY;
  for (int64_t k = 0; k < cols; ++k)
    for (int r = 0; r < L; ++r) top[r] = x.t[k][r] > top[r] ? x.t[k][r] : top[r];
  for (int64_t k = 0; k < cols; ++k)
    for (int r = 0; r < L; ++r) {
      p.t[k][r] = vm::exp(x.t[k][r] - top[r]);
      sum[r] += p.t[k][r];
    }
  for (int r = 0; r < L; ++r) {
    inv[r] = T(1) / sum[r];
    lse[r] = top[r] + vm::log(sum[r]);
  }
  for (int64_t k = 0; k < cols; ++k)
    for (int r = 0; r < L; ++r) p.t[k][r] *= inv[r];
}

// fn(first_row, rows, x_block, p_block, lse) for blocks of up to kLanes rows, in parallel.
template <typename T, typename F>
void for_each_small_block(const Rows& r, const T* x, F fn) {
  constexpr int64_t L = RowBlock<T>::kLanes;
  const int64_t blocks = (r.rows + L - 1) / L;
  parallel_for(0, blocks, grain_for(4096, L * r.cols), [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t b = lo; b < hi; ++b) {
        const int64_t i0 = b * L, n = std::min(L, r.rows - i0);
        RowBlock<T> xb, pb;
        T lse[L];
        xb.load(x + i0 * r.cols, r.cols, n);
        block_softmax(xb, r.cols, pb, lse);
        fn(i0, n, xb, pb, lse);
      }
    });
  });
}

template <typename T>
void softmax_rows(const Rows& r, const T* x, T* y, bool log) {
  if (r.cols <= RowBlock<T>::kLanes) {
    return for_each_small_block(r, x, [&](int64_t i0, int64_t n, const RowBlock<T>& xb, RowBlock<T>& pb, auto& lse) {
      if (log) {
        for (int64_t k = 0; k < r.cols; ++k)
          for (int j = 0; j < RowBlock<T>::kLanes; ++j) pb.t[k][j] = xb.t[k][j] - lse[j];
      }
      pb.store(y + i0 * r.cols, r.cols, n);
    });
  }
  for_each_row(r, [&](int64_t i) {
    const T* in = x + i * r.cols;
    T* out = y + i * r.cols;
    const ExpSum<T> es = exp_sum(in, r.cols, out);
    if (log) {
      const T lse = static_cast<T>(es.top + std::log(es.sum));
      for (int64_t k = 0; k < r.cols; ++k) out[k] = in[k] - lse;
    } else {
      const T scale = static_cast<T>(1.0 / es.sum);
      for (int64_t k = 0; k < r.cols; ++k) out[k] *= scale;
    }
  });
}

template <typename T>
void softmax_backward_rows(const Rows& r, const T* y, const T* dy, T* dx, bool log) {
  for_each_row(r, [&](int64_t i) {
    const T *out = y + i * r.cols, *g = dy + i * r.cols;
    T* d = dx + i * r.cols;
    if (log) {
      const T dot = static_cast<T>(vm::lane_sum<double, 8>(r.cols, [&](int64_t k) { return g[k]; }));
      for (int64_t k = 0; k < r.cols; ++k) d[k] = g[k] - vm::exp(out[k]) * dot;
    } else {
      const T dot = static_cast<T>(
          vm::lane_sum<double, 8>(r.cols, [&](int64_t k) { return static_cast<double>(g[k]) * out[k]; }));
      for (int64_t k = 0; k < r.cols; ++k) d[k] = out[k] * (g[k] - dot);
    }
  });
}

void check_labels(const char* op, const int32_t* labels, int64_t n, int64_t classes) {
  for (int64_t i = 0; i < n; ++i)
    TK_CHECK(labels[i] >= 0 && labels[i] < classes,
             op << ": expected labels in [0, " << classes << "), got " << labels[i] << " at position " << i);
}

// Per row: probs = softmax(logits), loss = row_loss(i, lse), lse = log(sum_k exp(logits_k)).
template <typename T, typename RowLoss>
void cross_entropy_rows(const Rows& r, const T* logits, T* loss, T* probs, RowLoss row_loss) {
  if (r.cols <= RowBlock<T>::kLanes) {
    return for_each_small_block(r, logits, [&](int64_t i0, int64_t n, const RowBlock<T>&, RowBlock<T>& pb, auto& lse) {
      pb.store(probs + i0 * r.cols, r.cols, n);
      for (int64_t j = 0; j < n; ++j) loss[i0 + j] = static_cast<T>(row_loss(i0 + j, static_cast<double>(lse[j])));
    });
  }
  for_each_row(r, [&](int64_t i) {
    const T* in = logits + i * r.cols;
    T* p = probs + i * r.cols;
    const ExpSum<T> es = exp_sum(in, r.cols, p);
    const T scale = static_cast<T>(1.0 / es.sum);
    for (int64_t k = 0; k < r.cols; ++k) p[k] *= scale;
    loss[i] = static_cast<T>(row_loss(i, static_cast<double>(es.top) + std::log(es.sum)));
  });
}

}  // namespace

void softmax(const KernelArgs& args) {
  const View x = args.in(0);
  const Rows r = contracts::check_softmax("softmax", x, args.out(0));
  if (r.rows == 0 || r.cols == 0) return;  // empty: no row to visit (rows of width 0 would be walked one by one)
  TK_DISPATCH_FLOAT(x.dtype(), "softmax", softmax_rows(r, x.data<scalar_t>(), args.out(0).data<scalar_t>(), false));
}

void log_softmax(const KernelArgs& args) {
  const View x = args.in(0);
  const Rows r = contracts::check_softmax("logSoftmax", x, args.out(0));
  if (r.rows == 0 || r.cols == 0) return;  // empty: no row to visit (rows of width 0 would be walked one by one)
  TK_DISPATCH_FLOAT(x.dtype(), "logSoftmax", softmax_rows(r, x.data<scalar_t>(), args.out(0).data<scalar_t>(), true));
}

void softmax_backward(const KernelArgs& args) {
  const View y = args.in(0), dy = args.in(1);
  const Rows r = contracts::check_softmax_backward("softmaxBackward", y, dy, args.out(0));
  if (r.rows == 0 || r.cols == 0) return;
  TK_DISPATCH_FLOAT(
      y.dtype(), "softmaxBackward",
      softmax_backward_rows(r, y.data<scalar_t>(), dy.data<scalar_t>(), args.out(0).data<scalar_t>(), false));
}

void log_softmax_backward(const KernelArgs& args) {
  const View y = args.in(0), dy = args.in(1);
  const Rows r = contracts::check_softmax_backward("logSoftmaxBackward", y, dy, args.out(0));
  if (r.rows == 0 || r.cols == 0) return;
  TK_DISPATCH_FLOAT(
      y.dtype(), "logSoftmaxBackward",
      softmax_backward_rows(r, y.data<scalar_t>(), dy.data<scalar_t>(), args.out(0).data<scalar_t>(), true));
}

void softmax_cross_entropy_sparse(const KernelArgs& args) {
  const char* op = "softmaxCrossEntropySparse";
  const View logits = args.in(0), labels = args.in(1);
  const Rows r = contracts::check_cross_entropy_sparse(op, logits, labels, args.out(0), args.out(1));
  const int32_t* ids = labels.data<int32_t>();
  check_labels(op, ids, r.rows, r.cols);
  TK_DISPATCH_FLOAT(
      logits.dtype(), op,
      cross_entropy_rows(r, logits.data<scalar_t>(), args.out(0).data<scalar_t>(), args.out(1).data<scalar_t>(),
                         [&](int64_t i, double lse) { return lse - logits.data<scalar_t>()[i * r.cols + ids[i]]; }));
}

void softmax_cross_entropy_sparse_backward(const KernelArgs& args) {
  const char* op = "softmaxCrossEntropySparseBackward";
  const View probs = args.in(0), labels = args.in(1), dloss = args.in(2);
  const Rows r = contracts::check_cross_entropy_sparse_backward(op, probs, labels, dloss, args.out(0));
  const int32_t* ids = labels.data<int32_t>();
  check_labels(op, ids, r.rows, r.cols);
  TK_DISPATCH_FLOAT(probs.dtype(), op, {
    const scalar_t *p = probs.data<scalar_t>(), *g = dloss.data<scalar_t>();
    scalar_t* d = args.out(0).data<scalar_t>();
    for_each_row(r, [&](int64_t i) {
      for (int64_t k = 0; k < r.cols; ++k) d[i * r.cols + k] = g[i] * p[i * r.cols + k];
      d[i * r.cols + ids[i]] -= g[i];
    });
  });
}

void softmax_cross_entropy(const KernelArgs& args) {
  const char* op = "softmaxCrossEntropy";
  const View logits = args.in(0), labels = args.in(1);
  const Rows r = contracts::check_cross_entropy(op, logits, labels, args.out(0), args.out(1));
  TK_DISPATCH_FLOAT(logits.dtype(), op, {
    const scalar_t *l = labels.data<scalar_t>(), *x = logits.data<scalar_t>();
    cross_entropy_rows(r, x, args.out(0).data<scalar_t>(), args.out(1).data<scalar_t>(), [&](int64_t i, double lse) {
      // sum_k l_k * (lse - x_k); zero labels are skipped so that -inf logits give no NaN.
      const scalar_t *li = l + i * r.cols, *xi = x + i * r.cols;
      return vm::lane_sum<double, 8>(r.cols, [&](int64_t k) {
        return li[k] != 0 ? static_cast<double>(li[k]) * (lse - static_cast<double>(xi[k])) : 0.0;
      });
    });
  });
}

void softmax_cross_entropy_backward(const KernelArgs& args) {
  const char* op = "softmaxCrossEntropyBackward";
  const View probs = args.in(0), labels = args.in(1), dloss = args.in(2);
  const Rows r = contracts::check_cross_entropy_backward(op, probs, labels, dloss, args.out(0));
  TK_DISPATCH_FLOAT(probs.dtype(), op, {
    const scalar_t *p = probs.data<scalar_t>(), *l = labels.data<scalar_t>(), *g = dloss.data<scalar_t>();
    scalar_t* d = args.out(0).data<scalar_t>();
    for_each_row(r, [&](int64_t i) {
      const int64_t base = i * r.cols;
      const scalar_t s = static_cast<scalar_t>(vm::lane_sum<double, 8>(r.cols, [&](int64_t k) { return l[base + k]; }));
      for (int64_t k = 0; k < r.cols; ++k) d[base + k] = g[i] * (p[base + k] * s - l[base + k]);
    });
  });
}

void sigmoid_cross_entropy(const KernelArgs& args) {
  const char* op = "sigmoidCrossEntropy";
  const View logits = args.in(0), labels = args.in(1);
  contracts::check_sigmoid_cross_entropy(op, logits, labels, args.out(0));
  TK_DISPATCH_FLOAT(logits.dtype(), op, {
    const scalar_t *x = logits.data<scalar_t>(), *z = labels.data<scalar_t>();
    scalar_t* loss = args.out(0).data<scalar_t>();
    parallel_for(0, logits.size(), 8192, [&](int64_t lo, int64_t hi) {
      vectorized([&] {
        for (int64_t i = lo; i < hi; ++i)
          loss[i] = (x[i] > 0 ? x[i] : scalar_t(0)) - x[i] * z[i] + vm::log1p(vm::exp(-std::fabs(x[i])));
      });
    });
  });
}

void sigmoid_cross_entropy_backward(const KernelArgs& args) {
  const char* op = "sigmoidCrossEntropyBackward";
  const View logits = args.in(0), labels = args.in(1), dloss = args.in(2);
  contracts::check_sigmoid_cross_entropy_backward(op, logits, labels, dloss, args.out(0));
  TK_DISPATCH_FLOAT(logits.dtype(), op, {
    const scalar_t *x = logits.data<scalar_t>(), *z = labels.data<scalar_t>(), *g = dloss.data<scalar_t>();
    scalar_t* d = args.out(0).data<scalar_t>();
    parallel_for(0, logits.size(), 8192, [&](int64_t lo, int64_t hi) {
      vectorized([&] {
        for (int64_t i = lo; i < hi; ++i) d[i] = g[i] * (vm::sigmoid(x[i]) - z[i]);
      });
    });
  });
}

}  // namespace tessera::cpu
