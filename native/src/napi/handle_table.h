// The tensors JS holds handles on. A handle is an N-API External whose value is not a
// pointer but a HandleId: a slot of this table and the slot's generation. Disposing frees
// the slot and bumps its generation, so a disposed handle used again (or a stale id that
// a reused slot now serves) finds a generation that differs and reads as disposed: it can
// never reach another tensor's storage. Slots are reused from a free list, so a handle
// costs no allocation of its own once the table has grown. A slot's finalizer reference
// may come later than the slot (young handles: addon.cpp, Wrap and Promote).
#pragma once
#include <node_api.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "tessera/tensor.h"

namespace tessera {

// (generation << 32) | slot. Generations start at 1, so an id is never 0 (a null pointer).
using HandleId = uint64_t;

inline void* HandleIdToPointer(HandleId id) { return reinterpret_cast<void*>(static_cast<uintptr_t>(id)); }
inline HandleId HandleIdFromPointer(void* p) { return static_cast<HandleId>(reinterpret_cast<uintptr_t>(p)); }

struct HandleSlot {
  std::shared_ptr<TensorImpl> tensor;  // null while the slot is free
  // The weak reference whose finalizer reports a collected handle; null for a young handle
  // (see Wrap in addon.cpp), which JS holds strongly until it disposes or promotes it.
  napi_ref finalizer = nullptr;
  uint32_t generation = 1;
  int device_code = -1;
};

class HandleTable {
 public:
  // Takes a free slot (or a new one) for `tensor`; its finalizer reference comes later (set_finalizer).
  HandleId add(std::shared_ptr<TensorImpl> tensor, int device_code) {
    uint32_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      index = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back();
    }
    HandleSlot& s = slots_[index];
    s.tensor = std::move(tensor);
    s.device_code = device_code;
    return (static_cast<HandleId>(s.generation) << 32) | index;
  }

  void set_finalizer(HandleId id, napi_ref ref) { slots_[static_cast<uint32_t>(id)].finalizer = ref; }

  // The live slot `id` names, or nullptr (a disposed or collected handle, or no handle of ours).
  HandleSlot* find(HandleId id) {
    const uint32_t index = static_cast<uint32_t>(id);
    if (index >= slots_.size()) return nullptr;
    HandleSlot& s = slots_[index];
    return s.generation == static_cast<uint32_t>(id >> 32) && s.tensor ? &s : nullptr;
  }

  // Whether `id` names a slot this table has (live or not): a stale handle does.
  bool has_slot(HandleId id) const { return static_cast<uint32_t>(id) < slots_.size(); }

  // Frees the slot: releases its tensor reference and makes every id of it stale. The
  // caller deals with the slot's finalizer reference first.
  void release(HandleSlot* s) {
    s->tensor.reset();
    s->finalizer = nullptr;
    if (++s->generation == 0) s->generation = 1;
    free_.push_back(static_cast<uint32_t>(s - slots_.data()));
  }

  // Every slot, for teardown.
  std::vector<HandleSlot>& slots() { return slots_; }

 private:
  std::vector<HandleSlot> slots_;
  std::vector<uint32_t> free_;
};

}  // namespace tessera
