#include "allocator.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "check.h"
#include "device.h"

namespace tessera::cuda {

namespace {

// The policy both kinds share: when the device is out of memory, release what is cached
// and try once more.
class DeviceAllocator {
 public:
  virtual ~DeviceAllocator() = default;
  // nullptr when the device is out of memory even then.
  void* allocate(size_t bytes) {
    void* ptr = nullptr;
    cudaError_t status = try_allocate(bytes, &ptr);
    if (status == cudaErrorMemoryAllocation) {
      cudaGetLastError();  // else the next launch check would report it as its own
      release_cached();
      status = try_allocate(bytes, &ptr);
    }
    if (status == cudaErrorMemoryAllocation) {
      cudaGetLastError();
      return nullptr;
    }
    if (status != cudaSuccess) throw_cuda_error("allocating " + std::to_string(bytes) + " bytes", status);
    return ptr;
  }
  virtual void release(void* ptr) = 0;

 protected:
  virtual cudaError_t try_allocate(size_t bytes, void** ptr) = 0;
  virtual void release_cached() = 0;
};

// A pool of our own rather than the device's default one, so that keeping memory
// (release threshold: never) and trimming it touch nothing else in the process.
class StreamOrderedPool final : public DeviceAllocator {
 public:
  explicit StreamOrderedPool(int device) : device_(device) {
    cudaMemPoolProps props{};
    props.allocType = cudaMemAllocationTypePinned;
    props.location.type = cudaMemLocationTypeDevice;
    props.location.id = device;
    TK_CUDA_CHECK(cudaMemPoolCreate(&pool_, &props));
    uint64_t keep_everything = UINT64_MAX;
    TK_CUDA_CHECK(cudaMemPoolSetAttribute(pool_, cudaMemPoolAttrReleaseThreshold, &keep_everything));
  }
  void release(void* ptr) override { TK_CUDA_CHECK(cudaFreeAsync(ptr, activate(device_))); }

 protected:
  cudaError_t try_allocate(size_t bytes, void** ptr) override {
    return cudaMallocFromPoolAsync(ptr, bytes, pool_, activate(device_));
  }
  void release_cached() override {
    // Blocks freed on the stream return to the pool only once the stream reaches them.
    TK_CUDA_CHECK(cudaStreamSynchronize(activate(device_)));
    TK_CUDA_CHECK(cudaMemPoolTrimTo(pool_, 0));
  }

 private:
  int device_;
  cudaMemPool_t pool_ = nullptr;
};

// Sizes round up to four steps per power of two (at most 25% slack), so blocks of nearby
// sizes are shared. Reuse needs no event: the block's next user runs on the same stream.
class BucketCache final : public DeviceAllocator {
 public:
  explicit BucketCache(int device) : device_(device) {}
  void release(void* ptr) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = live_.find(ptr);
    TK_CHECK(it != live_.end(), "release of a pointer this allocator did not hand out");
    free_[it->second].push_back(ptr);
    live_.erase(it);
  }

 protected:
  cudaError_t try_allocate(size_t bytes, void** ptr) override {
    const size_t size = bucket_size(bytes);
    std::lock_guard<std::mutex> lock(mutex_);
    auto& free_list = free_[size];
    if (!free_list.empty()) {
      *ptr = free_list.back();
      free_list.pop_back();
    } else {
      activate(device_);
      const cudaError_t status = cudaMalloc(ptr, size);
      if (status != cudaSuccess) return status;
    }
    live_[*ptr] = size;
    return cudaSuccess;
  }
  // cudaFree waits for the device, so no block is freed under a running kernel.
  void release_cached() override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [size, blocks] : free_) {
      for (void* ptr : blocks) TK_CUDA_CHECK(cudaFree(ptr));
    }
    free_.clear();
  }

 private:
  static size_t bucket_size(size_t bytes) {
    constexpr size_t kMinimum = 512;
    if (bytes <= kMinimum) return kMinimum;
    if (bytes > (SIZE_MAX >> 2)) return bytes;  // no GPU has it; cudaMalloc will say so
    size_t power = kMinimum;
    while (power * 2 < bytes) power *= 2;  // power < bytes <= 2 * power
    const size_t step = power / 4;
    return (bytes + step - 1) / step * step;
  }
  int device_;
  std::mutex mutex_;
  std::unordered_map<size_t, std::vector<void*>> free_;
  std::unordered_map<void*, size_t> live_;
};

std::unique_ptr<DeviceAllocator> make_allocator(int device) {
  const char* choice = std::getenv("TESSERA_CUDA_ALLOCATOR");
  const std::string name = choice ? choice : "";
  TK_CHECK(name.empty() || name == "pool" || name == "cache",
           "TESSERA_CUDA_ALLOCATOR: expected pool or cache, got '" << name << "'");
  int pools_supported = 0;
  TK_CUDA_CHECK(cudaDeviceGetAttribute(&pools_supported, cudaDevAttrMemoryPoolsSupported, device));
  TK_CHECK(name != "pool" || pools_supported,
           "TESSERA_CUDA_ALLOCATOR=pool: this device or driver has no stream-ordered memory pools");
  if (name == "cache" || !pools_supported) return std::make_unique<BucketCache>(device);
  return std::make_unique<StreamOrderedPool>(device);
}

std::string gib(size_t bytes) {
  std::ostringstream s;
  s.precision(2);
  s << std::fixed << static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0) << " GiB";
  return s.str();
}

DeviceAllocator& allocator_of(int device) {
  static std::mutex mutex;
  // Leaked on purpose, like the streams: nothing may run after the driver has shut down.
  static auto* allocators = new std::vector<std::unique_ptr<DeviceAllocator>>(device_count());
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = (*allocators)[device];
  if (!slot) slot = make_allocator(device);
  return *slot;
}

}  // namespace

void* allocate(int device, size_t bytes) {
  activate(device);  // checks the index
  // Every tensor gets a distinct, valid pointer, empty ones too (as on the CPU).
  void* ptr = allocator_of(device).allocate(bytes == 0 ? 1 : bytes);
  if (!ptr) {
    size_t free_bytes = 0, total_bytes = 0;
    cudaMemGetInfo(&free_bytes, &total_bytes);
    cudaGetLastError();
    throw Error("out of memory: asked for " + std::to_string(bytes) + " bytes (" + gib(bytes) + "), " +
                std::to_string(free_bytes) + " bytes (" + gib(free_bytes) + ") of " + gib(total_bytes) +
                " free after releasing cached memory");
  }
  return ptr;
}

void release(int device, void* ptr) {
  if (ptr) allocator_of(device).release(ptr);
}

}  // namespace tessera::cuda
