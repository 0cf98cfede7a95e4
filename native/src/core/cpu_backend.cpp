// The CPU backend: 64-byte aligned host memory and the cpu:: kernel table of ops.def.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "tessera/cuda_loader.h"
#include "tessera/device.h"
#include "tessera/errors.h"
#include "tessera/kernel.h"

namespace tessera {

namespace {

#define TK_CPU_ENTRY_CPU_ONLY(name) &cpu::name,
#define TK_CPU_ENTRY_CPU_CUDA(name) &cpu::name,
const KernelFn kCpuKernels[kNumOps] = {
#define TK_OP(name, inputs, outputs, devices) TK_CPU_ENTRY_##devices(name)
#include "../../ops.def"
#undef TK_OP
};

constexpr size_t kAlignment = 64;

class CpuBackend final : public Backend {
 public:
  void* allocate(size_t bytes) override {
    // aligned_alloc needs a multiple of the alignment; zero-size tensors still get a
    // valid, unique pointer.
    const size_t rounded = ((bytes + kAlignment - 1) / kAlignment) * kAlignment;
    void* p = std::aligned_alloc(kAlignment, rounded == 0 ? kAlignment : rounded);
    TK_CHECK(p != nullptr, "cpu: out of memory allocating " << bytes << " bytes");
    return p;
  }
  void release(void* ptr) override { std::free(ptr); }
  void copy_from_host(void* dst, const void* src, size_t bytes) override {
    if (bytes) std::memcpy(dst, src, bytes);
  }
  void copy_to_host(void* dst, const void* src, size_t bytes) override {
    if (bytes) std::memcpy(dst, src, bytes);
  }
  bool has_kernel(OpId) const override { return true; }
  void run(OpId op, const TkKernelArgs& args) override { kCpuKernels[static_cast<int>(op)](KernelArgs(args)); }
  void synchronize() override {}
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

}  // namespace

Backend& backend_for(Device device) {
  static CpuBackend cpu_backend;
  if (device.type == DeviceType::CPU) return cpu_backend;
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

const OpInfo kOpInfo[kNumOps] = {
#define TK_OP(name, inputs, outputs, devices) {#name, inputs, outputs},
#include "../../ops.def"
#undef TK_OP
};

}  // namespace tessera
