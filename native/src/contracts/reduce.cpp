#include "reduce.h"

#include <limits>

namespace tessera::contracts {

std::vector<bool> check_reduce(const char* name, const View& x, const View& out, const std::vector<int64_t>& axes) {
  TK_CHECK(out.dtype() == x.dtype(),
           name << ": expected an output of dtype " << dtype_name(x.dtype()) << ", got " << dtype_name(out.dtype()));
  std::vector<bool> reduced(x.rank(), false);
  for (const int64_t axis : axes) {
    TK_CHECK(axis >= 0 && axis < x.rank() && !reduced[axis],
             name << ": expected distinct axes in [0, " << x.rank() << "), got " << axis);
    reduced[axis] = true;
  }
  int64_t kept = 1;
  for (int d = 0; d < x.rank(); ++d) kept *= reduced[d] ? 1 : x.dim(d);
  TK_CHECK(out.size() == kept, name << ": expected an output of " << kept << " elements, got " << out.size());
  return reduced;
}

void check_arg_reduce(const char* name, const View& x, const View& out, int64_t axis) {
  TK_CHECK(axis >= 0 && axis < x.rank(), name << ": expected an axis in [0, " << x.rank() << "), got " << axis);
  TK_CHECK(out.dtype() == DType::Int32, name << ": expected an int32 output, got " << dtype_name(out.dtype()));
  const int64_t R = x.dim(static_cast<int>(axis));
  int64_t kept = 1;
  for (int d = 0; d < x.rank(); ++d) kept *= d == axis ? 1 : x.dim(d);
  TK_CHECK(out.size() == kept, name << ": expected an output of " << kept << " elements, got " << out.size());
  if (kept == 0) return;
  TK_CHECK(R > 0, name << ": cannot reduce an empty axis " << axis);
  TK_CHECK(R <= std::numeric_limits<int32_t>::max(), name << ": the axis is too long for int32 indices: " << R);
}

void check_cumsum(const View& x, const View& out, int64_t axis) {
  TK_CHECK(axis >= 0 && axis < x.rank(), "cumsum: expected an axis in [0, " << x.rank() << "), got " << axis);
  TK_CHECK(out.dtype() == x.dtype() && out.size() == x.size(),
           "cumsum: expected an output of " << x.size() << " " << dtype_name(x.dtype()) << " values");
}

}  // namespace tessera::contracts
