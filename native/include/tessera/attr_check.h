// The attribute rules of ops.def, enforced on every call before a kernel runs: the count
// (fixed, or from the ranks of the inputs) and each value's type, so no kernel reads past its
// attributes or takes 1.5 or NaN for an integer, whatever the caller sent. Ranges (strides
// >= 1, an axis inside the rank) are the kernels' contracts.
#pragma once
#include <cmath>

#include "errors.h"
#include "op_attrs.h"

namespace tessera::attrs {

inline const char* kind_text(AttrKind k) {
  switch (k) {
    case AttrKind::kInt: return "a whole number";
    case AttrKind::kUint: return "a whole number >= 0";
    case AttrKind::kBool: return "0 or 1";
    case AttrKind::kEnum: return "a choice index";
    default: return "a number";
  }
}

inline bool value_fits(const AttrField& f, double v) {
  constexpr double kMaxExact = 9007199254740992.0;  // 2^53
  if (f.kind == AttrKind::kDouble) return true;
  if (!std::isfinite(v) || std::floor(v) != v || std::fabs(v) > kMaxExact) return false;
  if (f.kind == AttrKind::kUint) return v >= 0;
  if (f.kind == AttrKind::kBool) return v == 0 || v == 1;
  if (f.kind == AttrKind::kEnum) return v >= 0 && v < f.choices;
  return true;
}

// Checks call `a` of kernel `op` against its row; the error names the kernel, the spec, the
// expected and the actual count, or the attribute and its value.
inline void check_attrs(int op, const TkKernelArgs& a) {
  const AttrSpec& spec = kAttrSpecs[op];
  int expected = 0, at_most = -1;
  for (int i = 0; i < spec.num_fields; ++i) {
    const AttrField& f = spec.fields[i];
    if (f.rank_input < 0) {
      expected += f.count;
      continue;
    }
    TK_CHECK(a.num_inputs > f.rank_input, spec.kernel << ": attribute " << f.name << " takes its length from input "
                                                      << f.rank_input << ", but the call has " << a.num_inputs
                                                      << " input(s)");
    const int n = f.count * a.inputs[f.rank_input].rank;
    if (f.up_to) at_most = expected + n;
    else expected += n;
  }
  const bool count_ok = at_most < 0 ? a.num_attrs == expected : a.num_attrs >= expected && a.num_attrs <= at_most;
  TK_CHECK(count_ok, spec.kernel << ": expected " << (at_most < 0 ? "" : "at most ")
                                 << (at_most < 0 ? expected : at_most) << " attribute(s)"
                                 << (spec.num_fields ? " (" : "") << spec.text << (spec.num_fields ? ")" : "")
                                 << ", got " << a.num_attrs);
  int p = 0;
  for (int i = 0; i < spec.num_fields; ++i) {
    const AttrField& f = spec.fields[i];
    const int n = f.up_to ? a.num_attrs - p : f.rank_input < 0 ? f.count : f.count * a.inputs[f.rank_input].rank;
    for (int k = 0; k < n; ++k, ++p) {
      TK_CHECK(value_fits(f, a.attrs[p]), spec.kernel
                                              << ": attribute " << f.name
                                              << (n > 1 || f.rank_input >= 0 ? "[" + std::to_string(k) + "]" : "")
                                              << " must be " << kind_text(f.kind) << ", got " << a.attrs[p]);
    }
  }
}

}  // namespace tessera::attrs
