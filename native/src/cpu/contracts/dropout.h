// What the dropout kernels accept, on every device (cpu/dropout.cpp documents the inputs,
// outputs and attributes).
#pragma once
#include <cstdint>

#include "tessera/kernel.h"

namespace tessera::contracts {

// The rate at attribute `index`; throws unless it is present and in [0, 1).
double checked_rate(const char* op, const KernelArgs& args, int index);

// Throws unless the mask is a bool tensor of n elements.
void check_mask(const char* op, const View& mask, int64_t n);

}  // namespace tessera::contracts
