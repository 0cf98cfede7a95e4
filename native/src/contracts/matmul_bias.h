// What the matmul_bias kernel accepts, on every device (cpu/matmul.cpp documents it):
// x [M, K], w [K, N], bias [N], y [M, N] and the pre-activation [M, N] or [0] (not
// kept) of one floating dtype, and attribute [activation].
#pragma once
#include "tessera/kernel.h"

namespace tessera::contracts {

// Throws, naming `op`, unless the shapes, dtypes and attributes are as above.
void check_matmul_bias(const char* op, const KernelArgs& args);

}  // namespace tessera::contracts
