// Picks the micro-kernel family once from kernel_isa(); tests may force another.
#include "gemm_isa.h"

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "gemm_arch.h"
#include "tessera/cpu_features.h"

namespace tessera::cpu {

namespace {

enum Family : int { kPortable, kAvx2, kAvx512 };

Family family_of(const std::string& isa) {
#if TESSERA_GEMM_X86
  if (isa == "avx512") return kAvx512;
  if (isa == "avx2") return kAvx2;
#endif
  return kPortable;
}

std::atomic<int>& chosen() {
  static std::atomic<int> family{family_of(kernel_isa())};
  return family;
}

}  // namespace

std::string gemm_isa() {
  static const char* const names[] = {"portable", "avx2", "avx512"};
  return names[chosen().load()];
}

std::vector<std::string> gemm_isas_available() {
  std::vector<std::string> isas;
  const Family best = family_of(kernel_isa());
  if (best >= kAvx512) isas.push_back("avx512");
  if (best >= kAvx2) isas.push_back("avx2");
  isas.push_back("portable");
  return isas;
}

void set_gemm_isa_for_testing(const std::string& isa) {
  if (isa.empty()) {
    chosen() = family_of(kernel_isa());
    return;
  }
  const auto available = gemm_isas_available();
  if (std::find(available.begin(), available.end(), isa) == available.end()) {
    throw std::invalid_argument("set_gemm_isa_for_testing: expected one of this CPU's GEMM kernels, got '" + isa + "'");
  }
  chosen() = family_of(isa);
}

namespace gemm_detail {

template <typename T>
const GemmArch<T>& current_arch() {
  switch (chosen().load(std::memory_order_relaxed)) {
#if TESSERA_GEMM_X86
    case kAvx512: return gemm_arch_avx512<T>();
    case kAvx2: return gemm_arch_avx2<T>();
#endif
    default: return gemm_arch_portable<T>();
  }
}

template const GemmArch<float>& current_arch<float>();
template const GemmArch<double>& current_arch<double>();

}  // namespace gemm_detail

}  // namespace tessera::cpu
