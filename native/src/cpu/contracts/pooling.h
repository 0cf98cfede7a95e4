// What the pooling kernels accept, on every device (cpu/pooling.cpp documents the inputs,
// outputs and attributes [pool_h, pool_w, stride_h, stride_w, pad_top, pad_left,
// pad_bottom, pad_right]).
#pragma once

#include "../window2d.h"
#include "tessera/kernel.h"

namespace tessera::contracts {

// The window of a pooling call between an NHWC image and output: throws unless the
// channels and dtypes agree, the geometry is valid (Window2d::check) and the padding is
// smaller than the pool, so no window lies wholly on the padding.
cpu::Window2d pool_window(const char* op, const KernelArgs& args, const View& image, const View& output);

}  // namespace tessera::contracts
