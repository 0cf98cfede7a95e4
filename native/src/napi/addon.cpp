// The whole N-API surface of Tessera. It is fixed: adding an op never
// touches this file. Handles are Externals over a TensorImpl; every C++ exception becomes
// a JavaScript Error, so bad input can never abort the process. No C++ exception leaves
// an entry point either: while a worker_thread is terminated every N-API call fails, and
// an exception thrown past Node there calls std::terminate (the whole process aborts).
// State is per environment (Napi::Addon instance data), so each worker has its own.
#include <napi.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

#include "handle_table.h"
#include "tessera/cpu_features.h"
#include "tessera/cuda_loader.h"
#include "tessera/device.h"
#include "tessera/errors.h"
#include "tessera/host_buffer.h"
#include "tessera/host_memory.h"
#include "tessera/ops.h"
#include "tessera/step_plan.h"
#include "tessera/tensor.h"
#include "tessera/thread_pool.h"

namespace tessera {

namespace {

// What hostBuffer() lends: the view another module reads (first member, so the External's
// data pointer is the HostBuffer's) and a reference that keeps the tensor alive.
struct HostBufferBox {
  HostBuffer view;
  std::shared_ptr<TensorImpl> tensor;
};

// Handles and loans collected by the GC wait here until the next call into the addon.
// Its owners are the addon and every finalizer that may still run (each handle's and
// loan's, until it runs or its reference is deleted): a handle collected after the addon
// instance is gone (at shutdown) still has somewhere to go, and the last owner frees it.
struct ReclaimQueue {
  std::mutex mutex;
  std::vector<HandleId> handles;
  std::vector<HostBufferBox*> loans;
  std::atomic<bool> pending{false};  // checked without the lock on every call
  std::atomic<int64_t> owners{1};

  void Retain() { owners.fetch_add(1, std::memory_order_relaxed); }
  void Release() {
    if (owners.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
  ~ReclaimQueue() {
    for (HostBufferBox* box : loans) delete box;
  }
};

// A handle's finalizer, a plain function so that creating a handle allocates no closure.
// A basic (pure) finalizer, which NAPI_EXPERIMENTAL (binding.gyp) lets V8 run during GC
// itself: a default N-API finalizer waits for an event-loop turn, so a synchronous loop
// that forgets tensors never got them back. It only queues the handle's id; the storage
// is released at the next call into the addon, outside the collector (and, for CUDA, in
// stream order). Also runs at environment teardown (a worker's exit), where it must not
// throw. dispose() deletes the reference, so a disposed handle costs the GC nothing.
void OnHandleCollected(node_api_basic_env, void* data, void* hint) noexcept {
  auto* queue = static_cast<ReclaimQueue*>(hint);
  try {
    std::lock_guard<std::mutex> lock(queue->mutex);
    queue->handles.push_back(HandleIdFromPointer(data));
    queue->pending.store(true, std::memory_order_release);
  } catch (...) {
    // No memory to queue it: the slot stays taken until the addon goes (a leak, not a crash).
  }
  queue->Release();
}

// A host buffer's finalizer: the loan is queued the same way.
void OnHostBufferCollected(node_api_basic_env, void* data, void* hint) noexcept {
  auto* box = static_cast<HostBufferBox*>(data);
  auto* queue = static_cast<ReclaimQueue*>(hint);
  try {
    std::lock_guard<std::mutex> lock(queue->mutex);
    queue->loans.push_back(box);
    queue->pending.store(true, std::memory_order_release);
  } catch (...) {
    delete box;  // no memory to queue it: release it here rather than leak it
  }
  queue->Release();
}

// Raises `message` as a JS Error. While the environment terminates nothing can be
// thrown (the call fails) and nobody would see it: the failure is ignored on purpose.
void ThrowToJs(napi_env env, const char* message) noexcept {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) return;
  napi_throw_error(env, nullptr, message);
}

// A run()'s few arguments on the stack; on the heap only beyond kInline of them.
template <typename T, size_t kInline = 8>
class InlineArray {
 public:
  explicit InlineArray(size_t n) : data_(n <= kInline ? inline_ : (heap_.resize(n), heap_.data())) {}
  T& operator[](size_t i) { return data_[i]; }
  T* data() { return data_; }

 private:
  T inline_[kInline];
  std::vector<T> heap_;  // declared before data_, which may point into it
  T* data_;
};

class TesseraAddon : public Napi::Addon<TesseraAddon> {
 public:
  TesseraAddon(Napi::Env env, Napi::Object exports) {
    DefineAddon(exports, {
                             InstanceMethod("createTensor", &TesseraAddon::CreateTensor),
                             InstanceMethod("run", &TesseraAddon::Run),
                             InstanceMethod("runArgs", &TesseraAddon::RunArgs),
                             InstanceMethod("runScratch", &TesseraAddon::RunScratch),
                             InstanceMethod("argBuffer", &TesseraAddon::ArgBuffer),
                             InstanceMethod("reshape", &TesseraAddon::Reshape),
                             InstanceMethod("rows", &TesseraAddon::Rows),
                             InstanceMethod("read", &TesseraAddon::Read),
                             InstanceMethod("readAsync", &TesseraAddon::ReadAsync),
                             InstanceMethod("dispose", &TesseraAddon::Dispose),
                             InstanceMethod("promote", &TesseraAddon::Promote),
                             InstanceMethod("to", &TesseraAddon::To),
                             InstanceMethod("backendInfo", &TesseraAddon::BackendInfo),
                             InstanceMethod("memoryInfo", &TesseraAddon::MemoryInfo),
                             InstanceMethod("setNumThreads", &TesseraAddon::SetNumThreads),
                             InstanceMethod("emptyCache", &TesseraAddon::EmptyCache),
                             InstanceMethod("synchronize", &TesseraAddon::Synchronize),
                             InstanceMethod("planCreate", &TesseraAddon::PlanCreate),
                             InstanceMethod("planRun", &TesseraAddon::PlanRun),
                             InstanceMethod("planRead", &TesseraAddon::PlanRead),
                             InstanceMethod("planDispose", &TesseraAddon::PlanDispose),
                             InstanceMethod("hostBuffer", &TesseraAddon::HostBufferOf),
                             InstanceMethod("hostBufferPair", &TesseraAddon::HostBufferPair),
                             InstanceMethod("hostBufferSole", &TesseraAddon::HostBufferSole),
                             InstanceMethod("deviceBuffer", &TesseraAddon::DeviceBufferOf),
                             InstanceMethod("deviceBufferPair", &TesseraAddon::DeviceBufferPair),
                             InstanceMethod("releaseHostBuffer", &TesseraAddon::ReleaseHostBuffer),
                         });
  }

  // Tensors still held are released with the table. Their finalizer references are left
  // to the environment, which is being torn down; the queue lives on while any may run.
  ~TesseraAddon() { reclaim_->Release(); }

 private:
  // ---- handles -------------------------------------------------------------------
  // When a new handle's finalizer reference is made.
  enum class Finalize { kNow, kYoung };

  // A new handle on `tensor`: a slot of the table and a value carrying the slot's id.
  // kNow: an External, with a weak reference whose finalizer reports the handle if the GC
  // collects it. kYoung: a BigInt of the id, with no reference at all. The External and
  // its finalizer reference, and their deletion in dispose(), were a third of a small
  // op (Node's napi_create_external alone makes a weak global handle and a heap box), and
  // most tensors are disposed soon after they are made. A young handle's JS caller holds
  // it strongly in the young list (src/tensor/young.ts) until dispose() frees it or
  // promote() replaces it by an External with the finalizer, so a young tensor JS drops
  // is collected after the next promotion instead of at once.
  Napi::Value Wrap(Napi::Env env, std::shared_ptr<TensorImpl> tensor, Finalize when = Finalize::kNow) {
    const int device_code = tensor->device().code();
    const HandleId id = handles_.add(std::move(tensor), device_code);
    napi_value value;
    napi_status status;
    if (when == Finalize::kYoung) {
      status = napi_create_bigint_uint64(env, id, &value);
    } else {
      status = napi_create_external(env, HandleIdToPointer(id), nullptr, nullptr, &value);
      if (status == napi_ok) status = AddFinalizer(env, value, id);
    }
    if (status != napi_ok) {
      handles_.release(handles_.find(id));
      NAPI_THROW_IF_FAILED(env, status, Napi::Value());
    }
    if (when == Finalize::kYoung) ++young_;
    CountLive(device_code, 1);
    return Napi::Value(env, value);
  }

  // Gives the handle `value` (slot `id`) its weak reference and finalizer.
  napi_status AddFinalizer(napi_env env, napi_value value, HandleId id) {
    napi_ref finalizer = nullptr;
    const napi_status status =
        napi_add_finalizer(env, value, HandleIdToPointer(id), OnHandleCollected, reclaim_, &finalizer);
    if (status != napi_ok) return status;
    reclaim_->Retain();  // the finalizer's
    handles_.set_finalizer(id, finalizer);
    return napi_ok;
  }

  // Live handles per device: the CPU's apart, off the map that every op would search.
  void CountLive(int device_code, int64_t delta) {
    if (device_code == Device{}.code()) {
      live_cpu_ += delta;
    } else {
      live_[device_code] += delta;
    }
  }

  // Frees a live slot whose finalizer has not run: its reference goes first, so the GC
  // never hears of the handle again. A young slot has none to delete.
  void ReleaseSlot(napi_env env, HandleSlot* slot) {
    if (slot->finalizer != nullptr) {
      napi_delete_reference(env, slot->finalizer);
      reclaim_->Release();
    } else {
      --young_;
    }
    FreeSlot(slot);
  }

  void FreeSlot(HandleSlot* slot) {
    CountLive(slot->device_code, -1);
    handles_.release(slot);
  }

  void DrainReclaimed(Napi::Env env) {
    if (!reclaim_->pending.load(std::memory_order_acquire)) return;
    std::vector<HandleId> ids;
    std::vector<HostBufferBox*> loans;
    {
      std::lock_guard<std::mutex> lock(reclaim_->mutex);
      ids.swap(reclaim_->handles);
      loans.swap(reclaim_->loans);
      reclaim_->pending.store(false, std::memory_order_relaxed);
    }
    const int64_t held = memory_stats(Device{}).bytes;
    for (HandleId id : ids) {
      HandleSlot* slot = handles_.find(id);
      if (slot == nullptr) continue;
      // Its finalizer ran (and released its share of the queue): only the reference's
      // memory is left to free.
      napi_delete_reference(env, slot->finalizer);
      FreeSlot(slot);
      ++reclaimed_count_;
    }
    for (HostBufferBox* box : loans) delete box;
    const int64_t freed = held - memory_stats(Device{}).bytes;
    // What the GC freed leaves the mark at once, so that tensors forgotten again make
    // pressure again (the mark alone kept a forgetful loop at 650 MB instead of 190).
    mark_bytes_ -= freed;
    ReportExternalMemory(env);
    // Blocks below the block cache's floor live in malloc's heap, which keeps freed
    // pages; after a large reclaim, hand them back to the system.
    trimmed_since_ += freed;
    if (trimmed_since_ >= kTrimAfterBytes) {
      release_free_host_memory();
      trimmed_since_ = 0;
    }
  }

  // Tells V8 how many CPU bytes tensors hold, so forgotten tensors create GC pressure: the
  // high-water mark of the live bytes, decaying slowly (a 4096th per op) and dropping by
  // what the GC reclaims. Reported as they were, a training step's activations (tens of
  // MB, made and released by tidy every step) looked like growth each step, and V8
  // answered with a major GC about once a step: a tenth of a small CNN's CPU time (a
  // third with batch norm), on a thread the kernels needed. Tensors that pile up still
  // raise the mark.
  void ReportExternalMemory(Napi::Env env) {
    const int64_t live = memory_stats(Device{}).bytes;
    mark_bytes_ = std::max(live, mark_bytes_ - mark_bytes_ / 4096);
    const int64_t delta = mark_bytes_ - reported_bytes_;
    if (delta > (1 << 20) || delta < -(1 << 20)) {
      Napi::MemoryManagement::AdjustExternalMemory(env, delta);
      reported_bytes_ = mark_bytes_;
    }
  }

  // What a value passed as a handle is: a live handle's slot, a disposed (or collected)
  // handle, or no handle of this addon's (neither an External nor a BigInt, or an id no
  // slot ever had).
  enum class HandleState { kLive, kDisposed, kForeign };

  // A handle's id: an External's data, or a young handle's BigInt (Wrap). Each N-API call
  // checks the type itself.
  static bool ReadHandleId(napi_env env, napi_value v, HandleId* id) {
    void* data = nullptr;
    if (napi_get_value_external(env, v, &data) == napi_ok) {
      *id = HandleIdFromPointer(data);
      return true;
    }
    bool lossless = false;
    return napi_get_value_bigint_uint64(env, v, id, &lossless) == napi_ok && lossless;
  }

  HandleState Lookup(napi_env env, napi_value v, HandleSlot** slot) {
    HandleId id = 0;
    if (!ReadHandleId(env, v, &id)) return HandleState::kForeign;
    if ((*slot = handles_.find(id)) != nullptr) return HandleState::kLive;
    return handles_.has_slot(id) ? HandleState::kDisposed : HandleState::kForeign;
  }

  HandleSlot* UnwrapHandle(const Napi::Value& v, const char* op, const char* what) {
    HandleSlot* slot = nullptr;
    const HandleState state = Lookup(v.Env(), v, &slot);
    TK_CHECK(state != HandleState::kForeign, op << ": expected " << what << " to be a tensor handle");
    TK_CHECK(state == HandleState::kLive, op << ": " << what << " is a disposed tensor");
    return slot;
  }

  // Input `index` of a run(): UnwrapHandle's checks, the message built only on failure.
  const TensorImpl& UnwrapInput(napi_env env, napi_value v, const char* op, uint32_t index) {
    HandleSlot* slot = nullptr;
    const HandleState state = Lookup(env, v, &slot);
    if (state == HandleState::kLive) return *slot->tensor;
    TK_CHECK(state != HandleState::kForeign, op << ": expected input " << index << " to be a tensor handle");
    TK_CHECK(false, op << ": input " << index << " is a disposed tensor");
    return *slot->tensor;  // not reached
  }

  // A Float64Array argument's elements, with one N-API call (napi_get_typedarray_info
  // fails, without throwing, on anything else).
  static const double* Float64Elements(napi_env env, napi_value v, size_t* length, const char* op, const char* what) {
    napi_typedarray_type type;
    void* data = nullptr;
    const napi_status status = napi_get_typedarray_info(env, v, &type, length, &data, nullptr, nullptr);
    TK_CHECK(status == napi_ok && type == napi_float64_array, op << ": expected " << what << " as a Float64Array");
    return static_cast<const double*>(data);
  }

  // A dimension as JS sent it (a double): an integer in [0, 2^53 - 1], its range checked
  // before the conversion (a double beyond int64's range converts with undefined
  // behavior). Inline, several per op: no floor() call, the message built out of line.
  static int64_t ReadDim(double d, const char* op, size_t index) {
    if (!(d >= 0 && d <= static_cast<double>(kMaxElements))) BadDim(d, op, index);
    const int64_t n = static_cast<int64_t>(d);
    if (static_cast<double>(n) != d) BadDim(d, op, index);
    return n;
  }

  [[noreturn]] [[gnu::noinline]] static void BadDim(double d, const char* op, size_t index) {
    std::ostringstream message;
    message << op << ": expected shape entries to be integers in [0, 2^53 - 1], got " << d << " at index " << index;
    throw Error(message.str());
  }

  static std::vector<int64_t> ReadShape(const Napi::Value& v, const char* op) {
    TK_CHECK(v.IsArray(), op << ": expected the shape as an array of numbers");
    Napi::Array a = v.As<Napi::Array>();
    const uint32_t rank = a.Length();  // one N-API call each: read once
    TK_CHECK(rank <= TK_MAX_RANK, op << ": expected rank at most " << TK_MAX_RANK << ", got rank " << rank);
    std::vector<int64_t> shape(rank);
    for (uint32_t i = 0; i < rank; ++i) {
      const Napi::Value entry = a.Get(i);
      TK_CHECK(entry.IsNumber(), op << ": expected shape entries to be numbers (index " << i << ")");
      shape[i] = ReadDim(entry.As<Napi::Number>().DoubleValue(), op, i);
    }
    return shape;
  }

  static DType ReadDType(const Napi::Value& v, const char* op) {
    const int32_t code = v.As<Napi::Number>().Int32Value();
    TK_CHECK(dtype_valid(code), op << ": unknown dtype code " << code);
    return static_cast<DType>(code);
  }

  // Runs `body`, turning any C++ exception into a pending JS exception; never throws
  // itself (see the top of the file). An empty Value returns `undefined` to JS, which
  // sees the pending exception instead.
  template <typename Body>
  Napi::Value Guard(const Napi::CallbackInfo& info, Body body) noexcept {
    Napi::Env env = info.Env();
    try {
      DrainReclaimed(env);
      return body(env);
    } catch (const Napi::Error& e) {
      // A failed N-API call, or a JS exception caught by one: rethrow the JS error
      // itself. NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS (binding.gyp) makes this quiet
      // in a terminating environment; the catch covers any other failure to throw.
      try {
        e.ThrowAsJavaScriptException();
      } catch (...) {
      }
    } catch (const std::bad_alloc&) {
      ThrowToJs(env, "tessera: out of memory");
    } catch (const std::exception& e) {
      ThrowToJs(env, e.what());
    } catch (...) {
      ThrowToJs(env, "tessera: unknown native error");
    }
    return Napi::Value();
  }

  // ---- the surface ------------------------------------------------------------------
  // createTensor(data: TypedArray | null, shape: number[], dtype: number, device: number)
  Napi::Value CreateTensor(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      const std::vector<int64_t> shape = ReadShape(info[1], "createTensor");
      const DType dtype = ReadDType(info[2], "createTensor");
      const Device device = Device::from_code(info[3].As<Napi::Number>().Int32Value());
      auto t = make_tensor(device, dtype, shape, "createTensor");
      if (!info[0].IsNull() && !info[0].IsUndefined()) {
        TK_CHECK(info[0].IsTypedArray(), "createTensor: expected the data as a typed array");
        Napi::TypedArray data = info[0].As<Napi::TypedArray>();
        const size_t bytes = data.ByteLength();
        TK_CHECK(bytes == t->nbytes(), "createTensor: expected " << t->size << " " << dtype_name(dtype) << " values ("
                                                                 << t->nbytes() << " bytes), got " << bytes
                                                                 << " bytes");
        const uint8_t* src = static_cast<const uint8_t*>(data.ArrayBuffer().Data()) + data.ByteOffset();
        backend_for(device).copy_from_host(t->data(), src, bytes);
      }
      ReportExternalMemory(env);
      return Wrap(env, std::move(t));
    });
  }

  // run(opId, inputs: handle[], attrs: Float64Array, outSpecs: Float64Array) -> handle, or
  // handle[] for kernels with several outputs
  // outSpecs = [device, (dtype, rank, dim...)*]: the outputs the caller inferred; doubles,
  // so dimensions travel exactly up to 2^53 - 1. (Compiled steps' hooks speak this form.)
  Napi::Value Run(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) -> Napi::Value {
      TK_CHECK(info.Length() >= 4 && info[0].IsNumber() && info[1].IsArray(),
               "run: expected (op id, inputs array, attributes, output specification)");
      const OpInfo& meta = ReadOp(info[0], "run");
      const napi_value in_array = info[1];
      uint32_t num_inputs = 0;
      NAPI_THROW_IF_FAILED(env, napi_get_array_length(env, in_array, &num_inputs), Napi::Value());
      CheckInputCount(meta, num_inputs);
      // Every element is read before anything else: a getter on the array (hostile input)
      // runs JavaScript, which may dispose a tensor or detach the specification's buffer.
      // From here to the kernel's end no JavaScript runs, so the inputs need no
      // reference of their own and the typed arrays' pointers stay valid.
      InlineArray<napi_value> in_handles(num_inputs);
      for (uint32_t i = 0; i < num_inputs; ++i) {
        NAPI_THROW_IF_FAILED(env, napi_get_element(env, in_array, i, &in_handles[i]), Napi::Value());
      }
      size_t spec_len = 0, num_attrs = 0;
      const double* spec = Float64Elements(env, info[3], &spec_len, meta.name, "the output specification");
      const double* attrs = Float64Elements(env, info[2], &num_attrs, meta.name, "the attributes");
      TK_CHECK(spec_len >= 1, meta.name << ": empty output specification");
      return RunKernel(env, meta, in_handles.data(), num_inputs, spec[0], spec + 1, spec_len - 1, attrs, num_attrs,
                       Finalize::kNow);
    });
  }

  // runArgs(opId, args: Float64Array, ...inputs: handle[]) -> handle, or handle[]: run()
  // with the inputs as arguments (no array to build or read) and one typed array,
  // args = [device, attribute count, attributes..., (dtype, rank, dim...)*]. The eager
  // path's entry: its handles are young (Wrap), the caller disposes or promotes them.
  Napi::Value RunArgs(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) -> Napi::Value {
      TK_CHECK(info.Length() >= 2 && info[0].IsNumber(), "runArgs: expected (op id, arguments, ...inputs)");
      const OpInfo& meta = ReadOp(info[0], "runArgs");
      const uint32_t num_inputs = static_cast<uint32_t>(info.Length() - 2);
      CheckInputCount(meta, num_inputs);
      size_t len = 0;
      const double* args = Float64Elements(env, info[1], &len, meta.name, "the arguments");
      TK_CHECK(len >= 2 && args[1] >= 0 && std::floor(args[1]) == args[1] && args[1] <= static_cast<double>(len - 2),
               meta.name << ": malformed arguments (device, attribute count, attributes, output specification)");
      const size_t num_attrs = static_cast<size_t>(args[1]);
      InlineArray<napi_value> in_handles(num_inputs);
      for (uint32_t i = 0; i < num_inputs; ++i) in_handles[i] = info[i + 2];
      return RunKernel(env, meta, in_handles.data(), num_inputs, args[0], args + 2 + num_attrs, len - 2 - num_attrs,
                       args + 2, num_attrs, Finalize::kYoung);
    });
  }

  // runScratch(...inputs: handle[]) -> handle, or handle[]: runArgs() with the op and its
  // arguments already in argBuffer() as [length, op id, device, attribute count,
  // attributes..., (dtype, rank, dim...)*], length counting every element. Nothing but the
  // inputs is read from JS per call (the typed array's lookup was a tenth of a small op);
  // arguments that do not fit go by runArgs. Its handles are young, as runArgs's.
  Napi::Value RunScratch(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) -> Napi::Value {
      const double* args = scratch_.get();
      const double len = args[0], op = args[1], num_attrs = args[3];
      TK_CHECK(op >= 0 && op < kNumOps && std::floor(op) == op, "runScratch: unknown op id " << op);
      const OpInfo& meta = kOpInfo[static_cast<int>(op)];
      const uint32_t num_inputs = static_cast<uint32_t>(info.Length());
      CheckInputCount(meta, num_inputs);
      TK_CHECK(
          len >= kScratchHeader && len <= kScratchDoubles && std::floor(len) == len && num_attrs >= 0 &&
              std::floor(num_attrs) == num_attrs && num_attrs <= len - kScratchHeader,
          meta.name << ": malformed arguments (length, op, device, attribute count, attributes, output specification)");
      const size_t n = static_cast<size_t>(len), na = static_cast<size_t>(num_attrs);
      InlineArray<napi_value> in_handles(num_inputs);
      for (uint32_t i = 0; i < num_inputs; ++i) in_handles[i] = info[i];
      const double* attrs = args + kScratchHeader;
      return RunKernel(env, meta, in_handles.data(), num_inputs, args[2], attrs + na, n - kScratchHeader - na, attrs,
                       na, Finalize::kYoung);
    });
  }

  // argBuffer() -> the Float64Array runScratch() reads: the addon's own memory, so that
  // nothing JS does to the array (detaching its buffer included) can free what it reads.
  Napi::Value ArgBuffer(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) -> Napi::Value {
      napi_value buffer, array;
      NAPI_THROW_IF_FAILED(env,
                           napi_create_external_arraybuffer(env, scratch_.get(), kScratchDoubles * sizeof(double),
                                                            nullptr, nullptr, &buffer),
                           Napi::Value());
      NAPI_THROW_IF_FAILED(env, napi_create_typedarray(env, napi_float64_array, kScratchDoubles, buffer, 0, &array),
                           Napi::Value());
      return Napi::Value(env, array);
    });
  }
  static constexpr size_t kScratchDoubles = 1024, kScratchHeader = 4;

  static const OpInfo& ReadOp(const Napi::Value& v, const char* entry) {
    const int op = v.As<Napi::Number>().Int32Value();
    TK_CHECK(op >= 0 && op < kNumOps, entry << ": unknown op id " << op);
    return kOpInfo[op];
  }

  static void CheckInputCount(const OpInfo& meta, uint32_t num_inputs) {
    TK_CHECK(meta.inputs < 0 || static_cast<int>(num_inputs) == meta.inputs,
             meta.name << ": expected " << meta.inputs << " inputs, got " << num_inputs);
  }

  // The kernel call both entries share: outputs = [(dtype, rank, dim...)*] on device code
  // `device_code`; the inputs' handles are read already (no JavaScript runs from here on).
  Napi::Value RunKernel(Napi::Env env, const OpInfo& meta, const napi_value* in_handles, uint32_t num_inputs,
                        double device_code, const double* spec, size_t spec_len, const double* attrs, size_t num_attrs,
                        Finalize when) {
    TK_CHECK(device_code >= -1 && device_code < 4096 && std::floor(device_code) == device_code,
             meta.name << ": bad device code " << device_code);
    Device device = Device::from_code(static_cast<int>(device_code));

    // Arguments live on the stack for the usual few inputs and outputs (vectors cost
    // four allocations per op).
    InlineArray<TkTensor> in_views(num_inputs);
    for (uint32_t i = 0; i < num_inputs; ++i) {
      const TensorImpl& t = UnwrapInput(env, in_handles[i], meta.name, i);
      TK_CHECK(t.device() == device, meta.name << ": expected every input on " << device.name() << ", got input " << i
                                               << " on " << t.device().name());
      in_views[i] = t.view();
    }

    InlineArray<std::shared_ptr<TensorImpl>> outputs(meta.outputs);
    InlineArray<TkTensor> out_views(meta.outputs);
    int num_outputs = 0;
    // Positions in messages count from the specification's start, its device code first.
    for (size_t p = 0; p < spec_len; ++num_outputs) {
      TK_CHECK(p + 1 < spec_len, meta.name << ": truncated output specification");
      const int64_t dtype_code = ReadDim(spec[p], meta.name, p + 1);
      TK_CHECK(dtype_valid(static_cast<int>(std::min<int64_t>(dtype_code, 1 << 30))),
               meta.name << ": unknown output dtype code " << dtype_code);
      const DType dtype = static_cast<DType>(dtype_code);
      const int64_t rank = ReadDim(spec[p + 1], meta.name, p + 2);
      TK_CHECK(rank <= TK_MAX_RANK && p + 2 + static_cast<size_t>(rank) <= spec_len,
               meta.name << ": bad output rank " << rank);
      std::vector<int64_t> shape(rank);
      for (int64_t d = 0; d < rank; ++d) shape[d] = ReadDim(spec[p + 2 + d], meta.name, p + 3 + d);
      p += 2 + rank;
      if (num_outputs >= meta.outputs) continue;  // too many: counted for the message below
      outputs[num_outputs] = make_tensor(device, dtype, std::move(shape), meta.name);
      out_views[num_outputs] = outputs[num_outputs]->view();
    }
    TK_CHECK(num_outputs == meta.outputs,
             meta.name << ": expected " << meta.outputs << " outputs, got " << num_outputs);

    TkKernelArgs args{in_views.data(), static_cast<int32_t>(num_inputs), out_views.data(), meta.outputs,
                      attrs,           static_cast<int32_t>(num_attrs)};
    backend_for(device).run(static_cast<OpId>(meta_id(meta)), args);

    ReportExternalMemory(env);
    // One output (nearly every op) comes back bare, saving an array per call.
    if (num_outputs == 1) return Wrap(env, std::move(outputs[0]), when);
    return WrapAll(env, outputs.data(), num_outputs, when);
  }

  // Several outputs as an array of handles. If one cannot be made, those made before it
  // are released: JS never sees them, and a young one would never be freed.
  Napi::Value WrapAll(Napi::Env env, std::shared_ptr<TensorImpl>* outputs, int n, Finalize when) {
    InlineArray<HandleId> made(static_cast<size_t>(n));
    int num_made = 0;
    try {
      Napi::Array result = Napi::Array::New(env, n);
      for (int i = 0; i < n; ++i) {
        const Napi::Value handle = Wrap(env, std::move(outputs[i]), when);
        ReadHandleId(env, handle, &made[num_made++]);
        result.Set(static_cast<uint32_t>(i), handle);
      }
      return result;
    } catch (...) {
      for (int i = 0; i < num_made; ++i) ReleaseSlot(env, handles_.find(made[i]));
      throw;
    }
  }

  // promote(...handles) -> handle[]: the handle to keep in place of each argument (the
  // young list's sweep, src/tensor/young.ts: one call for the tensors still alive). A live
  // young handle gets an External on its slot, with the finalizer; its BigInt stays
  // valid, but only the External keeps the slot from the GC. A handle promoted already
  // gives that same External again (while it lives); any other handle (finalized,
  // disposed) comes back unchanged.
  Napi::Value Promote(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) -> Napi::Value {
      const size_t n = info.Length();
      napi_value result;
      NAPI_THROW_IF_FAILED(env, napi_create_array_with_length(env, n, &result), Napi::Value());
      for (size_t i = 0; i < n; ++i) {
        HandleSlot* slot = nullptr;
        napi_value handle = info[i];
        const HandleState state = Lookup(env, handle, &slot);
        TK_CHECK(state != HandleState::kForeign, "promote: expected a tensor handle (argument " << i << ")");
        if (state == HandleState::kLive) handle = Finalized(env, handle, slot);
        NAPI_THROW_IF_FAILED(env, napi_set_element(env, result, static_cast<uint32_t>(i), handle), Napi::Value());
      }
      return Napi::Value(env, result);
    });
  }

  // The External with the finalizer for the live slot `handle` names: made now for a
  // young slot, the existing one for a promoted slot (`handle` itself when it is one).
  napi_value Finalized(napi_env env, napi_value handle, HandleSlot* slot) {
    if (slot->finalizer != nullptr) {
      napi_value external = nullptr;
      if (napi_get_reference_value(env, slot->finalizer, &external) == napi_ok && external != nullptr) return external;
      return handle;  // collected already: its finalizer has queued the slot
    }
    HandleId id = 0;
    ReadHandleId(env, handle, &id);
    napi_value external;
    napi_status status = napi_create_external(env, HandleIdToPointer(id), nullptr, nullptr, &external);
    if (status == napi_ok) status = AddFinalizer(env, external, id);
    NAPI_THROW_IF_FAILED(env, status, nullptr);
    --young_;
    return external;
  }

  static int meta_id(const OpInfo& meta) { return static_cast<int>(&meta - kOpInfo); }

  // reshape(handle, shape) -> a new handle sharing the storage.
  Napi::Value Reshape(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      HandleSlot* box = UnwrapHandle(info[0], "reshape", "x");
      std::vector<int64_t> shape = ReadShape(info[1], "reshape");
      const int64_t size = shape_size(shape, "reshape");
      TK_CHECK(size == box->tensor->size, "reshape: cannot view " << box->tensor->size << " elements as " << size);
      auto t = std::make_shared<TensorImpl>(*box->tensor);
      t->shape = std::move(shape);
      return Wrap(env, std::move(t));
    });
  }

  // rows(handle, first, count) -> rows [first, first + count) of x along its first
  // dimension, as a new handle sharing the storage (a batch of a data set, read in place).
  Napi::Value Rows(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      HandleSlot* box = UnwrapHandle(info[0], "rows", "x");
      const TensorImpl& x = *box->tensor;
      TK_CHECK(info[1].IsNumber() && info[2].IsNumber(), "rows: expected (handle, first row, row count)");
      const double first = info[1].As<Napi::Number>().DoubleValue(), count = info[2].As<Napi::Number>().DoubleValue();
      TK_CHECK(!x.shape.empty(), "rows: expected a tensor of rank 1 or more, got a scalar");
      const int64_t n = x.shape[0];
      TK_CHECK(first >= 0 && count >= 0 && first == std::floor(first) && count == std::floor(count) &&
                   first + count <= static_cast<double>(n),
               "rows: rows [" << first << ", " << first + count << ") are outside the " << n << " rows of "
                              << shape_string(x.shape));
      auto t = std::make_shared<TensorImpl>(x);
      const int64_t row = n == 0 ? 0 : x.size / n;
      t->shape[0] = static_cast<int64_t>(count);
      t->size = row * static_cast<int64_t>(count);
      t->offset = x.offset + static_cast<size_t>(row * static_cast<int64_t>(first)) * dtype_size(x.dtype);
      return Wrap(env, std::move(t));
    });
  }

  // The longest typed array every supported Node makes (Node 20's V8: 2^32 elements);
  // src/tensor/tensor.ts has the same limit. Beyond it V8 aborts the process rather than
  // throwing, as it does when the bytes cannot be allocated: both are checked first.
  static constexpr uint64_t kMaxReadElements = uint64_t{1} << 32;

  // Throws unless `t` fits a typed array and `copies` copies of its bytes fit in memory.
  static void CheckReadable(const TensorImpl& t, const char* op, int copies) {
    TK_CHECK(static_cast<uint64_t>(t.size) <= kMaxReadElements,
             op << ": a tensor of " << t.size << " elements is longer than a JS typed array can be ("
                << kMaxReadElements << " elements): read it in slices");
    const uint64_t bytes = t.nbytes() * static_cast<uint64_t>(copies);
    if (bytes >= (uint64_t{256} << 20)) {
      const uint64_t available = host_memory_available();
      TK_CHECK(bytes <= available, op << ": out of memory: reading the tensor needs " << format_bytes(bytes)
                                      << ", but only " << format_bytes(available) << " is available");
    }
  }

  static Napi::Value MakeTypedArray(Napi::Env env, DType dtype, const void* bytes, size_t count) {
    const size_t n = count * dtype_size(dtype);
    Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, n);
    if (n) std::memcpy(buffer.Data(), bytes, n);
    switch (dtype) {
      case DType::Float32: return Napi::Float32Array::New(env, count, buffer, 0);
      case DType::Int32: return Napi::Int32Array::New(env, count, buffer, 0);
      case DType::Float64: return Napi::Float64Array::New(env, count, buffer, 0);
      case DType::Bool: return Napi::Uint8Array::New(env, count, buffer, 0);
    }
    return env.Undefined();
  }

  // read(handle) -> a copy of the data as a typed array.
  Napi::Value Read(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      const auto& t = UnwrapHandle(info[0], "read", "x")->tensor;
      CheckReadable(*t, "read", t->device().type == DeviceType::CPU ? 1 : 2);
      if (t->device().type == DeviceType::CPU) return MakeTypedArray(env, t->dtype, t->data(), t->size);
      std::vector<uint8_t> host(t->nbytes());
      backend_for(t->device()).copy_to_host(host.data(), t->data(), host.size());
      return MakeTypedArray(env, t->dtype, host.data(), t->size);
    });
  }

  // Copies off the main thread, holding a reference so the storage outlives a dispose().
  class ReadWorker : public Napi::AsyncWorker {
   public:
    ReadWorker(Napi::Env env, std::shared_ptr<TensorImpl> t)
        : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), tensor_(std::move(t)) {}
    Napi::Promise Promise() { return deferred_.Promise(); }
    void Execute() override {
      try {
        host_.resize(tensor_->nbytes());
        backend_for(tensor_->device()).copy_to_host(host_.data(), tensor_->data(), host_.size());
      } catch (const std::exception& e) {
        SetError(e.what());
      }
    }
    // Both may run while the environment terminates, when settling the promise fails:
    // nothing can observe it then, so the failure is dropped rather than thrown.
    void OnOK() override {
      try {
        deferred_.Resolve(MakeTypedArray(Env(), tensor_->dtype, host_.data(), tensor_->size));
      } catch (const Napi::Error& e) {
        Settle(e);
      } catch (const std::exception& e) {
        try {
          Settle(Napi::Error::New(Env(), e.what()));
        } catch (...) {
        }
      }
    }
    void OnError(const Napi::Error& e) override { Settle(e); }

   private:
    void Settle(const Napi::Error& e) noexcept {
      try {
        deferred_.Reject(e.Value());
      } catch (...) {
      }
    }

   public:
   private:
    Napi::Promise::Deferred deferred_;
    std::shared_ptr<TensorImpl> tensor_;
    std::vector<uint8_t> host_;
  };

  Napi::Value ReadAsync(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) -> Napi::Value {
      const auto& t = UnwrapHandle(info[0], "readAsync", "x")->tensor;
      CheckReadable(*t, "readAsync", 2);
      auto* worker = new ReadWorker(env, t);
      Napi::Promise promise = worker->Promise();
      worker->Queue();
      return promise;
    });
  }

  // dispose(handle): releases the storage now (unless a view still shares it). Disposing
  // twice is a no-op, as in TensorFlow.js.
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      HandleSlot* slot = nullptr;
      const HandleState state = Lookup(env, info[0], &slot);
      TK_CHECK(state != HandleState::kForeign, "dispose: expected a tensor handle");
      if (state == HandleState::kLive) ReleaseSlot(env, slot);
      return env.Undefined();
    });
  }

  // hostBuffer(handle) -> an External over a HostBuffer (host_buffer.h) with the CPU
  // tensor's own bytes, for the MPI shim to reduce in place or into; JS cannot read the
  // address. It keeps the storage alive until releaseHostBuffer (or its collection).
  Napi::Value HostBufferOf(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      const std::shared_ptr<TensorImpl> x = UnwrapHandle(info[0], "hostBuffer", "x")->tensor;
      TK_CHECK(x->device().type == DeviceType::CPU,
               "hostBuffer: expected a CPU tensor, got one on " << x->device().name());
      return Lend(env, x);
    });
  }

  // hostBufferPair(handle) -> [result handle, loan of x, loan of the result]: an all-reduce's
  // buffers in one call (the separate createTensor and two hostBuffer calls were most of a
  // small all-reduce's time). The result has x's shape and dtype on the CPU and is left
  // uninitialized: the collective writes every byte of it.
  Napi::Value HostBufferPair(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      const std::shared_ptr<TensorImpl> x = UnwrapHandle(info[0], "hostBufferPair", "x")->tensor;
      TK_CHECK(x->device().type == DeviceType::CPU,
               "hostBufferPair: expected a CPU tensor, got one on " << x->device().name());
      auto result = make_tensor(Device{}, x->dtype, x->shape, "hostBufferPair");
      ReportExternalMemory(env);
      return LendPair(env, x, std::move(result));
    });
  }

  // hostBufferSole(handle) -> a loan of the tensor's bytes when this handle is the only
  // thing that reaches them, else null: a CPU tensor whose TensorImpl only this handle's
  // slot holds (no other handle, loan or compiled plan) and whose storage only that
  // TensorImpl holds (no view of it, nor it a view of anything: offset 0, every byte its
  // own). Then a collective may reduce into it in place (MPI_IN_PLACE) without anyone else
  // seeing the change.
  Napi::Value HostBufferSole(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) -> Napi::Value {
      const std::shared_ptr<TensorImpl>& t = UnwrapHandle(info[0], "hostBufferSole", "x")->tensor;
      const bool sole = t->device().type == DeviceType::CPU && t.use_count() == 1 && t->storage.use_count() == 1 &&
                        t->offset == 0 && t->nbytes() == t->storage->bytes();
      return sole ? Lend(env, t) : env.Null();
    });
  }

  // deviceBuffer(handle) -> an External over a HostBuffer (host_buffer.h) with the CUDA
  // tensor's device memory, tagged kDeviceBufferTag, for the MPI shim's NCCL collectives.
  // The device's stream is synchronized first: the tensor's pending kernels are done, so
  // NCCL may read and write it on a stream of its own.
  Napi::Value DeviceBufferOf(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      const std::shared_ptr<TensorImpl> x = UnwrapHandle(info[0], "deviceBuffer", "x")->tensor;
      CheckCuda(x, "deviceBuffer");
      backend_for(x->device()).synchronize();
      return Lend(env, x);
    });
  }

  // deviceBufferPair(handle) -> [result handle, loan of x, loan of the result]: as
  // hostBufferPair, on x's CUDA device, with one synchronization of its stream.
  Napi::Value DeviceBufferPair(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      const std::shared_ptr<TensorImpl> x = UnwrapHandle(info[0], "deviceBufferPair", "x")->tensor;
      CheckCuda(x, "deviceBufferPair");
      auto result = make_tensor(x->device(), x->dtype, x->shape, "deviceBufferPair");
      backend_for(x->device()).synchronize();  // after the result's (stream-ordered) allocation
      return LendPair(env, x, std::move(result));
    });
  }

  // [result handle, loan of x, loan of result]: what hostBufferPair and deviceBufferPair return.
  Napi::Value LendPair(Napi::Env env, const std::shared_ptr<TensorImpl>& x, std::shared_ptr<TensorImpl> result) {
    const napi_value input_loan = Lend(env, x);
    const napi_value result_loan = Lend(env, result);
    const napi_value handle = Wrap(env, std::move(result));
    napi_value array;
    NAPI_THROW_IF_FAILED(env, napi_create_array_with_length(env, 3, &array), Napi::Value());
    NAPI_THROW_IF_FAILED(env, napi_set_element(env, array, 0, handle), Napi::Value());
    NAPI_THROW_IF_FAILED(env, napi_set_element(env, array, 1, input_loan), Napi::Value());
    NAPI_THROW_IF_FAILED(env, napi_set_element(env, array, 2, result_loan), Napi::Value());
    return Napi::Value(env, array);
  }

  static void CheckCuda(const std::shared_ptr<TensorImpl>& x, const char* op) {
    TK_CHECK(x->device().type == DeviceType::CUDA, op << ": expected a CUDA tensor, got one on " << x->device().name());
  }

  // A loan of `t`'s bytes: an External tagged as a HostBuffer (CPU memory) or as a device
  // buffer (CUDA memory), owning a reference to it.
  Napi::Value Lend(Napi::Env env, const std::shared_ptr<TensorImpl>& t) {
    const bool cuda = t->device().type == DeviceType::CUDA;
    auto* box = new HostBufferBox{{t->data(), t->nbytes(), static_cast<int32_t>(t->dtype), t->device().code()}, t};
    napi_value value;
    napi_status status = napi_create_external(env, box, OnHostBufferCollected, reclaim_, &value);
    if (status != napi_ok) {
      delete box;
      NAPI_THROW_IF_FAILED(env, status, Napi::Value());
    }
    reclaim_->Retain();  // the finalizer's
    NAPI_THROW_IF_FAILED(env, napi_type_tag_object(env, value, cuda ? &kDeviceBufferTag : &kHostBufferTag),
                         Napi::Value());
    return Napi::Value(env, value);
  }

  // releaseHostBuffer(buffer, ...more): lets the tensors go now; the views read as empty
  // after. Every argument is checked before any is released.
  Napi::Value ReleaseHostBuffer(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      const size_t n = std::max<size_t>(info.Length(), 1);
      InlineArray<HostBufferBox*, 4> boxes(n);
      for (size_t i = 0; i < n; ++i) {
        bool host = false, device = false;
        TK_CHECK(info[i].IsExternal() && napi_check_object_type_tag(env, info[i], &kHostBufferTag, &host) == napi_ok &&
                     napi_check_object_type_tag(env, info[i], &kDeviceBufferTag, &device) == napi_ok &&
                     (host || device),
                 "releaseHostBuffer: expected a loan from hostBuffer() or deviceBuffer() (argument " << i << ")");
        boxes[i] = info[i].As<Napi::External<HostBufferBox>>().Data();
      }
      for (size_t i = 0; i < n; ++i) {
        boxes[i]->tensor.reset();
        boxes[i]->view = HostBuffer{nullptr, 0, boxes[i]->view.dtype, boxes[i]->view.device};
      }
      return env.Undefined();
    });
  }

  // to(handle, device) -> a copy on another device.
  Napi::Value To(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      const std::shared_ptr<TensorImpl> src = UnwrapHandle(info[0], "to", "x")->tensor;
      const Device device = Device::from_code(info[1].As<Napi::Number>().Int32Value());
      auto dst = make_tensor(device, src->dtype, src->shape, "to");
      const size_t bytes = src->nbytes();
      if (src->device().type == DeviceType::CPU) {
        backend_for(device).copy_from_host(dst->data(), src->data(), bytes);
      } else if (device.type == DeviceType::CPU) {
        backend_for(src->device()).copy_to_host(dst->data(), src->data(), bytes);
      } else {
        std::vector<uint8_t> host(bytes);
        backend_for(src->device()).copy_to_host(host.data(), src->data(), bytes);
        backend_for(device).copy_from_host(dst->data(), host.data(), bytes);
      }
      return Wrap(env, std::move(dst));
    });
  }

  Napi::Value BackendInfo(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      Napi::Object result = Napi::Object::New(env);
      Napi::Object cpu = Napi::Object::New(env);
      const CpuFeatures& f = cpu_features();
      cpu.Set("isa", kernel_isa());
      cpu.Set("threads", num_threads());
      cpu.Set("avx2", f.avx2);
      cpu.Set("fma", f.fma);
      cpu.Set("avx512f", f.avx512f);
      result.Set("cpu", cpu);
      const CudaStatus& s = cuda_status();
      Napi::Object cuda = Napi::Object::New(env);
      cuda.Set("loaded", s.loaded);
      if (!s.library_path.empty()) cuda.Set("libraryPath", s.library_path);
      if (!s.loaded) cuda.Set("reason", s.reason);
      Napi::Array devices = Napi::Array::New(env);
      if (const TkCudaApi* api = cuda_api()) {
        for (int i = 0; i < api->device_count; ++i) {
          char name[256] = {0}, err[256] = {0};
          api->device_name(i, name, sizeof name, err, sizeof err);
          devices.Set(static_cast<uint32_t>(i), Napi::String::New(env, name));
        }
      }
      cuda.Set("devices", devices);
      result.Set("cuda", cuda);
      std::ostringstream hash;
      hash << std::hex << kOpsDefHash;
      result.Set("opsDefHash", hash.str());
      return result;
    });
  }

  // memoryInfo() -> { numTensors, reclaimed, young, hostCached, devices: { cpu: {tensors, bytes, buffers}, ... } }
  Napi::Value MemoryInfo(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      Napi::Object result = Napi::Object::New(env);
      Napi::Object devices = Napi::Object::New(env);
      int64_t total = 0;
      std::map<int, int64_t> codes = live_;
      codes[Device{}.code()] = live_cpu_;
      for (const auto& [code, count] : codes) {
        const Device device = Device::from_code(code);
        const DeviceMemoryStats s = memory_stats(device);
        Napi::Object d = Napi::Object::New(env);
        d.Set("tensors", static_cast<double>(count));
        d.Set("bytes", static_cast<double>(s.bytes));
        d.Set("buffers", static_cast<double>(s.buffers));
        devices.Set(device.name(), d);
        total += count;
      }
      result.Set("numTensors", static_cast<double>(total));
      result.Set("reclaimed", static_cast<double>(reclaimed_count_));
      result.Set("young", static_cast<double>(young_));
      result.Set("hostCached", static_cast<double>(host_cached_bytes()));
      result.Set("devices", devices);
      return result;
    });
  }

  // emptyCache() -> undefined: frees the CPU block caches' blocks (memoryInfo's hostCached).
  Napi::Value EmptyCache(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      release_host_cache();
      return env.Undefined();
    });
  }

  Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      const int n = info[0].As<Napi::Number>().Int32Value();
      TK_CHECK(n >= 1, "setNumThreads: expected a positive number of threads, got " << n);
      set_num_threads(n);
      return Napi::Number::New(env, num_threads());
    });
  }

  Napi::Value Synchronize(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      backend_for(Device::from_code(info[0].As<Napi::Number>().Int32Value())).synchronize();
      return env.Undefined();
    });
  }

  // ---- compiled steps (native/include/tessera/step_plan.h) ---------------------------
  struct PlanBox {
    std::unique_ptr<StepPlan> plan;  // reset by planDispose
  };

  static StepPlan& UnwrapPlan(const Napi::Value& v, const char* op) {
    TK_CHECK(v.IsExternal(), op << ": expected a plan");
    PlanBox* box = v.As<Napi::External<PlanBox>>().Data();
    TK_CHECK(box->plan != nullptr, op << ": the plan was disposed");
    return *box->plan;
  }

  static const double* Float64Data(const Napi::Value& v, const char* op, const char* what, size_t& length) {
    TK_CHECK(v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_float64_array,
             op << ": expected " << what << " as a Float64Array");
    Napi::Float64Array a = v.As<Napi::Float64Array>();
    length = a.ElementLength();
    return a.Data();
  }

  std::vector<const TensorImpl*> HandleList(const Napi::Value& v, const char* op, const char* what) {
    TK_CHECK(v.IsArray(), op << ": expected " << what << "s as an array of handles");
    Napi::Array a = v.As<Napi::Array>();
    std::vector<const TensorImpl*> out(a.Length());
    for (uint32_t i = 0; i < a.Length(); ++i) out[i] = UnwrapHandle(a.Get(i), op, what)->tensor.get();
    return out;
  }

  // planCreate(spec: Float64Array, recordedExternals: handle[]) -> plan
  Napi::Value PlanCreate(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) -> Napi::Value {
      size_t length = 0;
      const double* spec = Float64Data(info[0], "planCreate", "the spec", length);
      const std::vector<const TensorImpl*> externals = HandleList(info[1], "planCreate", "an external input");
      auto* box = new PlanBox{std::make_unique<StepPlan>(spec, length, externals)};
      ReportExternalMemory(env);
      return Napi::External<PlanBox>::New(env, box, [](Napi::Env, PlanBox* b) { delete b; });
    });
  }

  // planRun(plan, from, to, externals: handle[], boundOutputs: handle[], attrs: Float64Array)
  Napi::Value PlanRun(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) -> Napi::Value {
      StepPlan& plan = UnwrapPlan(info[0], "planRun");
      const std::vector<const TensorImpl*> externals = HandleList(info[3], "planRun", "an external input");
      const std::vector<const TensorImpl*> bound = HandleList(info[4], "planRun", "a bound output");
      size_t num_attrs = 0;
      const double* attrs = Float64Data(info[5], "planRun", "the attributes", num_attrs);
      plan.run(static_cast<size_t>(info[1].As<Napi::Number>().Int64Value()),
               static_cast<size_t>(info[2].As<Napi::Number>().Int64Value()), externals, bound, attrs, num_attrs);
      return env.Undefined();
    });
  }

  // planRead(plan, slot) -> a copy of the slot's data as a typed array.
  Napi::Value PlanRead(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      StepPlan& plan = UnwrapPlan(info[0], "planRead");
      const TkTensor t = plan.slot_view(info[1].As<Napi::Number>().Int32Value());
      const DType dtype = static_cast<DType>(t.dtype);
      if (plan.device().type == DeviceType::CPU) return MakeTypedArray(env, dtype, t.data, static_cast<size_t>(t.size));
      std::vector<uint8_t> host(static_cast<size_t>(t.size) * dtype_size(dtype));
      backend_for(plan.device()).copy_to_host(host.data(), t.data, host.size());
      return MakeTypedArray(env, dtype, host.data(), static_cast<size_t>(t.size));
    });
  }

  // planDispose(plan): releases the arena now; a second call does nothing.
  Napi::Value PlanDispose(const Napi::CallbackInfo& info) {
    return Guard(info, [&](Napi::Env env) {
      TK_CHECK(info[0].IsExternal(), "planDispose: expected a plan");
      info[0].As<Napi::External<PlanBox>>().Data()->plan.reset();
      return env.Undefined();
    });
  }

  std::map<int, int64_t> live_;  // live handles per device code but the CPU's, in this environment
  int64_t live_cpu_ = 0;
  int64_t reclaimed_count_ = 0;
  int64_t young_ = 0;  // live handles without a finalizer yet (Wrap's kYoung)
  int64_t reported_bytes_ = 0, mark_bytes_ = 0;
  static constexpr int64_t kTrimAfterBytes = int64_t{64} << 20;
  int64_t trimmed_since_ = 0;  // bytes the GC reclaimed since the heap was last trimmed
  HandleTable handles_;
  // Shared with the finalizers (see ReclaimQueue); this instance's share ends in the destructor.
  ReclaimQueue* reclaim_ = new ReclaimQueue;
  // runScratch()'s arguments: JS writes them into argBuffer(), a view of this memory.
  std::unique_ptr<double[]> scratch_{new double[kScratchDoubles]()};
};

}  // namespace

}  // namespace tessera

using tessera::TesseraAddon;
NODE_API_ADDON(TesseraAddon)
