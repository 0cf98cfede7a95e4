// Element types and the dispatch macro that instantiates a kernel per type.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "abi.h"

namespace tessera {

enum class DType : int32_t { Float32 = TK_FLOAT32, Int32 = TK_INT32, Float64 = TK_FLOAT64, Bool = TK_BOOL };

inline size_t dtype_size(DType t) {
  switch (t) {
    case DType::Float32: return 4;
    case DType::Int32: return 4;
    case DType::Float64: return 8;
    case DType::Bool: return 1;
  }
  return 0;
}

inline const char* dtype_name(DType t) {
  switch (t) {
    case DType::Float32: return "float32";
    case DType::Int32: return "int32";
    case DType::Float64: return "float64";
    case DType::Bool: return "bool";
  }
  return "unknown";
}

inline bool dtype_valid(int32_t t) { return t >= 0 && t <= 3; }

template <typename T>
struct DTypeOf;
template <>
struct DTypeOf<float> {
  static constexpr DType value = DType::Float32;
};
template <>
struct DTypeOf<int32_t> {
  static constexpr DType value = DType::Int32;
};
template <>
struct DTypeOf<double> {
  static constexpr DType value = DType::Float64;
};
template <>
struct DTypeOf<uint8_t> {
  static constexpr DType value = DType::Bool;
};

}  // namespace tessera

// Calls BODY with `scalar_t` bound to the C++ type of DT. Kernel families pick the subset
// of types they support with the narrower macros below; others throw a typed error.
#define TK_CASE_TYPE(DT_ENUM, CTYPE, ...) \
  case ::tessera::DType::DT_ENUM: {       \
    using scalar_t = CTYPE;               \
    __VA_ARGS__;                          \
    break;                                \
  }

#define TK_DISPATCH_FLOAT(DT, OPNAME, ...)                                   \
  switch (DT) {                                                              \
    TK_CASE_TYPE(Float32, float, __VA_ARGS__)                                \
    TK_CASE_TYPE(Float64, double, __VA_ARGS__)                               \
    default: ::tessera::throw_dtype_error(OPNAME, DT, "float32 or float64"); \
  }

#define TK_DISPATCH_NUMERIC(DT, OPNAME, ...)                                        \
  switch (DT) {                                                                     \
    TK_CASE_TYPE(Float32, float, __VA_ARGS__)                                       \
    TK_CASE_TYPE(Float64, double, __VA_ARGS__)                                      \
    TK_CASE_TYPE(Int32, int32_t, __VA_ARGS__)                                       \
    default: ::tessera::throw_dtype_error(OPNAME, DT, "float32, float64 or int32"); \
  }

#define TK_DISPATCH_ALL(DT, OPNAME, ...)                                \
  switch (DT) {                                                         \
    TK_CASE_TYPE(Float32, float, __VA_ARGS__)                           \
    TK_CASE_TYPE(Float64, double, __VA_ARGS__)                          \
    TK_CASE_TYPE(Int32, int32_t, __VA_ARGS__)                           \
    TK_CASE_TYPE(Bool, uint8_t, __VA_ARGS__)                            \
    default: ::tessera::throw_dtype_error(OPNAME, DT, "a known dtype"); \
  }
