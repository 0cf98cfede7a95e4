// What the batch normalization kernels accept, on every device (cpu/batch_norm.cpp
// documents the inputs, outputs and attributes): x viewed as [outer, C, inner] around the
// channel axis of attribute 0, and the per-channel vectors checked against it.
#pragma once
#include <cstdint>
#include <initializer_list>

#include "tessera/host_device.h"
#include "tessera/kernel.h"

namespace tessera::contracts {

// x viewed as [outer, channels, inner]. The CUDA kernels take it by value (channel_sums.cuh
// also views layer norm's [rows, columns] as [rows, columns, 1]).
struct ChannelLayout {
  int64_t outer = 1, channels = 1, inner = 1;
  TK_HOST_DEVICE int64_t per_channel() const { return outer * inner; }
};

// The layout of x around the channel axis (negative counts from the end).
ChannelLayout channel_layout(const char* op, int64_t axis, const View& x);

// Throws unless output 0 holds `size` values and every other output C values, all of input
// 0's dtype.
void check_channel_outputs(const char* op, const KernelArgs& args, const ChannelLayout& l, int64_t size);

// Throws unless each listed input holds C values of input 0's dtype.
void check_channel_vectors(const char* op, const KernelArgs& args, const ChannelLayout& l,
                           std::initializer_list<int> inputs);

}  // namespace tessera::contracts
