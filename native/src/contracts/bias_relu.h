// What the bias_relu kernels accept, on every device (cpu/bias_relu.cpp documents them).
#pragma once
#include <cstdint>

#include "tessera/kernel.h"

namespace tessera::contracts {

// x (or dy) viewed as [rows, channels], channels = its last dimension.
struct BiasLayout {
  int64_t rows = 0, channels = 0;
};

// Throws, naming `op`, unless x has rank >= 1, bias (or dbias) holds its last dimension's
// size, `like` (y, or dy's partner) has x's size, and all share one floating dtype.
BiasLayout bias_layout(const char* op, const View& x, const View& bias, const View& like);

}  // namespace tessera::contracts
