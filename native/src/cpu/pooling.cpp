// Max and average pooling over NHWC images.
//
//   max_pool2d           inputs  x [N, H, W, C]            outputs y [N, OH, OW, C]
//   max_pool2d_backward  inputs  x [N, H, W, C], dy [N, OH, OW, C]
//                        outputs dx [N, H, W, C]
//   avg_pool2d           inputs  x [N, H, W, C]            outputs y [N, OH, OW, C]
//   avg_pool2d_backward  inputs  dy [N, OH, OW, C]         outputs dx [N, H, W, C]
//
// Attributes: ops.def's row (attrs::MaxPool2dAttrs), the same for all four; padding is
// [top, left, bottom, right].
// Padding is explicit (the caller computes Keras's asymmetric 'same' pads) and must be
// smaller than the pool, so no window lies wholly on the padding; OH = floor((H +
// pad_top + pad_bottom - pool_h) / stride_h) + 1. Padded taps never win a max, and an
// average divides by the number of taps inside the image, as TensorFlow does for 'same'.
// The max's gradient goes to the first maximal tap of each window in row-major order
// (the one TensorFlow's and PyTorch's argmax picks); overlapping windows add.
// float32 and float64. Loops run across channels, vectorized (vectorize.h; TESSERA_IVDEP:
// input and output never overlap, and a run of 32 channels is too short to pay for the
// overlap checks the compiler would otherwise emit); windows that
// do not overlap (stride >= pool, the usual case) take the max's gradient without a
// scatter: each tap gets dy or 0 written once.
#include <algorithm>
#include <limits>
#include <vector>

#include "../contracts/pooling.h"
#include "../contracts/window2d.h"
#include "tessera/kernel.h"
#include "tessera/thread_pool.h"
#include "vec_math.h"
#include "vectorize.h"

namespace tessera::cpu {

using contracts::Window2d;

namespace {

using contracts::pool_window;

int64_t taps_inside(const Window2d& w, int64_t oh, int64_t ow) {
  int64_t count = 0;
  w.for_each_tap(oh, ow, [&](int64_t, int64_t, int64_t, int64_t) { ++count; });
  return count;
}

// fn(n, oh, ow, out_pixel_index) over every output pixel, rows of images in parallel.
template <typename F>
void for_each_output_pixel(const Window2d& w, F fn) {
  parallel_for(0, w.batch * w.out_h, 4, [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t r = lo; r < hi; ++r)
        for (int64_t ow = 0; ow < w.out_w; ++ow) fn(r / w.out_h, r % w.out_h, ow, r * w.out_w + ow);
    });
  });
}

// Backward passes scatter into overlapping windows: one image per task, zeroed first
// unless `zero` is false (the caller writes every pixel).
template <typename T, typename F>
void scatter_per_image(const Window2d& w, int64_t channels, T* dx, bool zero, F fn) {
  const int64_t image_size = w.in_pixels() * channels;
  parallel_for(0, w.batch, 1, [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t n = lo; n < hi; ++n) {
        T* image = dx + n * image_size;
        if (zero) std::fill(image, image + image_size, T(0));
        for (int64_t p = 0; p < w.out_pixels(); ++p) fn(n, p / w.out_w, p % w.out_w, n * w.out_pixels() + p, image);
      }
    });
  });
}

// Channels per block of the max's backward pass: its per-channel state lives on the stack.
constexpr int64_t kChannelBlock = 64;

// maxPool(2) on even sizes, the usual case, without the general loops' per-tap calls:
// 2x2 windows with stride 2 that tile the image, so window row r (image n, output row
// oh) reads input rows 2r and 2r + 1 of the batch, and each input pixel is in one window.
bool tiles_2x2(const Window2d& w) {
  return w.kernel_h == 2 && w.kernel_w == 2 && w.stride_h == 2 && w.stride_w == 2 && w.pad_top == 0 &&
         w.pad_left == 0 && w.in_h == 2 * w.out_h && w.in_w == 2 * w.out_w;
}

// fn(top_left_tap, output_pixel) over every window, window rows in parallel.
template <typename F>
void for_each_window_2x2(const Window2d& w, int64_t c_count, F fn) {
  const int64_t row = w.in_w * c_count;
  parallel_for(0, w.batch * w.out_h, 4, [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t r = lo; r < hi; ++r)
        for (int64_t ow = 0; ow < w.out_w; ++ow) fn(2 * r * row + 2 * ow * c_count, r * w.out_w + ow);
    });
  });
}

// The same results as max_forward and max_backward below, taps in the same order.
template <typename T>
void max_forward_2x2(const Window2d& w, int64_t c_count, const T* x, T* y) {
  const int64_t row = w.in_w * c_count;
  for_each_window_2x2(w, c_count, [&](int64_t tap, int64_t p) {
    const T *a = x + tap, *b = a + c_count, *c = a + row, *d = c + c_count;
    T* out = y + p * c_count;
    TESSERA_IVDEP
    for (int64_t k = 0; k < c_count; ++k) {
      T m = -std::numeric_limits<T>::infinity();
      m = a[k] > m ? a[k] : m;
      m = b[k] > m ? b[k] : m;
      m = c[k] > m ? c[k] : m;
      out[k] = d[k] > m ? d[k] : m;
    }
  });
}

template <typename T>
void max_backward_2x2(const Window2d& w, int64_t c_count, const T* x, const T* dy, T* dx) {
  const int64_t row = w.in_w * c_count;
  for_each_window_2x2(w, c_count, [&](int64_t tap, int64_t p) {
    const T *a = x + tap, *b = a + c_count, *c = a + row, *d = c + c_count;
    T *da = dx + tap, *db = da + c_count, *dc = da + row, *dd = dc + c_count;
    const T* g = dy + p * c_count;
    TESSERA_IVDEP
    for (int64_t k = 0; k < c_count; ++k) {
      T best = a[k];
      best = b[k] > best ? b[k] : best;
      best = c[k] > best ? c[k] : best;
      best = d[k] > best ? d[k] : best;
      const bool ta = (a[k] == best) | (best != best);
      const bool tb = !ta & (b[k] == best);
      const bool tc = !(ta | tb) & (c[k] == best);
      const bool td = !(ta | tb | tc) & (d[k] == best);
      da[k] = vm::select(ta, g[k], T(0));
      db[k] = vm::select(tb, g[k], T(0));
      dc[k] = vm::select(tc, g[k], T(0));
      dd[k] = vm::select(td, g[k], T(0));
    }
  });
}

template <typename T>
void max_forward(const Window2d& w, int64_t c_count, const T* x, T* y) {
  for_each_output_pixel(w, [&](int64_t n, int64_t oh, int64_t ow, int64_t p) {
    T* out = y + p * c_count;
    std::fill(out, out + c_count, -std::numeric_limits<T>::infinity());
    const T* image = x + n * w.in_pixels() * c_count;
    w.for_each_tap(oh, ow, [&](int64_t, int64_t, int64_t ih, int64_t iw) {
      const T* in = image + (ih * w.in_w + iw) * c_count;
      TESSERA_IVDEP
      for (int64_t c = 0; c < c_count; ++c) out[c] = in[c] > out[c] ? in[c] : out[c];
    });
  });
}

template <typename T>
void max_backward(const Window2d& w, int64_t c_count, const T* x, const T* dy, T* dx) {
  const bool disjoint = w.stride_h >= w.kernel_h && w.stride_w >= w.kernel_w;
  // Disjoint windows that tile the image leave no pixel to zero beforehand.
  const bool tiled = disjoint && w.stride_h == w.kernel_h && w.stride_w == w.kernel_w && w.pad_top == 0 &&
                     w.pad_left == 0 && w.out_h * w.kernel_h == w.in_h && w.out_w * w.kernel_w == w.in_w;
  scatter_per_image(w, c_count, dx, !tiled, [&](int64_t n, int64_t oh, int64_t ow, int64_t p, T* image) {
    const T* in_image = x + n * w.in_pixels() * c_count;
    for (int64_t c0 = 0; c0 < c_count; c0 += kChannelBlock) {
      const int64_t cb = std::min(kChannelBlock, c_count - c0);
      const T* g = dy + p * c_count + c0;
      // The max per channel: the first tap's value, replaced only by a strictly greater
      // one (so a NaN in the first tap stays, later NaNs never win).
      T best[kChannelBlock];
      bool first = true;
      w.for_each_tap(oh, ow, [&](int64_t, int64_t, int64_t ih, int64_t iw) {
        const T* in = in_image + (ih * w.in_w + iw) * c_count + c0;
        TESSERA_IVDEP
        for (int64_t c = 0; c < cb; ++c) best[c] = first | (in[c] > best[c]) ? in[c] : best[c];
        first = false;
      });
      if (disjoint) {
        // The first tap equal to the max (or the NaN first tap) gets dy, the others 0.
        T taken[kChannelBlock] = {};
        w.for_each_tap(oh, ow, [&](int64_t, int64_t, int64_t ih, int64_t iw) {
          const int64_t offset = (ih * w.in_w + iw) * c_count + c0;
          const T* in = in_image + offset;
          T* out = image + offset;
          TESSERA_IVDEP
          for (int64_t c = 0; c < cb; ++c) {
            const bool take = (taken[c] == T(0)) & ((in[c] == best[c]) | (best[c] != best[c]));
            out[c] = vm::select(take, g[c], T(0));
            taken[c] = take ? T(1) : taken[c];
          }
        });
      } else {
        // Per channel, the pixel offset of the first maximal tap; windows overlap, so add.
        int64_t where[kChannelBlock];
        for (int64_t c = 0; c < cb; ++c) where[c] = -1;
        w.for_each_tap(oh, ow, [&](int64_t, int64_t, int64_t ih, int64_t iw) {
          const int64_t offset = (ih * w.in_w + iw) * c_count + c0;
          const T* in = in_image + offset;
          for (int64_t c = 0; c < cb; ++c)
            where[c] = (where[c] < 0) & ((in[c] == best[c]) | (best[c] != best[c])) ? offset : where[c];
        });
        for (int64_t c = 0; c < cb; ++c) image[where[c] + c] += g[c];
      }
    }
  });
}

template <typename T>
void avg_forward(const Window2d& w, int64_t c_count, const T* x, T* y) {
  for_each_output_pixel(w, [&](int64_t n, int64_t oh, int64_t ow, int64_t p) {
    T* out = y + p * c_count;
    std::fill(out, out + c_count, T(0));
    const T* image = x + n * w.in_pixels() * c_count;
    w.for_each_tap(oh, ow, [&](int64_t, int64_t, int64_t ih, int64_t iw) {
      const T* in = image + (ih * w.in_w + iw) * c_count;
      TESSERA_IVDEP
      for (int64_t c = 0; c < c_count; ++c) out[c] += in[c];
    });
    const T scale = T(1) / static_cast<T>(taps_inside(w, oh, ow));
    for (int64_t c = 0; c < c_count; ++c) out[c] *= scale;
  });
}

template <typename T>
void avg_backward(const Window2d& w, int64_t c_count, const T* dy, T* dx) {
  scatter_per_image(w, c_count, dx, true, [&](int64_t, int64_t oh, int64_t ow, int64_t p, T* image) {
    const T scale = T(1) / static_cast<T>(taps_inside(w, oh, ow));
    const T* g = dy + p * c_count;
    w.for_each_tap(oh, ow, [&](int64_t, int64_t, int64_t ih, int64_t iw) {
      T* in = image + (ih * w.in_w + iw) * c_count;
      TESSERA_IVDEP
      for (int64_t c = 0; c < c_count; ++c) in[c] += g[c] * scale;
    });
  });
}

}  // namespace

void max_pool2d(const KernelArgs& args) {
  const View x = args.in(0), y = args.out(0);
  const Window2d w = pool_window("maxPool2d", args, x, y);
  TK_DISPATCH_FLOAT(x.dtype(), "maxPool2d", {
    if (tiles_2x2(w)) max_forward_2x2(w, x.dim(3), x.data<scalar_t>(), y.data<scalar_t>());
    else max_forward(w, x.dim(3), x.data<scalar_t>(), y.data<scalar_t>());
  });
}

void max_pool2d_backward(const KernelArgs& args) {
  const View x = args.in(0), dy = args.in(1), dx = args.out(0);
  const Window2d w = pool_window("maxPool2dBackward", args, x, dy);
  TK_DISPATCH_FLOAT(x.dtype(), "maxPool2dBackward", {
    if (tiles_2x2(w)) max_backward_2x2(w, x.dim(3), x.data<scalar_t>(), dy.data<scalar_t>(), dx.data<scalar_t>());
    else max_backward(w, x.dim(3), x.data<scalar_t>(), dy.data<scalar_t>(), dx.data<scalar_t>());
  });
}

void avg_pool2d(const KernelArgs& args) {
  const View x = args.in(0), y = args.out(0);
  const Window2d w = pool_window("avgPool2d", args, x, y);
  TK_DISPATCH_FLOAT(x.dtype(), "avgPool2d", avg_forward(w, x.dim(3), x.data<scalar_t>(), y.data<scalar_t>()));
}

void avg_pool2d_backward(const KernelArgs& args) {
  const View dy = args.in(0), dx = args.out(0);
  const Window2d w = pool_window("avgPool2dBackward", args, dx, dy);
  TK_DISPATCH_FLOAT(dy.dtype(), "avgPool2dBackward",
                    avg_backward(w, dy.dim(3), dy.data<scalar_t>(), dx.data<scalar_t>()));
}

}  // namespace tessera::cpu
