// Errors raised by native code. They never abort the process: the N-API layer turns
// every tessera::Error (and any std::exception) into a JavaScript Error.
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>

#include "dtype.h"

namespace tessera {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] inline void throw_dtype_error(const char* op, DType got, const char* expected) {
  throw Error(std::string(op) + ": expected dtype " + expected + ", got " + dtype_name(got));
}

}  // namespace tessera

// TK_CHECK(cond, "op: expected ... got " << x): throws tessera::Error with the streamed text.
#define TK_CHECK(COND, MSG)                           \
  do {                                                \
    if (!(COND)) {                                    \
      std::ostringstream tk_check_stream_;            \
      tk_check_stream_ << MSG;                        \
      throw ::tessera::Error(tk_check_stream_.str()); \
    }                                                 \
  } while (0)
