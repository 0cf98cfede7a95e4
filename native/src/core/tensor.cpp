#include "tessera/tensor.h"

#include <atomic>
#include <sstream>

#include "tessera/errors.h"

namespace tessera {

namespace {
// Per-device counters, lock-free: every op allocates, so a mutex here would show up in
// the per-op overhead. Slot 0 is the CPU, slot 1 + N is cuda:N.
constexpr int kMaxDevices = 64;
struct Counters {
  std::atomic<int64_t> bytes{0};
  std::atomic<int64_t> buffers{0};
};
Counters counters[kMaxDevices + 1];

Counters* counters_for(Device device) {
  const int slot = device.code() + 1;
  return slot >= 0 && slot <= kMaxDevices ? &counters[slot] : nullptr;
}

void account(Device device, int64_t bytes, int64_t buffers) {
  if (Counters* c = counters_for(device)) {
    c->bytes.fetch_add(bytes, std::memory_order_relaxed);
    c->buffers.fetch_add(buffers, std::memory_order_relaxed);
  }
}
}  // namespace

Storage::Storage(Device device, size_t bytes) : device_(device), bytes_(bytes) {
  data_ = backend_for(device).allocate(bytes);
  account(device_, static_cast<int64_t>(bytes_), 1);
}

Storage::~Storage() {
  backend_for(device_).release(data_);
  account(device_, -static_cast<int64_t>(bytes_), -1);
}

DeviceMemoryStats memory_stats(Device device) {
  const Counters* c = counters_for(device);
  if (!c) return {};
  return DeviceMemoryStats{c->bytes.load(std::memory_order_relaxed), c->buffers.load(std::memory_order_relaxed)};
}

std::string shape_string(const std::vector<int64_t>& shape) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}

int64_t shape_size(const std::vector<int64_t>& shape, const char* op) {
  for (int64_t d : shape) {
    TK_CHECK(d >= 0, op << ": expected non-negative dimensions, got " << d << " in " << shape_string(shape));
    if (d == 0) return 0;  // an empty tensor, however large its other dimensions
  }
  int64_t n = 1;
  for (int64_t d : shape) {
    TK_CHECK(!__builtin_mul_overflow(n, d, &n) && n <= kMaxElements,
             op << ": shape " << shape_string(shape) << " has more than 2^53 - 1 elements");
  }
  return n;
}

TkTensor TensorImpl::view() const {
  TkTensor t{};
  t.data = data();
  t.dtype = static_cast<int32_t>(dtype);
  t.rank = static_cast<int32_t>(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) t.shape[i] = shape[i];
  t.size = size;
  return t;
}

std::shared_ptr<TensorImpl> make_tensor(Device device, DType dtype, std::vector<int64_t> shape, const char* op) {
  TK_CHECK(shape.size() <= TK_MAX_RANK,
           op << ": expected rank at most " << TK_MAX_RANK << ", got rank " << shape.size());
  auto t = std::make_shared<TensorImpl>();
  t->dtype = dtype;
  t->size = shape_size(shape, op);  // at most 2^53 elements of at most 8 bytes: no overflow below
  t->shape = std::move(shape);
  try {
    t->storage = std::make_shared<Storage>(device, t->nbytes());
  } catch (const std::exception& e) {
    // Out of memory (the backend's message says how much was asked and available).
    throw Error(std::string(op) + ": cannot allocate a " + dtype_name(dtype) + " tensor of shape " +
                shape_string(t->shape) + " on " + device.name() + ": " + e.what());
  }
  return t;
}

}  // namespace tessera
