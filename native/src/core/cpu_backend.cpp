// The CPU backend: 64-byte aligned host memory (with a cache of large blocks) and the
// cpu:: kernel table of ops.def.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tessera/attr_check.h"
#include "tessera/cuda_loader.h"
#include "tessera/device.h"
#include "tessera/errors.h"
#include "tessera/host_memory.h"
#include "tessera/kernel.h"
#include "tessera/large_block_cache.h"
#include "tessera/small_block_cache.h"

namespace tessera {

namespace {

#define TK_CPU_ENTRY_CPU_ONLY(name) &cpu::name,
#define TK_CPU_ENTRY_CPU_CUDA(name) &cpu::name,
const KernelFn kCpuKernels[kNumOps] = {
#define TK_OP(name, inputs, outputs, devices, ...) TK_CPU_ENTRY_##devices(name)
#include "../../ops.def"
#undef TK_OP
};

constexpr size_t kAlignment = 64;

// Every block starts with a header holding its size, since release() is given no size.
// memory() counts tensors' storage, so cached blocks never show there as live bytes.
constexpr size_t kHeader = kAlignment;
constexpr size_t kPage = 4096;
// Freed blocks of 64 KiB and more are kept by the large block cache (large_block_cache.h:
// none over 512 MiB, and at least 512 MiB in all), those of at most 1 KiB by the small one.
constexpr size_t kCacheMinBytes = size_t{64} << 10;
constexpr size_t kCacheFloorBytes = size_t{512} << 20;
// Allocations from this size on are compared with the memory available (a read of /proc,
// tens of microseconds: nothing next to touching that many bytes).
constexpr size_t kCheckAvailableBytes = size_t{256} << 20;

class CpuBackend final : public Backend {
 public:
  void* allocate(size_t bytes) override {
    // More than the machine can give is refused here, before any work: with overcommit
    // the allocation itself would succeed and the process die of OOM while filling it.
    if (bytes >= kCheckAvailableBytes) {
      const uint64_t available = host_memory_available();
      TK_CHECK(bytes <= available, "out of memory: asked for " << format_bytes(bytes) << ", but only "
                                                               << format_bytes(available) << " of memory is available");
    }
    // Zero-size tensors still get a valid, unique pointer.
    size_t total = kHeader + round_up(bytes == 0 ? 1 : bytes, kAlignment);
    if (total >= kCacheMinBytes) total = round_up(total, kPage);
    void* block = total >= kCacheMinBytes ? cache_.take(total) : small_.take(total);
    if (block == nullptr) {
      block = std::aligned_alloc(kAlignment, total);
      if (block == nullptr) {
        cache_.clear();
        small_.clear();
        block = std::aligned_alloc(kAlignment, total);
      }
      TK_CHECK(block != nullptr, "cpu: out of memory allocating " << bytes << " bytes");
      cache_.lent_fresh(total);
    }
    *static_cast<size_t*>(block) = total;
    return static_cast<char*>(block) + kHeader;
  }
  void release(void* ptr) override {
    void* block = static_cast<char*>(ptr) - kHeader;
    const size_t total = *static_cast<size_t*>(block);
    if (!(total >= kCacheMinBytes ? cache_.give(block, total) : small_.give(block, total))) std::free(block);
  }
  void copy_from_host(void* dst, const void* src, size_t bytes) override {
    if (bytes) std::memcpy(dst, src, bytes);
  }
  void copy_to_host(void* dst, const void* src, size_t bytes) override {
    if (bytes) std::memcpy(dst, src, bytes);
  }
  bool has_kernel(OpId) const override { return true; }
  void run(OpId op, const TkKernelArgs& args) override {
    attrs::check_attrs(static_cast<int>(op), args);  // before the kernel: none reads past its attributes
    kCpuKernels[static_cast<int>(op)](KernelArgs(args));
  }
  void synchronize() override {}
  size_t cached_bytes() { return cache_.cached(); }
  void empty_caches() {
    cache_.clear();
    small_.clear();
  }

 private:
  static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }
  LargeBlockCache cache_{kCacheMinBytes, kCacheFloorBytes};
  SmallBlockCache small_;  // blocks of at most 1 KB: tiny outputs skip aligned_alloc
};

// Adapts the CUDA library's C entry points to the Backend interface, turning its error
// codes into exceptions.
class CudaBackend final : public Backend {
 public:
  CudaBackend(const TkCudaApi* api, int device) : api_(api), device_(device) {}
  void* allocate(size_t bytes) override {
    void* p = nullptr;
    char err[512] = {0};
    check(api_->malloc(device_, bytes, &p, err, sizeof err), err);
    return p;
  }
  void release(void* ptr) override {
    char err[512] = {0};
    api_->free(device_, ptr, err, sizeof err);  // a destructor must not throw
  }
  void copy_from_host(void* dst, const void* src, size_t bytes) override {
    char err[512] = {0};
    check(api_->copy_to_device(device_, dst, src, bytes, err, sizeof err), err);
  }
  void copy_to_host(void* dst, const void* src, size_t bytes) override {
    char err[512] = {0};
    check(api_->copy_to_host(device_, dst, src, bytes, err, sizeof err), err);
  }
  bool has_kernel(OpId op) const override { return api_->has_kernel(static_cast<int>(op)) != 0; }
  void run(OpId op, const TkKernelArgs& args) override {
    char err[512] = {0};
    const int rc = api_->run(device_, static_cast<int>(op), &args, err, sizeof err);
    TK_CHECK(rc != -1, kOpInfo[static_cast<int>(op)].name << ": no CUDA kernel yet; move the inputs to the cpu");
    check(rc, err);
  }
  void synchronize() override {
    char err[512] = {0};
    check(api_->synchronize(device_, err, sizeof err), err);
  }

 private:
  // Error text lives in a buffer per call, so threads (workers) never share one.
  void check(int rc, const char* err) const {
    if (rc != 0) throw Error("cuda:" + std::to_string(device_) + ": " + err);
  }
  const TkCudaApi* api_;
  int device_;
};

CpuBackend& cpu_backend() {
  // Never destroyed: storage released during process teardown still finds its cache.
  static CpuBackend& backend = *new CpuBackend;
  return backend;
}

}  // namespace

Backend& backend_for(Device device) {
  if (device.type == DeviceType::CPU) return cpu_backend();
  const TkCudaApi* api = cuda_api();
  TK_CHECK(api != nullptr, "device " << device.name() << " is not available: " << cuda_status().reason);
  TK_CHECK(device.index >= 0 && device.index < api->device_count,
           "device " << device.name() << " is not available: found " << api->device_count << " CUDA device(s)");
  static std::vector<std::unique_ptr<CudaBackend>> cuda_backends = [api] {
    std::vector<std::unique_ptr<CudaBackend>> v;
    for (int i = 0; i < api->device_count; ++i) v.push_back(std::make_unique<CudaBackend>(api, i));
    return v;
  }();
  return *cuda_backends[device.index];
}

uint64_t host_cached_bytes() { return cpu_backend().cached_bytes(); }

void release_host_cache() {
  cpu_backend().empty_caches();
  release_free_host_memory();
}

void release_free_host_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

const OpInfo kOpInfo[kNumOps] = {
#define TK_OP(name, inputs, outputs, devices, ...) {#name, inputs, outputs},
#include "../../ops.def"
#undef TK_OP
};

}  // namespace tessera
