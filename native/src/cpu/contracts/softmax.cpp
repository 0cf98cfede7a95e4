#include "softmax.h"

namespace tessera::contracts {

Rows rows_of(const char* op, const View& x) {
  TK_CHECK(x.rank() >= 1, op << ": expected a tensor of rank >= 1, got a scalar");
  Rows r;
  r.cols = x.dim(-1);
  r.rows = r.cols == 0 ? 0 : x.size() / r.cols;
  return r;
}

void check_same(const char* op, const View& a, const View& b, const char* what) {
  TK_CHECK(a.size() == b.size() && a.dtype() == b.dtype(),
           op << ": expected " << what << " of " << a.size() << " " << dtype_name(a.dtype()) << " values, got "
              << b.size() << " " << dtype_name(b.dtype()) << " values");
}

}  // namespace tessera::contracts
