// Temporary device memory for one kernel call (split-K partials, pooling's argmax, the
// GRU's intermediate products), from the current device's caching allocator. Released
// when it goes out of scope, in stream order: the kernels already queued that use it run
// before the block's next user, which is on the same stream.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>

#include "allocator.h"
#include "check.h"

namespace tessera::cuda {

class Scratch {
 public:
  explicit Scratch(size_t bytes) {
    TK_CUDA_CHECK(cudaGetDevice(&device_));
    if (bytes) ptr_ = allocate(device_, bytes);
  }
  ~Scratch() {
    try {
      release(device_, ptr_);
    } catch (...) {
      // A release fails only with a lost context, which the next call reports.
    }
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  template <typename T>
  T* as() const {
    return static_cast<T*>(ptr_);
  }

 private:
  int device_ = 0;
  void* ptr_ = nullptr;
};

}  // namespace tessera::cuda
