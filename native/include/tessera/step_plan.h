// A recorded training step replayed without a JS call per op (docs/COMPILED_STEP.md).
// The plan is the kernel sequence of one step over numbered slots: temporaries live at
// fixed offsets of ONE arena buffer (offsets from a liveness analysis, so buffers whose
// lifetimes do not overlap share bytes); everything else (weights, optimizer slots, the
// batch, constants made from JS numbers, tensors that outlive the step) comes in as an
// "external" tensor at every replay, checked against the shape it had when recorded.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "abi.h"
#include "device.h"
#include "tensor.h"

namespace tessera {

class StepPlan {
 public:
  // Parses the spec the recorder sends (src/compiled/recording.ts writes it) and allocates
  // the arena. `recorded_externals`: the recording step's external inputs, in order (their
  // dtypes and shapes are what every replay must give). Throws on a malformed spec.
  StepPlan(const double* spec, size_t length, const std::vector<const TensorImpl*>& recorded_externals);

  Device device() const { return device_; }
  size_t num_entries() const { return entries_.size(); }
  size_t arena_bytes() const { return arena_bytes_; }
  int num_slots() const { return static_cast<int>(slots_.size()); }

  // Runs entries [from, to): `externals` feed the inputs marked external, in order;
  // `bound_outputs` receive the outputs marked bound, in order; `attrs` holds every kernel's
  // attributes, concatenated in order. Counts and shapes are checked before any kernel runs.
  void run(size_t from, size_t to, const std::vector<const TensorImpl*>& externals,
           const std::vector<const TensorImpl*>& bound_outputs, const double* attrs, size_t num_attrs);

  // A slot's data, in place in the arena.
  TkTensor slot_view(int slot) const;

 private:
  struct Slot {
    DType dtype;
    std::vector<int64_t> shape;
    int64_t size;
    int root;  // the slot whose buffer this one views (itself for a buffer)
    size_t offset = 0;
  };
  struct Expected {  // what an external input or a bound output must look like
    DType dtype;
    std::vector<int64_t> shape;
  };
  struct Entry {
    bool kernel;  // false: a marker (a view made or a value read), kept for the liveness only
    int op;
    std::vector<int> inputs, outputs;  // slot, or -1: external (inputs) / bound (outputs)
    std::vector<Expected> external_inputs, bound_outputs;
    int num_attrs;
  };

  void plan_arena();

  Device device_;
  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
  size_t arena_bytes_ = 0;
  std::shared_ptr<TensorImpl> arena_;
};

}  // namespace tessera
