// Projective transforms of NHWC images (the CUDA half of cpu/image_transform.cpp, whose
// header gives the inputs, outputs and attributes [interpolation, fill_mode, fill_value];
// the sampling rule is contracts/image_transform.h, shared with the CPU).
// Forward: one thread per output element. Backward: one thread per dy element adds its
// weighted dy into the taps by atomicAdd (a projective map has no cheap inverse to gather
// by), so float sums come in an order that can change from run to run.
#include "broadcast.cuh"
#include "check.h"
#include "contracts/image_transform.h"
#include "kernels.h"
#include "launch.cuh"

namespace tessera::cuda {

namespace {

using contracts::Taps;
using contracts::TransformGeom;

template <typename T>
__global__ void transform_forward_kernel(const T* image, const T* transforms, T* y, TransformGeom g, int64_t n) {
  const T fill_value = static_cast<T>(g.fill_value);
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    const int64_t c = i % g.channels, pixel = i / g.channels;
    const int64_t ox = pixel % g.out_w, row = pixel / g.out_w;
    const int64_t oy = row % g.out_h, b = row / g.out_h;
    const Taps<T> t = contracts::sample_taps(transforms + (g.shared ? 0 : b * 8), oy, ox, g);
    const T* in = image + b * g.in_h * g.in_w * g.channels + c;
    T sum = t.fill * fill_value;
    for (int k = 0; k < t.count; ++k) sum += t.weight[k] * in[t.pixel[k] * g.channels];
    y[i] = sum;
  }
}

template <typename T>
__global__ void transform_backward_kernel(const T* dy, const T* transforms, T* dx, TransformGeom g, int64_t n) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    const int64_t c = i % g.channels, pixel = i / g.channels;
    const int64_t ox = pixel % g.out_w, row = pixel / g.out_w;
    const int64_t oy = row % g.out_h, b = row / g.out_h;
    const Taps<T> t = contracts::sample_taps(transforms + (g.shared ? 0 : b * 8), oy, ox, g);
    T* image = dx + b * g.in_h * g.in_w * g.channels + c;
    const T grad = dy[i];
    for (int k = 0; k < t.count; ++k) atomicAdd(image + t.pixel[k] * g.channels, t.weight[k] * grad);
  }
}

}  // namespace

void image_transform(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), transforms = args.in(1), y = args.out(0);
  const TransformGeom g = contracts::transform_geometry("imageTransform", args, x, transforms, y);
  const int64_t n = y.size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(x.dtype(), "imageTransform", {
    transform_forward_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(x.data<scalar_t>(), transforms.data<scalar_t>(),
                                                                     y.data<scalar_t>(), g, n);
  });
  TK_CUDA_CHECK_LAUNCH("imageTransform");
}

void image_transform_backward(const KernelArgs& args, cudaStream_t stream) {
  const View dy = args.in(0), transforms = args.in(1), dx = args.out(0);
  const TransformGeom g = contracts::transform_geometry("imageTransformBackward", args, dx, transforms, dy);
  if (dx.size() == 0) return;
  TK_CUDA_CHECK(cudaMemsetAsync(dx.data<void>(), 0, dx.size() * dtype_size(dx.dtype()), stream));
  const int64_t n = dy.size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(dy.dtype(), "imageTransformBackward", {
    transform_backward_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(dy.data<scalar_t>(), transforms.data<scalar_t>(),
                                                                      dx.data<scalar_t>(), g, n);
  });
  TK_CUDA_CHECK_LAUNCH("imageTransformBackward");
}

}  // namespace tessera::cuda
