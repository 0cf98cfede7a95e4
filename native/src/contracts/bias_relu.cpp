#include "bias_relu.h"

namespace tessera::contracts {

BiasLayout bias_layout(const char* op, const View& x, const View& bias, const View& like) {
  TK_CHECK(x.rank() >= 1, op << ": expected an input of rank 1 or more, got a scalar");
  BiasLayout l;
  l.channels = x.dim(-1);
  TK_CHECK(bias.rank() == 1 && bias.dim(0) == l.channels, op << ": expected a bias of " << l.channels
                                                             << " values (the last dimension), got rank " << bias.rank()
                                                             << " of " << bias.size() << " values");
  TK_CHECK(like.size() == x.size(), op << ": expected tensors of " << x.size() << " elements, got " << like.size());
  TK_CHECK(bias.dtype() == x.dtype() && like.dtype() == x.dtype(),
           op << ": expected one dtype for all tensors, got " << dtype_name(x.dtype()) << ", "
              << dtype_name(bias.dtype()) << " and " << dtype_name(like.dtype()));
  l.rows = l.channels == 0 ? 0 : x.size() / l.channels;
  return l;
}

}  // namespace tessera::contracts
