// Op ids and the ops.def hash, expanded from native/ops.def.
#pragma once
#include <cstdint>

namespace tessera {

enum class OpId : int32_t {
#define TK_OP(name, inputs, outputs, devices, ...) name,
#include "../../ops.def"
#undef TK_OP
  kCount
};

constexpr int kNumOps = static_cast<int>(OpId::kCount);

struct OpInfo {
  const char* name;
  int inputs;  // -1: variadic
  int outputs;
};

extern const OpInfo kOpInfo[kNumOps];

// FNV-1a of the table's text: the addon and the CUDA library refuse each other when they
// were built from different ops.def files.
constexpr uint64_t fnv1a(const char* s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; ++s) h = (h ^ static_cast<unsigned char>(*s)) * 1099511628211ull;
  return h;
}

constexpr const char kOpsDefText[] =
#define TK_OP(name, inputs, outputs, devices, ...) #name ":" #inputs ":" #outputs ":" #devices ":" #__VA_ARGS__ ";"
#include "../../ops.def"
#undef TK_OP
    "";

constexpr uint64_t kOpsDefHash = fnv1a(kOpsDefText);

}  // namespace tessera
