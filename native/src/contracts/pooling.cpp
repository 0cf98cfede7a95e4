#include "pooling.h"

namespace tessera::contracts {

Window2d pool_window(const char* op, const KernelArgs& args, const View& image, const View& output) {
  const auto a = attrs::MaxPool2dAttrs::read(args);
  Window2d w = window2d(op, image, output, a.strides, {1, 1}, a.padding);
  w.kernel_h = a.pool_size[0];
  w.kernel_w = a.pool_size[1];
  TK_CHECK(image.dim(3) == output.dim(3),
           op << ": expected the same channels in and out, got " << image.dim(3) << " and " << output.dim(3));
  TK_CHECK(image.dtype() == output.dtype(), op << ": expected one dtype in and out, got " << dtype_name(image.dtype())
                                               << " and " << dtype_name(output.dtype()));
  w.check(op);
  TK_CHECK(w.pad_top < w.kernel_h && w.pad_bottom < w.kernel_h && w.pad_left < w.kernel_w && w.pad_right < w.kernel_w,
           op << ": expected padding smaller than the " << w.kernel_h << "x" << w.kernel_w << " pool, got ["
              << w.pad_top << ", " << w.pad_left << ", " << w.pad_bottom << ", " << w.pad_right << "]");
  return w;
}

}  // namespace tessera::contracts
