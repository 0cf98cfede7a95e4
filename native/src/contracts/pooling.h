// What the pooling kernels accept, on every device (cpu/pooling.cpp documents the inputs
// and outputs; the attributes are ops.def's: pool_size, strides, padding).
#pragma once

#include "tessera/kernel.h"
#include "tessera/op_attrs.h"
#include "window2d.h"

namespace tessera::contracts {

// The window of a pooling call between an NHWC image and output: throws unless the
// channels and dtypes agree, the geometry is valid (Window2d::check) and the padding is
// smaller than the pool, so no window lies wholly on the padding.
Window2d pool_window(const char* op, const KernelArgs& args, const View& image, const View& output);

}  // namespace tessera::contracts
