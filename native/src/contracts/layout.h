// What the layout kernels accept, on every device (cpu/layout.cpp documents the inputs and
// outputs; the attributes are ops.def's). Each check throws unless the output the caller
// allocated is the one the inputs and attributes give, so no kernel indexes outside them.
#pragma once
#include <cstdint>
#include <vector>

#include "tessera/kernel.h"

namespace tessera::contracts {

// out is x with its axes permuted: out.dim(d) == x.dim(perm[d]), perm a permutation.
void check_transpose(const View& x, const View& out, const std::vector<int64_t>& perm);

// out is the window of x starting at `begin` (one entry per axis).
void check_slice(const View& x, const View& out, const std::vector<int64_t>& begin);

// The inputs of args, joined along `axis`, give its output.
void check_concat(const KernelArgs& args, int64_t axis);

// out is x with axis `axis` replaced by the int32 indices' shape, flattened; the index
// values are checked by each device as it reads them.
void check_gather(const View& x, const View& indices, const View& out, int64_t axis);

// out is x padded by [before_0, after_0, before_1, ...], all >= 0.
void check_pad(const View& x, const View& out, const std::vector<int64_t>& paddings);

// Every output axis is a whole multiple of the input's.
void check_tile(const View& x, const View& out);

// out [segments, trailing dims of data] from data and its int32 segment ids.
void check_unsorted_segment_sum(const View& data, const View& ids, const View& out);

}  // namespace tessera::contracts
