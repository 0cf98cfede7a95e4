// A tensor's shape as error messages print it: [2, 3, 4].
#pragma once
#include <sstream>
#include <string>

#include "tessera/kernel.h"

namespace tessera::contracts {

inline std::string shape_text(const View& v) {
  std::ostringstream s;
  s << "[";
  for (int d = 0; d < v.rank(); ++d) s << (d ? ", " : "") << v.dim(d);
  s << "]";
  return s.str();
}

}  // namespace tessera::contracts
