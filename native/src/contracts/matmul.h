// What matmul accepts, on every device (cpu/matmul.cpp documents the inputs and outputs;
// the attributes are ops.def's).
#pragma once

#include "tessera/kernel.h"

namespace tessera::contracts {

// Throws unless a (transposed when ta) @ b (transposed when tb) gives out: matrices of rank
// 2 or more of one dtype, equal inner sizes, batch dimensions that broadcast to out's.
void check_matmul(const View& a, const View& b, const View& out, bool ta, bool tb);

}  // namespace tessera::contracts
