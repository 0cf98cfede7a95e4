#include "recurrent_sequence.h"

#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

namespace tessera::contracts {

namespace {

// One tensor the call must have: by input or output position, its dims, and a name.
struct Expect {
  bool output;
  int index;
  std::vector<int64_t> dims;
  const char* what;
};

std::string dims_text(const std::vector<int64_t>& dims) {
  std::ostringstream o;
  o << "[";
  for (size_t i = 0; i < dims.size(); ++i) o << (i ? ", " : "") << dims[i];
  return o.str() + "]";
}

std::string view_text(const View& v) {
  std::vector<int64_t> dims;
  for (int i = 0; i < v.rank(); ++i) dims.push_back(v.dim(i));
  return dims_text(dims);
}

// Sizes from x (input 0, [B, T, F], float) and the recurrent kernel (input 2, [u, gates * u]).
SequenceShape sequence_sizes(const char* op, const KernelArgs& args, int64_t gates) {
  const View x = args.in(0), u = args.in(2);
  TK_CHECK(x.dtype() == DType::Float32 || x.dtype() == DType::Float64,
           op << ": expected x of dtype float32 or float64, got " << dtype_name(x.dtype()));
  TK_CHECK(x.rank() == 3, op << ": expected x as [batch, time, features], got shape " << view_text(x));
  TK_CHECK(u.rank() == 2 && u.dim(1) == gates * u.dim(0), op << ": expected the recurrent kernel (input 2) as [units, "
                                                             << gates << " * units], got shape " << view_text(u));
  return SequenceShape{x.dim(0), x.dim(1), x.dim(2), u.dim(0)};
}

// Every listed tensor has its dims and x's dtype (the recurrent kernel's included).
void expect_all(const char* op, const KernelArgs& args, std::initializer_list<Expect> expects) {
  const DType dtype = args.in(0).dtype();
  TK_CHECK(args.in(2).dtype() == dtype, op << ": expected the recurrent kernel (input 2) of dtype " << dtype_name(dtype)
                                           << ", got " << dtype_name(args.in(2).dtype()));
  for (const Expect& e : expects) {
    const View v = e.output ? args.out(e.index) : args.in(e.index);
    bool same = v.rank() == static_cast<int>(e.dims.size()) && v.dtype() == dtype;
    for (int i = 0; same && i < v.rank(); ++i) same = v.dim(i) == e.dims[i];
    TK_CHECK(same, op << ": expected " << (e.output ? "output " : "input ") << e.index << " (" << e.what
                      << ") of shape " << dims_text(e.dims) << " and dtype " << dtype_name(dtype) << ", got shape "
                      << view_text(v) << " and dtype " << dtype_name(v.dtype()));
  }
}

}  // namespace

int64_t simple_rnn_sequence_workspace(const SequenceShape& s) { return (s.rows() + s.batch) * s.units; }

int64_t lstm_sequence_workspace(const SequenceShape& s) {
  return s.rows() * 4 * s.units + 2 * (s.rows() + s.batch) * s.units;
}

int64_t gru_sequence_workspace(const SequenceShape& s) {
  return s.rows() * 4 * s.units + (s.rows() + s.batch) * s.units;
}

// Inputs 0-2 are x, kernel, recurrent kernel in every kernel; the forwards take the bias(es)
// and initial states next, the backwards the workspace and the outputs' gradients.

SequenceShape simple_rnn_sequence_shape(const KernelArgs& args) {
  const char* op = "simpleRnnSequence";
  const SequenceShape s = sequence_sizes(op, args, 1);
  const int64_t B = s.batch, u = s.units;
  expect_all(op, args,
             {{false, 1, {s.features, u}, "kernel"},
              {false, 3, {u}, "bias"},
              {false, 4, {B, u}, "initial h"},
              {true, 0, {B, s.time, u}, "outputs"},
              {true, 1, {B, u}, "final h"},
              {true, 2, {simple_rnn_sequence_workspace(s)}, "workspace"}});
  return s;
}

SequenceShape simple_rnn_sequence_backward_shape(const KernelArgs& args) {
  const char* op = "simpleRnnSequenceBackward";
  const SequenceShape s = sequence_sizes(op, args, 1);
  const int64_t B = s.batch, u = s.units;
  expect_all(op, args,
             {{false, 1, {s.features, u}, "kernel"},
              {false, 3, {simple_rnn_sequence_workspace(s)}, "workspace"},
              {false, 4, {B, s.time, u}, "outputs' gradient"},
              {false, 5, {B, u}, "final h's gradient"},
              {true, 0, {B, s.time, s.features}, "x's gradient"},
              {true, 1, {s.features, u}, "kernel's gradient"},
              {true, 2, {u, u}, "recurrent kernel's gradient"},
              {true, 3, {u}, "bias's gradient"},
              {true, 4, {B, u}, "initial h's gradient"}});
  return s;
}

SequenceShape lstm_sequence_shape(const KernelArgs& args) {
  const char* op = "lstmSequence";
  const SequenceShape s = sequence_sizes(op, args, 4);
  const int64_t B = s.batch, u = s.units;
  expect_all(op, args,
             {{false, 1, {s.features, 4 * u}, "kernel"},
              {false, 3, {4 * u}, "bias"},
              {false, 4, {B, u}, "initial h"},
              {false, 5, {B, u}, "initial c"},
              {true, 0, {B, s.time, u}, "outputs"},
              {true, 1, {B, u}, "final h"},
              {true, 2, {B, u}, "final c"},
              {true, 3, {lstm_sequence_workspace(s)}, "workspace"}});
  return s;
}

SequenceShape lstm_sequence_backward_shape(const KernelArgs& args) {
  const char* op = "lstmSequenceBackward";
  const SequenceShape s = sequence_sizes(op, args, 4);
  const int64_t B = s.batch, u = s.units;
  expect_all(op, args,
             {{false, 1, {s.features, 4 * u}, "kernel"},
              {false, 3, {lstm_sequence_workspace(s)}, "workspace"},
              {false, 4, {B, s.time, u}, "outputs' gradient"},
              {false, 5, {B, u}, "final h's gradient"},
              {false, 6, {B, u}, "final c's gradient"},
              {true, 0, {B, s.time, s.features}, "x's gradient"},
              {true, 1, {s.features, 4 * u}, "kernel's gradient"},
              {true, 2, {u, 4 * u}, "recurrent kernel's gradient"},
              {true, 3, {4 * u}, "bias's gradient"},
              {true, 4, {B, u}, "initial h's gradient"},
              {true, 5, {B, u}, "initial c's gradient"}});
  return s;
}

SequenceShape gru_sequence_shape(const KernelArgs& args) {
  const char* op = "gruSequence";
  const SequenceShape s = sequence_sizes(op, args, 3);
  const int64_t B = s.batch, u = s.units;
  expect_all(op, args,
             {{false, 1, {s.features, 3 * u}, "kernel"},
              {false, 3, {3 * u}, "input bias"},
              {false, 4, {3 * u}, "recurrent bias"},
              {false, 5, {B, u}, "initial h"},
              {true, 0, {B, s.time, u}, "outputs"},
              {true, 1, {B, u}, "final h"},
              {true, 2, {gru_sequence_workspace(s)}, "workspace"}});
  return s;
}

SequenceShape gru_sequence_backward_shape(const KernelArgs& args) {
  const char* op = "gruSequenceBackward";
  const SequenceShape s = sequence_sizes(op, args, 3);
  const int64_t B = s.batch, u = s.units;
  expect_all(op, args,
             {{false, 1, {s.features, 3 * u}, "kernel"},
              {false, 3, {gru_sequence_workspace(s)}, "workspace"},
              {false, 4, {B, s.time, u}, "outputs' gradient"},
              {false, 5, {B, u}, "final h's gradient"},
              {true, 0, {B, s.time, s.features}, "x's gradient"},
              {true, 1, {s.features, 3 * u}, "kernel's gradient"},
              {true, 2, {u, 3 * u}, "recurrent kernel's gradient"},
              {true, 3, {3 * u}, "input bias's gradient"},
              {true, 4, {3 * u}, "recurrent bias's gradient"},
              {true, 5, {B, u}, "initial h's gradient"}});
  return s;
}

}  // namespace tessera::contracts
