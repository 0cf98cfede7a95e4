// Image resize, bilinear and nearest neighbour, NHWC (TensorFlow's resize kernels).
//
//   resize_bilinear           inputs  x [N, H, W, C]        outputs y [N, OH, OW, C]
//   resize_bilinear_backward  inputs  dy [N, OH, OW, C]     outputs dx [N, H, W, C]
//   resize_nearest            inputs  x [N, H, W, C]        outputs y [N, OH, OW, C]
//   resize_nearest_backward   inputs  dy [N, OH, OW, C]     outputs dx [N, H, W, C]
//
// Attributes and source coordinates: contracts/resize.h. float32 and float64. The taps of
// each output row and column are computed once per call; the channel loops vectorize.
// Forward runs output rows in parallel; backward scatters (taps overlap), one image per task.
#include <algorithm>
#include <vector>

#include "../contracts/resize.h"
#include "tessera/kernel.h"
#include "tessera/thread_pool.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

using contracts::LinearTap;
using contracts::ResizeAxis;
using contracts::ResizeGeometry;

std::vector<LinearTap> linear_taps(const ResizeAxis& a) {
  std::vector<LinearTap> t(a.out);
  for (int64_t o = 0; o < a.out; ++o) t[o] = contracts::linear_tap(a, o);
  return t;
}

std::vector<int64_t> nearest_taps(const ResizeAxis& a) {
  std::vector<int64_t> t(a.out);
  for (int64_t o = 0; o < a.out; ++o) t[o] = contracts::nearest_tap(a, o);
  return t;
}

template <typename T>
void bilinear_forward(const ResizeGeometry& g, const T* x, T* y) {
  const auto ty = linear_taps(g.h), tx = linear_taps(g.w);
  const int64_t C = g.channels, in_row = g.w.in * C;
  parallel_for(0, g.batch * g.h.out, 4, [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t r = lo; r < hi; ++r) {
        const int64_t n = r / g.h.out;
        const LinearTap& v = ty[r % g.h.out];
        const T* top = x + n * g.h.in * in_row + v.lo * in_row;
        const T* bottom = x + n * g.h.in * in_row + v.hi * in_row;
        const T wy = static_cast<T>(v.w);
        for (int64_t ow = 0; ow < g.w.out; ++ow) {
          const LinearTap& u = tx[ow];
          const T wx = static_cast<T>(u.w);
          const T *a = top + u.lo * C, *b = top + u.hi * C, *c = bottom + u.lo * C, *d = bottom + u.hi * C;
          T* out = y + (r * g.w.out + ow) * C;
          TESSERA_IVDEP
          for (int64_t k = 0; k < C; ++k) {
            const T t = a[k] + (b[k] - a[k]) * wx;
            const T s = c[k] + (d[k] - c[k]) * wx;
            out[k] = t + (s - t) * wy;
          }
        }
      }
    });
  });
}

template <typename T>
void bilinear_backward(const ResizeGeometry& g, const T* dy, T* dx) {
  const auto ty = linear_taps(g.h), tx = linear_taps(g.w);
  const int64_t C = g.channels, in_row = g.w.in * C, image = g.h.in * in_row;
  parallel_for(0, g.batch, 1, [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t n = lo; n < hi; ++n) {
        T* d = dx + n * image;
        std::fill(d, d + image, T(0));
        for (int64_t oh = 0; oh < g.h.out; ++oh) {
          const LinearTap& v = ty[oh];
          T* top = d + v.lo * in_row;
          T* bottom = d + v.hi * in_row;
          const T wy = static_cast<T>(v.w);
          for (int64_t ow = 0; ow < g.w.out; ++ow) {
            const LinearTap& u = tx[ow];
            const T wx = static_cast<T>(u.w);
            const T* grad = dy + ((n * g.h.out + oh) * g.w.out + ow) * C;
            const T w00 = (1 - wy) * (1 - wx), w01 = (1 - wy) * wx, w10 = wy * (1 - wx), w11 = wy * wx;
            T *a = top + u.lo * C, *b = top + u.hi * C, *c = bottom + u.lo * C, *e = bottom + u.hi * C;
            // a..e may alias (taps clamped at an edge), so no IVDEP: each add reads what the last wrote.
            for (int64_t k = 0; k < C; ++k) {
              a[k] += grad[k] * w00;
              b[k] += grad[k] * w01;
              c[k] += grad[k] * w10;
              e[k] += grad[k] * w11;
            }
          }
        }
      }
    });
  });
}

template <typename T>
void nearest_forward(const ResizeGeometry& g, const T* x, T* y) {
  const auto ty = nearest_taps(g.h), tx = nearest_taps(g.w);
  const int64_t C = g.channels, in_row = g.w.in * C;
  parallel_for(0, g.batch * g.h.out, 4, [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const T* row = x + (r / g.h.out) * g.h.in * in_row + ty[r % g.h.out] * in_row;
      for (int64_t ow = 0; ow < g.w.out; ++ow)
        std::copy(row + tx[ow] * C, row + tx[ow] * C + C, y + (r * g.w.out + ow) * C);
    }
  });
}

template <typename T>
void nearest_backward(const ResizeGeometry& g, const T* dy, T* dx) {
  const auto ty = nearest_taps(g.h), tx = nearest_taps(g.w);
  const int64_t C = g.channels, in_row = g.w.in * C, image = g.h.in * in_row;
  parallel_for(0, g.batch, 1, [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t n = lo; n < hi; ++n) {
        T* d = dx + n * image;
        std::fill(d, d + image, T(0));
        for (int64_t oh = 0; oh < g.h.out; ++oh)
          for (int64_t ow = 0; ow < g.w.out; ++ow) {
            T* to = d + ty[oh] * in_row + tx[ow] * C;
            const T* grad = dy + ((n * g.h.out + oh) * g.w.out + ow) * C;
            TESSERA_IVDEP
            for (int64_t k = 0; k < C; ++k) to[k] += grad[k];
          }
      }
    });
  });
}

}  // namespace

void resize_bilinear(const KernelArgs& args) {
  const View x = args.in(0), y = args.out(0);
  const ResizeGeometry g = contracts::resize_geometry("resizeBilinear", args, x, y);
  if (y.size() == 0) return;
  TK_DISPATCH_FLOAT(x.dtype(), "resizeBilinear", bilinear_forward(g, x.data<scalar_t>(), y.data<scalar_t>()));
}

void resize_bilinear_backward(const KernelArgs& args) {
  const View dy = args.in(0), dx = args.out(0);
  const ResizeGeometry g = contracts::resize_geometry("resizeBilinearBackward", args, dx, dy);
  if (dx.size() == 0) return;
  TK_DISPATCH_FLOAT(dy.dtype(), "resizeBilinearBackward",
                    bilinear_backward(g, dy.data<scalar_t>(), dx.data<scalar_t>()));
}

void resize_nearest(const KernelArgs& args) {
  const View x = args.in(0), y = args.out(0);
  const ResizeGeometry g = contracts::resize_geometry("resizeNearest", args, x, y);
  if (y.size() == 0) return;
  TK_DISPATCH_FLOAT(x.dtype(), "resizeNearest", nearest_forward(g, x.data<scalar_t>(), y.data<scalar_t>()));
}

void resize_nearest_backward(const KernelArgs& args) {
  const View dy = args.in(0), dx = args.out(0);
  const ResizeGeometry g = contracts::resize_geometry("resizeNearestBackward", args, dx, dy);
  if (dx.size() == 0) return;
  TK_DISPATCH_FLOAT(dy.dtype(), "resizeNearestBackward", nearest_backward(g, dy.data<scalar_t>(), dx.data<scalar_t>()));
}

}  // namespace tessera::cpu
