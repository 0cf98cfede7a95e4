// Batch normalization over one channel axis of a tensor of any rank (the CUDA half of
// cpu/batch_norm.cpp, whose header gives the inputs, outputs, attributes and formulas).
// x is viewed as [outer, C, inner]. Each op is three launches: per-channel sums in double
// (channel_sums.cuh), one thread per channel to finish the statistics and fold them into
// per-channel coefficients, and one elementwise pass. As on the CPU, the training
// statistics are shifted by the channel's first sample, so the one-pass variance stays
// accurate when the mean is large compared with the spread.
#include <limits>

#include "channel_sums.cuh"
#include "kernels.h"
#include "launch.cuh"
#include "scratch.h"

namespace tessera::cuda {

namespace {

using contracts::channel_layout;
using contracts::check_channel_vectors;

// Element i's channel: (i / inner) % C, in 32-bit arithmetic when the tensor allows.
template <typename Index>
__device__ inline Index channel_of(Index i, Index channels, Index inner) {
  return (inner == 1 ? i : i / inner) % channels;
}

// y = x * scale[c] + shift[c] with coefficients k = [scale[C], shift[C]].
template <typename T, typename Index>
__global__ void affine_kernel(const T* x, const T* k, T* y, Index n, Index channels, Index inner) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    const Index c = channel_of(static_cast<Index>(i), channels, inner);
    y[i] = x[i] * k[c] + k[channels + c];
  }
}

// dx = k_dy[c] * dy + k_x[c] * x + k_0[c] with k = [k_dy[C], k_x[C], k_0[C]].
template <typename T, typename Index>
__global__ void backward_dx_kernel(const T* x, const T* dy, const T* k, T* dx, Index n, Index channels, Index inner) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    const Index c = channel_of(static_cast<Index>(i), channels, inner);
    dx[i] = k[c] * dy[i] + k[channels + c] * x[i] + k[2 * channels + c];
  }
}

template <typename T>
struct ShiftedMoments {
  const T* x;
  int64_t inner;
  __device__ void operator()(int64_t i, int64_t c, int64_t, double& a, double& b) const {
    const double d = static_cast<double>(x[i]) - static_cast<double>(x[c * inner]);
    a += d;
    b += d * d;
  }
};

template <typename T>
struct GradMoments {
  const T *x, *dy, *mean;
  __device__ void operator()(int64_t i, int64_t c, int64_t, double& a, double& b) const {
    const double g = static_cast<double>(dy[i]);
    a += g;
    b += g * (static_cast<double>(x[i]) - static_cast<double>(mean[c]));
  }
};

template <typename T>
__global__ void train_finalize_kernel(const double* partial, int64_t chunks, ChannelLayout l, const T* x,
                                      const T* gamma, const T* beta, const T* moving_mean, const T* moving_var,
                                      double epsilon, double momentum, T* mean_out, T* inv_std_out, T* new_mean,
                                      T* new_var, T* k) {
  const int64_t c_count = l.channels;
  for (int64_t c = grid_start(); c < c_count; c += grid_stride()) {
    double sum = 0.0, sum_sq = 0.0;
    for (int64_t q = 0; q < chunks; ++q) {
      sum += partial[(q * c_count + c) * 2];
      sum_sq += partial[(q * c_count + c) * 2 + 1];
    }
    const double count = static_cast<double>(l.per_channel());
    const double centered = sum / count;
    const double mean = static_cast<double>(x[c * l.inner]) + centered;
    const double var = ::fmax(0.0, sum_sq / count - centered * centered);
    const double inv_std = 1.0 / ::sqrt(var + epsilon);
    mean_out[c] = static_cast<T>(mean);
    inv_std_out[c] = static_cast<T>(inv_std);
    new_mean[c] = static_cast<T>(moving_mean[c] * momentum + mean * (1.0 - momentum));
    new_var[c] = static_cast<T>(moving_var[c] * momentum + var * (1.0 - momentum));
    k[c] = static_cast<T>(gamma[c] * inv_std);
    k[c_count + c] = static_cast<T>(beta[c] - mean * gamma[c] * inv_std);
  }
}

template <typename T>
__global__ void inference_coefficients_kernel(int64_t c_count, const T* gamma, const T* beta, const T* moving_mean,
                                              const T* moving_var, double epsilon, T* k) {
  for (int64_t c = grid_start(); c < c_count; c += grid_stride()) {
    const double s = gamma[c] / ::sqrt(static_cast<double>(moving_var[c]) + epsilon);
    k[c] = static_cast<T>(s);
    k[c_count + c] = static_cast<T>(beta[c] - moving_mean[c] * s);
  }
}

template <typename T>
__global__ void backward_finalize_kernel(const double* partial, int64_t chunks, ChannelLayout l, const T* gamma,
                                         const T* mean, const T* inv_std, T* dgamma, T* dbeta, T* k) {
  const int64_t c_count = l.channels;
  for (int64_t c = grid_start(); c < c_count; c += grid_stride()) {
    double sum_dy = 0.0, sum_dy_xc = 0.0;
    for (int64_t q = 0; q < chunks; ++q) {
      sum_dy += partial[(q * c_count + c) * 2];
      sum_dy_xc += partial[(q * c_count + c) * 2 + 1];
    }
    const double count = static_cast<double>(l.per_channel());
    const double s = inv_std[c], g = gamma[c] * s, dg = sum_dy_xc * s;
    dgamma[c] = static_cast<T>(dg);
    dbeta[c] = static_cast<T>(sum_dy);
    const double kx = -g * s * dg / count;
    k[c] = static_cast<T>(g);
    k[c_count + c] = static_cast<T>(kx);
    k[2 * c_count + c] = static_cast<T>(-g * sum_dy / count - kx * mean[c]);
  }
}

bool fits_32(int64_t n) { return n <= std::numeric_limits<uint32_t>::max(); }

template <typename T>
void apply_affine(const ChannelLayout& l, const T* x, const T* k, T* y, int64_t n, cudaStream_t stream,
                  const char* name) {
  if (n == 0) return;
  if (fits_32(n))
    affine_kernel<T, uint32_t><<<grid_for(n), kBlockSize, 0, stream>>>(
        x, k, y, static_cast<uint32_t>(n), static_cast<uint32_t>(l.channels), static_cast<uint32_t>(l.inner));
  else affine_kernel<T, int64_t><<<grid_for(n), kBlockSize, 0, stream>>>(x, k, y, n, l.channels, l.inner);
  TK_CUDA_CHECK_LAUNCH(name);
}

template <typename T>
void train_forward(const KernelArgs& args, const ChannelLayout& l, cudaStream_t stream) {
  const auto a = attrs::BatchNormTrainForwardAttrs::read(args);
  const char* name = "batchNormTrainForward";
  const T* x = args.in(0).data<T>();
  const int64_t chunks = channel_chunks(l);
  Scratch partial(chunks * l.channels * 2 * sizeof(double));
  Scratch k(2 * l.channels * sizeof(T));
  launch_channel_sums(l, ShiftedMoments<T>{x, l.inner}, chunks, partial.as<double>(), stream, name);
  train_finalize_kernel<<<grid_for(l.channels), kBlockSize, 0, stream>>>(
      partial.as<double>(), chunks, l, x, args.in(1).data<T>(), args.in(2).data<T>(), args.in(3).data<T>(),
      args.in(4).data<T>(), a.epsilon, a.momentum, args.out(1).data<T>(), args.out(2).data<T>(), args.out(3).data<T>(),
      args.out(4).data<T>(), k.as<T>());
  TK_CUDA_CHECK_LAUNCH(name);
  apply_affine(l, x, k.as<T>(), args.out(0).data<T>(), args.in(0).size(), stream, name);
}

template <typename T>
void inference(const KernelArgs& args, const ChannelLayout& l, cudaStream_t stream) {
  const char* name = "batchNormInference";
  Scratch k(2 * l.channels * sizeof(T));
  inference_coefficients_kernel<<<grid_for(l.channels), kBlockSize, 0, stream>>>(
      l.channels, args.in(1).data<T>(), args.in(2).data<T>(), args.in(3).data<T>(), args.in(4).data<T>(),
      attrs::BatchNormInferenceAttrs::read(args).epsilon, k.as<T>());
  TK_CUDA_CHECK_LAUNCH(name);
  apply_affine(l, args.in(0).data<T>(), k.as<T>(), args.out(0).data<T>(), args.in(0).size(), stream, name);
}

template <typename T>
void backward(const KernelArgs& args, const ChannelLayout& l, cudaStream_t stream) {
  const char* name = "batchNormBackward";
  const T *x = args.in(0).data<T>(), *dy = args.in(1).data<T>(), *mean = args.in(3).data<T>();
  const int64_t n = args.in(0).size();
  const int64_t chunks = channel_chunks(l);
  Scratch partial(chunks * l.channels * 2 * sizeof(double));
  Scratch k(3 * l.channels * sizeof(T));
  if (l.per_channel() > 0) {
    launch_channel_sums(l, GradMoments<T>{x, dy, mean}, chunks, partial.as<double>(), stream, name);
  } else {
    TK_CUDA_CHECK(cudaMemsetAsync(partial.as<double>(), 0, chunks * l.channels * 2 * sizeof(double), stream));
  }
  backward_finalize_kernel<<<grid_for(l.channels), kBlockSize, 0, stream>>>(
      partial.as<double>(), chunks, l, args.in(2).data<T>(), mean, args.in(4).data<T>(), args.out(1).data<T>(),
      args.out(2).data<T>(), k.as<T>());
  TK_CUDA_CHECK_LAUNCH(name);
  if (n == 0) return;
  T* dx = args.out(0).data<T>();
  if (fits_32(n))
    backward_dx_kernel<T, uint32_t>
        <<<grid_for(n), kBlockSize, 0, stream>>>(x, dy, k.as<T>(), dx, static_cast<uint32_t>(n),
                                                 static_cast<uint32_t>(l.channels), static_cast<uint32_t>(l.inner));
  else
    backward_dx_kernel<T, int64_t>
        <<<grid_for(n), kBlockSize, 0, stream>>>(x, dy, k.as<T>(), dx, n, l.channels, l.inner);
  TK_CUDA_CHECK_LAUNCH(name);
}

}  // namespace

void batch_norm_train_forward(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0);
  const ChannelLayout l =
      channel_layout("batchNormTrainForward", attrs::BatchNormTrainForwardAttrs::read(args).axis, x);
  check_channel_vectors("batchNormTrainForward", args, l, {1, 2, 3, 4});
  contracts::check_channel_outputs("batchNormTrainForward", args, l, x.size());
  TK_CHECK(l.per_channel() > 0, "batchNormTrainForward: expected a non-empty batch, got shape of size " << x.size());
  if (l.channels == 0) return;
  TK_DISPATCH_FLOAT(x.dtype(), "batchNormTrainForward", train_forward<scalar_t>(args, l, stream));
}

void batch_norm_inference(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0);
  const ChannelLayout l = channel_layout("batchNormInference", attrs::BatchNormInferenceAttrs::read(args).axis, x);
  check_channel_vectors("batchNormInference", args, l, {1, 2, 3, 4});
  contracts::check_channel_outputs("batchNormInference", args, l, x.size());
  if (l.channels == 0) return;
  TK_DISPATCH_FLOAT(x.dtype(), "batchNormInference", inference<scalar_t>(args, l, stream));
}

void batch_norm_backward(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0);
  const ChannelLayout l = channel_layout("batchNormBackward", attrs::BatchNormBackwardAttrs::read(args).axis, x);
  check_channel_vectors("batchNormBackward", args, l, {2, 3, 4});
  contracts::check_channel_outputs("batchNormBackward", args, l, x.size());
  TK_CHECK(args.in(1).size() == x.size() && args.in(1).dtype() == x.dtype(),
           "batchNormBackward: expected dy of " << x.size() << " elements like x, got " << args.in(1).size());
  if (l.channels == 0) return;
  TK_DISPATCH_FLOAT(x.dtype(), "batchNormBackward", backward<scalar_t>(args, l, stream));
}

}  // namespace tessera::cuda
