// The CPU backend: 64-byte aligned host memory (with a cache of large blocks) and the
// cpu:: kernel table of ops.def.
#include <cstdlib>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "tessera/attr_check.h"
#include "tessera/cuda_loader.h"
#include "tessera/device.h"
#include "tessera/errors.h"
#include "tessera/host_memory.h"
#include "tessera/kernel.h"
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

// Large host blocks come from mmap in glibc, and every fresh one is page-faulted and
// zeroed by the kernel on first touch: for the activations of a training step (MBs each,
// the same sizes every step) that cost as much as the kernels writing them. Released
// blocks of at least kCacheMinBytes are kept in free lists by exact (page-rounded) size
// and handed out again. The cache holds blocks of at most kCacheMaxBytes, and at most the
// larger of kCacheMaxBytes and twice the most bytes of such blocks ever lent at once: a
// step whose activations exceed the fixed cap (the CNN at batch 1,024) takes back blocks
// of the same sizes every step, and a cap below its working set (more than the live
// peak: a freed block serves only its own size) made every step fault most of them in
// afresh (3,000-25,000 page faults a step, 2x slower). Over the cap it drops blocks of
// other sizes first, and it empties itself when an allocation fails.
// Every block starts with a header holding its size, since release() is given no size.
// memory() counts tensors' storage, so cached blocks never show there as live bytes.
constexpr size_t kHeader = kAlignment;
constexpr size_t kPage = 4096;
constexpr size_t kCacheMinBytes = size_t{64} << 10;
constexpr size_t kCacheMaxBytes = size_t{512} << 20;
// Allocations from this size on are compared with the memory available (a read of /proc,
// tens of microseconds: nothing next to touching that many bytes).
constexpr size_t kCheckAvailableBytes = size_t{256} << 20;

class HostBlockCache {
 public:
  // A block of `bytes` (a page multiple when cacheable), from the cache when one fits
  // (then counted as lent; a fresh block is counted by lent_fresh).
  void* take(size_t bytes) {
    if (bytes < kCacheMinBytes) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = free_.find(bytes);
    if (it == free_.end() || it->second.empty()) return nullptr;
    void* block = it->second.back();
    it->second.pop_back();
    cached_ -= bytes;
    lend(bytes);
    return block;
  }

  // A fresh block of `bytes` went out (the cache had none of its size).
  void lent_fresh(size_t bytes) {
    if (bytes < kCacheMinBytes) return;
    std::lock_guard<std::mutex> lock(mutex_);
    lend(bytes);
  }

  // Keeps the block for reuse; false when it is not cacheable (the caller frees it).
  bool give(void* block, size_t bytes) {
    if (bytes < kCacheMinBytes) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    lent_ -= bytes;
    if (bytes > kCacheMaxBytes) return false;  // one huge tensor's memory goes back at once
    const size_t cap = std::max(kCacheMaxBytes, 2 * peak_lent_);
    if (cached_ + bytes > cap) trim(cap - bytes, bytes);
    if (cached_ + bytes > cap) return false;
    free_[bytes].push_back(block);
    cached_ += bytes;
    return true;
  }

  // Bytes held for reuse (not counted as live by memory_stats).
  size_t cached() {
    std::lock_guard<std::mutex> lock(mutex_);
    return cached_;
  }

  // Frees every cached block (after a failed allocation).
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    trim(0, 0);
  }

 private:
  // Frees cached blocks until at most `limit` bytes stay, sparing blocks of size `keep`.
  void trim(size_t limit, size_t keep) {
    for (auto it = free_.begin(); it != free_.end() && cached_ > limit; ++it) {
      if (it->first == keep) continue;
      while (!it->second.empty() && cached_ > limit) {
        std::free(it->second.back());
        it->second.pop_back();
        cached_ -= it->first;
      }
    }
  }

  void lend(size_t bytes) {
    lent_ += bytes;
    peak_lent_ = std::max(peak_lent_, lent_);
  }

  std::mutex mutex_;
  std::unordered_map<size_t, std::vector<void*>> free_;
  size_t cached_ = 0;
  size_t lent_ = 0;       // blocks of kCacheMinBytes or more now out
  size_t peak_lent_ = 0;  // the most of them out at once
};

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

 private:
  static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }
  HostBlockCache cache_;
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
