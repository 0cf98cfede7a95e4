#include "tessera/tensor.h"

#include <atomic>
#include <mutex>
#include <unordered_map>

#include "tessera/errors.h"

namespace tessera {

namespace {
// Per-device counters; a handful of devices, so a mutex-guarded map is cheap enough next
// to an allocation.
std::mutex stats_mutex;
std::unordered_map<int, DeviceMemoryStats>& stats_map() {
  static auto* m = new std::unordered_map<int, DeviceMemoryStats>();
  return *m;
}
void account(Device device, int64_t bytes, int64_t buffers) {
  std::lock_guard<std::mutex> lock(stats_mutex);
  auto& s = stats_map()[device.code()];
  s.bytes += bytes;
  s.buffers += buffers;
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
  std::lock_guard<std::mutex> lock(stats_mutex);
  auto it = stats_map().find(device.code());
  return it == stats_map().end() ? DeviceMemoryStats{} : it->second;
}

int64_t shape_size(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

TkTensor TensorImpl::view() const {
  TkTensor t{};
  t.data = storage->data();
  t.dtype = static_cast<int32_t>(dtype);
  t.rank = static_cast<int32_t>(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) t.shape[i] = shape[i];
  t.size = size;
  return t;
}

std::shared_ptr<TensorImpl> make_tensor(Device device, DType dtype, std::vector<int64_t> shape) {
  TK_CHECK(shape.size() <= TK_MAX_RANK,
           "tensor: expected rank at most " << TK_MAX_RANK << ", got rank " << shape.size());
  for (int64_t d : shape) TK_CHECK(d >= 0, "tensor: expected non-negative dimensions, got " << d);
  auto t = std::make_shared<TensorImpl>();
  t->dtype = dtype;
  t->shape = std::move(shape);
  t->size = shape_size(t->shape);
  t->storage = std::make_shared<Storage>(device, t->nbytes());
  return t;
}

}  // namespace tessera
