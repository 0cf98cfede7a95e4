// 2-D convolution over NHWC images with HWIO filters (the CUDA half of cpu/conv.cpp, whose
// header gives the inputs and outputs; the attributes are ops.def's, attrs::Conv2dAttrs).
//
// Implicit GEMM through gemm.cuh, one GEMM per group (grid.z), no im2col buffer: the
// loaders below turn a GEMM coordinate into an image coordinate as the tile is staged.
//   forward          y[(n,oh,ow), o]   = sum_(kh,kw,c) x[n, oh*sh-pt+kh*dh, ow*sw-pl+kw*dw, c] * w[(kh,kw,c), o]
//                    M = N*OH*OW, N = O/G, K = KH*KW*C/G; A reads the image (c fastest), B the filter.
//   backward input   dx[(n,ih,iw), c]  = sum_(kh,kw,o) dy[n, (ih+pt-kh*dh)/sh, (iw+pl-kw*dw)/sw, o] * w[(kh,kw,c), o]
//                    over the taps where the division is exact and inside dy: M = N*H*W,
//                    N = C/G, K = KH*KW*O/G. Every dx element is written once: no zeroing,
//                    no atomics. (With stride s, (s^2-1)/s^2 of the taps read as zero.)
//   backward filter  dw[(kh,kw,c), o]  = sum_(n,oh,ow) x[...] * dy[(n,oh,ow), o]
//                    M = KH*KW*C/G, N = O/G, K = N*OH*OW: few output tiles over a long K,
//                    so K is split across blocks into a scratch of partial products, then
//                    added in split order (deterministic).
// Depthwise (C/G = O/G = 1) would be a one-column GEMM per channel; it has direct kernels.
// float32 and float64. Index arithmetic inside an image is 32-bit (checked on the host).
#include <limits>

#include "broadcast.cuh"
#include "contracts/window2d.h"
#include "gemm.cuh"
#include "kernels.h"
#include "launch.cuh"
#include "scratch.h"
#include "tessera/op_attrs.h"

namespace tessera::cuda {

namespace {

struct ConvGeom {
  int batch, in_h, in_w, channels, out_h, out_w, out_channels;
  int kernel_h, kernel_w, stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left;
  int groups, group_in, group_out;
};

ConvGeom conv_geom(const char* op, const KernelArgs& args, const View& image, const View& filter, const View& output) {
  const auto a = attrs::Conv2dAttrs::read(args);
  contracts::Window2d w = contracts::window2d(op, image, output, a.strides, a.dilations, a.padding);
  TK_CHECK(filter.rank() == 4, op << ": expected a filter [kh, kw, in/groups, out], got rank " << filter.rank());
  TK_CHECK(image.dtype() == filter.dtype() && image.dtype() == output.dtype(),
           op << ": expected one dtype for all tensors, got " << dtype_name(image.dtype()) << ", "
              << dtype_name(filter.dtype()) << " and " << dtype_name(output.dtype()));
  const int64_t groups = a.groups, channels = image.dim(3), out_channels = output.dim(3);
  w.kernel_h = filter.dim(0);
  w.kernel_w = filter.dim(1);
  TK_CHECK(groups >= 1 && channels % groups == 0 && out_channels % groups == 0,
           op << ": expected groups to divide the " << channels << " input channels and the " << out_channels
              << " filters, got groups " << groups);
  TK_CHECK(filter.dim(2) == channels / groups && filter.dim(3) == out_channels,
           op << ": expected a filter [" << w.kernel_h << ", " << w.kernel_w << ", " << channels / groups << ", "
              << out_channels << "] for " << channels << " input channels in " << groups << " groups, got "
              << shape_text(filter));
  w.check(op);
  constexpr int64_t kMax = std::numeric_limits<int>::max();
  TK_CHECK(w.batch * w.in_pixels() <= kMax && w.batch * w.out_pixels() <= kMax && w.in_pixels() * channels <= kMax &&
               w.out_pixels() * out_channels <= kMax && filter.size() <= kMax,
           op << ": tensors over 2^31 elements per image or pixels per batch are not supported on CUDA");
  ConvGeom g;
  g.batch = static_cast<int>(w.batch);
  g.in_h = static_cast<int>(w.in_h);
  g.in_w = static_cast<int>(w.in_w);
  g.channels = static_cast<int>(channels);
  g.out_h = static_cast<int>(w.out_h);
  g.out_w = static_cast<int>(w.out_w);
  g.out_channels = static_cast<int>(out_channels);
  g.kernel_h = static_cast<int>(w.kernel_h);
  g.kernel_w = static_cast<int>(w.kernel_w);
  g.stride_h = static_cast<int>(w.stride_h);
  g.stride_w = static_cast<int>(w.stride_w);
  g.dilation_h = static_cast<int>(w.dilation_h);
  g.dilation_w = static_cast<int>(w.dilation_w);
  g.pad_top = static_cast<int>(w.pad_top);
  g.pad_left = static_cast<int>(w.pad_left);
  g.groups = static_cast<int>(groups);
  g.group_in = static_cast<int>(channels / groups);
  g.group_out = static_cast<int>(out_channels / groups);
  return g;
}

bool depthwise(const ConvGeom& g) { return g.groups > 1 && g.group_in == 1 && g.group_out == 1; }

// ---------------------------------------------------------------- implicit-GEMM loaders

// Forward A: row i = output pixel (n, oh, ow), k = tap (kh, kw, c) of group `batch`.
template <typename T>
struct ImagePatchLoad {
  static constexpr bool kKFast = true;
  struct Row {
    int64_t image;  // offset of image n (and the group's first channel)
    int ih0, iw0;   // the window's top-left corner, possibly on the padding
  };
  const T* x;
  ConvGeom g;

  __host__ __device__ ImagePatchLoad bind(int64_t group) const {
    ImagePatchLoad c = *this;
    c.x += group * g.group_in;
    return c;
  }
  __host__ __device__ Row row(int64_t i) const {
    const int p = static_cast<int>(i), ow = p % g.out_w, t = p / g.out_w, oh = t % g.out_h, n = t / g.out_h;
    return {static_cast<int64_t>(n) * g.in_h * g.in_w * g.channels, oh * g.stride_h - g.pad_top,
            ow * g.stride_w - g.pad_left};
  }
  __host__ __device__ T load(const Row& r, int64_t k) const {
    const int kk = static_cast<int>(k), c = kk % g.group_in, t = kk / g.group_in;
    const int ih = r.ih0 + (t / g.kernel_w) * g.dilation_h, iw = r.iw0 + (t % g.kernel_w) * g.dilation_w;
    if (static_cast<unsigned>(ih) >= static_cast<unsigned>(g.in_h) ||
        static_cast<unsigned>(iw) >= static_cast<unsigned>(g.in_w))
      return T(0);
    return x[r.image + (ih * g.in_w + iw) * g.channels + c];
  }
};

// Backward input A: row i = input pixel (n, ih, iw), k = tap (kh, kw, o) of the group:
// the dy pixel whose window put (kh, kw) on (ih, iw), if there is one.
template <typename T>
struct GradPatchLoad {
  static constexpr bool kKFast = true;
  struct Row {
    int64_t image;
    int hp, wp;  // ih + pad_top, iw + pad_left
  };
  const T* dy;
  ConvGeom g;

  __host__ __device__ GradPatchLoad bind(int64_t group) const {
    GradPatchLoad c = *this;
    c.dy += group * g.group_out;
    return c;
  }
  __host__ __device__ Row row(int64_t i) const {
    const int p = static_cast<int>(i), iw = p % g.in_w, t = p / g.in_w, ih = t % g.in_h, n = t / g.in_h;
    return {static_cast<int64_t>(n) * g.out_h * g.out_w * g.out_channels, ih + g.pad_top, iw + g.pad_left};
  }
  __host__ __device__ T load(const Row& r, int64_t k) const {
    const int kk = static_cast<int>(k), o = kk % g.group_out, t = kk / g.group_out;
    const int hh = r.hp - (t / g.kernel_w) * g.dilation_h, ww = r.wp - (t % g.kernel_w) * g.dilation_w;
    if (hh < 0 || ww < 0) return T(0);
    const int oh = hh / g.stride_h, ow = ww / g.stride_w;
    if (oh * g.stride_h != hh || ow * g.stride_w != ww || oh >= g.out_h || ow >= g.out_w) return T(0);
    return dy[r.image + (oh * g.out_w + ow) * g.out_channels + o];
  }
};

// Backward input B: column i = input channel c of the group, k = tap (kh, kw, o):
// w[kh, kw, c, group * O/G + o], contiguous along o.
template <typename T>
struct FilterTransposedLoad {
  static constexpr bool kKFast = true;
  using Row = int;
  const T* w;
  ConvGeom g;

  __host__ __device__ FilterTransposedLoad bind(int64_t group) const {
    FilterTransposedLoad c = *this;
    c.w += group * g.group_out;
    return c;
  }
  __host__ __device__ Row row(int64_t i) const { return static_cast<int>(i) * g.out_channels; }
  __host__ __device__ T load(Row r, int64_t k) const {
    const int kk = static_cast<int>(k), o = kk % g.group_out, t = kk / g.group_out;
    return w[t * g.group_in * g.out_channels + r + o];
  }
};

// Backward filter A: row i = filter row (kh, kw, c), k = output pixel (n, oh, ow).
template <typename T>
struct PatchTransposedLoad {
  static constexpr bool kKFast = false;
  struct Row {
    int c, dh, dw;  // channel; the tap's offset from the window corner, less the padding
  };
  const T* x;
  ConvGeom g;

  __host__ __device__ PatchTransposedLoad bind(int64_t group) const {
    PatchTransposedLoad c = *this;
    c.x += group * g.group_in;
    return c;
  }
  __host__ __device__ Row row(int64_t i) const {
    const int m = static_cast<int>(i), c = m % g.group_in, t = m / g.group_in;
    return {c, (t / g.kernel_w) * g.dilation_h - g.pad_top, (t % g.kernel_w) * g.dilation_w - g.pad_left};
  }
  __host__ __device__ T load(const Row& r, int64_t k) const {
    const int p = static_cast<int>(k), ow = p % g.out_w, t = p / g.out_w, oh = t % g.out_h, n = t / g.out_h;
    const int ih = oh * g.stride_h + r.dh, iw = ow * g.stride_w + r.dw;
    if (static_cast<unsigned>(ih) >= static_cast<unsigned>(g.in_h) ||
        static_cast<unsigned>(iw) >= static_cast<unsigned>(g.in_w))
      return T(0);
    return x[((static_cast<int64_t>(n) * g.in_h + ih) * g.in_w + iw) * g.channels + r.c];
  }
};

// C[m, n] of group b and split s at p[s * split_stride + m * ld + b * group_stride + n].
template <typename T>
struct SplitStore {
  T* p;
  int64_t ld, group_stride, split_stride;

  __host__ __device__ SplitStore bind(int64_t group, int split) const {
    SplitStore c = *this;
    c.p += group * group_stride + split * split_stride;
    return c;
  }
  __host__ __device__ void operator()(int64_t m, int64_t n, T v) const { p[m * ld + n] = v; }
};

// out[i] = sum over s of partial[s * count + i], in split order.
template <typename T>
__global__ void sum_splits_kernel(const T* partial, int splits, int64_t count, T* out) {
  for (int64_t i = grid_start(); i < count; i += grid_stride()) {
    T sum = partial[i];
    for (int s = 1; s < splits; ++s) sum += partial[s * count + i];
    out[i] = sum;
  }
}

template <typename T>
void sum_splits(const T* partial, int splits, int64_t count, T* out, cudaStream_t stream, const char* name) {
  if (count == 0) return;
  sum_splits_kernel<<<grid_for(count), kBlockSize, 0, stream>>>(partial, splits, count, out);
  TK_CUDA_CHECK_LAUNCH(name);
}

// ---------------------------------------------------------------- depthwise, direct

template <typename T>
__global__ void depthwise_forward_kernel(const T* x, const T* w, T* y, ConvGeom g, int64_t n_out) {
  for (int64_t i = grid_start(); i < n_out; i += grid_stride()) {
    const int c = static_cast<int>(i % g.channels);
    const int64_t pixel = i / g.channels;
    const int ow = static_cast<int>(pixel % g.out_w), t = static_cast<int>(pixel / g.out_w);
    const int oh = t % g.out_h, n = t / g.out_h;
    const T* image = x + static_cast<int64_t>(n) * g.in_h * g.in_w * g.channels + c;
    T sum = T(0);
    for (int kh = 0; kh < g.kernel_h; ++kh) {
      const int ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h;
      if (ih < 0 || ih >= g.in_h) continue;
      for (int kw = 0; kw < g.kernel_w; ++kw) {
        const int iw = ow * g.stride_w - g.pad_left + kw * g.dilation_w;
        if (iw >= 0 && iw < g.in_w)
          sum += image[(ih * g.in_w + iw) * g.channels] * w[(kh * g.kernel_w + kw) * g.channels + c];
      }
    }
    y[i] = sum;
  }
}

// One thread per dx element, gathering the dy pixels whose windows cover it.
template <typename T>
__global__ void depthwise_backward_input_kernel(const T* dy, const T* w, T* dx, ConvGeom g, int64_t n_in) {
  for (int64_t i = grid_start(); i < n_in; i += grid_stride()) {
    const int c = static_cast<int>(i % g.channels);
    const int64_t pixel = i / g.channels;
    const int iw = static_cast<int>(pixel % g.in_w), t = static_cast<int>(pixel / g.in_w);
    const int ih = t % g.in_h, n = t / g.in_h;
    const T* grad = dy + static_cast<int64_t>(n) * g.out_h * g.out_w * g.channels + c;
    T sum = T(0);
    for (int kh = 0; kh < g.kernel_h; ++kh) {
      const int hh = ih + g.pad_top - kh * g.dilation_h;
      if (hh < 0 || hh % g.stride_h) continue;
      const int oh = hh / g.stride_h;
      if (oh >= g.out_h) continue;
      for (int kw = 0; kw < g.kernel_w; ++kw) {
        const int ww = iw + g.pad_left - kw * g.dilation_w;
        if (ww < 0 || ww % g.stride_w) continue;
        const int ow = ww / g.stride_w;
        if (ow < g.out_w) sum += grad[(oh * g.out_w + ow) * g.channels] * w[(kh * g.kernel_w + kw) * g.channels + c];
      }
    }
    dx[i] = sum;
  }
}

// dw[tap, c] over output pixels [split * per, (split + 1) * per): blockIdx.x = tap,
// blockIdx.y = 32 channels, blockIdx.z = split; 8 rows of threads share the pixels and
// add up through shared memory.
template <typename T>
__global__ void depthwise_backward_filter_kernel(const T* x, const T* dy, T* partial, ConvGeom g, int64_t per) {
  __shared__ T sums[8][33];
  const int tap = blockIdx.x, kh = tap / g.kernel_w, kw = tap % g.kernel_w;
  const int c = blockIdx.y * 32 + threadIdx.x;
  const int64_t pixels = static_cast<int64_t>(g.batch) * g.out_h * g.out_w;
  const int64_t p0 = blockIdx.z * per, p1 = min(pixels, p0 + per);
  T sum = T(0);
  if (c < g.channels) {
    for (int64_t p = p0 + threadIdx.y; p < p1; p += 8) {
      const int ow = static_cast<int>(p % g.out_w), t = static_cast<int>(p / g.out_w);
      const int oh = t % g.out_h, n = t / g.out_h;
      const int ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h,
                iw = ow * g.stride_w - g.pad_left + kw * g.dilation_w;
      if (ih < 0 || ih >= g.in_h || iw < 0 || iw >= g.in_w) continue;
      sum += x[((static_cast<int64_t>(n) * g.in_h + ih) * g.in_w + iw) * g.channels + c] * dy[p * g.channels + c];
    }
  }
  sums[threadIdx.y][threadIdx.x] = sum;
  __syncthreads();
  if (threadIdx.y == 0 && c < g.channels) {
    T total = sums[0][threadIdx.x];
    for (int r = 1; r < 8; ++r) total += sums[r][threadIdx.x];
    partial[static_cast<int64_t>(blockIdx.z) * g.kernel_h * g.kernel_w * g.channels + tap * g.channels + c] = total;
  }
}

// ---------------------------------------------------------------- the three ops

template <typename T>
void forward(const ConvGeom& g, const T* x, const T* w, T* y, cudaStream_t stream) {
  const int64_t n_out = static_cast<int64_t>(g.batch) * g.out_h * g.out_w * g.out_channels;
  if (n_out == 0) return;
  if (depthwise(g)) {
    depthwise_forward_kernel<<<grid_for(n_out), kBlockSize, 0, stream>>>(x, w, y, g, n_out);
    TK_CUDA_CHECK_LAUNCH("conv2d");
    return;
  }
  const GemmDims d = gemm_dims(static_cast<int64_t>(g.batch) * g.out_h * g.out_w, g.group_out,
                               static_cast<int64_t>(g.kernel_h) * g.kernel_w * g.group_in);
  launch_gemm<T>(d, g.groups, ImagePatchLoad<T>{x, g},
                 MatrixLoad<T, false>{w, g.out_channels, BatchIndex::contiguous(g.group_out)},
                 MatrixStore<T>{y, g.out_channels, BatchIndex::contiguous(g.group_out), false}, stream, "conv2d");
}

template <typename T>
void backward_input(const ConvGeom& g, const T* dy, const T* w, T* dx, cudaStream_t stream) {
  const int64_t n_in = static_cast<int64_t>(g.batch) * g.in_h * g.in_w * g.channels;
  if (n_in == 0) return;
  if (depthwise(g)) {
    depthwise_backward_input_kernel<<<grid_for(n_in), kBlockSize, 0, stream>>>(dy, w, dx, g, n_in);
    TK_CUDA_CHECK_LAUNCH("conv2dBackwardInput");
    return;
  }
  const GemmDims d = gemm_dims(static_cast<int64_t>(g.batch) * g.in_h * g.in_w, g.group_in,
                               static_cast<int64_t>(g.kernel_h) * g.kernel_w * g.group_out);
  launch_gemm<T>(d, g.groups, GradPatchLoad<T>{dy, g}, FilterTransposedLoad<T>{w, g},
                 MatrixStore<T>{dx, g.channels, BatchIndex::contiguous(g.group_in), false}, stream,
                 "conv2dBackwardInput");
}

template <typename T>
void backward_filter(const ConvGeom& g, const T* x, const T* dy, T* dw, cudaStream_t stream) {
  const int64_t count = static_cast<int64_t>(g.kernel_h) * g.kernel_w * g.group_in * g.out_channels;
  if (count == 0) return;
  const int64_t pixels = static_cast<int64_t>(g.batch) * g.out_h * g.out_w;
  if (pixels == 0) {
    TK_CUDA_CHECK(cudaMemsetAsync(dw, 0, count * sizeof(T), stream));
    return;
  }
  if (depthwise(g)) {
    const int taps = g.kernel_h * g.kernel_w, chunks = (g.channels + 31) / 32;
    const int64_t blocks = static_cast<int64_t>(taps) * chunks;
    const int64_t want = 4 * static_cast<int64_t>(multiprocessor_count());
    const int splits =
        static_cast<int>(std::max<int64_t>(1, std::min<int64_t>((want + blocks - 1) / blocks, pixels / 256)));
    const int64_t per = (pixels + splits - 1) / splits;
    Scratch partial(splits > 1 ? splits * count * sizeof(T) : 0);
    T* out = splits > 1 ? partial.as<T>() : dw;
    depthwise_backward_filter_kernel<<<dim3(taps, chunks, splits), dim3(32, 8), 0, stream>>>(x, dy, out, g, per);
    TK_CUDA_CHECK_LAUNCH("conv2dBackwardFilter");
    if (splits > 1) sum_splits(partial.as<T>(), splits, count, dw, stream, "conv2dBackwardFilter");
    return;
  }
  const int64_t M = static_cast<int64_t>(g.kernel_h) * g.kernel_w * g.group_in;
  const GemmDims d = gemm_dims(M, g.group_out, pixels, split_k_for(M, g.group_out, pixels, g.groups));
  Scratch partial(d.splits > 1 ? d.splits * count * sizeof(T) : 0);
  T* out = d.splits > 1 ? partial.as<T>() : dw;
  launch_gemm<T>(d, g.groups, PatchTransposedLoad<T>{x, g},
                 MatrixLoad<T, false>{dy, g.out_channels, BatchIndex::contiguous(g.group_out)},
                 SplitStore<T>{out, g.out_channels, g.group_out, count}, stream, "conv2dBackwardFilter");
  if (d.splits > 1) sum_splits(partial.as<T>(), d.splits, count, dw, stream, "conv2dBackwardFilter");
}

}  // namespace

void conv2d(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), w = args.in(1), y = args.out(0);
  const ConvGeom g = conv_geom("conv2d", args, x, w, y);
  TK_DISPATCH_FLOAT(x.dtype(), "conv2d",
                    forward(g, x.data<scalar_t>(), w.data<scalar_t>(), y.data<scalar_t>(), stream));
}

void conv2d_backward_input(const KernelArgs& args, cudaStream_t stream) {
  const View dy = args.in(0), w = args.in(1), dx = args.out(0);
  const ConvGeom g = conv_geom("conv2dBackwardInput", args, dx, w, dy);
  TK_DISPATCH_FLOAT(dy.dtype(), "conv2dBackwardInput",
                    backward_input(g, dy.data<scalar_t>(), w.data<scalar_t>(), dx.data<scalar_t>(), stream));
}

void conv2d_backward_filter(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), dy = args.in(1), dw = args.out(0);
  const ConvGeom g = conv_geom("conv2dBackwardFilter", args, x, dw, dy);
  TK_DISPATCH_FLOAT(x.dtype(), "conv2dBackwardFilter",
                    backward_filter(g, x.data<scalar_t>(), dy.data<scalar_t>(), dw.data<scalar_t>(), stream));
}

}  // namespace tessera::cuda
