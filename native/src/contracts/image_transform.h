// What the projective image transform kernels accept, on every device, and the sampling
// rule both devices share (cpu/image_transform.cpp documents the inputs, outputs and
// attributes [interpolation, fill_mode, fill_value]).
//
// The rule is TensorFlow's ImageProjectiveTransformV3 (what keras.ops.image.affine_transform
// runs): a transform [a0, a1, a2, b0, b1, b2, c0, c1] maps the output pixel (x, y) (x the
// column, y the row, pixel centres on integers) to the input point
//   ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k),  k = c0 x + c1 y + 1.
// fill_mode first maps a point outside the image back inside (reflect: dcba|abcd|dcba,
// wrap: abcd|abcd|abcd, nearest: the edge pixel) or leaves it (constant); then nearest
// rounds half away from zero and bilinear weighs the four surrounding pixels. A tap
// outside the image reads fill_value. k == 0, and a point not finite or beyond 2^30
// pixels (no image is that large), read fill_value alone.
#pragma once
#include <cmath>
#include <cstdint>

#include "tessera/host_device.h"
#include "tessera/kernel.h"

namespace tessera::contracts {

enum TransformInterpolation : int { kInterpolateNearest = 0, kInterpolateBilinear = 1 };
enum TransformFill : int { kFillConstant = 0, kFillReflect = 1, kFillWrap = 2, kFillNearest = 3 };

struct TransformGeom {
  int64_t batch, in_h, in_w, channels, out_h, out_w;
  bool shared;  // one transform row for every image
  int interpolation, fill_mode;
  double fill_value;
};

// Checks image [N, H, W, C], transforms [N or 1, 8] of the image's dtype, and output
// [N, OH, OW, C] (forward: image is the input; backward: image is dx, output is dy).
TransformGeom transform_geometry(const char* op, const KernelArgs& args, const View& image, const View& transforms,
                                 const View& output);

// A coordinate mapped inside [0, len - 1] by fill_mode (constant leaves it as it is).
template <typename T>
TK_HOST_DEVICE inline T map_coordinate(T coord, int64_t len, int fill_mode) {
  if (fill_mode == kFillConstant) return coord;
  if (len <= 1) return T(0);
  if (fill_mode == kFillReflect) {
    const int64_t period = 2 * len;
    if (coord < 0) {
      coord += static_cast<T>(period * static_cast<int64_t>(-coord / period));
      coord = coord < -len ? coord + period : -coord - 1;
    } else if (coord > len - 1) {
      coord -= static_cast<T>(period * static_cast<int64_t>(coord / period));
      if (coord >= len) coord = period - coord - 1;
    }
  } else if (fill_mode == kFillWrap) {
    const int64_t span = len - 1;
    if (coord < 0) coord += static_cast<T>(len * (static_cast<int64_t>(-coord / span) + 1));
    else if (coord > len - 1) coord -= static_cast<T>(len * static_cast<int64_t>(coord / span));
  }
  // Reflect and wrap can land half a pixel outside (3.5 of 4), which nearest would round out.
  return coord < 0 ? T(0) : (coord > len - 1 ? T(len - 1) : coord);
}

// The input pixels (index y * in_w + x inside one image) an output pixel reads, their
// weights, and the weight of fill_value.
template <typename T>
struct Taps {
  int64_t pixel[4];
  T weight[4];
  int count;
  T fill;

  TK_HOST_DEVICE void add(int64_t y, int64_t x, T w, int64_t in_h, int64_t in_w) {
    if (y >= 0 && y < in_h && x >= 0 && x < in_w) {
      pixel[count] = y * in_w + x;
      weight[count++] = w;
    } else {
      fill += w;
    }
  }
};

// The taps of output pixel (oy, ox) under transform m (8 numbers).
template <typename T>
TK_HOST_DEVICE inline Taps<T> sample_taps(const T* m, int64_t oy, int64_t ox, const TransformGeom& g) {
  Taps<T> t;
  t.count = 0;
  t.fill = T(0);
  const T fx = static_cast<T>(ox), fy = static_cast<T>(oy);
  const T k = m[6] * fx + m[7] * fy + T(1);
  if (k == T(0)) {
    t.fill = T(1);
    return t;
  }
  T x = (m[0] * fx + m[1] * fy + m[2]) / k;
  T y = (m[3] * fx + m[4] * fy + m[5]) / k;
  const T limit = T(1073741824);  // 2^30; NaN fails both comparisons
  if (!(x > -limit && x < limit && y > -limit && y < limit)) {
    t.fill = T(1);
    return t;
  }
  x = map_coordinate(x, g.in_w, g.fill_mode);
  y = map_coordinate(y, g.in_h, g.fill_mode);
  if (g.interpolation == kInterpolateNearest) {
    t.add(static_cast<int64_t>(std::round(y)), static_cast<int64_t>(std::round(x)), T(1), g.in_h, g.in_w);
    return t;
  }
  const T x0 = std::floor(x), y0 = std::floor(y);
  const T wx = x - x0, wy = y - y0;
  const int64_t ix = static_cast<int64_t>(x0), iy = static_cast<int64_t>(y0);
  t.add(iy, ix, (T(1) - wy) * (T(1) - wx), g.in_h, g.in_w);
  t.add(iy, ix + 1, (T(1) - wy) * wx, g.in_h, g.in_w);
  t.add(iy + 1, ix, wy * (T(1) - wx), g.in_h, g.in_w);
  t.add(iy + 1, ix + 1, wy * wx, g.in_h, g.in_w);
  return t;
}

}  // namespace tessera::contracts
