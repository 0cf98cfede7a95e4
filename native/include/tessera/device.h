// Devices and the interface every backend implements (the CPU here, CUDA through the
// dlopen'ed library), so the N-API layer and the tests treat devices alike.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "abi.h"
#include "ops.h"

namespace tessera {

enum class DeviceType : int { CPU = 0, CUDA = 1 };

struct Device {
  DeviceType type = DeviceType::CPU;
  int index = 0;
  bool operator==(const Device& o) const { return type == o.type && index == o.index; }
  bool operator!=(const Device& o) const { return !(*this == o); }
  std::string name() const { return type == DeviceType::CPU ? "cpu" : "cuda:" + std::to_string(index); }
  // The code used on the JS boundary: -1 for the CPU, N for cuda:N.
  int code() const { return type == DeviceType::CPU ? -1 : index; }
  static Device from_code(int code) { return code < 0 ? Device{} : Device{DeviceType::CUDA, code}; }
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual void* allocate(size_t bytes) = 0;
  virtual void release(void* ptr) = 0;
  virtual void copy_from_host(void* dst, const void* src, size_t bytes) = 0;
  virtual void copy_to_host(void* dst, const void* src, size_t bytes) = 0;
  virtual bool has_kernel(OpId op) const = 0;
  virtual void run(OpId op, const TkKernelArgs& args) = 0;
  virtual void synchronize() = 0;
};

// The backend of a device; throws a clear error for a CUDA device that is not available.
Backend& backend_for(Device device);

// Bytes of host memory the CPU block cache holds for reuse (freed storage, not live).
uint64_t host_cached_bytes();

// Returns the host heap's free pages to the system (glibc's malloc keeps them otherwise).
void release_free_host_memory();

// Frees every block the CPU block caches keep for reuse, then returns free heap pages to
// the system (ts.emptyCache). Live tensors are untouched.
void release_host_cache();

}  // namespace tessera
