// The geometry of a 2-D window sliding over NHWC images, shared by convolution and
// pooling: output size, padding, strides, dilations, and the walk over a window's taps.
#pragma once
#include <array>
#include <cstdint>

#include "tessera/kernel.h"

namespace tessera::contracts {

struct Window2d {
  int64_t batch = 0, in_h = 0, in_w = 0, out_h = 0, out_w = 0;
  int64_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;

  int64_t in_pixels() const { return in_h * in_w; }
  int64_t out_pixels() const { return out_h * out_w; }

  // Calls fn(kh, kw, ih, iw) for each tap of output pixel (oh, ow) that falls inside the
  // image; taps on the padding are skipped.
  template <typename F>
  void for_each_tap(int64_t oh, int64_t ow, F fn) const {
    for (int64_t kh = 0; kh < kernel_h; ++kh) {
      const int64_t ih = oh * stride_h - pad_top + kh * dilation_h;
      if (ih < 0 || ih >= in_h) continue;
      for (int64_t kw = 0; kw < kernel_w; ++kw) {
        const int64_t iw = ow * stride_w - pad_left + kw * dilation_w;
        if (iw >= 0 && iw < in_w) fn(kh, kw, ih, iw);
      }
    }
  }

  // Whether every tap of output pixel (oh, ow) falls inside the image (no padding).
  bool window_inside(int64_t oh, int64_t ow) const {
    const int64_t h0 = oh * stride_h - pad_top, w0 = ow * stride_w - pad_left;
    return h0 >= 0 && w0 >= 0 && h0 + (kernel_h - 1) * dilation_h < in_h && w0 + (kernel_w - 1) * dilation_w < in_w;
  }

  // Throws unless strides, dilations and paddings are valid and the output size is the one
  // they give: floor((in + pads - dilation * (kernel - 1) - 1) / stride) + 1.
  void check(const char* op) const;
};

// A window with strides, dilations and padding [top, left, bottom, right] (as ops.def
// spells them for conv and pooling), and the sizes of an input and an output image, both NHWC.
Window2d window2d(const char* op, const View& image, const View& output, const std::array<int64_t, 2>& strides,
                  const std::array<int64_t, 2>& dilations, const std::array<int64_t, 4>& padding);

}  // namespace tessera::contracts
