#include "softmax.h"

namespace tessera::contracts {

Rows rows_of(const char* op, const View& x) {
  TK_CHECK(x.rank() >= 1, op << ": expected a tensor of rank >= 1, got a scalar");
  Rows r;
  r.cols = x.dim(-1);
  // The leading axes' product, not size / cols: rows of no classes are still rows (a
  // [2, 0] softmax has two empty rows, and its losses are two zeros).
  r.rows = 1;
  for (int d = 0; d + 1 < x.rank(); ++d) r.rows *= x.dim(d);
  return r;
}

void check_same(const char* op, const View& a, const View& b, const char* what) {
  TK_CHECK(a.size() == b.size() && a.dtype() == b.dtype(), op << ": expected " << what << " of " << a.size() << " "
                                                              << dtype_name(a.dtype()) << " values, got " << b.size()
                                                              << " " << dtype_name(b.dtype()) << " values");
}

void check_output(const char* op, const View& out, const View& like, const char* what) {
  TK_CHECK(out.dtype() == like.dtype() && out.size() == like.size(),
           op << ": expected " << what << " of " << like.size() << " " << dtype_name(like.dtype()) << " values, got "
              << out.size() << " " << dtype_name(out.dtype()));
}

Rows check_softmax(const char* op, const View& x, const View& y) {
  check_output(op, y, x, "an output");
  return rows_of(op, x);
}

Rows check_softmax_backward(const char* op, const View& y, const View& dy, const View& dx) {
  check_same(op, y, dy, "dy");
  check_output(op, dx, y, "an output");
  return rows_of(op, y);
}

Rows check_cross_entropy_sparse(const char* op, const View& logits, const View& labels, const View& loss,
                                const View& probs) {
  const Rows r = rows_of(op, logits);
  TK_CHECK(labels.dtype() == DType::Int32 && labels.size() == r.rows, op << ": expected " << r.rows
                                                                         << " int32 labels, got " << labels.size()
                                                                         << " " << dtype_name(labels.dtype()));
  TK_CHECK(loss.dtype() == logits.dtype() && loss.size() == r.rows,
           op << ": expected a loss of " << r.rows << " " << dtype_name(logits.dtype()) << " values");
  check_output(op, probs, logits, "probabilities");
  return r;
}

Rows check_cross_entropy_sparse_backward(const char* op, const View& probs, const View& labels, const View& dloss,
                                         const View& d) {
  const Rows r = rows_of(op, probs);
  TK_CHECK(labels.dtype() == DType::Int32 && labels.size() == r.rows && dloss.size() == r.rows &&
               dloss.dtype() == probs.dtype(),
           op << ": expected " << r.rows << " int32 labels and " << r.rows << " loss gradients, got " << labels.size()
              << " and " << dloss.size());
  check_output(op, d, probs, "an output");
  return r;
}

Rows check_cross_entropy(const char* op, const View& logits, const View& labels, const View& loss, const View& probs) {
  check_same(op, logits, labels, "labels");
  const Rows r = rows_of(op, logits);
  TK_CHECK(loss.dtype() == logits.dtype() && loss.size() == r.rows,
           op << ": expected a loss of " << r.rows << " " << dtype_name(logits.dtype()) << " values");
  check_output(op, probs, logits, "probabilities");
  return r;
}

Rows check_cross_entropy_backward(const char* op, const View& probs, const View& labels, const View& dloss,
                                  const View& d) {
  check_same(op, probs, labels, "labels");
  const Rows r = rows_of(op, probs);
  TK_CHECK(dloss.size() == r.rows && dloss.dtype() == probs.dtype(),
           op << ": expected " << r.rows << " loss gradients, got " << dloss.size());
  check_output(op, d, probs, "an output");
  return r;
}

void check_sigmoid_cross_entropy(const char* op, const View& logits, const View& labels, const View& loss) {
  check_same(op, logits, labels, "labels");
  check_output(op, loss, logits, "a loss");
}

void check_sigmoid_cross_entropy_backward(const char* op, const View& logits, const View& labels, const View& dloss,
                                          const View& d) {
  check_same(op, logits, labels, "labels");
  check_same(op, logits, dloss, "dloss");
  check_output(op, d, logits, "an output");
}

}  // namespace tessera::contracts
