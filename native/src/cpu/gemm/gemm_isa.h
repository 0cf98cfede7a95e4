// Which micro-kernel family the GEMM runs: chosen once from kernel_isa() (cpuid and
// TESSERA_ISA), and overridable by tests so every family this CPU can run gets checked.
#pragma once
#include <string>
#include <vector>

namespace tessera::cpu {

// "avx512", "avx2" or "portable": the family gemm() uses now.
std::string gemm_isa();

// The families this CPU can run, fastest first ("portable" always).
std::vector<std::string> gemm_isas_available();

// Forces a family (one of gemm_isas_available(); throws otherwise); "" restores the
// default. For tests and benchmarks only: not synchronized with running GEMMs.
void set_gemm_isa_for_testing(const std::string& isa);

}  // namespace tessera::cpu
