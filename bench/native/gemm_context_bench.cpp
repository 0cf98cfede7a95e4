// Why a GEMM runs slower inside a training step than back to back (issue #22,
// docs/PERFORMANCE.md): the product timed after what a step does to its operands.
//   build-cmake/tessera_bench --benchmark_filter='CrossCore|GemmAfter' --benchmark_repetitions=3
//     --benchmark_report_aggregates_only=true   (one line)
// - BM_CrossCoreRead: reading a buffer this thread wrote or another thread wrote (lines
//   another core holds modified: what a kernel pays for the half of its input that the
//   other thread wrote).
// - BM_GemmAfter: the MLP's forward products after nothing, a 4 MB stream (the step's
//   other traffic, as Adam's update over 235k parameters), one read on each of 2,048 pages
//   (TLB reach), or with A written half by each thread (the previous kernel's split).
#include <benchmark/benchmark.h>

#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "cpu/gemm.h"
#include "tessera/thread_pool.h"

namespace {

constexpr size_t kLine = 64;

// A thread that writes `bytes` of `buf` each time it is asked, then says so: "another
// core wrote it" without the pool (whose late worker leaves its part to the caller). It
// sleeps between requests: spinning, under chrt it could hold the caller's core forever.
class Writer {
 public:
  Writer() : thread_([this] { loop(); }) {}
  ~Writer() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  void write(char* buf, size_t bytes) {
    std::unique_lock<std::mutex> lock(mutex_);
    buf_ = buf, bytes_ = bytes;
    const int64_t ticket = ++requested_;
    wake_.notify_all();
    wake_.wait(lock, [&] { return done_ == ticket; });
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || requested_ != done_; });
      if (stop_) return;
      std::memset(buf_, int(requested_ & 0x7f), bytes_);
      done_ = requested_;
      wake_.notify_all();
    }
  }
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  int64_t requested_ = 0, done_ = 0;
  char* buf_ = nullptr;
  size_t bytes_ = 0;
  std::thread thread_;
};

int64_t read_all(const char* buf, size_t bytes) {
  const auto* words = reinterpret_cast<const int64_t*>(buf);  // 64-byte aligned
  int64_t sum[4] = {};
  for (size_t i = 0; i < bytes / 8; i += 4)
    for (int k = 0; k < 4; ++k) sum[k] += words[i + k];
  return sum[0] + sum[1] + sum[2] + sum[3];
}

// range(0): KB; range(1): 0 this thread wrote it, 1 another thread did.
void BM_CrossCoreRead(benchmark::State& state) {
  const size_t bytes = size_t(state.range(0)) << 10;
  const int source = static_cast<int>(state.range(1));
  std::vector<char> storage(bytes + kLine);
  char* buf = storage.data() + (kLine - reinterpret_cast<uintptr_t>(storage.data()) % kLine) % kLine;
  Writer writer;
  int64_t sink = 0;
  for (auto _ : state) {
    state.PauseTiming();
    if (source == 1) {
      writer.write(buf, bytes);
    } else {
      std::memset(buf, 1, bytes);
    }
    state.ResumeTiming();
    sink += read_all(buf, bytes);
  }
  benchmark::DoNotOptimize(sink);
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes));
  state.SetLabel(source == 0 ? "this thread wrote it" : "another thread wrote it");
}
BENCHMARK(BM_CrossCoreRead)
    ->ArgNames({"KB", "source"})
    ->ArgsProduct({{32, 256}, {0, 1}})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

enum Before { kNothing, kStream4MB, kTouchPages, kAWrittenByHalves };

// [128, K] x [K, N] + bias, relu (a Dense layer's forward at batch 128) on one thread of
// the pool (range(3)), after range(2) (Before).
void BM_GemmAfter(benchmark::State& state) {
  const int64_t M = 128, K = state.range(0), N = state.range(1);
  const auto before = static_cast<Before>(state.range(2));
  const int threads = tessera::num_threads();
  tessera::set_num_threads(static_cast<int>(state.range(3)));
  std::vector<float> a(M * K, 0.5f), b(K * N, 0.25f), bias(N, 0.1f), c(M * N);
  std::vector<char> big(size_t(8) << 20, 1);  // 2,048 pages
  Writer writer;
  int64_t sink = 0;
  for (auto _ : state) {
    state.PauseTiming();
    switch (before) {
      case kNothing: break;
      case kStream4MB: std::memset(big.data(), 2, size_t(4) << 20); break;
      case kTouchPages:
        for (size_t p = 0; p < big.size(); p += 4096) sink += big[p + (p / 4096 * kLine) % 4096];
        break;
      case kAWrittenByHalves: {
        // The first half of A's rows by this thread, the second by another (an earlier
        // kernel cut by rows, as fit's elementwise ops and a GEMM's K halves are).
        const size_t half = size_t(M / 2 * K) * sizeof(float);
        std::memset(a.data(), 0, half);
        writer.write(reinterpret_cast<char*>(a.data()) + half, a.size() * sizeof(float) - half);
        break;
      }
    }
    state.ResumeTiming();
    tessera::cpu::gemm_ex<float>(false, false, M, N, K, a.data(), K, b.data(), N, 0.f, c.data(), N, bias.data(),
                                 tessera::cpu::GemmActivation::kRelu);
    benchmark::ClobberMemory();
  }
  benchmark::DoNotOptimize(sink);
  tessera::set_num_threads(threads);
  static const char* const labels[] = {"back to back", "after a 4 MB stream", "after 2,048 pages",
                                       "A half from another thread"};
  state.SetLabel(labels[before]);
}
BENCHMARK(BM_GemmAfter)
    ->ArgNames({"K", "N", "before", "threads"})
    ->ArgsProduct({{128}, {10}, {kNothing, kStream4MB, kTouchPages, kAWrittenByHalves}, {1}})
    ->ArgsProduct({{256}, {128}, {kNothing, kStream4MB, kTouchPages, kAWrittenByHalves}, {1}})
    ->ArgsProduct({{784}, {256}, {kNothing, kStream4MB, kTouchPages, kAWrittenByHalves}, {1}})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
