// Host-side choices of gemm.cuh: whether TF32 tensor cores may be used, and the
// multiprocessor count that sizes split-K. Both are per device, queried once.
#include <cuda_runtime_api.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

#include "check.h"

namespace tessera::cuda {

namespace {

constexpr int kMaxDevices = 64;

struct DeviceFacts {
  int major = 0;
  int multiprocessors = 0;
};

const DeviceFacts& facts() {
  static std::mutex mutex;
  static DeviceFacts table[kMaxDevices];
  static bool known[kMaxDevices] = {};
  int device = 0;
  TK_CUDA_CHECK(cudaGetDevice(&device));
  TK_CHECK(device >= 0 && device < kMaxDevices,
           "cuda:" << device << " is beyond the " << kMaxDevices << " devices supported");
  std::lock_guard<std::mutex> lock(mutex);
  if (!known[device]) {
    TK_CUDA_CHECK(cudaDeviceGetAttribute(&table[device].major, cudaDevAttrComputeCapabilityMajor, device));
    TK_CUDA_CHECK(cudaDeviceGetAttribute(&table[device].multiprocessors, cudaDevAttrMultiProcessorCount, device));
    known[device] = true;
  }
  return table[device];
}

// TESSERA_ALLOW_TF32=1 (or true): float32 GEMMs and convolutions may round their operands
// to TF32 on sm_80+, as torch.backends.cuda.matmul.allow_tf32 does. Read once per process.
bool tf32_requested() {
  static const bool requested = [] {
    const char* v = std::getenv("TESSERA_ALLOW_TF32");
    return v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
  }();
  return requested;
}

}  // namespace

bool tf32_allowed() { return tf32_requested() && facts().major >= 8; }

int multiprocessor_count() { return facts().multiprocessors; }

}  // namespace tessera::cuda
