#include "attention.h"

#include <algorithm>
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

// The rows of a padding mask [B, len] (`name`: key_mask or query_mask) serving the n rows
// of q, k, v: 0 for an empty [0] (no mask), else B, which must divide n.
int64_t mask_rows(const char* op, const char* name, const View& mask, int64_t n, int64_t len, const char* len_name,
                  DType dt) {
  if (mask.size() == 0 && mask.rank() == 1) return 0;
  TK_CHECK(mask.rank() == 2 && mask.dim(0) > 0 && n % mask.dim(0) == 0 && mask.dim(1) == len,
           op << ": expected " << name << " of shape [B, " << len << "] (" << len_name << " = " << len
              << ") with B dividing " << n << " (or [0] for none), got " << shape_text(mask));
  TK_CHECK(mask.dtype() == dt,
           op << ": expected " << name << " of dtype " << dtype_name(dt) << ", got " << dtype_name(mask.dtype()));
  return mask.dim(0);
}

}  // namespace

AttentionShape attention_shape(const char* op, const KernelArgs& args, bool backward) {
  const auto a = attrs::AttentionFusedAttrs::read(args);
  const View q = args.in(0), k = args.in(1), v = args.in(2);
  TK_CHECK(q.dtype() == DType::Float32 || q.dtype() == DType::Float64,
           op << ": expected q of dtype float32 or float64, got " << dtype_name(q.dtype()));
  AttentionShape s{};
  s.heads_last = a.heads_last;
  const DType dt = q.dtype();
  if (a.heads_last) {
    TK_CHECK(q.rank() == 4 && k.rank() == 4 && v.rank() == 4,
             op << ": expected q, k, v of rank 4 [B, T, heads, D] (heads_last), got " << shape_text(q) << ", "
                << shape_text(k) << ", " << shape_text(v));
    s.heads = q.dim(2), s.n = q.dim(0) * s.heads, s.tq = q.dim(1), s.d = q.dim(3), s.tk = k.dim(1), s.dv = v.dim(3);
  } else {
    TK_CHECK(q.rank() == 3 && k.rank() == 3 && v.rank() == 3, op << ": expected q, k, v of rank 3 [N, T, D], got "
                                                                 << shape_text(q) << ", " << shape_text(k) << ", "
                                                                 << shape_text(v));
    s.n = q.dim(0), s.tq = q.dim(1), s.d = q.dim(2), s.tk = k.dim(1), s.dv = v.dim(2);
  }
  // The shape of a tensor of `len` rows of `width` per row of n, in the call's layout.
  const int64_t batch = q.dim(0);
  const auto layout = [&](int64_t len, int64_t width) {
    return a.heads_last ? std::vector<int64_t>{batch, len, s.heads, width} : std::vector<int64_t>{s.n, len, width};
  };
  expect(op, "k", k, layout(s.tk, s.d), dt);
  expect(op, "v", v, layout(s.tk, s.dv), dt);
  s.mask_rows = mask_rows(op, "key_mask", args.in(3), s.n, s.tk, "Tk", dt);
  s.query_mask_rows = mask_rows(op, "query_mask", args.in(4), s.n, s.tq, "Tq", dt);
  TK_CHECK(s.mask_rows == 0 || s.query_mask_rows == 0 || s.mask_rows == s.query_mask_rows,
           op << ": expected key_mask and query_mask of one batch size, got " << shape_text(args.in(3)) << " and "
              << shape_text(args.in(4)));
  const int64_t rows = std::max(s.mask_rows, s.query_mask_rows);
  if (a.heads_last) {
    // Masks have q's batch rows: each serves its batch row's heads.
    TK_CHECK(rows == 0 || rows == q.dim(0), op << ": expected key_mask and query_mask with " << q.dim(0)
                                               << " rows (q's batch, heads_last), got " << shape_text(args.in(3))
                                               << " and " << shape_text(args.in(4)));
  } else {
    s.heads = rows ? s.n / rows : 1;
  }
  TK_CHECK(std::isfinite(a.scale), op << ": expected a finite scale, got " << a.scale);
  TK_CHECK(a.dropout_rate >= 0.0 && a.dropout_rate < 1.0,
           op << ": expected dropout_rate in [0, 1), got " << a.dropout_rate);
  s.scale = a.scale, s.rate = a.dropout_rate, s.causal = a.causal, s.seed = a.seed, s.offset = a.offset;
  // The kept probabilities [n, tq, tk], or [0] where the backward recomputes them.
  const View probabilities = backward ? args.in(7) : args.out(2);
  s.keep_probabilities = !(probabilities.rank() == 1 && probabilities.size() == 0);
  if (s.keep_probabilities)
    expect(op, backward ? "probabilities" : "output probabilities", probabilities, {s.n, s.tq, s.tk}, dt);
  if (backward) {
    expect(op, "o", args.in(5), layout(s.tq, s.dv), dt);
    expect(op, "lse", args.in(6), {s.n, s.tq}, dt);
    expect(op, "do", args.in(8), layout(s.tq, s.dv), dt);
    expect(op, "output dq", args.out(0), layout(s.tq, s.d), dt);
    expect(op, "output dk", args.out(1), layout(s.tk, s.d), dt);
    expect(op, "output dv", args.out(2), layout(s.tk, s.dv), dt);
  } else {
    expect(op, "output o", args.out(0), layout(s.tq, s.dv), dt);
    expect(op, "output lse", args.out(1), {s.n, s.tq}, dt);
  }
  return s;
}

}  // namespace tessera::contracts
