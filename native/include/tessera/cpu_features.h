// What this CPU can run, read once from cpuid, so one binary picks its fastest kernels.
#pragma once
#include <string>

namespace tessera {

struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool avx512f = false;
  // Per-core data caches in bytes, from the OS; common sizes where it does not say.
  long l1d_bytes = 32 * 1024;
  long l2_bytes = 1024 * 1024;
};

const CpuFeatures& cpu_features();
// "avx512", "avx2" or "portable", after the TESSERA_ISA override (for tests).
std::string kernel_isa();

}  // namespace tessera
