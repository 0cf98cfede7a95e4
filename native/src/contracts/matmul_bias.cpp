#include "matmul_bias.h"

#include "shape_text.h"

namespace tessera::contracts {

void check_matmul_bias(const char* op, const KernelArgs& args) {
  const View x = args.in(0), w = args.in(1), bias = args.in(2), y = args.out(0);
  TK_CHECK(x.rank() == 2 && w.rank() == 2 && bias.rank() == 1 && y.rank() == 2,
           op << ": expected x [M, K], w [K, N], bias [N] and y [M, N], got ranks " << x.rank() << ", " << w.rank()
              << ", " << bias.rank() << " and " << y.rank());
  TK_CHECK(w.dim(0) == x.dim(1) && bias.dim(0) == w.dim(1) && y.dim(0) == x.dim(0) && y.dim(1) == w.dim(1),
           op << ": expected x [M, K] @ w [K, N] + bias [N] = y [M, N], got x [" << x.dim(0) << ", " << x.dim(1)
              << "], w [" << w.dim(0) << ", " << w.dim(1) << "], bias [" << bias.dim(0) << "] and y [" << y.dim(0)
              << ", " << y.dim(1) << "]");
  TK_CHECK(w.dtype() == x.dtype() && bias.dtype() == x.dtype() && y.dtype() == x.dtype(),
           op << ": expected one dtype for all tensors, got " << dtype_name(x.dtype()) << ", " << dtype_name(w.dtype())
              << ", " << dtype_name(bias.dtype()) << " and " << dtype_name(y.dtype()));
  const View pre = args.out(1);
  const bool pre_kept = pre.rank() == 2 && pre.dim(0) == y.dim(0) && pre.dim(1) == y.dim(1);
  TK_CHECK(pre_kept || (pre.rank() == 1 && pre.dim(0) == 0), op << ": expected the pre-activation output [" << y.dim(0)
                                                                << ", " << y.dim(1) << "] or [0], got "
                                                                << shape_text(pre));
  TK_CHECK(pre.dtype() == x.dtype(), op << ": expected the pre-activation output of dtype " << dtype_name(x.dtype())
                                        << ", got " << dtype_name(pre.dtype()));
}

}  // namespace tessera::contracts
