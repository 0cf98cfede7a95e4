// What the reduction kernels accept, on every device (cpu/reduce.cpp documents the inputs
// and outputs; the attributes are ops.def's).
#pragma once
#include <cstdint>
#include <vector>

#include "tessera/kernel.h"

namespace tessera::contracts {

// Throws unless the axes are distinct and inside x's rank and out holds the kept elements
// in x's dtype; returns which axes are reduced.
std::vector<bool> check_reduce(const char* name, const View& x, const View& out, const std::vector<int64_t>& axes);

// argmax / argmin: the axis inside x's rank, an int32 output of the kept elements, and an
// axis that is not empty (when there is an output) and fits int32 indices.
void check_arg_reduce(const char* name, const View& x, const View& out, int64_t axis);

// cumsum: the axis inside x's rank and an output like x.
void check_cumsum(const View& x, const View& out, int64_t axis);

}  // namespace tessera::contracts
