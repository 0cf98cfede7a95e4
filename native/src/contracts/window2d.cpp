#include "window2d.h"

namespace tessera::contracts {

namespace {

int64_t expected_extent(int64_t in, int64_t pad_a, int64_t pad_b, int64_t kernel, int64_t dilation, int64_t stride) {
  const int64_t span = in + pad_a + pad_b - dilation * (kernel - 1) - 1;
  return span < 0 ? 0 : span / stride + 1;
}

}  // namespace

void Window2d::check(const char* op) const {
  TK_CHECK(stride_h >= 1 && stride_w >= 1,
           op << ": expected strides >= 1, got [" << stride_h << ", " << stride_w << "]");
  TK_CHECK(dilation_h >= 1 && dilation_w >= 1,
           op << ": expected dilations >= 1, got [" << dilation_h << ", " << dilation_w << "]");
  TK_CHECK(pad_top >= 0 && pad_left >= 0 && pad_bottom >= 0 && pad_right >= 0,
           op << ": expected non-negative padding, got [" << pad_top << ", " << pad_left << ", " << pad_bottom << ", "
              << pad_right << "]");
  TK_CHECK(kernel_h >= 1 && kernel_w >= 1,
           op << ": expected a window of at least 1x1, got " << kernel_h << "x" << kernel_w);
  const int64_t want_h = expected_extent(in_h, pad_top, pad_bottom, kernel_h, dilation_h, stride_h);
  const int64_t want_w = expected_extent(in_w, pad_left, pad_right, kernel_w, dilation_w, stride_w);
  TK_CHECK(out_h == want_h && out_w == want_w, op << ": expected an output of " << want_h << "x" << want_w << " for a "
                                                  << in_h << "x" << in_w << " input, got " << out_h << "x" << out_w);
}

Window2d window2d(const char* op, const View& image, const View& output, const std::array<int64_t, 2>& strides,
                  const std::array<int64_t, 2>& dilations, const std::array<int64_t, 4>& padding) {
  TK_CHECK(image.rank() == 4 && output.rank() == 4,
           op << ": expected NHWC tensors of rank 4, got ranks " << image.rank() << " and " << output.rank());
  TK_CHECK(image.dim(0) == output.dim(0),
           op << ": expected the same batch size in and out, got " << image.dim(0) << " and " << output.dim(0));
  Window2d w;
  w.batch = image.dim(0);
  w.in_h = image.dim(1);
  w.in_w = image.dim(2);
  w.out_h = output.dim(1);
  w.out_w = output.dim(2);
  w.stride_h = strides[0];
  w.stride_w = strides[1];
  w.dilation_h = dilations[0];
  w.dilation_w = dilations[1];
  w.pad_top = padding[0];
  w.pad_left = padding[1];
  w.pad_bottom = padding[2];
  w.pad_right = padding[3];
  return w;
}

}  // namespace tessera::contracts
