// What the recurrent cell kernels accept, on every device (cpu/recurrent.cpp documents
// the inputs, outputs and attributes): the batch and units of a call, from the state h,
// and every other tensor's element count and dtype checked against them.
#pragma once
#include <cstdint>

#include "tessera/kernel.h"

namespace tessera::contracts {

struct CellShape {
  int64_t batch = 0, units = 0;
};

// Each throws unless the call's tensors have the sizes and dtype of its cell.
CellShape simple_rnn_cell_shape(const KernelArgs& args);
CellShape simple_rnn_cell_backward_shape(const KernelArgs& args);
CellShape lstm_cell_shape(const KernelArgs& args);
CellShape lstm_cell_backward_shape(const KernelArgs& args);

// A GRU call: its shape and the reset_after attribute. The recurrent bias (gruCell's input
// 3, gruCellBackward's output 3) is left to the device's own check.
struct GruCall {
  CellShape shape;
  bool reset_after = true;
};
GruCall gru_cell_call(const KernelArgs& args);
GruCall gru_cell_backward_call(const KernelArgs& args);

}  // namespace tessera::contracts
