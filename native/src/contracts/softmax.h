// What the softmax and cross-entropy kernels accept, on every device (cpu/softmax.cpp
// documents the inputs and outputs): rows are the leading axes flattened, reduced along
// the last axis.
#pragma once
#include <cstdint>

#include "tessera/kernel.h"

namespace tessera::contracts {

struct Rows {
  int64_t rows = 0, cols = 0;
};

// x as rows of its last axis; throws on a scalar.
Rows rows_of(const char* op, const View& x);

// Throws unless b holds as many values as a, of a's dtype; `what` names b in the message.
void check_same(const char* op, const View& a, const View& b, const char* what);

// Throws unless out holds as many values as like, of like's dtype; `what` names out.
void check_output(const char* op, const View& out, const View& like, const char* what);

// Each kernel's whole shape contract (the label values are checked by each device as it
// reads them); returns the rows.
Rows check_softmax(const char* op, const View& x, const View& y);
Rows check_softmax_backward(const char* op, const View& y, const View& dy, const View& dx);
Rows check_cross_entropy_sparse(const char* op, const View& logits, const View& labels, const View& loss,
                                const View& probs);
Rows check_cross_entropy_sparse_backward(const char* op, const View& probs, const View& labels, const View& dloss,
                                         const View& d);
Rows check_cross_entropy(const char* op, const View& logits, const View& labels, const View& loss, const View& probs);
Rows check_cross_entropy_backward(const char* op, const View& probs, const View& labels, const View& dloss,
                                  const View& d);
void check_sigmoid_cross_entropy(const char* op, const View& logits, const View& labels, const View& loss);
void check_sigmoid_cross_entropy_backward(const char* op, const View& logits, const View& labels, const View& dloss,
                                          const View& d);

}  // namespace tessera::contracts
