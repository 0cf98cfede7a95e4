#include "layer_norm.h"

namespace tessera::contracts {

RowLayout row_layout(const char* op, const View& x, const View& gamma, const View& stats) {
  RowLayout l;
  l.cols = gamma.size();
  TK_CHECK(l.cols > 0 && x.size() % l.cols == 0,
           op << ": expected gamma's size to divide x's size " << x.size() << ", got " << l.cols);
  l.rows = x.size() / l.cols;
  TK_CHECK(stats.size() == l.rows, op << ": expected " << l.rows << " row statistics, got " << stats.size());
  TK_CHECK(gamma.dtype() == x.dtype() && stats.dtype() == x.dtype(),
           op << ": expected one dtype for all tensors, got " << dtype_name(x.dtype()) << ", "
              << dtype_name(gamma.dtype()) << " and " << dtype_name(stats.dtype()));
  return l;
}

}  // namespace tessera::contracts
