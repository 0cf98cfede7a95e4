// What the softmax and cross-entropy kernels accept, on every device (cpu/softmax.cpp
// documents the inputs and outputs): rows are the leading axes flattened, reduced along
// the last axis.
#pragma once
#include <cstdint>

#include "tessera/kernel.h"

namespace tessera::contracts {

struct Rows {
  int64_t rows = 0, cols = 0;
};

// x as rows of its last axis; throws on a scalar.
Rows rows_of(const char* op, const View& x);

// Throws unless b holds as many values as a, of a's dtype; `what` names b in the message.
void check_same(const char* op, const View& a, const View& b, const char* what);

}  // namespace tessera::contracts
