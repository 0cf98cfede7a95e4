// 2-D convolution over NHWC images with HWIO filters (Keras's layout [kh, kw, in/groups, out]).
//
//   conv2d                  inputs  x [N, H, W, C], filter [KH, KW, C/G, O]
//                           outputs y [N, OH, OW, O]
//   conv2d_backward_input   inputs  dy [N, OH, OW, O], filter [KH, KW, C/G, O]
//                           outputs dx [N, H, W, C]
//                           (also the forward pass of conv2dTranspose, with dy its input)
//   conv2d_backward_filter  inputs  x [N, H, W, C], dy [N, OH, OW, O]
//                           outputs dfilter [KH, KW, C/G, O]
//
// Attributes: ops.def's row (attrs::Conv2dAttrs), the same for all three; padding is
// [top, left, bottom, right]. Padding is explicit: the caller turns Keras's 'same' into its asymmetric pads (the odd
// row or column goes to the bottom or right). The output size must be
//   OH = floor((H + pad_top + pad_bottom - dilation_h * (KH - 1) - 1) / stride_h) + 1
// (likewise OW); the kernels check it against the tensors they get. With G groups, input
// channels [g*C/G, (g+1)*C/G) feed output channels [g*O/G, (g+1)*O/G); a depthwise
// convolution is G == C with O = C * depth_multiplier. conv1d is a height-1 conv2d.
// float32 and float64; all tensors of a call share one dtype. Bias is a separate add.
//
// Method: im2col over blocks of images (a cache-sized patch matrix per block), then one
// GEMM per group (gemm.h); 1x1 stride-1 unpadded convolutions skip im2col and run one
// GEMM over the whole batch; depthwise with multiplier 1 runs direct loops over the
// contiguous channels, since its GEMM would have a single column; and so do all three
// passes of convolutions with few input channels (first layers).
#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "../contracts/window2d.h"
#include "conv_stride_one.h"
#include "gemm.h"
#include "partition.h"
#include "tessera/kernel.h"
#include "tessera/op_attrs.h"
#include "vector64.h"
#include "vectorize.h"

namespace tessera::cpu {

using contracts::Window2d;
using contracts::window2d;

namespace {

// Bytes of patch matrix per block of images: small enough to stay in L2 while the GEMM
// reads it, large enough that the GEMM has rows to amortize its packing.
constexpr int64_t kBlockBytes = int64_t{1} << 20;

struct ConvShape : Window2d {
  int64_t channels = 0, groups = 1, group_in = 0, out_channels = 0, group_out = 0;

  // Length of an im2col row: one group's taps, channels fastest, like the filter's rows.
  int64_t patch() const { return kernel_h * kernel_w * group_in; }
  bool pointwise() const {
    return kernel_h == 1 && kernel_w == 1 && stride_h == 1 && stride_w == 1 && pad_top == 0 && pad_left == 0 &&
           out_h == in_h && out_w == in_w && groups == 1;
  }
  bool depthwise() const { return groups > 1 && group_in == 1 && group_out == 1; }
  // Few input channels (a first layer: grayscale or RGB) make im2col's rows short, K = 9
  // or 27: the forward GEMM streams its output over a tiny inner dimension, the filter
  // gradient's GEMM has 9 rows, the input gradient's 9 columns, and building or
  // scattering the patch matrix costs as much as the product, so direct loops over one
  // output row at a time run all three instead.
  bool few_channels() const { return groups == 1 && channels <= kDirectMaxChannels; }
  static constexpr int64_t kDirectMaxChannels = 4;
  // Stride 1, no dilation, one group, pads below the kernel: conv_stride_one.h runs all
  // three passes without an im2col matrix (14x14x32->64 on 2 threads: 407 -> 440, 366 ->
  // 445 and 345 -> 352 GFLOP/s), once output rows fill half a micro-tile (its GEMMs'
  // tiles do not cross an output row).
  bool stride_one() const {
    return groups == 1 && stride_h == 1 && stride_w == 1 && dilation_h == 1 && dilation_w == 1 && pad_top < kernel_h &&
           pad_left < kernel_w && pad_bottom < kernel_h && pad_right < kernel_w && out_w >= 7;
  }

  StrideOneConv as_stride_one() const {
    return {batch, in_h, in_w, channels, out_h, out_w, out_channels, kernel_h, kernel_w, pad_top, pad_left};
  }
};

ConvShape conv_shape(const char* op, const KernelArgs& args, const View& image, const View& filter,
                     const View& output) {
  ConvShape s;
  const auto a = attrs::Conv2dAttrs::read(args);
  static_cast<Window2d&>(s) = window2d(op, image, output, a.strides, a.dilations, a.padding);
  TK_CHECK(filter.rank() == 4, op << ": expected a filter [kh, kw, in/groups, out], got rank " << filter.rank());
  TK_CHECK(image.dtype() == filter.dtype() && image.dtype() == output.dtype(),
           op << ": expected one dtype for all tensors, got " << dtype_name(image.dtype()) << ", "
              << dtype_name(filter.dtype()) << " and " << dtype_name(output.dtype()));
  s.groups = a.groups;
  s.channels = image.dim(3);
  s.out_channels = output.dim(3);
  s.kernel_h = filter.dim(0);
  s.kernel_w = filter.dim(1);
  TK_CHECK(s.groups >= 1 && s.channels % s.groups == 0 && s.out_channels % s.groups == 0,
           op << ": expected groups to divide the " << s.channels << " input channels and the " << s.out_channels
              << " filters, got groups " << s.groups);
  s.group_in = s.channels / s.groups;
  s.group_out = s.out_channels / s.groups;
  TK_CHECK(filter.dim(2) == s.group_in && filter.dim(3) == s.out_channels,
           op << ": expected a filter [" << s.kernel_h << ", " << s.kernel_w << ", " << s.group_in << ", "
              << s.out_channels << "] for " << s.channels << " input channels in " << s.groups << " groups, got ["
              << filter.dim(0) << ", " << filter.dim(1) << ", " << filter.dim(2) << ", " << filter.dim(3) << "]");
  s.check(op);
  return s;
}

// A scratch buffer per thread, kept between calls so that large patch matrices are not
// faulted in afresh by every convolution.
template <typename T>
T* scratch(int64_t n) {
  thread_local std::vector<char> buffer;
  if (buffer.size() < static_cast<size_t>(n) * sizeof(T)) buffer.resize(static_cast<size_t>(n) * sizeof(T));
  return reinterpret_cast<T*>(buffer.data());
}

// Work split: the batch into one part per thread (a part's images are its own, so the
// backward-input scatter never races), and each part's im2col rows (n, oh, ow) into
// blocks whose patch matrix fits in cache. A part runs its blocks in order with a serial
// GEMM; a single part (a small batch) leaves the threads to im2col and the GEMM instead.
struct BlockPlan {
  int64_t batch, pixels, rows_per_block, parts;

  BlockPlan(const ConvShape& s, size_t elem) : batch(s.batch), pixels(s.out_pixels()) {
    const int64_t row_bytes = std::max<int64_t>(1, s.patch() * static_cast<int64_t>(elem));
    rows_per_block = std::max<int64_t>(16, kBlockBytes / row_bytes);
    parts = part_count(batch, 1);
  }

  // fn(part, first_row, end_row) for every block.
  template <typename F>
  void run(F fn) const {
    run_parts(batch, parts, [&](int64_t part, int64_t n0, int64_t n1) {
      for (int64_t r = n0 * pixels; r < n1 * pixels; r += rows_per_block)
        fn(part, r, std::min(n1 * pixels, r + rows_per_block));
    });
  }
};

// Rows [r0, r1) of group g's patch matrix, row (n, oh, ow) holding the taps of that
// output pixel's window, zero where they fall on the padding.
template <typename T>
void im2col(const ConvShape& s, const T* x, int64_t r0, int64_t r1, int64_t g, T* cols) {
  const int64_t k = s.patch(), cg = s.group_in, pix = s.out_pixels();
  parallel_for(r0, r1, 64, [&](int64_t lo, int64_t hi) {
    // A tap is a few channels (1 in a first layer, 32 or 64 after): an inlined vector
    // copy, where a call to memcpy per tap would cost more than the copy.
    vectorized([&] {
      for (int64_t r = lo; r < hi; ++r) {
        const int64_t n = r / pix, oh = (r % pix) / s.out_w, ow = r % s.out_w;
        T* row = cols + (r - r0) * k;
        if (!s.window_inside(oh, ow)) std::fill(row, row + k, T(0));
        const T* image = x + n * s.in_pixels() * s.channels + g * cg;
        s.for_each_tap(oh, ow, [&](int64_t kh, int64_t kw, int64_t ih, int64_t iw) {
          T* dst = row + (kh * s.kernel_w + kw) * cg;
          const T* src = image + (ih * s.in_w + iw) * s.channels;
          TESSERA_IVDEP
          for (int64_t c = 0; c < cg; ++c) dst[c] = src[c];
        });
      }
    });
  });
}

// The adjoint of im2col: adds patch rows [r0, r1) back onto the pixels they were read
// from. Windows overlap within an image, so work splits over images only.
template <typename T>
void col2im_add(const ConvShape& s, const T* cols, int64_t r0, int64_t r1, int64_t g, T* dx) {
  const int64_t k = s.patch(), cg = s.group_in, pix = s.out_pixels();
  parallel_for(r0 / pix, (r1 - 1) / pix + 1, 1, [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t n = lo; n < hi; ++n) {
        T* image = dx + n * s.in_pixels() * s.channels + g * cg;
        for (int64_t r = std::max(r0, n * pix); r < std::min(r1, (n + 1) * pix); ++r) {
          const T* row = cols + (r - r0) * k;
          const int64_t p = r % pix;
          s.for_each_tap(p / s.out_w, p % s.out_w, [&](int64_t kh, int64_t kw, int64_t ih, int64_t iw) {
            T* dst = image + (ih * s.in_w + iw) * s.channels;
            const T* src = row + (kh * s.kernel_w + kw) * cg;
            TESSERA_IVDEP
            for (int64_t c = 0; c < cg; ++c) dst[c] += src[c];
          });
        }
      }
    });
  });
}

// Depthwise with multiplier 1: channel c of the output sees only channel c of the input,
// and the filter is [KH, KW, 1, C], so tap t's weights are the contiguous row t * C.
template <typename T>
void depthwise_forward(const ConvShape& s, const T* x, const T* w, T* y) {
  const int64_t c_count = s.channels;
  parallel_for(0, s.batch * s.out_h, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const int64_t n = r / s.out_h, oh = r % s.out_h;
      const T* image = x + n * s.in_pixels() * c_count;
      for (int64_t ow = 0; ow < s.out_w; ++ow) {
        T* out = y + (r * s.out_w + ow) * c_count;
        std::fill(out, out + c_count, T(0));
        s.for_each_tap(oh, ow, [&](int64_t kh, int64_t kw, int64_t ih, int64_t iw) {
          const T* in = image + (ih * s.in_w + iw) * c_count;
          const T* wt = w + (kh * s.kernel_w + kw) * c_count;
          for (int64_t c = 0; c < c_count; ++c) out[c] += in[c] * wt[c];
        });
      }
    }
  });
}

template <typename T>
void depthwise_backward_input(const ConvShape& s, const T* dy, const T* w, T* dx) {
  const int64_t c_count = s.channels, pix = s.out_pixels();
  parallel_for(0, s.batch, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t n = lo; n < hi; ++n) {
      T* image = dx + n * s.in_pixels() * c_count;
      std::fill(image, image + s.in_pixels() * c_count, T(0));
      for (int64_t p = 0; p < pix; ++p) {
        const T* g = dy + (n * pix + p) * c_count;
        s.for_each_tap(p / s.out_w, p % s.out_w, [&](int64_t kh, int64_t kw, int64_t ih, int64_t iw) {
          T* in = image + (ih * s.in_w + iw) * c_count;
          const T* wt = w + (kh * s.kernel_w + kw) * c_count;
          for (int64_t c = 0; c < c_count; ++c) in[c] += g[c] * wt[c];
        });
      }
    }
  });
}

// Adds the per-part partial sums 1.. onto part 0's, which is `out`.
template <typename T>
void add_partials(T* out, const std::vector<T>& partials, int64_t parts, int64_t count) {
  parallel_for(0, count, 16384, [&](int64_t lo, int64_t hi) {
    for (int64_t p = 1; p < parts; ++p) {
      const T* src = partials.data() + (p - 1) * count;
      for (int64_t i = lo; i < hi; ++i) out[i] += src[i];
    }
  });
}

// Few input channels (a first layer): work goes one output row (n, oh) at a time, over
// that row's patch matrix, [out_w, K] with K = KH * KW * C taps (9 for a 3x3 grayscale
// layer), built in a small per-thread buffer, then register-blocked loops over it. Both
// GEMM shapes of such a layer are lopsided (K = 9 against O = 32 and many pixels), so
// these loops keep their sums in registers instead: kRowPixels pixels by kOutBlock
// outputs in the forward pass, a K x kOutBlock block of the filter gradient for a whole
// batch part. They replaced im2col + GEMM for the forward pass (21 GFLOP/s on one thread
// at 28x28x1->32) and for the filter gradient (27).
constexpr int64_t kOutBlock = 32;  // output channels per register block: 2 AVX-512 vectors of floats
constexpr int64_t kRowPixels = 8;  // output pixels per register block of the forward pass

// Row (n, oh)'s patch matrix, transposed: patch[t * padded_w + ow] for tap t = (kh * KW +
// kw) * C + c (a filter row) and output column ow, zero on the padding and past out_w.
// Per tap, the columns inside the image are a range: a strided copy with no checks.
template <typename T>
void row_patch(const ConvShape& s, const T* x, int64_t n, int64_t oh, int64_t padded_w, int64_t taps, T* patch) {
  const int64_t c_count = s.channels, k = s.patch(), step = s.stride_w * c_count;
  std::fill(patch + k * padded_w, patch + taps * padded_w, T(0));
  const T* image = x + n * s.in_pixels() * c_count;
  for (int64_t kh = 0; kh < s.kernel_h; ++kh) {
    const int64_t ih = oh * s.stride_h - s.pad_top + kh * s.dilation_h;
    T* rows = patch + kh * s.kernel_w * c_count * padded_w;
    if (ih < 0 || ih >= s.in_h) {
      std::fill(rows, rows + s.kernel_w * c_count * padded_w, T(0));
      continue;
    }
    for (int64_t kw = 0; kw < s.kernel_w; ++kw) {
      // iw = ow * stride_w + shift lies in [0, in_w) for ow in [first, last).
      const int64_t shift = kw * s.dilation_w - s.pad_left;
      const int64_t first = std::min(s.out_w, shift >= 0 ? 0 : (-shift + s.stride_w - 1) / s.stride_w);
      const int64_t last =
          std::max(first, std::min(s.out_w, s.in_w - shift <= 0 ? 0 : (s.in_w - shift - 1) / s.stride_w + 1));
      for (int64_t c = 0; c < c_count; ++c) {
        T* dst = patch + ((kh * s.kernel_w + kw) * c_count + c) * padded_w;
        const T* src = image + (ih * s.in_w + shift) * c_count + c;
        std::fill(dst, dst + first, T(0));
        if (step == 1) {  // stride 1, one channel: a plain copy, vectorized
          TESSERA_IVDEP
          for (int64_t ow = first; ow < last; ++ow) dst[ow] = src[ow];
        } else {
          for (int64_t ow = first; ow < last; ++ow) dst[ow] = src[ow * step];
        }
        std::fill(dst + last, dst + padded_w, T(0));
      }
    }
  }
}

int64_t round_up_to(int64_t n, int64_t unit) { return (n + unit - 1) / unit * unit; }

// The forward pass in register blocks of kPixels output pixels by kOut output channels.
template <typename T, int64_t kPixels, int64_t kOut>
void direct_forward_blocked(const ConvShape& s, const T* x, const T* w, T* y) {
  const int64_t o = s.out_channels, k = s.patch(), padded_w = round_up_to(s.out_w, kPixels);
  parallel_for(0, s.batch * s.out_h, 1, [&](int64_t lo, int64_t hi) {
    T* patch = scratch<T>(k * padded_w);
    vectorized([&] {
      for (int64_t r = lo; r < hi; ++r) {
        row_patch(s, x, r / s.out_h, r % s.out_h, padded_w, k, patch);
        T* out_row = y + r * s.out_w * o;
        int64_t j0 = 0;
        for (; j0 + kOut <= o; j0 += kOut) {
          for (int64_t ow0 = 0; ow0 < s.out_w; ow0 += kPixels) {
            // GCC vectors: as a T array, acc went through memory (zeroed, copied out).
            using V = typename Vector64<T>::type;
            constexpr int kLanes = Vector64<T>::kLanes, kVectors = kOut / kLanes;
            V acc[kPixels][kVectors] = {};
            for (int64_t t = 0; t < k; ++t) {
              const T* a = patch + t * padded_w + ow0;
              V wt[kVectors];
              for (int v = 0; v < kVectors; ++v) wt[v] = load_vector(w + t * o + j0 + v * kLanes);
#pragma GCC unroll 8
              for (int p = 0; p < kPixels; ++p)
                for (int v = 0; v < kVectors; ++v) acc[p][v] += a[p] * wt[v];
            }
            const int64_t pixels = std::min(kPixels, s.out_w - ow0);
#pragma GCC unroll 8
            for (int p = 0; p < kPixels; ++p)
              if (p < pixels)
                for (int v = 0; v < kVectors; ++v)
                  store_vector<T>(out_row + (ow0 + p) * o + j0 + v * kLanes, acc[p][v]);
          }
        }
        if (j0 < o) {  // outputs past the last full block
          for (int64_t ow = 0; ow < s.out_w; ++ow) {
            T* out = out_row + ow * o;
            std::fill(out + j0, out + o, T(0));
            for (int64_t t = 0; t < k; ++t) {
              const T a = patch[t * padded_w + ow], *wt = w + t * o;
              TESSERA_IVDEP
              for (int64_t j = j0; j < o; ++j) out[j] += a * wt[j];
            }
          }
        }
      }
    });
  });
}

// 8 pixels by 32 channels keeps 16 of AVX-512's 32 registers of sums. On AVX2 a 64-byte
// vector is two of its 16 registers: that block (32 registers of sums) spilled them to
// memory on every tap, and the 28x28x1->32 layer's forward pass took a third of the CNN
// benchmark's training step; 6 pixels by one vector keeps 12 (the GEMM's 6 x 16 tile).
template <typename T>
void direct_forward(const ConvShape& s, const T* x, const T* w, T* y) {
  if (vector_isa() == VectorIsa::kAvx2) return direct_forward_blocked<T, 6, Vector64<T>::kLanes>(s, x, w, y);
  direct_forward_blocked<T, kRowPixels, kOutBlock>(s, x, w, y);
}

// Taps per register block of the backward loops: 9 (a 3x3 filter, per channel) when it
// divides K, else 12, the most that fit the registers beside the other operands.
// fn(std::integral_constant<int, taps>) runs the loop compiled for that block.
template <typename F>
void with_tap_block(int64_t k, F fn) {
  if (k % 9 == 0) return fn(std::integral_constant<int, 9>{});
  fn(std::integral_constant<int, 12>{});
}

int64_t tap_block(int64_t k) { return k % 9 == 0 ? 9 : 12; }

template <bool kSixTaps, typename F>
void with_taps(int64_t k, F fn) {
  if constexpr (kSixTaps) {
    fn(std::integral_constant<int, 6>{});
  } else {
    with_tap_block(k, fn);
  }
}

// dw[t, j] = sum over output pixels of patch[t, p] * dy[p, j]: each batch part keeps a
// block of taps by kOutBlock outputs in registers while it walks a row's pixels.
// kOut outputs by a block of taps: with_tap_block's, or 6 when kSixTaps.
template <typename T, int64_t kOut, bool kSixTaps>
void direct_backward_filter_blocked(const ConvShape& s, const T* x, const T* dy, T* dw) {
  const int64_t o = s.out_channels, k = s.patch(), count = k * o;
  const int64_t taps_padded = round_up_to(k, kSixTaps ? 6 : tap_block(k)), padded_w = round_up_to(s.out_w, kRowPixels);
  const int64_t parts = part_count(s.batch * s.out_h, 4);
  std::vector<T> partials(parts * count, T(0));
  run_parts(s.batch * s.out_h, parts, [&](int64_t part, int64_t r0, int64_t r1) {
    T* sum = partials.data() + part * count;
    T* patch = scratch<T>(taps_padded * padded_w);  // rows past k stay zero
    vectorized([&] {
      for (int64_t r = r0; r < r1; ++r) {
        row_patch(s, x, r / s.out_h, r % s.out_h, padded_w, taps_padded, patch);
        const T* g_row = dy + r * s.out_w * o;
        int64_t j0 = 0;
        with_taps<kSixTaps>(k, [&](auto block) {
          constexpr int kTaps = decltype(block)::value;
          for (; j0 + kOut <= o; j0 += kOut)
            for (int64_t t0 = 0; t0 < k; t0 += kTaps) {
              using V = typename Vector64<T>::type;  // GCC vectors: see direct_forward
              constexpr int kLanes = Vector64<T>::kLanes, kVectors = kOut / kLanes;
              V acc[kTaps][kVectors] = {};
              for (int64_t p = 0; p < s.out_w; ++p) {
                const T* a = patch + t0 * padded_w + p;
                V g[kVectors];
                for (int v = 0; v < kVectors; ++v) g[v] = load_vector(g_row + p * o + j0 + v * kLanes);
#pragma GCC unroll 12
                for (int t = 0; t < kTaps; ++t)
                  for (int v = 0; v < kVectors; ++v) acc[t][v] += a[t * padded_w] * g[v];
              }
#pragma GCC unroll 12
              for (int t = 0; t < kTaps; ++t) {
                if (t0 + t >= k) continue;
                T* dst = sum + (t0 + t) * o + j0;
                for (int v = 0; v < kVectors; ++v)
                  store_vector<T>(dst + v * kLanes, load_vector(dst + v * kLanes) + acc[t][v]);
              }
            }
        });
        for (int64_t p = 0; p < s.out_w && j0 < o; ++p)  // outputs past the last full block
          for (int64_t t = 0; t < k; ++t) {
            const T a = patch[t * padded_w + p], *g = g_row + p * o;
            T* out = sum + t * o;
            TESSERA_IVDEP
            for (int64_t j = j0; j < o; ++j) out[j] += a * g[j];
          }
      }
    });
  });
  std::copy(partials.begin(), partials.begin() + count, dw);
  add_partials(dw, std::vector<T>(partials.begin() + count, partials.end()), parts, count);
}

// 9 taps by 32 outputs keeps 18 of AVX-512's 32 registers of sums; on AVX2 (a 64-byte
// vector is two of its 16 registers) that was 36 and spilled on every pixel. 6 taps by one
// vector keeps 12, at the price of 3 zero taps of 12 for a 3x3 grayscale layer.
template <typename T>
void direct_backward_filter(const ConvShape& s, const T* x, const T* dy, T* dw) {
  if (vector_isa() == VectorIsa::kAvx2)
    return direct_backward_filter_blocked<T, Vector64<T>::kLanes, true>(s, x, dy, dw);
  direct_backward_filter_blocked<T, kOutBlock, false>(s, x, dy, dw);
}

// The adjoint of row_patch: adds patch[t * padded_w + ow] back onto the pixels of image n
// that row (n, oh)'s taps read.
template <typename T>
void row_patch_add(const ConvShape& s, const T* patch, int64_t n, int64_t oh, int64_t padded_w, T* dx) {
  const int64_t c_count = s.channels, step = s.stride_w * c_count;
  T* image = dx + n * s.in_pixels() * c_count;
  for (int64_t kh = 0; kh < s.kernel_h; ++kh) {
    const int64_t ih = oh * s.stride_h - s.pad_top + kh * s.dilation_h;
    if (ih < 0 || ih >= s.in_h) continue;
    for (int64_t kw = 0; kw < s.kernel_w; ++kw) {
      const int64_t shift = kw * s.dilation_w - s.pad_left;
      const int64_t first = std::min(s.out_w, shift >= 0 ? 0 : (-shift + s.stride_w - 1) / s.stride_w);
      const int64_t last =
          std::max(first, std::min(s.out_w, s.in_w - shift <= 0 ? 0 : (s.in_w - shift - 1) / s.stride_w + 1));
      for (int64_t c = 0; c < c_count; ++c) {
        const T* src = patch + ((kh * s.kernel_w + kw) * c_count + c) * padded_w;
        T* dst = image + (ih * s.in_w + shift) * c_count + c;
        if (step == 1) {
          TESSERA_IVDEP
          for (int64_t ow = first; ow < last; ++ow) dst[ow] += src[ow];
        } else {
          for (int64_t ow = first; ow < last; ++ow) dst[ow * step] += src[ow];
        }
      }
    }
  }
}

// The input gradient with few input channels: per output row, the patch gradient
// G[t, ow] = sum_j w[t, j] * dy[ow, j] (K x out_w; a GEMM would have K = 9 columns) with
// blocks of kRowVector pixels in the vector lanes (dy transposed into dy_t first), then
// row_patch_add. Images are split between threads: rows of one image overlap in dx.
constexpr int64_t kRowVector = 16;  // output pixels in the lanes: one AVX-512 vector of floats

template <typename T>
void direct_backward_input(const ConvShape& s, const T* dy, const T* w, T* dx) {
  const int64_t o = s.out_channels, k = s.patch(), padded_w = round_up_to(s.out_w, kRowVector);
  const int64_t taps_padded = round_up_to(k, tap_block(k));
  // The filter with zero taps past k, so the loop below needs no test. (Its rows stay
  // o apart: with a block's taps adjacent, GCC vectorized across taps instead of pixels.)
  std::vector<T> w_padded(taps_padded * o, T(0));
  std::copy(w, w + k * o, w_padded.begin());
  parallel_for(0, s.batch, 1, [&](int64_t lo, int64_t hi) {
    T* dy_t = scratch<T>((o + taps_padded) * padded_w);
    T* patch = dy_t + o * padded_w;
    vectorized([&] {
      for (int64_t r = lo * s.out_h; r < hi * s.out_h; ++r) {
        transpose_copy(dy + r * s.out_w * o, o, s.out_w, o, dy_t, padded_w);  // zeros past out_w
        with_tap_block(k, [&](auto block) {
          constexpr int kTaps = decltype(block)::value;
          for (int64_t ow0 = 0; ow0 < padded_w; ow0 += kRowVector)
            for (int64_t t0 = 0; t0 < k; t0 += kTaps) {
              // GCC vector types, not arrays: left to itself the vectorizer ran this loop
              // across taps, at 4 GFLOP/s.
              using V = typename Vector64<T>::type;
              constexpr int kLanes = Vector64<T>::kLanes, kVectors = kRowVector / kLanes;
              V acc[kTaps][kVectors] = {};
              const T* wb = w_padded.data() + t0 * o;
              for (int64_t j = 0; j < o; ++j) {
                V g[kVectors];
                for (int v = 0; v < kVectors; ++v) g[v] = load_vector(dy_t + j * padded_w + ow0 + v * kLanes);
                for (int t = 0; t < kTaps; ++t)
                  for (int v = 0; v < kVectors; ++v) acc[t][v] += wb[t * o + j] * g[v];
              }
#pragma GCC unroll 12
              for (int t = 0; t < kTaps; ++t)
                for (int v = 0; v < kVectors; ++v)
                  store_vector<T>(patch + (t0 + t) * padded_w + ow0 + v * kLanes, acc[t][v]);
            }
        });
        row_patch_add(s, patch, r / s.out_h, r % s.out_h, padded_w, dx);
      }
    });
  });
}

template <typename T>
void depthwise_backward_filter(const ConvShape& s, const T* x, const T* dy, T* dw) {
  const int64_t c_count = s.channels, pix = s.out_pixels(), count = s.kernel_h * s.kernel_w * c_count;
  const int64_t parts = part_count(s.batch, 1);
  std::vector<T> partials((parts - 1) * count, T(0));
  std::fill(dw, dw + count, T(0));
  run_parts(s.batch, parts, [&](int64_t part, int64_t n0, int64_t n1) {
    T* acc = part == 0 ? dw : partials.data() + (part - 1) * count;
    for (int64_t n = n0; n < n1; ++n) {
      const T* image = x + n * s.in_pixels() * c_count;
      for (int64_t p = 0; p < pix; ++p) {
        const T* g = dy + (n * pix + p) * c_count;
        s.for_each_tap(p / s.out_w, p % s.out_w, [&](int64_t kh, int64_t kw, int64_t ih, int64_t iw) {
          const T* in = image + (ih * s.in_w + iw) * c_count;
          T* wt = acc + (kh * s.kernel_w + kw) * c_count;
          for (int64_t c = 0; c < c_count; ++c) wt[c] += in[c] * g[c];
        });
      }
    }
  });
  add_partials(dw, partials, parts, count);
}

template <typename T>
void conv_forward(const ConvShape& s, const T* x, const T* w, T* y) {
  const int64_t o = s.out_channels, og = s.group_out, pix = s.out_pixels(), k = s.patch();
  if (s.pointwise()) return gemm<T>(false, false, s.batch * pix, o, s.channels, x, s.channels, w, o, y, o);
  if (s.depthwise()) return depthwise_forward(s, x, w, y);
  if (s.few_channels()) return direct_forward(s, x, w, y);
  if (s.stride_one()) return stride_one_forward(s.as_stride_one(), x, w, y);
  BlockPlan(s, sizeof(T)).run([&](int64_t, int64_t r0, int64_t r1) {
    T* cols = scratch<T>((r1 - r0) * k);
    for (int64_t g = 0; g < s.groups; ++g) {
      im2col(s, x, r0, r1, g, cols);
      gemm<T>(false, false, r1 - r0, og, k, cols, k, w + g * og, o, y + r0 * o + g * og, o);
    }
  });
}

template <typename T>
void conv_backward_input(const ConvShape& s, const T* dy, const T* w, T* dx) {
  const int64_t o = s.out_channels, og = s.group_out, pix = s.out_pixels(), k = s.patch();
  if (s.pointwise()) return gemm<T>(false, true, s.batch * pix, s.channels, o, dy, o, w, o, dx, s.channels);
  if (s.depthwise()) return depthwise_backward_input(s, dy, w, dx);
  if (!s.few_channels() && s.stride_one()) return stride_one_backward_input(s.as_stride_one(), dy, w, dx);
  const int64_t dx_size = s.batch * s.in_pixels() * s.channels;
  parallel_for(0, dx_size, 1 << 16, [&](int64_t lo, int64_t hi) { std::fill(dx + lo, dx + hi, T(0)); });
  if (s.few_channels()) return direct_backward_input(s, dy, w, dx);
  BlockPlan(s, sizeof(T)).run([&](int64_t, int64_t r0, int64_t r1) {
    T* cols = scratch<T>((r1 - r0) * k);
    for (int64_t g = 0; g < s.groups; ++g) {
      gemm<T>(false, true, r1 - r0, k, og, dy + r0 * o + g * og, o, w + g * og, o, cols, k);
      col2im_add(s, cols, r0, r1, g, dx);
    }
  });
}

template <typename T>
void conv_backward_filter(const ConvShape& s, const T* x, const T* dy, T* dw) {
  const int64_t o = s.out_channels, og = s.group_out, pix = s.out_pixels(), k = s.patch();
  if (s.pointwise()) return gemm<T>(true, false, s.channels, o, s.batch * pix, x, s.channels, dy, o, dw, o);
  if (s.depthwise()) return depthwise_backward_filter(s, x, dy, dw);
  if (s.few_channels()) return direct_backward_filter(s, x, dy, dw);
  if (s.stride_one()) return stride_one_backward_filter(s.as_stride_one(), x, dy, dw);
  const BlockPlan plan(s, sizeof(T));
  const int64_t count = k * o;
  std::vector<T> partials((plan.parts - 1) * count, T(0));
  std::fill(dw, dw + count, T(0));
  plan.run([&](int64_t part, int64_t r0, int64_t r1) {
    T* acc = part == 0 ? dw : partials.data() + (part - 1) * count;
    T* cols = scratch<T>((r1 - r0) * k);
    for (int64_t g = 0; g < s.groups; ++g) {
      im2col(s, x, r0, r1, g, cols);
      // beta = 1: the block's product accumulates onto the part's sum in the GEMM itself.
      gemm_ex<T>(true, false, k, og, r1 - r0, cols, k, dy + r0 * o + g * og, o, T(1), acc + g * og, o);
    }
  });
  add_partials(dw, partials, plan.parts, count);
}

// Zero-size tensors: true when nothing is left to compute, because the output is empty or
// sums over nothing (an empty batch, channel or filter axis), which makes it zero. The
// paths above assume neither: their work splits and bands divide by those sizes.
bool zero_size_done(const View& out, const View& a, const View& b) {
  if (out.size() == 0) return true;
  if (a.size() != 0 && b.size() != 0) return false;
  std::memset(out.data<char>(), 0, static_cast<size_t>(out.size()) * dtype_size(out.dtype()));
  return true;
}

}  // namespace

void conv2d(const KernelArgs& args) {
  const View x = args.in(0), w = args.in(1), y = args.out(0);
  const ConvShape s = conv_shape("conv2d", args, x, w, y);
  if (zero_size_done(y, x, w)) return;
  TK_DISPATCH_FLOAT(x.dtype(), "conv2d", conv_forward(s, x.data<scalar_t>(), w.data<scalar_t>(), y.data<scalar_t>()));
}

void conv2d_backward_input(const KernelArgs& args) {
  const View dy = args.in(0), w = args.in(1), dx = args.out(0);
  const ConvShape s = conv_shape("conv2dBackwardInput", args, dx, w, dy);
  if (zero_size_done(dx, dy, w)) return;
  TK_DISPATCH_FLOAT(dy.dtype(), "conv2dBackwardInput",
                    conv_backward_input(s, dy.data<scalar_t>(), w.data<scalar_t>(), dx.data<scalar_t>()));
}

void conv2d_backward_filter(const KernelArgs& args) {
  const View x = args.in(0), dy = args.in(1), dw = args.out(0);
  const ConvShape s = conv_shape("conv2dBackwardFilter", args, x, dw, dy);
  if (zero_size_done(dw, x, dy)) return;
  TK_DISPATCH_FLOAT(x.dtype(), "conv2dBackwardFilter",
                    conv_backward_filter(s, x.data<scalar_t>(), dy.data<scalar_t>(), dw.data<scalar_t>()));
}

}  // namespace tessera::cpu
