#include "dropout.h"

namespace tessera::contracts {

double checked_rate(const char* op, double rate) {
  TK_CHECK(rate >= 0.0 && rate < 1.0, op << ": expected a rate in [0, 1), got " << rate);
  return rate;
}

void check_mask(const char* op, const View& mask, int64_t n) {
  TK_CHECK(mask.dtype() == DType::Bool && mask.size() == n, op << ": expected a bool mask of " << n << " elements, got "
                                                               << mask.size() << " " << dtype_name(mask.dtype()));
}

}  // namespace tessera::contracts
