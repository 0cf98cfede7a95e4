// Projective transforms of NHWC images (tf.raw_ops.ImageProjectiveTransformV3; the
// sampling rule is in contracts/image_transform.h).
//
//   image_transform           inputs  image [N, H, W, C], transforms [N or 1, 8]
//                             outputs y [N, OH, OW, C]
//   image_transform_backward  inputs  dy [N, OH, OW, C], transforms [N or 1, 8]
//                             outputs dx [N, H, W, C] (the gradient w.r.t. the image)
//
// Attributes: [interpolation (0 nearest, 1 bilinear), fill_mode (0 constant, 1 reflect,
// 2 wrap, 3 nearest), fill_value]. Transforms have the images' dtype (float32, float64).
// Forward gathers, output rows in parallel; backward scatters each output pixel's dy
// into the taps it read, one image per task so no two tasks write the same pixel.
#include <algorithm>

#include "../contracts/image_transform.h"
#include "tessera/kernel.h"
#include "tessera/thread_pool.h"

namespace tessera::cpu {

namespace {

using contracts::Taps;
using contracts::TransformGeom;

template <typename T>
void transform_forward(const TransformGeom& g, const T* image, const T* transforms, T* y) {
  const int64_t c_count = g.channels, in_image = g.in_h * g.in_w * c_count;
  const T fill_value = static_cast<T>(g.fill_value);
  parallel_for(0, g.batch * g.out_h, grain_for(16384, g.out_w * c_count), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const int64_t n = r / g.out_h, oy = r % g.out_h;
      const T* m = transforms + (g.shared ? 0 : n * 8);
      const T* in = image + n * in_image;
      for (int64_t ox = 0; ox < g.out_w; ++ox) {
        const Taps<T> t = contracts::sample_taps(m, oy, ox, g);
        T* out = y + (r * g.out_w + ox) * c_count;
        for (int64_t c = 0; c < c_count; ++c) out[c] = t.fill * fill_value;
        for (int k = 0; k < t.count; ++k) {
          const T* tap = in + t.pixel[k] * c_count;
          const T w = t.weight[k];
          for (int64_t c = 0; c < c_count; ++c) out[c] += w * tap[c];
        }
      }
    }
  });
}

template <typename T>
void transform_backward(const TransformGeom& g, const T* dy, const T* transforms, T* dx) {
  const int64_t c_count = g.channels, in_image = g.in_h * g.in_w * c_count;
  const int64_t out_image = g.out_h * g.out_w * c_count;
  parallel_for(0, g.batch, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t n = lo; n < hi; ++n) {
      T* image = dx + n * in_image;
      std::fill(image, image + in_image, T(0));
      const T* m = transforms + (g.shared ? 0 : n * 8);
      for (int64_t oy = 0; oy < g.out_h; ++oy) {
        for (int64_t ox = 0; ox < g.out_w; ++ox) {
          const Taps<T> t = contracts::sample_taps(m, oy, ox, g);
          const T* grad = dy + n * out_image + (oy * g.out_w + ox) * c_count;
          for (int k = 0; k < t.count; ++k) {
            T* tap = image + t.pixel[k] * c_count;
            const T w = t.weight[k];
            for (int64_t c = 0; c < c_count; ++c) tap[c] += w * grad[c];
          }
        }
      }
    }
  });
}

}  // namespace

void image_transform(const KernelArgs& args) {
  const View x = args.in(0), transforms = args.in(1), y = args.out(0);
  const TransformGeom g = contracts::transform_geometry("imageTransform", args, x, transforms, y);
  TK_DISPATCH_FLOAT(x.dtype(), "imageTransform",
                    transform_forward(g, x.data<scalar_t>(), transforms.data<scalar_t>(), y.data<scalar_t>()));
}

void image_transform_backward(const KernelArgs& args) {
  const View dy = args.in(0), transforms = args.in(1), dx = args.out(0);
  const TransformGeom g = contracts::transform_geometry("imageTransformBackward", args, dx, transforms, dy);
  TK_DISPATCH_FLOAT(dy.dtype(), "imageTransformBackward",
                    transform_backward(g, dy.data<scalar_t>(), transforms.data<scalar_t>(), dx.data<scalar_t>()));
}

}  // namespace tessera::cpu
