// GEMM throughput: GFLOP/s, percent of this machine's measured FMA peak, and (when
// OpenBLAS is found) the ratio to cblas_sgemm / cblas_dgemm on the same shape and thread
// count. Run OpenBLAS's best kernel with OPENBLAS_CORETYPE=SkylakeX in the environment
// (Debian's dynamic OpenBLAS otherwise picks a generic kernel on this CPU):
//   OPENBLAS_CORETYPE=SkylakeX build-gemm/tessera_bench --benchmark_filter=Gemm \
//     --benchmark_min_time=0.1 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
// On a shared machine, read the medians of the repetitions.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "cpu/gemm.h"
#include "cpu/gemm/gemm_isa.h"
#include "fma_peak.h"
#include "tessera/cpu_features.h"
#include "tessera/thread_pool.h"

#if TESSERA_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace {

using tessera::bench::peak_fma_gflops;

// The pool's size when the binary starts: "all threads".
const int kAllThreads = tessera::num_threads();

// Both peaks up front, once OpenBLAS's workers (started with the library, spinning a while)
// are parked: measured lazily between runs, the 2-thread peak once read 270 GFLOP/s, not 530.
const bool kPeaksMeasured = [] {
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  return peak_fma_gflops(1) > 0 && peak_fma_gflops(kAllThreads) > 0;
}();

void BM_PeakFma(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  double gflops = 0;
  for (auto _ : state) gflops = tessera::bench::run_fma_loop(threads, 2000000);
  state.counters["GFLOP/s"] = gflops;
  state.counters["threads"] = threads;
  state.SetLabel(tessera::kernel_isa());
}
BENCHMARK(BM_PeakFma)->Arg(1)->Arg(kAllThreads)->Unit(benchmark::kMillisecond);

enum class Impl { Tessera, OpenBlas };

// Tessera's GFLOP/s per (shape, threads, dtype), one entry per run, for the OpenBLAS runs
// that follow: the ratio divides the last (the reported run; Google Benchmark also calls a
// benchmark, briefly, while it sizes the iteration count) by each OpenBLAS run. The median
// of all of them fell on a cold sizing run for small shapes (64^3 read 0.78, not 0.91).
using Key = std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, size_t>;
std::map<Key, std::vector<double>>& tessera_runs() {
  static std::map<Key, std::vector<double>> results;
  return results;
}

template <typename T>
void run_openblas(bool ta, bool tb, int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B, int64_t ldb,
                  T* C, int64_t ldc) {
#if TESSERA_HAVE_OPENBLAS
  const auto opa = ta ? CblasTrans : CblasNoTrans, opb = tb ? CblasTrans : CblasNoTrans;
  if constexpr (std::is_same_v<T, float>) {
    cblas_sgemm(CblasRowMajor, opa, opb, M, N, K, 1.0f, A, lda, B, ldb, 0.0f, C, ldc);
  } else {
    cblas_dgemm(CblasRowMajor, opa, opb, M, N, K, 1.0, A, lda, B, ldb, 0.0, C, ldc);
  }
#endif
}

template <typename T, Impl impl>
void BM_Gemm(benchmark::State& state) {
  const int64_t M = state.range(0), N = state.range(1), K = state.range(2);
  const bool ta = state.range(3) != 0, tb = state.range(4) != 0;
  const int threads = static_cast<int>(state.range(5));
  const int64_t lda = ta ? M : K, ldb = tb ? K : N;
  std::vector<T> A(M * K), B(K * N), C(M * N);
  for (size_t i = 0; i < A.size(); ++i) A[i] = T((i * 7 % 13) * 0.1 - 0.6);
  for (size_t i = 0; i < B.size(); ++i) B[i] = T((i * 5 % 11) * 0.1 - 0.5);
  tessera::set_num_threads(threads);
#if TESSERA_HAVE_OPENBLAS
  openblas_set_num_threads(threads);
#endif
  auto once = [&] {
    if (impl == Impl::Tessera) {
      tessera::cpu::gemm<T>(ta, tb, M, N, K, A.data(), lda, B.data(), ldb, C.data(), N);
    } else {
      run_openblas<T>(ta, tb, M, N, K, A.data(), lda, B.data(), ldb, C.data(), N);
    }
  };
#if TESSERA_HAVE_OPENBLAS
  // OpenBLAS's workers spin for up to ~2^28 cycles after each call (its THREAD_TIMEOUT)
  // and would take the second core from the run that follows; let them park first.
  if (impl == Impl::Tessera) std::this_thread::sleep_for(std::chrono::milliseconds(150));
#endif
  const double peak = peak_fma_gflops(threads) / (sizeof(T) / sizeof(float));  // float64: half the lanes
  once();                                                                      // warm the packing buffers and the pool
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    once();
    benchmark::ClobberMemory();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  tessera::set_num_threads(kAllThreads);
  const double flops = 2.0 * M * N * K;
  const double gflops = flops * state.iterations() / seconds * 1e-9;
  state.counters["GFLOP/s"] = gflops;
  state.counters["pct_peak"] = 100.0 * gflops / peak;
  std::vector<double>& tessera = tessera_runs()[Key{M, N, K, ta, tb, threads, sizeof(T)}];
  if (impl == Impl::Tessera) {
    tessera.push_back(gflops);
    state.SetLabel(tessera::cpu::gemm_isa());
  } else {
#if TESSERA_HAVE_OPENBLAS
    state.SetLabel(openblas_get_corename());
#endif
    if (!tessera.empty()) state.counters["tessera_over_openblas"] = tessera.back() / gflops;
  }
}

// (M, N, K, transA, transB): squares, then the Dense layer and conv shapes of training
// (forward, the two backward products, a 10-class head, a 3x3 conv as im2col GEMM).
const std::vector<std::vector<int64_t>> kShapes = {
    {64, 64, 64, 0, 0},
    {128, 128, 128, 0, 0},
    {256, 256, 256, 0, 0},
    {512, 512, 512, 0, 0},
    {1024, 1024, 1024, 0, 0},
    {2048, 2048, 2048, 0, 0},
    {128, 256, 784, 0, 0},
    {784, 256, 128, 1, 0},
    {128, 784, 256, 0, 1},
    {128, 10, 128, 0, 0},
    {128, 512, 128, 0, 0},
    {3136, 64, 576, 0, 0},
    // The MLP benchmark's training step (batch 128, 784-256-128-10): forward x W, the
    // kernel gradients x^T dy and the input gradients dy W^T of the layers that need them.
    {128, 128, 256, 0, 0},
    {256, 128, 128, 1, 0},
    {128, 10, 128, 1, 0},
    {128, 256, 128, 0, 1},
    {128, 128, 10, 0, 1},
};

// Each OpenBLAS run directly follows Tessera's on the same arguments, for the ratio.
int register_all() {
  for (const auto& s : kShapes) {
    for (int threads : {1, kAllThreads}) {
      const std::vector<int64_t> args = {s[0], s[1], s[2], s[3], s[4], threads};
      auto one = [&](const char* name, void (*fn)(benchmark::State&)) {
        benchmark::RegisterBenchmark(name, fn)
            ->ArgNames({"M", "N", "K", "tA", "tB", "threads"})
            ->Args(args)
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
      };
      one("Gemm_f32/tessera", BM_Gemm<float, Impl::Tessera>);
#if TESSERA_HAVE_OPENBLAS
      one("Gemm_f32/openblas", BM_Gemm<float, Impl::OpenBlas>);
#endif
      if (s[0] == 2048) continue;
      one("Gemm_f64/tessera", BM_Gemm<double, Impl::Tessera>);
#if TESSERA_HAVE_OPENBLAS
      one("Gemm_f64/openblas", BM_Gemm<double, Impl::OpenBlas>);
#endif
    }
  }
  return 0;
}
const int registered = register_all();

}  // namespace
