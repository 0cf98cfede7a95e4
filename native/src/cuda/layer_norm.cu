// Layer normalization over the trailing axes (the CUDA half of cpu/layer_norm.cpp, whose
// header gives the inputs, outputs, attributes and formulas). x is viewed as [R, D].
// One warp per row: the forward pass reads the row three times (mean, centered squares,
// output; the second and third from cache), summing in double across each lane's
// elements and the warp. The backward pass does dx the same way, row by row, and dgamma /
// dbeta as column sums in double over all rows (channel_sums.cuh, with the rows as the
// outer axis), added in a fixed order.
#include "channel_sums.cuh"
#include "contracts/layer_norm.h"
#include "kernels.h"
#include "launch.cuh"
#include "scratch.h"

namespace tessera::cuda {

namespace {

constexpr int kRowsPerBlock = 8;  // warps per block, one row each

using contracts::row_layout;
using contracts::RowLayout;

__device__ inline double warp_sum(double v) {
#pragma unroll
  for (int offset = 16; offset > 0; offset /= 2) v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}

unsigned row_blocks(int64_t rows) {
  return static_cast<unsigned>(std::min<int64_t>((rows + kRowsPerBlock - 1) / kRowsPerBlock, 65535 * 16));
}

template <typename T>
__global__ void forward_kernel(const T* x, const T* gamma, const T* beta, T* y, T* mean_out, T* rstd_out, int64_t rows,
                               int64_t cols, double epsilon) {
  const int lane = threadIdx.x % 32;
  const int64_t first = static_cast<int64_t>(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  for (int64_t r = first; r < rows; r += static_cast<int64_t>(gridDim.x) * kRowsPerBlock) {
    const T* in = x + r * cols;
    double sum = 0.0;
    for (int64_t j = lane; j < cols; j += 32) sum += static_cast<double>(in[j]);
    const T m = static_cast<T>(warp_sum(sum) / static_cast<double>(cols));
    double sum_sq = 0.0;
    for (int64_t j = lane; j < cols; j += 32) {
      const T d = in[j] - m;
      sum_sq += static_cast<double>(d * d);
    }
    const double rstd = 1.0 / ::sqrt(warp_sum(sum_sq) / static_cast<double>(cols) + epsilon);
    const T s = static_cast<T>(rstd);
    if (lane == 0) {
      mean_out[r] = m;
      rstd_out[r] = s;
    }
    T* out = y + r * cols;
    for (int64_t j = lane; j < cols; j += 32) out[j] = (in[j] - m) * s * gamma[j] + beta[j];
  }
}

template <typename T>
__global__ void backward_dx_kernel(const T* x, const T* dy, const T* gamma, const T* mean, const T* rstd, T* dx,
                                   int64_t rows, int64_t cols) {
  const int lane = threadIdx.x % 32;
  const int64_t first = static_cast<int64_t>(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  for (int64_t r = first; r < rows; r += static_cast<int64_t>(gridDim.x) * kRowsPerBlock) {
    const T *in = x + r * cols, *g_out = dy + r * cols;
    const T m = mean[r], s = rstd[r];
    double sum_g = 0.0, sum_g_xhat = 0.0;
    for (int64_t j = lane; j < cols; j += 32) {
      const T g = gamma[j] * g_out[j];
      sum_g += static_cast<double>(g);
      sum_g_xhat += static_cast<double>(g * ((in[j] - m) * s));
    }
    const T mean_g = static_cast<T>(warp_sum(sum_g) / static_cast<double>(cols));
    const T mean_g_xhat = static_cast<T>(warp_sum(sum_g_xhat) / static_cast<double>(cols));
    T* out = dx + r * cols;
    for (int64_t j = lane; j < cols; j += 32) {
      const T xhat = (in[j] - m) * s;
      out[j] = s * (gamma[j] * g_out[j] - mean_g - xhat * mean_g_xhat);
    }
  }
}

// Column j's terms: dy * xhat for dgamma, dy for dbeta.
template <typename T>
struct AffineGrads {
  const T *x, *dy, *mean, *rstd;
  __device__ void operator()(int64_t i, int64_t, int64_t row, double& a, double& b) const {
    const T xhat = (x[i] - mean[row]) * rstd[row];
    a += static_cast<double>(dy[i] * xhat);
    b += static_cast<double>(dy[i]);
  }
};

template <typename T>
__global__ void affine_grads_finalize_kernel(const double* partial, int64_t chunks, int64_t cols, T* dgamma, T* dbeta) {
  for (int64_t j = grid_start(); j < cols; j += grid_stride()) {
    double g = 0.0, b = 0.0;
    for (int64_t q = 0; q < chunks; ++q) {
      g += partial[(q * cols + j) * 2];
      b += partial[(q * cols + j) * 2 + 1];
    }
    dgamma[j] = static_cast<T>(g);
    dbeta[j] = static_cast<T>(b);
  }
}

template <typename T>
void forward(const KernelArgs& args, const RowLayout& l, cudaStream_t stream) {
  if (l.rows == 0) return;
  forward_kernel<<<row_blocks(l.rows), 32 * kRowsPerBlock, 0, stream>>>(
      args.in(0).data<T>(), args.in(1).data<T>(), args.in(2).data<T>(), args.out(0).data<T>(), args.out(1).data<T>(),
      args.out(2).data<T>(), l.rows, l.cols, attrs::LayerNormForwardAttrs::read(args).epsilon);
  TK_CUDA_CHECK_LAUNCH("layerNormForward");
}

template <typename T>
void backward(const KernelArgs& args, const RowLayout& l, cudaStream_t stream) {
  const char* name = "layerNormBackward";
  const T *x = args.in(0).data<T>(), *dy = args.in(1).data<T>(), *gamma = args.in(2).data<T>();
  const T *mean = args.in(3).data<T>(), *rstd = args.in(4).data<T>();
  T *dgamma = args.out(1).data<T>(), *dbeta = args.out(2).data<T>();
  if (l.rows == 0) {
    TK_CUDA_CHECK(cudaMemsetAsync(dgamma, 0, l.cols * sizeof(T), stream));
    TK_CUDA_CHECK(cudaMemsetAsync(dbeta, 0, l.cols * sizeof(T), stream));
    return;
  }
  backward_dx_kernel<<<row_blocks(l.rows), 32 * kRowsPerBlock, 0, stream>>>(x, dy, gamma, mean, rstd,
                                                                            args.out(0).data<T>(), l.rows, l.cols);
  TK_CUDA_CHECK_LAUNCH(name);
  ChannelLayout columns;
  columns.outer = l.rows;
  columns.channels = l.cols;
  const int64_t chunks = channel_chunks(columns);
  Scratch partial(chunks * l.cols * 2 * sizeof(double));
  launch_channel_sums(columns, AffineGrads<T>{x, dy, mean, rstd}, chunks, partial.as<double>(), stream, name);
  affine_grads_finalize_kernel<<<grid_for(l.cols), kBlockSize, 0, stream>>>(partial.as<double>(), chunks, l.cols,
                                                                            dgamma, dbeta);
  TK_CUDA_CHECK_LAUNCH(name);
}

void check_output(const char* op, const View& v, int64_t want, DType dtype, int index) {
  TK_CHECK(v.size() == want && v.dtype() == dtype, op << ": expected output " << index << " to hold " << want
                                                      << " values of dtype " << dtype_name(dtype) << ", got "
                                                      << v.size() << " of " << dtype_name(v.dtype()));
}

}  // namespace

void layer_norm_forward(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0);
  const RowLayout l = row_layout("layerNormForward", x, args.in(1), args.out(1));
  TK_CHECK(args.in(2).size() == l.cols && args.in(2).dtype() == x.dtype(),
           "layerNormForward: expected beta of " << l.cols << " values, got " << args.in(2).size());
  check_output("layerNormForward", args.out(0), x.size(), x.dtype(), 0);
  check_output("layerNormForward", args.out(2), l.rows, x.dtype(), 2);
  TK_DISPATCH_FLOAT(x.dtype(), "layerNormForward", forward<scalar_t>(args, l, stream));
}

void layer_norm_backward(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0);
  const RowLayout l = row_layout("layerNormBackward", x, args.in(2), args.in(3));
  TK_CHECK(args.in(1).size() == x.size() && args.in(1).dtype() == x.dtype(),
           "layerNormBackward: expected dy of " << x.size() << " elements like x, got " << args.in(1).size());
  TK_CHECK(args.in(4).size() == l.rows && args.in(4).dtype() == x.dtype(),
           "layerNormBackward: expected " << l.rows << " rstd values, got " << args.in(4).size());
  check_output("layerNormBackward", args.out(0), x.size(), x.dtype(), 0);
  check_output("layerNormBackward", args.out(1), l.cols, x.dtype(), 1);
  check_output("layerNormBackward", args.out(2), l.cols, x.dtype(), 2);
  TK_DISPATCH_FLOAT(x.dtype(), "layerNormBackward", backward<scalar_t>(args, l, stream));
}

}  // namespace tessera::cuda
