#include "matmul.h"

#include "shape_text.h"

namespace tessera::contracts {

void check_matmul(const View& a, const View& b, const View& out, bool ta, bool tb) {
  TK_CHECK(a.rank() >= 2 && b.rank() >= 2 && out.rank() >= 2, "matMul: expected matrices of rank 2 or more, got ranks "
                                                                  << a.rank() << ", " << b.rank() << " and "
                                                                  << out.rank());
  TK_CHECK(a.dtype() == b.dtype() && a.dtype() == out.dtype(),
           "matMul: expected one dtype for both inputs and the output, got "
               << dtype_name(a.dtype()) << ", " << dtype_name(b.dtype()) << " and " << dtype_name(out.dtype()));
  const int64_t M = ta ? a.dim(-1) : a.dim(-2), K = ta ? a.dim(-2) : a.dim(-1);
  const int64_t Kb = tb ? b.dim(-1) : b.dim(-2), N = tb ? b.dim(-2) : b.dim(-1);
  TK_CHECK(K == Kb && out.dim(-2) == M && out.dim(-1) == N,
           "matMul: expected " << shape_text(a) << (ta ? "^T" : "") << " @ " << shape_text(b) << (tb ? "^T" : "")
                               << " to give [..., " << M << ", " << N << "] with inner sizes equal, got "
                               << shape_text(out));
  // The batch dimensions of both inputs must broadcast to the output's.
  for (const View* v : {&a, &b}) {
    bool fits = v->rank() <= out.rank();
    for (int d = 3; fits && d <= v->rank(); ++d) fits = v->dim(-d) == 1 || v->dim(-d) == out.dim(-d);
    TK_CHECK(fits, "matMul: the batch dimensions of " << shape_text(*v) << " do not broadcast to those of "
                                                      << shape_text(out));
  }
}

}  // namespace tessera::contracts
