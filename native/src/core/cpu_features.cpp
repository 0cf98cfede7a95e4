#include "tessera/cpu_features.h"

#include <cstdlib>

#if defined(__linux__)
#include <unistd.h>
#endif

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#endif

namespace tessera {

namespace {

// The GEMM sizes its cache blocks from these (gemm_simd.h). glibc reads them from cpuid
// or sysfs; 0 or -1 means unknown, and the defaults stand.
void detect_caches(CpuFeatures& f) {
#if defined(__linux__) && defined(_SC_LEVEL1_DCACHE_SIZE)
  if (const long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE); l1 > 0) f.l1d_bytes = l1;
  if (const long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE); l2 > 0) f.l2_bytes = l2;
#endif
}

CpuFeatures detect() {
  CpuFeatures f;
  detect_caches(f);
#if defined(__x86_64__) || defined(_M_X64)
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  const bool osxsave = c & (1u << 27);
  const bool fma = c & (1u << 12);
  if (!osxsave) return f;
  // The OS must save the wide registers on context switch (XCR0), or the instructions fault.
  unsigned xcr0_lo, xcr0_hi;
  __asm__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
  const bool ymm_saved = (xcr0_lo & 0x6) == 0x6;
  const bool zmm_saved = (xcr0_lo & 0xe6) == 0xe6;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return f;
  f.avx2 = ymm_saved && (b & (1u << 5));
  f.fma = ymm_saved && fma;
  f.avx512f = zmm_saved && (b & (1u << 16));
#endif
  return f;
}

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures f = detect();
  return f;
}

std::string kernel_isa() {
  const CpuFeatures& f = cpu_features();
  std::string best = f.avx512f && f.fma ? "avx512" : (f.avx2 && f.fma ? "avx2" : "portable");
  // TESSERA_ISA may only lower the choice: asking for AVX-512 on a CPU without it would crash.
  if (const char* env = std::getenv("TESSERA_ISA")) {
    const std::string want = env;
    if (want == "portable") return want;
    if (want == "avx2" && f.avx2 && f.fma) return want;
  }
  return best;
}

}  // namespace tessera
