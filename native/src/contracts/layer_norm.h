// What the layer normalization kernels accept, on every device (cpu/layer_norm.cpp
// documents the inputs, outputs and attributes): x viewed as [rows, columns] with as many
// columns as gamma has values, and one row statistic per row.
#pragma once
#include <cstdint>

#include "tessera/kernel.h"

namespace tessera::contracts {

struct RowLayout {
  int64_t rows = 0, cols = 0;
};

// Throws unless gamma's size divides x's, stats holds one value per row, and all three
// share x's dtype.
RowLayout row_layout(const char* op, const View& x, const View& gamma, const View& stats);

}  // namespace tessera::contracts
