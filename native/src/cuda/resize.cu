// Image resize, bilinear and nearest neighbour (the CUDA half of cpu/resize.cpp; the taps
// come from the shared cpu/contracts/resize.h, so both devices read the same pixels).
// Forward: one thread per output element. Backward: one thread per dy element adding into
// its taps with atomicAdd (taps overlap); float sums may differ from the CPU's in the last
// bits, as the order of the adds is not fixed.
#include "check.h"
#include "contracts/resize.h"
#include "kernels.h"
#include "launch.cuh"

namespace tessera::cuda {

namespace {

using contracts::LinearTap;
using contracts::ResizeGeometry;

// Element i of an NHWC output of g's output size, as (image, row, column, channel).
struct Where {
  int64_t n, h, w, c;
};
__device__ inline Where split(const ResizeGeometry& g, int64_t i) {
  Where p;
  p.c = i % g.channels;
  int64_t t = i / g.channels;
  p.w = t % g.w.out;
  t /= g.w.out;
  p.h = t % g.h.out;
  p.n = t / g.h.out;
  return p;
}

template <typename T>
__device__ inline const T* pixel(const T* x, const ResizeGeometry& g, int64_t n, int64_t h, int64_t w) {
  return x + ((n * g.h.in + h) * g.w.in + w) * g.channels;
}

template <typename T>
__global__ void bilinear_forward_kernel(const T* x, T* y, ResizeGeometry g, int64_t count) {
  for (int64_t i = grid_start(); i < count; i += grid_stride()) {
    const Where p = split(g, i);
    const LinearTap v = contracts::linear_tap(g.h, p.h), u = contracts::linear_tap(g.w, p.w);
    const T wy = static_cast<T>(v.w), wx = static_cast<T>(u.w);
    const T a = pixel(x, g, p.n, v.lo, u.lo)[p.c], b = pixel(x, g, p.n, v.lo, u.hi)[p.c];
    const T c = pixel(x, g, p.n, v.hi, u.lo)[p.c], d = pixel(x, g, p.n, v.hi, u.hi)[p.c];
    const T t = a + (b - a) * wx, s = c + (d - c) * wx;
    y[i] = t + (s - t) * wy;
  }
}

template <typename T>
__global__ void bilinear_backward_kernel(const T* dy, T* dx, ResizeGeometry g, int64_t count) {
  for (int64_t i = grid_start(); i < count; i += grid_stride()) {
    const Where p = split(g, i);
    const LinearTap v = contracts::linear_tap(g.h, p.h), u = contracts::linear_tap(g.w, p.w);
    const T wy = static_cast<T>(v.w), wx = static_cast<T>(u.w), d = dy[i];
    atomicAdd(const_cast<T*>(pixel<T>(dx, g, p.n, v.lo, u.lo)) + p.c, d * (1 - wy) * (1 - wx));
    atomicAdd(const_cast<T*>(pixel<T>(dx, g, p.n, v.lo, u.hi)) + p.c, d * (1 - wy) * wx);
    atomicAdd(const_cast<T*>(pixel<T>(dx, g, p.n, v.hi, u.lo)) + p.c, d * wy * (1 - wx));
    atomicAdd(const_cast<T*>(pixel<T>(dx, g, p.n, v.hi, u.hi)) + p.c, d * wy * wx);
  }
}

template <typename T>
__global__ void nearest_forward_kernel(const T* x, T* y, ResizeGeometry g, int64_t count) {
  for (int64_t i = grid_start(); i < count; i += grid_stride()) {
    const Where p = split(g, i);
    y[i] = pixel(x, g, p.n, contracts::nearest_tap(g.h, p.h), contracts::nearest_tap(g.w, p.w))[p.c];
  }
}

template <typename T>
__global__ void nearest_backward_kernel(const T* dy, T* dx, ResizeGeometry g, int64_t count) {
  for (int64_t i = grid_start(); i < count; i += grid_stride()) {
    const Where p = split(g, i);
    T* to = const_cast<T*>(pixel<T>(dx, g, p.n, contracts::nearest_tap(g.h, p.h), contracts::nearest_tap(g.w, p.w)));
    atomicAdd(to + p.c, dy[i]);
  }
}

template <typename Launch>
void backward(const char* op, const View& dy, const View& dx, cudaStream_t stream, Launch launch) {
  if (dx.size() == 0) return;
  TK_CUDA_CHECK(cudaMemsetAsync(dx.data<void>(), 0, dx.size() * dtype_size(dx.dtype()), stream));
  if (dy.size() == 0) return;
  launch();
  TK_CUDA_CHECK_LAUNCH(op);
}

}  // namespace

void resize_bilinear(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), y = args.out(0);
  const ResizeGeometry g = contracts::resize_geometry("resizeBilinear", args, x, y);
  const int64_t n = y.size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(x.dtype(), "resizeBilinear", {
    bilinear_forward_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(x.data<scalar_t>(), y.data<scalar_t>(), g, n);
  });
  TK_CUDA_CHECK_LAUNCH("resizeBilinear");
}

void resize_bilinear_backward(const KernelArgs& args, cudaStream_t stream) {
  const View dy = args.in(0), dx = args.out(0);
  const ResizeGeometry g = contracts::resize_geometry("resizeBilinearBackward", args, dx, dy);
  backward("resizeBilinearBackward", dy, dx, stream, [&] {
    TK_DISPATCH_FLOAT(dy.dtype(), "resizeBilinearBackward", {
      bilinear_backward_kernel<<<grid_for(dy.size()), kBlockSize, 0, stream>>>(dy.data<scalar_t>(), dx.data<scalar_t>(),
                                                                               g, dy.size());
    });
  });
}

void resize_nearest(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), y = args.out(0);
  const ResizeGeometry g = contracts::resize_geometry("resizeNearest", args, x, y);
  const int64_t n = y.size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(x.dtype(), "resizeNearest", {
    nearest_forward_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(x.data<scalar_t>(), y.data<scalar_t>(), g, n);
  });
  TK_CUDA_CHECK_LAUNCH("resizeNearest");
}

void resize_nearest_backward(const KernelArgs& args, cudaStream_t stream) {
  const View dy = args.in(0), dx = args.out(0);
  const ResizeGeometry g = contracts::resize_geometry("resizeNearestBackward", args, dx, dy);
  backward("resizeNearestBackward", dy, dx, stream, [&] {
    TK_DISPATCH_FLOAT(dy.dtype(), "resizeNearestBackward", {
      nearest_backward_kernel<<<grid_for(dy.size()), kBlockSize, 0, stream>>>(dy.data<scalar_t>(), dx.data<scalar_t>(),
                                                                              g, dy.size());
    });
  });
}

}  // namespace tessera::cuda
