#include "recurrent.h"

#include <initializer_list>

#include "tessera/op_attrs.h"

namespace tessera::contracts {

namespace {

struct Expect {
  bool output;
  int index;
  int64_t rows_factor;  // elements = rows_factor * (batch or units) * units
  bool per_batch;       // rows are the batch (else units: a recurrent kernel)
};

// Batch size and units from h [B, u]; checks that every listed tensor has B*u*factor
// elements (by input or output position) and h's dtype.
CellShape cell_shape(const char* op, const KernelArgs& args, int h_input, std::initializer_list<Expect> expects) {
  const View h = args.in(h_input);
  TK_CHECK(h.rank() == 2, op << ": expected the state h as [batch, units], got rank " << h.rank());
  CellShape s{h.dim(0), h.dim(1)};
  for (const Expect& e : expects) {
    const View v = e.output ? args.out(e.index) : args.in(e.index);
    const int64_t want = e.rows_factor * (e.per_batch ? s.batch : s.units) * s.units;
    TK_CHECK(v.size() == want && v.dtype() == h.dtype(),
             op << ": expected " << (e.output ? "output " : "input ") << e.index << " to hold " << want << " "
                << dtype_name(h.dtype()) << " values for batch " << s.batch << " and " << s.units << " units, got "
                << v.size() << " " << dtype_name(v.dtype()) << " values");
  }
  return s;
}

}  // namespace

CellShape simple_rnn_cell_shape(const KernelArgs& args) {
  return cell_shape("simpleRnnCell", args, 1, {{false, 0, 1, true}, {false, 2, 1, false}, {true, 0, 1, true}});
}

CellShape simple_rnn_cell_backward_shape(const KernelArgs& args) {
  return cell_shape("simpleRnnCellBackward", args, 0,
                    {{false, 1, 1, false},
                     {false, 2, 1, true},
                     {false, 3, 1, true},
                     {true, 0, 1, true},
                     {true, 1, 1, true},
                     {true, 2, 1, false}});
}

CellShape lstm_cell_shape(const KernelArgs& args) {
  return cell_shape("lstmCell", args, 1,
                    {{false, 0, 4, true},
                     {false, 2, 1, true},
                     {false, 3, 4, false},
                     {true, 0, 1, true},
                     {true, 1, 1, true},
                     {true, 2, 4, true}});
}

CellShape lstm_cell_backward_shape(const KernelArgs& args) {
  return cell_shape("lstmCellBackward", args, 0,
                    {{false, 1, 1, true},
                     {false, 2, 4, false},
                     {false, 3, 4, true},
                     {false, 4, 1, true},
                     {false, 5, 1, true},
                     {false, 6, 1, true},
                     {true, 0, 4, true},
                     {true, 1, 1, true},
                     {true, 2, 1, true},
                     {true, 3, 4, false}});
}

GruCall gru_cell_call(const KernelArgs& args) {
  GruCall call;
  call.reset_after = attrs::GruCellAttrs::read(args).reset_after;
  call.shape = cell_shape("gruCell", args, 1,
                          {{false, 0, 3, true}, {false, 2, 3, false}, {true, 0, 1, true}, {true, 1, 4, true}});
  return call;
}

GruCall gru_cell_backward_call(const KernelArgs& args) {
  GruCall call;
  call.reset_after = attrs::GruCellBackwardAttrs::read(args).reset_after;
  call.shape = cell_shape("gruCellBackward", args, 0,
                          {{false, 1, 3, false},
                           {false, 2, 4, true},
                           {false, 3, 1, true},
                           {true, 0, 3, true},
                           {true, 1, 1, true},
                           {true, 2, 3, false}});
  return call;
}

}  // namespace tessera::contracts
