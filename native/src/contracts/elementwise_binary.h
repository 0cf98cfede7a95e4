// The integer semantics of the binary elementwise kernels, one definition for the CPU
// loops and the CUDA functors alike, so both devices give the same bits.
#pragma once
#include <type_traits>

#include "tessera/host_device.h"

namespace tessera::contracts {

// Integer division floors like Python and TensorFlow's floorDiv; x / 0 gives 0 and
// INT_MIN / -1 wraps to INT_MIN rather than a crash (both raise SIGFPE on x86, which would
// kill the process; the GPU leaves them undefined). Floating point divides plainly.
template <typename T>
TK_HOST_DEVICE inline T divide(T x, T y) {
  if constexpr (std::is_integral_v<T>) {
    if (y == 0) return 0;
    if (y == -1) return static_cast<T>(0u - static_cast<std::make_unsigned_t<T>>(x));
    T q = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
    return q;
  } else {
    return x / y;
  }
}

// Integer powers by squaring, in unsigned arithmetic so that overflow wraps instead of
// being undefined behaviour; a negative exponent gives 0 except for bases 1 and -1.
template <typename T>
TK_HOST_DEVICE inline T int_pow(T base, T exp) {
  if (exp < 0) return base == 1 ? 1 : (base == -1 ? ((exp & 1) ? -1 : 1) : 0);
  using U = std::make_unsigned_t<T>;
  U result = 1, b = static_cast<U>(base);
  for (U e = static_cast<U>(exp); e; e >>= 1) {
    if (e & 1) result *= b;
    b *= b;
  }
  return static_cast<T>(result);
}

}  // namespace tessera::contracts
