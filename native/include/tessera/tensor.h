// Ref-counted storage and the tensor a JS handle points to. Views (reshape, a range of
// rows) share the storage; the last reference returns the bytes to the device's backend.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "abi.h"
#include "device.h"
#include "dtype.h"

namespace tessera {

class Storage {
 public:
  Storage(Device device, size_t bytes);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  void* data() const { return data_; }
  size_t bytes() const { return bytes_; }
  Device device() const { return device_; }

 private:
  Device device_;
  size_t bytes_;
  void* data_;
};

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  DType dtype = DType::Float32;
  std::vector<int64_t> shape;
  int64_t size = 0;
  // Where the tensor's bytes begin in the storage: 0 except for a view of a range of rows
  // (rows()), which lets a batch of a data set be read in place instead of copied.
  size_t offset = 0;

  Device device() const { return storage->device(); }
  void* data() const { return static_cast<uint8_t*>(storage->data()) + offset; }
  size_t nbytes() const { return static_cast<size_t>(size) * dtype_size(dtype); }
  TkTensor view() const;
};

// The most elements (and the largest dimension) a tensor may have: 2^53 - 1, the largest
// integer a JS number holds exactly, so the TypeScript side (src/tensor/shape.ts, the same
// limit) and this side always agree on a size.
constexpr int64_t kMaxElements = (int64_t{1} << 53) - 1;

// The number of elements of `shape`; throws (naming `op`) on a negative dimension or a
// product above kMaxElements, checked without overflow.
int64_t shape_size(const std::vector<int64_t>& shape, const char* op = "tensor");

// A new tensor with fresh (uninitialized) storage on `device`. Errors name `op`.
std::shared_ptr<TensorImpl> make_tensor(Device device, DType dtype, std::vector<int64_t> shape,
                                        const char* op = "tensor");

// "[2, 3]", for messages.
std::string shape_string(const std::vector<int64_t>& shape);

// Live storage bytes and buffers per device, kept by Storage itself.
struct DeviceMemoryStats {
  int64_t bytes = 0;
  int64_t buffers = 0;
};
DeviceMemoryStats memory_stats(Device device);

}  // namespace tessera
