// Peak FMA throughput: enough independent accumulators to cover FMA latency times the
// number of FMA pipes (4-5 cycles x 2 pipes on current x86), all in registers (the loops
// are unrolled by pragma, so even -O2 keeps them there), and no memory traffic. AVX2 has
// 16 vector registers: 12 accumulators plus the two constants fit; 16 spilled to the stack
// and read 61 GFLOP/s of a Zen 2 core's 107 (3.36 GHz x 32).
#include "fma_peak.h"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "tessera/cpu_features.h"
#include "tessera/thread_pool.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace tessera::bench {

namespace {

constexpr int kAccumulators = 16;      // AVX-512 (32 registers) and the portable loop
constexpr int kAccumulatorsAvx2 = 12;  // of 16 registers

#if defined(__x86_64__)
__attribute__((target("avx512f,fma"))) float fma_loop_avx512(long n) {
  __m512 acc[kAccumulators];
  for (int i = 0; i < kAccumulators; ++i) acc[i] = _mm512_set1_ps(float(i));
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < n; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < kAccumulators; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  }
  __m512 s = acc[0];
  for (int i = 1; i < kAccumulators; ++i) s = _mm512_add_ps(s, acc[i]);
  return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx2,fma"))) float fma_loop_avx2(long n) {
  __m256 acc[kAccumulatorsAvx2];
  for (int i = 0; i < kAccumulatorsAvx2; ++i) acc[i] = _mm256_set1_ps(float(i));
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < n; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < kAccumulatorsAvx2; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  }
  __m256 s = acc[0];
  for (int i = 1; i < kAccumulatorsAvx2; ++i) s = _mm256_add_ps(s, acc[i]);
  float out[8];
  _mm256_storeu_ps(out, s);
  return out[0] + out[7];
}
#endif

float fma_loop_portable(long n) {
  float acc[kAccumulators][4];
  for (int i = 0; i < kAccumulators; ++i)
    for (int l = 0; l < 4; ++l) acc[i][l] = float(i + l);
  for (long it = 0; it < n; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < kAccumulators; ++i)
      for (int l = 0; l < 4; ++l) acc[i][l] = acc[i][l] * 0.999999f + 1e-7f;
  }
  return acc[0][0] + acc[kAccumulators - 1][3];
}

// FLOPs of one loop step: accumulators x lanes x 2.
double step_flops(const std::string& isa) {
  if (isa == "avx2") return 2.0 * kAccumulatorsAvx2 * 8;
  return 2.0 * kAccumulators * (isa == "avx512" ? 16 : 4);
}

float fma_loop(const std::string& isa, long n) {
#if defined(__x86_64__)
  if (isa == "avx512") return fma_loop_avx512(n);
  if (isa == "avx2") return fma_loop_avx2(n);
#endif
  return fma_loop_portable(n);
}

std::atomic<float> sink{0};

}  // namespace

double run_fma_loop(int threads, long iterations) {
  const std::string isa = kernel_isa();
  const int saved = num_threads();
  set_num_threads(threads);
  const auto start = std::chrono::steady_clock::now();
  parallel_for(0, threads, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t t = lo; t < hi; ++t) sink.store(fma_loop(isa, iterations));
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  set_num_threads(saved);
  return step_flops(isa) * iterations * threads / seconds * 1e-9;
}

double peak_fma_gflops(int threads) {
  static std::mutex mutex;
  static std::map<int, double> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(threads);
  if (it != cache.end()) return it->second;
  // Best of a few ~50 ms runs: the machine is shared, and the best run is the real peak.
  double best = 0;
  for (int r = 0; r < 5; ++r) best = std::max(best, run_fma_loop(threads, 4000000));
  return cache[threads] = best;
}

}  // namespace tessera::bench
