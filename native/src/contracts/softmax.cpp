#include "softmax.h"

namespace tessera::contracts {

Rows rows_of(const char* op, const View& x) {
  TK_CHECK(x.rank() >= 1, op << ": expected a tensor of rank >= 1, got a scalar");
  Rows r;
  r.cols = x.dim(-1);
  // The leading axes' product, not size / cols: rows of no classes are still rows (a
  // [2, 0] softmax has two empty rows, and its losses are two zeros).
  r.rows = 1;
  for (int d = 0; d + 1 < x.rank(); ++d) r.rows *= x.dim(d);
  return r;
}

void check_same(const char* op, const View& a, const View& b, const char* what) {
  TK_CHECK(a.size() == b.size() && a.dtype() == b.dtype(),
           op << ": expected " << what << " of " << a.size() << " " << dtype_name(a.dtype()) << " values, got "
              << b.size() << " " << dtype_name(b.dtype()) << " values");
}

}  // namespace tessera::contracts
