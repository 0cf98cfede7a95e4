// Run-time ISA dispatch for auto-vectorized loops. The addon is compiled for plain x86-64
// (SSE2), so a loop written in plain C++ vectorizes only 4 floats wide; vectorized(body)
// runs `body` compiled again for AVX-512 or AVX2+FMA when this CPU has them.
//
//   parallel_for(0, n, grain, [&](int64_t lo, int64_t hi) {
//     vectorized([&] { for (int64_t i = lo; i < hi; ++i) y[i] = vm::exp(x[i]); });
//   });
//
// How: one copy of a small trampoline per ISA carries GCC/Clang's target attribute and
// `flatten`, which inlines the body (and everything it calls: the lambda, vec_math.h) into
// the trampoline, so the vectorizer sees the loop under that ISA. The choice is one
// switch on a cached value per call, so call it per chunk, not per element.
// Why not target_clones: it needs ifunc (Linux/glibc only), resolves from cpuid before
// main, so TESSERA_ISA and the tests cannot force the lower paths on an AVX-512 machine,
// and it would sit on every loop instead of one place. This is the same choice as the
// GEMM's (kernel_isa()), without per-ISA files, because the loops are plain C++.
// Floating-point results may differ between ISAs where the compiler fuses a*b+c into an
// FMA (GCC does so for C++ in every -std mode); the kernels' documented tolerances cover it.
#pragma once
#include <atomic>
#include <string>

#include "tessera/cpu_features.h"
#include "tessera/errors.h"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define TESSERA_VECTORIZE_X86 1
// avx512f alone (not bw/dq/vl), so that every CPU kernel_isa() calls "avx512" runs it.
#define TESSERA_TARGET_AVX512 __attribute__((target("avx512f,avx2,fma,bmi,bmi2,popcnt"), flatten))
#define TESSERA_TARGET_AVX2 __attribute__((target("avx2,fma,bmi,bmi2,popcnt"), flatten))
#else
#define TESSERA_VECTORIZE_X86 0
#endif

// Before a loop whose iterations are independent although the compiler cannot prove it:
// several blocks of one row addressed from a base pointer, or rows of tensors of one type
// (GCC drops __restrict on locals once a lambda is inlined, so restrict does not help).
#if defined(__clang__)
#define TESSERA_IVDEP _Pragma("clang loop vectorize(assume_safety)")
#elif defined(__GNUC__)
#define TESSERA_IVDEP _Pragma("GCC ivdep")
#else
#define TESSERA_IVDEP
#endif

namespace tessera::cpu {

enum class VectorIsa : int { kPortable = 0, kAvx2 = 1, kAvx512 = 2 };

namespace vectorize_detail {

inline VectorIsa from_name(const std::string& name) {
  return name == "avx512" ? VectorIsa::kAvx512 : name == "avx2" ? VectorIsa::kAvx2 : VectorIsa::kPortable;
}

// -1 until first use, then the kernel_isa() choice (cpuid, TESSERA_ISA) or a test's override.
inline std::atomic<int>& isa_state() {
  static std::atomic<int> state{-1};
  return state;
}

#if TESSERA_VECTORIZE_X86
template <typename F>
TESSERA_TARGET_AVX512 void run_avx512(F& body) {
  body();
}
template <typename F>
TESSERA_TARGET_AVX2 void run_avx2(F& body) {
  body();
}
#endif

}  // namespace vectorize_detail

// The ISA vectorized() compiles for on this machine.
inline VectorIsa vector_isa() {
  int isa = vectorize_detail::isa_state().load(std::memory_order_relaxed);
  if (isa < 0) {
    isa = static_cast<int>(TESSERA_VECTORIZE_X86 ? vectorize_detail::from_name(kernel_isa()) : VectorIsa::kPortable);
    vectorize_detail::isa_state().store(isa, std::memory_order_relaxed);
  }
  return static_cast<VectorIsa>(isa);
}

// Forces "avx512", "avx2" or "portable" (only ones kernel_isa() allows on this CPU; throws
// otherwise); "" restores the default. For tests: not synchronized with running kernels.
inline void set_vector_isa_for_testing(const std::string& name) {
  const VectorIsa best = vectorize_detail::from_name(kernel_isa());
  const VectorIsa want = name.empty() ? best : vectorize_detail::from_name(name);
  TK_CHECK(name.empty() || name == "portable" || (TESSERA_VECTORIZE_X86 && name == "avx2") || name == "avx512",
           "set_vector_isa_for_testing: expected avx512, avx2, portable or \"\", got " << name);
  TK_CHECK(static_cast<int>(want) <= static_cast<int>(best),
           "set_vector_isa_for_testing: this CPU cannot run " << name << " (best: " << kernel_isa() << ")");
  vectorize_detail::isa_state().store(static_cast<int>(want), std::memory_order_relaxed);
}

// Runs body() compiled for vector_isa().
template <typename F>
inline void vectorized(F&& body) {
#if TESSERA_VECTORIZE_X86
  switch (vector_isa()) {
    case VectorIsa::kAvx512: return vectorize_detail::run_avx512(body);
    case VectorIsa::kAvx2: return vectorize_detail::run_avx2(body);
    case VectorIsa::kPortable: break;
  }
#endif
  body();
}

}  // namespace tessera::cpu
