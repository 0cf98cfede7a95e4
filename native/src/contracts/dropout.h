// What the dropout kernels accept, on every device (cpu/dropout.cpp documents the inputs,
// outputs and attributes).
#pragma once
#include <cstdint>

#include "tessera/kernel.h"

namespace tessera::contracts {

// The rate; throws unless it is in [0, 1).
double checked_rate(const char* op, double rate);

// Throws unless the mask is a bool tensor of n elements.
void check_mask(const char* op, const View& mask, int64_t n);

}  // namespace tessera::contracts
