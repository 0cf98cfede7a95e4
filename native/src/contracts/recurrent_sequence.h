// What the whole-sequence recurrent kernels accept, on every device (cpu/recurrent_sequence.cpp
// documents the inputs, outputs and workspace): the sizes of a call from x [B, T, F] and the
// recurrent kernel [u, G*u], and every other tensor's shape and dtype checked against them.
#pragma once
#include <cstdint>

#include "tessera/kernel.h"

namespace tessera::contracts {

struct SequenceShape {
  int64_t batch = 0, time = 0, features = 0, units = 0;
  int64_t rows() const { return batch * time; }  // one per (step, batch row)
};

// The workspace each forward saves for its backward, in elements (the TypeScript op
// allocates it as a flat tensor of this size).
int64_t simple_rnn_sequence_workspace(const SequenceShape& s);
int64_t lstm_sequence_workspace(const SequenceShape& s);
int64_t gru_sequence_workspace(const SequenceShape& s);

// Each throws, naming the kernel, unless the call's tensors have its shapes and one dtype.
SequenceShape simple_rnn_sequence_shape(const KernelArgs& args);
SequenceShape simple_rnn_sequence_backward_shape(const KernelArgs& args);
SequenceShape lstm_sequence_shape(const KernelArgs& args);
SequenceShape lstm_sequence_backward_shape(const KernelArgs& args);
SequenceShape gru_sequence_shape(const KernelArgs& args);
SequenceShape gru_sequence_backward_shape(const KernelArgs& args);

}  // namespace tessera::contracts
