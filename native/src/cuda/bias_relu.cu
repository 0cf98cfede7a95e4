// A bias along the last axis and relu, fused (the CUDA half of cpu/bias_relu.cpp): the
// forward pass elementwise; the backward pass writes dx while channel_sums.cuh adds it
// up per channel, then one thread per channel adds the chunks in order.
#include "channel_sums.cuh"
#include "contracts/bias_relu.h"
#include "kernels.h"
#include "launch.cuh"
#include "scratch.h"

namespace tessera::cuda {

namespace {

using contracts::BiasLayout;

template <typename T>
__global__ void bias_relu_kernel(const T* x, const T* bias, T* y, int64_t n, int64_t channels) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    const T v = x[i] + bias[i % channels];
    y[i] = v < T(0) ? T(0) : v;  // NaN passes, as on the CPU
  }
}

// Element i: dx = dy where y > 0, written here, and added to its channel's first sum.
template <typename T>
struct MaskedGrad {
  const T *dy, *y;
  T* dx;
  __device__ void operator()(int64_t i, int64_t, int64_t, double& a, double&) const {
    const T g = y[i] > T(0) ? dy[i] : T(0);
    dx[i] = g;
    a += static_cast<double>(g);
  }
};

template <typename T>
__global__ void bias_grad_finalize_kernel(const double* partial, int64_t chunks, int64_t channels, T* dbias) {
  for (int64_t c = grid_start(); c < channels; c += grid_stride()) {
    double total = 0.0;
    for (int64_t q = 0; q < chunks; ++q) total += partial[(q * channels + c) * 2];
    dbias[c] = static_cast<T>(total);
  }
}

template <typename T>
void forward(const KernelArgs& args, const BiasLayout& l, cudaStream_t stream) {
  const int64_t n = l.rows * l.channels;
  if (n == 0) return;
  bias_relu_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(args.in(0).data<T>(), args.in(1).data<T>(),
                                                           args.out(0).data<T>(), n, l.channels);
  TK_CUDA_CHECK_LAUNCH("biasRelu");
}

template <typename T>
void backward(const KernelArgs& args, const BiasLayout& l, cudaStream_t stream) {
  const char* name = "biasReluBackward";
  T* dbias = args.out(1).data<T>();
  if (l.channels == 0) return;
  if (l.rows == 0) {
    TK_CUDA_CHECK(cudaMemsetAsync(dbias, 0, l.channels * sizeof(T), stream));
    return;
  }
  ChannelLayout columns;
  columns.outer = l.rows;
  columns.channels = l.channels;
  const int64_t chunks = channel_chunks(columns);
  Scratch partial(chunks * l.channels * 2 * sizeof(double));
  launch_channel_sums(columns, MaskedGrad<T>{args.in(0).data<T>(), args.in(1).data<T>(), args.out(0).data<T>()}, chunks,
                      partial.as<double>(), stream, name);
  bias_grad_finalize_kernel<<<grid_for(l.channels), kBlockSize, 0, stream>>>(partial.as<double>(), chunks, l.channels,
                                                                             dbias);
  TK_CUDA_CHECK_LAUNCH(name);
}

}  // namespace

void bias_relu(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0);
  const BiasLayout l = contracts::bias_layout("biasRelu", x, args.in(1), args.out(0));
  TK_DISPATCH_FLOAT(x.dtype(), "biasRelu", forward<scalar_t>(args, l, stream));
}

void bias_relu_backward(const KernelArgs& args, cudaStream_t stream) {
  const View dy = args.in(0), dx = args.out(0);
  const BiasLayout l = contracts::bias_layout("biasReluBackward", dy, args.out(1), args.in(1));
  TK_CHECK(dx.size() == dy.size() && dx.dtype() == dy.dtype(),
           "biasReluBackward: expected dx like dy, got " << dx.size() << " elements of " << dtype_name(dx.dtype()));
  TK_DISPATCH_FLOAT(dy.dtype(), "biasReluBackward", backward<scalar_t>(args, l, stream));
}

}  // namespace tessera::cuda
