// Softmax, log-softmax and the fused cross-entropy losses (the CUDA half of
// cpu/softmax.cpp, which documents inputs and outputs). Rows are the leading axes
// flattened, reduced along the last axis: a warp per row up to kWarpRow columns, a block
// of 256 above, with the max and the sums all-reduced by shuffles (reduce.cuh). Sums
// accumulate in double as on the CPU, in another order, and exp / log are CUDA's: results
// agree with the CPU within rounding. The parts without either (the sparse backward) give
// the CPU's bits. Sparse labels are checked on the device before any write.
#include <cstdint>

#include "check.h"
#include "contracts/softmax.h"
#include "elementwise.cuh"
#include "exact.cuh"
#include "index_check.h"
#include "kernels.h"
#include "launch.cuh"
#include "math.cuh"
#include "reduce.cuh"

namespace tessera::cuda {

namespace {

constexpr int64_t kWarpRow = 1024;

using contracts::Rows;

// Runs body.template row<Group>(row, shared) for every row, by a group of threads.
template <int kThreads, typename Body>
__global__ void rows_kernel(int64_t rows, Body body) {
  using Group = RowGroup<kThreads>;
  __shared__ double shared[32];
  for (int64_t row = Group::first(); row < rows; row += Group::count()) body.template row<Group>(row, shared);
}

template <typename Body>
void launch_rows(const Rows& r, cudaStream_t stream, const char* name, Body body) {
  if (r.rows == 0) return;
  if (r.cols <= kWarpRow) {
    rows_kernel<32>
        <<<static_cast<unsigned>(std::min<int64_t>((r.rows + 7) / 8, kMaxBlocks)), 256, 0, stream>>>(r.rows, body);
  } else {
    rows_kernel<256><<<static_cast<unsigned>(std::min<int64_t>(r.rows, kMaxBlocks)), 256, 0, stream>>>(r.rows, body);
  }
  TK_CUDA_CHECK_LAUNCH(name);
}

// log(sum_k exp(x_k)) of one row, as the CPU's log_sum_exp: the max subtracted in T, exp
// in T, the sum in double.
template <typename Group, typename T>
__device__ double row_log_sum_exp(const T* x, int64_t cols, double* shared) {
  double top = __longlong_as_double(0xfff0000000000000LL);  // -infinity
  for (int64_t k = Group::index(); k < cols; k += Group::kSize) top = static_cast<double>(x[k]) > top ? x[k] : top;
  const T t = static_cast<T>(Group::reduce(top, NanMax{}, shared));
  double sum = 0.0;
  for (int64_t k = Group::index(); k < cols; k += Group::kSize) sum += math::exp(static_cast<T>(x[k] - t));
  sum = Group::reduce(sum, Plus{}, shared);
  return static_cast<double>(t) + math::log(sum);
}

template <typename T, bool kLog>
struct SoftmaxBody {
  const T* x;
  T* y;
  int64_t cols;
  template <typename Group>
  __device__ void row(int64_t i, double* shared) const {
    const T* in = x + i * cols;
    T* out = y + i * cols;
    const T lse = static_cast<T>(row_log_sum_exp<Group>(in, cols, shared));
    for (int64_t k = Group::index(); k < cols; k += Group::kSize) out[k] = kLog ? in[k] - lse : math::exp(in[k] - lse);
  }
};

template <typename T, bool kLog>
struct SoftmaxBackwardBody {
  const T *y, *dy;
  T* dx;
  int64_t cols;
  template <typename Group>
  __device__ void row(int64_t i, double* shared) const {
    const T *out = y + i * cols, *g = dy + i * cols;
    T* d = dx + i * cols;
    double dot = 0.0;
    for (int64_t k = Group::index(); k < cols; k += Group::kSize)
      dot = add_rn(dot,
                   kLog ? static_cast<double>(g[k]) : mul_rn(static_cast<double>(g[k]), static_cast<double>(out[k])));
    const T s = static_cast<T>(Group::reduce(dot, Plus{}, shared));
    for (int64_t k = Group::index(); k < cols; k += Group::kSize)
      d[k] = kLog ? sub_rn(g[k], mul_rn(math::exp(out[k]), s)) : mul_rn(out[k], sub_rn(g[k], s));
  }
};

// probs = softmax(logits), loss = sum_k w_k * (lse - logits_k) over w_k != 0, where the
// weights are one-hot (labels != nullptr) or dense (dense != nullptr).
template <typename T>
struct CrossEntropyBody {
  const T* logits;
  const int32_t* labels;
  const T* dense;
  T *loss, *probs;
  int64_t cols;
  template <typename Group>
  __device__ void row(int64_t i, double* shared) const {
    const T* in = logits + i * cols;
    T* p = probs + i * cols;
    const double lse = row_log_sum_exp<Group>(in, cols, shared);
    double total = 0.0;
    for (int64_t k = Group::index(); k < cols; k += Group::kSize) {
      p[k] = static_cast<T>(math::exp(static_cast<double>(in[k]) - lse));
      const double w = labels ? (k == labels[i] ? 1.0 : 0.0) : static_cast<double>(dense[i * cols + k]);
      if (w != 0.0) total = add_rn(total, mul_rn(w, lse - in[k]));
    }
    total = Group::reduce(total, Plus{}, shared);
    if (Group::index() == 0) loss[i] = static_cast<T>(total);
  }
};

// dlogits = dloss * (probs * sum_k labels - labels).
template <typename T>
struct CrossEntropyBackwardBody {
  const T *probs, *labels, *dloss;
  T* dlogits;
  int64_t cols;
  template <typename Group>
  __device__ void row(int64_t i, double* shared) const {
    const int64_t base = i * cols;
    double label_sum = 0.0;
    for (int64_t k = Group::index(); k < cols; k += Group::kSize) label_sum += labels[base + k];
    const T s = static_cast<T>(Group::reduce(label_sum, Plus{}, shared));
    const T g = dloss[i];
    for (int64_t k = Group::index(); k < cols; k += Group::kSize)
      dlogits[base + k] = mul_rn(g, sub_rn(mul_rn(probs[base + k], s), labels[base + k]));
  }
};

// dlogits = dloss * probs, less dloss at the label: the CPU's two roundings.
template <typename T>
__global__ void sparse_backward_kernel(const T* probs, const int32_t* labels, const T* dloss, T* dlogits, int64_t n,
                                       int64_t cols) {
  for (int64_t t = grid_start(); t < n; t += grid_stride()) {
    const int64_t i = t / cols;
    const T g = dloss[i];
    const T v = mul_rn(g, probs[t]);
    dlogits[t] = t - i * cols == labels[i] ? sub_rn(v, g) : v;
  }
}

// Elementwise, stable: max(x, 0) - x * z + log1p(exp(-|x|)).
struct SigmoidCrossEntropyOp {
  template <typename T>
  __device__ T operator()(T x, T z) const {
    return add_rn(sub_rn(x < T(0) ? T(0) : x, mul_rn(x, z)), math::log1p(math::exp(-math::fabs(x))));
  }
};

template <typename T>
__global__ void sigmoid_backward_kernel(const T* x, const T* z, const T* g, T* d, int64_t n) {
  for (int64_t i = grid_start(); i < n; i += grid_stride())
    d[i] = mul_rn(g[i], sub_rn(T(1) / (T(1) + math::exp(-x[i])), z[i]));
}

void check_labels(const char* op, const View& labels, int64_t rows, int64_t classes, cudaStream_t stream) {
  const BadIndex bad = find_bad_index(labels.data<int32_t>(), rows, classes, stream);
  TK_CHECK(bad.position < 0,
           op << ": expected labels in [0, " << classes << "), got " << bad.value << " at position " << bad.position);
}

template <bool kLog>
void softmax_forward(const KernelArgs& args, cudaStream_t stream, const char* op) {
  const View x = args.in(0), y = args.out(0);
  const Rows r = contracts::check_softmax(op, x, y);
  TK_DISPATCH_FLOAT(
      x.dtype(), op,
      launch_rows(r, stream, op, SoftmaxBody<scalar_t, kLog>{x.data<scalar_t>(), y.data<scalar_t>(), r.cols}));
}

template <bool kLog>
void softmax_backward_of(const KernelArgs& args, cudaStream_t stream, const char* op) {
  const View y = args.in(0), dy = args.in(1), dx = args.out(0);
  const Rows r = contracts::check_softmax_backward(op, y, dy, dx);
  TK_DISPATCH_FLOAT(y.dtype(), op,
                    launch_rows(r, stream, op,
                                SoftmaxBackwardBody<scalar_t, kLog>{y.data<scalar_t>(), dy.data<scalar_t>(),
                                                                    dx.data<scalar_t>(), r.cols}));
}

}  // namespace

void softmax(const KernelArgs& args, cudaStream_t stream) { softmax_forward<false>(args, stream, "softmax"); }
void log_softmax(const KernelArgs& args, cudaStream_t stream) { softmax_forward<true>(args, stream, "logSoftmax"); }
void softmax_backward(const KernelArgs& args, cudaStream_t stream) {
  softmax_backward_of<false>(args, stream, "softmaxBackward");
}
void log_softmax_backward(const KernelArgs& args, cudaStream_t stream) {
  softmax_backward_of<true>(args, stream, "logSoftmaxBackward");
}

void softmax_cross_entropy_sparse(const KernelArgs& args, cudaStream_t stream) {
  const char* op = "softmaxCrossEntropySparse";
  const View logits = args.in(0), labels = args.in(1), loss = args.out(0), probs = args.out(1);
  const Rows r = contracts::check_cross_entropy_sparse(op, logits, labels, loss, probs);
  check_labels(op, labels, r.rows, r.cols, stream);
  TK_DISPATCH_FLOAT(logits.dtype(), op,
                    launch_rows(r, stream, op,
                                CrossEntropyBody<scalar_t>{logits.data<scalar_t>(), labels.data<int32_t>(), nullptr,
                                                           loss.data<scalar_t>(), probs.data<scalar_t>(), r.cols}));
}

void softmax_cross_entropy_sparse_backward(const KernelArgs& args, cudaStream_t stream) {
  const char* op = "softmaxCrossEntropySparseBackward";
  const View probs = args.in(0), labels = args.in(1), dloss = args.in(2), d = args.out(0);
  const Rows r = contracts::check_cross_entropy_sparse_backward(op, probs, labels, dloss, d);
  check_labels(op, labels, r.rows, r.cols, stream);
  const int64_t n = r.rows * r.cols;
  if (n == 0) return;
  TK_DISPATCH_FLOAT(probs.dtype(), op, {
    sparse_backward_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(
        probs.data<scalar_t>(), labels.data<int32_t>(), dloss.data<scalar_t>(), d.data<scalar_t>(), n, r.cols);
  });
  TK_CUDA_CHECK_LAUNCH(op);
}

void softmax_cross_entropy(const KernelArgs& args, cudaStream_t stream) {
  const char* op = "softmaxCrossEntropy";
  const View logits = args.in(0), labels = args.in(1), loss = args.out(0), probs = args.out(1);
  const Rows r = contracts::check_cross_entropy(op, logits, labels, loss, probs);
  TK_DISPATCH_FLOAT(logits.dtype(), op,
                    launch_rows(r, stream, op,
                                CrossEntropyBody<scalar_t>{logits.data<scalar_t>(), nullptr, labels.data<scalar_t>(),
                                                           loss.data<scalar_t>(), probs.data<scalar_t>(), r.cols}));
}

void softmax_cross_entropy_backward(const KernelArgs& args, cudaStream_t stream) {
  const char* op = "softmaxCrossEntropyBackward";
  const View probs = args.in(0), labels = args.in(1), dloss = args.in(2), d = args.out(0);
  const Rows r = contracts::check_cross_entropy_backward(op, probs, labels, dloss, d);
  TK_DISPATCH_FLOAT(
      probs.dtype(), op,
      launch_rows(r, stream, op,
                  CrossEntropyBackwardBody<scalar_t>{probs.data<scalar_t>(), labels.data<scalar_t>(),
                                                     dloss.data<scalar_t>(), d.data<scalar_t>(), r.cols}));
}

void sigmoid_cross_entropy(const KernelArgs& args, cudaStream_t stream) {
  const char* op = "sigmoidCrossEntropy";
  const View logits = args.in(0), labels = args.in(1), loss = args.out(0);
  contracts::check_sigmoid_cross_entropy(op, logits, labels, loss);
  TK_DISPATCH_FLOAT(logits.dtype(), op,
                    launch_map2(logits.data<scalar_t>(), labels.data<scalar_t>(), loss.data<scalar_t>(), logits.size(),
                                stream, op, SigmoidCrossEntropyOp{}));
}

void sigmoid_cross_entropy_backward(const KernelArgs& args, cudaStream_t stream) {
  const char* op = "sigmoidCrossEntropyBackward";
  const View logits = args.in(0), labels = args.in(1), dloss = args.in(2), d = args.out(0);
  contracts::check_sigmoid_cross_entropy_backward(op, logits, labels, dloss, d);
  const int64_t n = logits.size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(logits.dtype(), op, {
    sigmoid_backward_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(logits.data<scalar_t>(), labels.data<scalar_t>(),
                                                                    dloss.data<scalar_t>(), d.data<scalar_t>(), n);
  });
  TK_CUDA_CHECK_LAUNCH(op);
}

}  // namespace tessera::cuda
