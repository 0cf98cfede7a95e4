// StepPlan: parse, arena layout, replay. The spec's format is written by
// src/compiled/plan_spec.ts; both sides change together.
#include "tessera/step_plan.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "tessera/errors.h"
#include "tessera/ops.h"

namespace tessera {

namespace {

constexpr size_t kAlign = 64;  // every buffer on a cache line (and what CUDA kernels assume)

// Reads the spec front to back, every value checked to be a whole number in range.
class SpecReader {
 public:
  SpecReader(const double* data, size_t length) : data_(data), length_(length) {}
  int64_t next(int64_t lo, int64_t hi, const char* what) {
    TK_CHECK(pos_ < length_, "runPlan: the plan spec ends early, reading " << what);
    const double v = data_[pos_++];
    TK_CHECK(std::floor(v) == v && v >= static_cast<double>(lo) && v <= static_cast<double>(hi),
             "runPlan: bad plan spec: " << what << " is " << v << ", expected a whole number in [" << lo << ", " << hi
                                        << "]");
    return static_cast<int64_t>(v);
  }
  void read_shape(DType& dtype, std::vector<int64_t>& shape) {
    const int64_t code = next(0, 1 << 20, "a dtype");
    TK_CHECK(dtype_valid(static_cast<int>(code)), "runPlan: bad plan spec: unknown dtype " << code);
    dtype = static_cast<DType>(code);
    shape.resize(static_cast<size_t>(next(0, TK_MAX_RANK, "a rank")));
    for (auto& d : shape) d = next(0, kMaxElements, "a dimension");
  }
  bool done() const { return pos_ == length_; }

 private:
  const double* data_;
  size_t length_;
  size_t pos_ = 0;
};

size_t align_up(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

}  // namespace

StepPlan::StepPlan(const double* spec, size_t length, const std::vector<const TensorImpl*>& recorded_externals) {
  size_t next_external = 0;
  SpecReader r(spec, length);
  TK_CHECK(r.next(1, 1, "the version") == 1, "runPlan: unknown plan spec version");
  device_ = Device::from_code(static_cast<int>(r.next(-1, 4095, "the device")));
  const int64_t num_slots = r.next(0, 1 << 24, "the slot count");
  slots_.resize(static_cast<size_t>(num_slots));
  for (int64_t s = 0; s < num_slots; ++s) {
    Slot& slot = slots_[s];
    r.read_shape(slot.dtype, slot.shape);
    slot.size = shape_size(slot.shape, "runPlan");
    slot.root = static_cast<int>(r.next(-1, s - 1, "a view's base slot"));
    if (slot.root < 0) slot.root = static_cast<int>(s);
    TK_CHECK(slots_[slot.root].root == slot.root, "runPlan: bad plan spec: slot " << s << " views a view");
    TK_CHECK(slot.size * static_cast<int64_t>(dtype_size(slot.dtype)) <=
                 slots_[slot.root].size * static_cast<int64_t>(dtype_size(slots_[slot.root].dtype)),
             "runPlan: bad plan spec: view slot " << s << " is larger than its buffer");
  }
  const int64_t num_entries = r.next(0, 1 << 24, "the entry count");
  entries_.resize(static_cast<size_t>(num_entries));
  for (Entry& e : entries_) {
    e.kernel = r.next(0, 1, "an entry kind") == 1;
    e.op = static_cast<int>(r.next(-1, kNumOps - 1, "an op id"));
    TK_CHECK(!e.kernel || e.op >= 0, "runPlan: bad plan spec: a kernel entry without an op");
    // An external input looks like the tensor the recording step gave; a bound output
    // like its spec.
    auto read_refs = [&](std::vector<int>& refs, std::vector<Expected>& expected, bool inputs) {
      refs.resize(static_cast<size_t>(r.next(0, 1 << 16, "a tensor count")));
      for (int& ref : refs) {
        ref = static_cast<int>(r.next(-1, num_slots - 1, "a slot"));
        if (ref >= 0 || !e.kernel) continue;
        expected.emplace_back();
        if (!inputs) {
          r.read_shape(expected.back().dtype, expected.back().shape);
          continue;
        }
        TK_CHECK(next_external < recorded_externals.size(),
                 "planCreate: fewer recorded external inputs than the spec uses");
        const TensorImpl* t = recorded_externals[next_external++];
        expected.back() = Expected{t->dtype, t->shape};
      }
    };
    read_refs(e.inputs, e.external_inputs, true);
    read_refs(e.outputs, e.bound_outputs, false);
    e.num_attrs = static_cast<int>(r.next(0, 1 << 20, "an attribute count"));
    if (e.kernel) {
      const OpInfo& meta = kOpInfo[e.op];
      TK_CHECK(meta.inputs < 0 || meta.inputs == static_cast<int>(e.inputs.size()),
               "runPlan: bad plan spec: " << meta.name << " takes " << meta.inputs << " inputs");
      TK_CHECK(meta.outputs == static_cast<int>(e.outputs.size()),
               "runPlan: bad plan spec: " << meta.name << " makes " << meta.outputs << " outputs");
    }
  }
  TK_CHECK(r.done(), "runPlan: bad plan spec: trailing values");
  TK_CHECK(next_external == recorded_externals.size(),
           "planCreate: " << recorded_externals.size() << " recorded external inputs, the spec uses " << next_external);
  plan_arena();
}

// Each buffer lives from the entry that writes it to the last entry that touches it or a
// view of it; buffers placed largest first at the lowest offset that overlaps no buffer
// alive at the same time. Inputs and outputs of one kernel are alive together, so a
// kernel never reads and writes the same bytes.
void StepPlan::plan_arena() {
  const size_t n = slots_.size();
  std::vector<int64_t> first(n, -1), last(n, -1);
  for (size_t i = 0; i < entries_.size(); ++i) {
    auto touch = [&](int s) {
      if (s < 0) return;
      const int root = slots_[s].root;
      if (first[root] < 0) first[root] = static_cast<int64_t>(i);
      last[root] = static_cast<int64_t>(i);
    };
    for (int s : entries_[i].outputs) touch(s);
    for (int s : entries_[i].inputs) touch(s);
  }
  std::vector<int> roots;
  for (size_t s = 0; s < n; ++s)
    if (slots_[s].root == static_cast<int>(s) && first[s] >= 0) roots.push_back(static_cast<int>(s));
  auto bytes_of = [&](int s) { return align_up(static_cast<size_t>(slots_[s].size) * dtype_size(slots_[s].dtype)); };
  std::stable_sort(roots.begin(), roots.end(), [&](int a, int b) { return bytes_of(a) > bytes_of(b); });
  std::vector<int> placed;
  for (int s : roots) {
    std::vector<std::pair<size_t, size_t>> busy;  // [offset, end) of buffers alive alongside s
    for (int p : placed)
      if (first[p] <= last[s] && first[s] <= last[p])
        busy.emplace_back(slots_[p].offset, slots_[p].offset + bytes_of(p));
    std::sort(busy.begin(), busy.end());
    size_t offset = 0;
    for (const auto& [lo, hi] : busy) {
      if (offset + bytes_of(s) <= lo) break;
      offset = std::max(offset, hi);
    }
    slots_[s].offset = offset;
    arena_bytes_ = std::max(arena_bytes_, offset + bytes_of(s));
    placed.push_back(s);
  }
  for (Slot& slot : slots_) slot.offset = slots_[slot.root].offset;
  arena_ =
      make_tensor(device_, DType::Float64, {static_cast<int64_t>(std::max<size_t>(arena_bytes_, 8) / 8)}, "runPlan");
}

TkTensor StepPlan::slot_view(int slot) const {
  TK_CHECK(slot >= 0 && slot < static_cast<int>(slots_.size()), "runPlan: no slot " << slot);
  const Slot& s = slots_[slot];
  TkTensor t{};
  t.data = static_cast<uint8_t*>(arena_->storage->data()) + s.offset;
  t.dtype = static_cast<int32_t>(s.dtype);
  t.rank = static_cast<int32_t>(s.shape.size());
  for (size_t i = 0; i < s.shape.size(); ++i) t.shape[i] = s.shape[i];
  t.size = s.size;
  return t;
}

void StepPlan::run(size_t from, size_t to, const std::vector<const TensorImpl*>& externals,
                   const std::vector<const TensorImpl*>& bound_outputs, const double* attrs, size_t num_attrs) {
  TK_CHECK(from <= to && to <= entries_.size(),
           "runPlan: entries [" << from << ", " << to << ") outside the plan's " << entries_.size());
  // Everything checked before the first kernel runs, so a mismatch changes nothing.
  size_t ext = 0, bound = 0, attr = 0;
  auto check = [&](const Expected& want, const TensorImpl* got, const char* op, const char* what) {
    TK_CHECK(got->device() == device_,
             op << ": " << what << " is on " << got->device().name() << ", the plan on " << device_.name());
    TK_CHECK(got->dtype == want.dtype && got->shape == want.shape,
             op << ": " << what << " is " << dtype_name(got->dtype) << " " << shape_string(got->shape)
                << ", recorded as " << dtype_name(want.dtype) << " " << shape_string(want.shape));
  };
  for (size_t i = from; i < to; ++i) {
    const Entry& e = entries_[i];
    if (!e.kernel) continue;
    const char* name = kOpInfo[e.op].name;
    for (const Expected& want : e.external_inputs) {
      TK_CHECK(ext < externals.size(), "runPlan: too few external inputs (" << externals.size() << ")");
      check(want, externals[ext++], name, "an external input");
    }
    for (const Expected& want : e.bound_outputs) {
      TK_CHECK(bound < bound_outputs.size(), "runPlan: too few bound outputs (" << bound_outputs.size() << ")");
      check(want, bound_outputs[bound++], name, "a bound output");
    }
    attr += static_cast<size_t>(e.num_attrs);
  }
  TK_CHECK(ext == externals.size() && bound == bound_outputs.size() && attr == num_attrs,
           "runPlan: expected " << ext << " external inputs, " << bound << " bound outputs and " << attr
                                << " attributes, got " << externals.size() << ", " << bound_outputs.size() << " and "
                                << num_attrs);
  Backend& backend = backend_for(device_);
  std::vector<TkTensor> in, out;
  ext = bound = attr = 0;
  for (size_t i = from; i < to; ++i) {
    const Entry& e = entries_[i];
    if (!e.kernel) continue;
    in.clear();
    out.clear();
    for (int s : e.inputs) in.push_back(s >= 0 ? slot_view(s) : externals[ext++]->view());
    for (int s : e.outputs) out.push_back(s >= 0 ? slot_view(s) : bound_outputs[bound++]->view());
    TkKernelArgs args{in.data(),    static_cast<int32_t>(in.size()),
                      out.data(),   static_cast<int32_t>(out.size()),
                      attrs + attr, e.num_attrs};
    backend.run(static_cast<OpId>(e.op), args);
    attr += static_cast<size_t>(e.num_attrs);
  }
}

}  // namespace tessera
