#include "attention.h"

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "shape_text.h"
#include "tessera/op_attrs.h"

namespace tessera::contracts {

namespace {

std::string dims_text(const std::vector<int64_t>& shape) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
  s << "]";
  return s.str();
}

void expect(const char* op, const char* what, const View& t, const std::vector<int64_t>& shape, DType dtype) {
  TK_CHECK(t.shape() == shape && t.dtype() == dtype, op << ": expected " << what << " of shape " << dims_text(shape)
                                                        << " " << dtype_name(dtype) << ", got " << shape_text(t) << " "
                                                        << dtype_name(t.dtype()));
}

}  // namespace

AttentionShape attention_shape(const char* op, const KernelArgs& args, bool backward) {
  const auto a = attrs::AttentionFusedAttrs::read(args);
  const View q = args.in(0), k = args.in(1), v = args.in(2), mask = args.in(3);
  TK_CHECK(q.dtype() == DType::Float32 || q.dtype() == DType::Float64,
           op << ": expected q of dtype float32 or float64, got " << dtype_name(q.dtype()));
  TK_CHECK(q.rank() == 3 && k.rank() == 3 && v.rank() == 3, op << ": expected q, k, v of rank 3 [N, T, D], got "
                                                               << shape_text(q) << ", " << shape_text(k) << ", "
                                                               << shape_text(v));
  AttentionShape s{};
  s.n = q.dim(0), s.tq = q.dim(1), s.d = q.dim(2), s.tk = k.dim(1), s.dv = v.dim(2);
  const DType dt = q.dtype();
  expect(op, "k", k, {s.n, s.tk, s.d}, dt);
  expect(op, "v", v, {s.n, s.tk, s.dv}, dt);
  if (mask.size() == 0 && mask.rank() == 1) {
    s.mask_rows = 0, s.heads = 1;
  } else {
    TK_CHECK(mask.rank() == 2 && mask.dim(0) > 0 && s.n % mask.dim(0) == 0 && mask.dim(1) == s.tk,
             op << ": expected key_mask of shape [B, " << s.tk << "] with B dividing " << s.n
                << " (or [0] for none), got " << shape_text(mask));
    TK_CHECK(mask.dtype() == dt,
             op << ": expected key_mask of dtype " << dtype_name(dt) << ", got " << dtype_name(mask.dtype()));
    s.mask_rows = mask.dim(0), s.heads = s.n / mask.dim(0);
  }
  TK_CHECK(std::isfinite(a.scale), op << ": expected a finite scale, got " << a.scale);
  TK_CHECK(a.dropout_rate >= 0.0 && a.dropout_rate < 1.0,
           op << ": expected dropout_rate in [0, 1), got " << a.dropout_rate);
  s.scale = a.scale, s.rate = a.dropout_rate, s.causal = a.causal, s.seed = a.seed, s.offset = a.offset;
  if (backward) {
    expect(op, "o", args.in(4), {s.n, s.tq, s.dv}, dt);
    expect(op, "lse", args.in(5), {s.n, s.tq}, dt);
    expect(op, "do", args.in(6), {s.n, s.tq, s.dv}, dt);
    expect(op, "output dq", args.out(0), {s.n, s.tq, s.d}, dt);
    expect(op, "output dk", args.out(1), {s.n, s.tk, s.d}, dt);
    expect(op, "output dv", args.out(2), {s.n, s.tk, s.dv}, dt);
  } else {
    expect(op, "output o", args.out(0), {s.n, s.tq, s.dv}, dt);
    expect(op, "output lse", args.out(1), {s.n, s.tq}, dt);
  }
  return s;
}

}  // namespace tessera::contracts
