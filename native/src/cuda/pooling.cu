// Max and average pooling over NHWC images (the CUDA half of cpu/pooling.cpp, whose
// header gives the inputs and outputs; the attributes are ops.def's, attrs::MaxPool2dAttrs).
// Forward: one thread per output element, taps in row-major order, as on the CPU.
// Backward: gathers instead of scattering, so overlapping windows need no atomics and the
// sums are deterministic: one thread per dx element adds the dy of every window that
// covers it, in the CPU's order (output pixels ascending). The max's gradient goes to the
// first maximal tap of each window: a first kernel finds it per output element (a scratch
// of int32 pixel indices), the gather adds dy where that tap is its own pixel.
#include <limits>

#include "broadcast.cuh"
#include "check.h"
#include "contracts/pooling.h"
#include "kernels.h"
#include "launch.cuh"
#include "scratch.h"

namespace tessera::cuda {

namespace {

struct PoolGeom {
  int in_h, in_w, channels, out_h, out_w, pool_h, pool_w, stride_h, stride_w, pad_top, pad_left;

  __host__ __device__ int first_h(int oh) const { return oh * stride_h - pad_top; }
  __host__ __device__ int first_w(int ow) const { return ow * stride_w - pad_left; }
  // Output rows whose windows cover input row ih: [lo, hi).
  __host__ __device__ void covering(int i, int pad, int pool, int stride, int out, int* lo, int* hi) const {
    const int top = i + pad - pool + 1;  // the first window start that still reaches i
    *lo = top <= 0 ? 0 : (top + stride - 1) / stride;
    *hi = min(out, (i + pad) / stride + 1);
  }
  __host__ __device__ int taps_inside(int oh, int ow) const {
    const int h0 = first_h(oh), w0 = first_w(ow);
    const int rows = min(h0 + pool_h, in_h) - max(h0, 0), cols = min(w0 + pool_w, in_w) - max(w0, 0);
    return rows * cols;
  }
};

PoolGeom pool_geom(const char* op, const KernelArgs& args, const View& image, const View& output) {
  const contracts::Window2d w = contracts::pool_window(op, args, image, output);
  constexpr int64_t kMax = std::numeric_limits<int>::max();
  TK_CHECK(w.in_pixels() * image.dim(3) <= kMax && w.out_pixels() * image.dim(3) <= kMax,
           op << ": images over 2^31 elements are not supported on CUDA");
  return PoolGeom{static_cast<int>(w.in_h),     static_cast<int>(w.in_w),     static_cast<int>(image.dim(3)),
                  static_cast<int>(w.out_h),    static_cast<int>(w.out_w),    static_cast<int>(w.kernel_h),
                  static_cast<int>(w.kernel_w), static_cast<int>(w.stride_h), static_cast<int>(w.stride_w),
                  static_cast<int>(w.pad_top),  static_cast<int>(w.pad_left)};
}

// Splits element i of an NHWC tensor of `h` x `w` pixels into (image, row, column, channel).
struct Pixel {
  int64_t n;
  int h, w, c;
};
__device__ inline Pixel split_index(int64_t i, int h, int w, int channels) {
  Pixel p;
  p.c = static_cast<int>(i % channels);
  const int64_t pixel = i / channels;
  p.w = static_cast<int>(pixel % w);
  const int64_t t = pixel / w;
  p.h = static_cast<int>(t % h);
  p.n = t / h;
  return p;
}

template <typename T>
__global__ void max_forward_kernel(const T* x, T* y, PoolGeom g, int64_t count) {
  for (int64_t i = grid_start(); i < count; i += grid_stride()) {
    const Pixel o = split_index(i, g.out_h, g.out_w, g.channels);
    const T* image = x + o.n * g.in_h * g.in_w * g.channels + o.c;
    T best = -static_cast<T>(INFINITY);
    const int h0 = g.first_h(o.h), w0 = g.first_w(o.w);
    for (int ih = max(h0, 0); ih < min(h0 + g.pool_h, g.in_h); ++ih)
      for (int iw = max(w0, 0); iw < min(w0 + g.pool_w, g.in_w); ++iw) {
        const T v = image[(ih * g.in_w + iw) * g.channels];
        best = v > best ? v : best;  // NaN never wins, as on the CPU
      }
    y[i] = best;
  }
}

// The pixel (ih * W + iw) of each window's first maximal tap; the first tap when none
// compares greater (all NaN), as the CPU picks.
template <typename T>
__global__ void max_argmax_kernel(const T* x, int* where, PoolGeom g, int64_t count) {
  for (int64_t i = grid_start(); i < count; i += grid_stride()) {
    const Pixel o = split_index(i, g.out_h, g.out_w, g.channels);
    const T* image = x + o.n * g.in_h * g.in_w * g.channels + o.c;
    T best = -static_cast<T>(INFINITY);
    int at = -1;
    const int h0 = g.first_h(o.h), w0 = g.first_w(o.w);
    for (int ih = max(h0, 0); ih < min(h0 + g.pool_h, g.in_h); ++ih)
      for (int iw = max(w0, 0); iw < min(w0 + g.pool_w, g.in_w); ++iw) {
        const T v = image[(ih * g.in_w + iw) * g.channels];
        if (v > best || at < 0) {
          best = v;
          at = ih * g.in_w + iw;
        }
      }
    where[i] = at;
  }
}

template <typename T>
__global__ void max_backward_kernel(const int* where, const T* dy, T* dx, PoolGeom g, int64_t count) {
  for (int64_t i = grid_start(); i < count; i += grid_stride()) {
    const Pixel p = split_index(i, g.in_h, g.in_w, g.channels);
    int oh0, oh1, ow0, ow1;
    g.covering(p.h, g.pad_top, g.pool_h, g.stride_h, g.out_h, &oh0, &oh1);
    g.covering(p.w, g.pad_left, g.pool_w, g.stride_w, g.out_w, &ow0, &ow1);
    const int self = p.h * g.in_w + p.w;
    const int64_t base = p.n * g.out_h * g.out_w * g.channels + p.c;
    T sum = T(0);
    for (int oh = oh0; oh < oh1; ++oh)
      for (int ow = ow0; ow < ow1; ++ow) {
        const int64_t o = base + (oh * g.out_w + ow) * g.channels;
        if (where[o] == self) sum += dy[o];
      }
    dx[i] = sum;
  }
}

template <typename T>
__global__ void avg_forward_kernel(const T* x, T* y, PoolGeom g, int64_t count) {
  for (int64_t i = grid_start(); i < count; i += grid_stride()) {
    const Pixel o = split_index(i, g.out_h, g.out_w, g.channels);
    const T* image = x + o.n * g.in_h * g.in_w * g.channels + o.c;
    T sum = T(0);
    const int h0 = g.first_h(o.h), w0 = g.first_w(o.w);
    for (int ih = max(h0, 0); ih < min(h0 + g.pool_h, g.in_h); ++ih)
      for (int iw = max(w0, 0); iw < min(w0 + g.pool_w, g.in_w); ++iw) sum += image[(ih * g.in_w + iw) * g.channels];
    y[i] = sum * (T(1) / static_cast<T>(g.taps_inside(o.h, o.w)));
  }
}

template <typename T>
__global__ void avg_backward_kernel(const T* dy, T* dx, PoolGeom g, int64_t count) {
  for (int64_t i = grid_start(); i < count; i += grid_stride()) {
    const Pixel p = split_index(i, g.in_h, g.in_w, g.channels);
    int oh0, oh1, ow0, ow1;
    g.covering(p.h, g.pad_top, g.pool_h, g.stride_h, g.out_h, &oh0, &oh1);
    g.covering(p.w, g.pad_left, g.pool_w, g.stride_w, g.out_w, &ow0, &ow1);
    const int64_t base = p.n * g.out_h * g.out_w * g.channels + p.c;
    T sum = T(0);
    for (int oh = oh0; oh < oh1; ++oh)
      for (int ow = ow0; ow < ow1; ++ow)
        sum += dy[base + (oh * g.out_w + ow) * g.channels] * (T(1) / static_cast<T>(g.taps_inside(oh, ow)));
    dx[i] = sum;
  }
}

}  // namespace

void max_pool2d(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), y = args.out(0);
  const PoolGeom g = pool_geom("maxPool2d", args, x, y);
  const int64_t n = y.size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(x.dtype(), "maxPool2d", {
    max_forward_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(x.data<scalar_t>(), y.data<scalar_t>(), g, n);
  });
  TK_CUDA_CHECK_LAUNCH("maxPool2d");
}

void max_pool2d_backward(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), dy = args.in(1), dx = args.out(0);
  const PoolGeom g = pool_geom("maxPool2dBackward", args, x, dy);
  TK_CHECK(dx.size() == x.size() && dx.dtype() == x.dtype() && dy.dtype() == x.dtype(),
           "maxPool2dBackward: expected dx shaped and typed like x " << shape_text(x) << ", got " << shape_text(dx));
  if (dx.size() == 0) return;
  if (dy.size() == 0) {
    TK_CUDA_CHECK(cudaMemsetAsync(dx.data<void>(), 0, dx.size() * dtype_size(dx.dtype()), stream));
    return;
  }
  Scratch where(dy.size() * sizeof(int));
  TK_DISPATCH_FLOAT(x.dtype(), "maxPool2dBackward", {
    max_argmax_kernel<<<grid_for(dy.size()), kBlockSize, 0, stream>>>(x.data<scalar_t>(), where.as<int>(), g,
                                                                      dy.size());
    TK_CUDA_CHECK_LAUNCH("maxPool2dBackward");
    max_backward_kernel<<<grid_for(dx.size()), kBlockSize, 0, stream>>>(where.as<int>(), dy.data<scalar_t>(),
                                                                        dx.data<scalar_t>(), g, dx.size());
  });
  TK_CUDA_CHECK_LAUNCH("maxPool2dBackward");
}

void avg_pool2d(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), y = args.out(0);
  const PoolGeom g = pool_geom("avgPool2d", args, x, y);
  const int64_t n = y.size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(x.dtype(), "avgPool2d", {
    avg_forward_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(x.data<scalar_t>(), y.data<scalar_t>(), g, n);
  });
  TK_CUDA_CHECK_LAUNCH("avgPool2d");
}

void avg_pool2d_backward(const KernelArgs& args, cudaStream_t stream) {
  const View dy = args.in(0), dx = args.out(0);
  const PoolGeom g = pool_geom("avgPool2dBackward", args, dx, dy);
  const int64_t n = dx.size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(dy.dtype(), "avgPool2dBackward", {
    avg_backward_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(dy.data<scalar_t>(), dx.data<scalar_t>(), g, n);
  });
  TK_CUDA_CHECK_LAUNCH("avgPool2dBackward");
}

}  // namespace tessera::cuda
