// What the one-input elementwise kernels (and copy, cast) accept, on every device: an
// output of the input's element count, in the dtype the kernel writes.
#pragma once
#include "tessera/kernel.h"

namespace tessera::contracts {

// Throws unless y holds x.size() values of dtype `out`.
inline void check_unary_output(const char* name, const View& x, const View& y, DType out) {
  TK_CHECK(y.dtype() == out && y.size() == x.size(), name << ": expected an output of " << x.size() << " "
                                                          << dtype_name(out) << " values, got " << y.size() << " "
                                                          << dtype_name(y.dtype()));
}

// copy: the same bytes out as in.
inline void check_copy(const View& x, const View& out) {
  const int64_t bytes = x.size() * static_cast<int64_t>(dtype_size(x.dtype()));
  const int64_t out_bytes = out.size() * static_cast<int64_t>(dtype_size(out.dtype()));
  TK_CHECK(out_bytes == bytes, "copy: expected an output of " << bytes << " bytes, got " << out_bytes);
}

// cast: as many elements out as in, any dtype.
inline void check_cast(const View& x, const View& out) {
  TK_CHECK(out.size() == x.size(), "cast: expected an output of " << x.size() << " elements, got " << out.size());
}

}  // namespace tessera::contracts
