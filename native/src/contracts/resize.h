// What the image resize kernels accept and where each output pixel reads, one definition
// for the CPU loops and the CUDA kernels (cpu/resize.cpp documents inputs and outputs).
// Attributes: [align_corners, half_pixel_centers], 0 or 1, not both 1. The source
// coordinates follow TensorFlow's resize kernels (float arithmetic, as TF and PyTorch):
//   scale  = align_corners && out > 1 ? (in - 1) / (out - 1) : in / out
//   bilinear: src = half_pixel_centers ? (o + 0.5) * scale - 0.5 : o * scale, read rows
//             max(floor(src), 0) and min(ceil(src), in - 1) with weight src - floor(src)
//   nearest:  src = half_pixel_centers ? (o + 0.5) * scale : o * scale, read
//             min(align_corners ? round(src) : floor(src), in - 1), at least 0
#pragma once
#include <cmath>
#include <cstdint>

#include "tessera/host_device.h"
#include "tessera/kernel.h"

namespace tessera::contracts {

struct ResizeAxis {
  int64_t in, out;
  float scale;
  bool align_corners, half_pixel_centers;
};

// Bilinear taps of output coordinate o: rows lo and hi, hi's weight w.
struct LinearTap {
  int64_t lo, hi;
  float w;
};

TK_HOST_DEVICE inline LinearTap linear_tap(const ResizeAxis& a, int64_t o) {
  const float src =
      a.half_pixel_centers ? (static_cast<float>(o) + 0.5f) * a.scale - 0.5f : static_cast<float>(o) * a.scale;
  const float f = floorf(src);
  const int64_t lo = static_cast<int64_t>(f) < 0 ? 0 : static_cast<int64_t>(f);
  const int64_t c = static_cast<int64_t>(ceilf(src));
  return LinearTap{lo, c < a.in - 1 ? c : a.in - 1, src - f};
}

TK_HOST_DEVICE inline int64_t nearest_tap(const ResizeAxis& a, int64_t o) {
  const float src = a.half_pixel_centers ? (static_cast<float>(o) + 0.5f) * a.scale : static_cast<float>(o) * a.scale;
  int64_t i = static_cast<int64_t>(a.align_corners ? roundf(src) : floorf(src));
  i = i < a.in - 1 ? i : a.in - 1;
  return i < 0 ? 0 : i;
}

// The two axes of a resize between an NHWC image [N, H, W, C] and output [N, OH, OW, C]:
// throws unless ranks, batch, channels, dtypes and attributes agree and no size is zero
// where pixels must be read.
struct ResizeGeometry {
  ResizeAxis h, w;
  int64_t batch, channels;
};
ResizeGeometry resize_geometry(const char* op, const KernelArgs& args, const View& image, const View& output);

}  // namespace tessera::contracts
