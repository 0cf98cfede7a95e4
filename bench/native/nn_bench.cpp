// Neural-network kernels: convolution and recurrent cells in GFLOP/s (convolution also as
// a fraction of our GEMM's rate on the same im2col product), pooling and normalization in
// GB/s next to a memory copy of the same size. Float32, 1 thread and all threads.
//   build-nn/tessera_bench --benchmark_filter='Conv|Pool|Norm|Cell|Copy|Unary|Add|Dense|Softmax|Dropout|Embedding|Adam'
// bench/pytorch_nn.py prints PyTorch's figures on the same shapes.
// GB/s counts each tensor read or written once (x and y for a forward pass; x, dy and dx
// for a backward pass), as the copy counts its source and destination.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <vector>

#include "cpu/gemm.h"
#include "tessera/kernel.h"
#include "tessera/thread_pool.h"

namespace {

using tessera::KernelArgs;
const int kAllThreads = tessera::num_threads();

// Float32 tensors for one kernel call: inputs then outputs, each a shape.
struct Call {
  std::vector<std::vector<float>> buffers;
  std::vector<TkTensor> inputs, outputs;
  std::vector<double> attrs;

  Call(const std::vector<std::vector<int64_t>>& in, const std::vector<std::vector<int64_t>>& out, std::vector<double> a)
      : attrs(std::move(a)) {
    buffers.reserve(in.size() + out.size());
    for (const auto* list : {&in, &out})
      for (const auto& shape : *list) {
        TkTensor t{};
        t.dtype = TK_FLOAT32;
        t.rank = static_cast<int32_t>(shape.size());
        t.size = 1;
        for (size_t d = 0; d < shape.size(); ++d) t.size *= (t.shape[d] = shape[d]);
        buffers.emplace_back(t.size);
        for (int64_t i = 0; i < t.size; ++i) buffers.back()[i] = static_cast<float>((i * 7 % 13) * 0.1 - 0.6);
        t.data = buffers.back().data();
        (list == &in ? inputs : outputs).push_back(t);
      }
  }
  void run(void (*kernel)(const KernelArgs&)) {
    const TkKernelArgs raw{inputs.data(),  static_cast<int32_t>(inputs.size()),
                           outputs.data(), static_cast<int32_t>(outputs.size()),
                           attrs.data(),   static_cast<int32_t>(attrs.size())};
    kernel(KernelArgs(raw));
  }
};

// Times fn under `threads` threads; returns seconds per call.
double time_per_call(benchmark::State& state, int threads, const std::function<void()>& fn) {
  tessera::set_num_threads(threads);
  fn();  // warm caches, scratch buffers and the pool
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    fn();
    benchmark::ClobberMemory();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  tessera::set_num_threads(kAllThreads);
  state.counters["threads"] = threads;
  return seconds / static_cast<double>(state.iterations());
}

// GFLOP/s of gemm on the im2col product of a convolution (M capped: the rate no longer
// depends on M beyond a few thousand rows), per (M, N, K, threads), measured once.
double gemm_gflops(bool ta, bool tb, int64_t m, int64_t n, int64_t k, int threads) {
  static std::map<std::vector<int64_t>, double> cache;
  m = std::min<int64_t>(m, 8192);
  const std::vector<int64_t> key = {ta, tb, m, n, k, threads};
  if (cache.count(key)) return cache[key];
  std::vector<float> a(m * k, 0.5f), b(k * n, 0.25f), c(m * n);
  tessera::set_num_threads(threads);
  auto once = [&] {
    tessera::cpu::gemm<float>(ta, tb, m, n, k, a.data(), ta ? m : k, b.data(), tb ? k : n, c.data(), n);
  };
  once();
  int reps = 0;
  const auto start = std::chrono::steady_clock::now();
  double seconds = 0;
  while (seconds < 0.2) {
    once();
    ++reps;
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  tessera::set_num_threads(kAllThreads);
  return cache[key] = 2.0 * m * n * k * reps / seconds * 1e-9;
}

enum ConvPass { kForward, kBackwardInput, kBackwardFilter };

// 3x3 'same' convolution, batch 32: args (H, C, O, pass, threads).
void BM_Conv3x3(benchmark::State& state) {
  const int64_t n = 32, h = state.range(0), c = state.range(1), o = state.range(2);
  const auto pass = static_cast<ConvPass>(state.range(3));
  const int threads = static_cast<int>(state.range(4));
  const std::vector<int64_t> x{n, h, h, c}, w{3, 3, c, o}, y{n, h, h, o};
  const std::vector<double> attrs = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  Call call = pass == kForward         ? Call({x, w}, {y}, attrs)
              : pass == kBackwardInput ? Call({y, w}, {x}, attrs)
                                       : Call({x, y}, {w}, attrs);
  auto* kernel = pass == kForward         ? tessera::cpu::conv2d
                 : pass == kBackwardInput ? tessera::cpu::conv2d_backward_input
                                          : tessera::cpu::conv2d_backward_filter;
  const double seconds = time_per_call(state, threads, [&] { call.run(kernel); });
  const double gflops = 2.0 * n * h * h * o * 9 * c / seconds * 1e-9;
  // The same product as a plain GEMM: forward [M, K] x [K, O], backward-input
  // [M, O] x [O, K]^T, backward-filter [M, K]^T x [M, O], with M = n*h*w, K = 9c.
  const int64_t m = n * h * h, k = 9 * c;
  const double reference = pass == kForward         ? gemm_gflops(false, false, m, o, k, threads)
                           : pass == kBackwardInput ? gemm_gflops(false, true, m, k, o, threads)
                                                    : gemm_gflops(true, false, k, o, m, threads);
  state.counters["GFLOP/s"] = gflops;
  state.counters["vs_gemm"] = gflops / reference;
}

void conv_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"hw", "cin", "cout", "pass", "threads"});
  for (const auto& s : std::vector<std::vector<int64_t>>{{28, 1, 32}, {14, 32, 64}, {56, 64, 64}})
    for (int64_t pass : {kForward, kBackwardInput, kBackwardFilter})
      for (int64_t threads : {int64_t{1}, int64_t{kAllThreads}}) b->Args({s[0], s[1], s[2], pass, threads});
}
BENCHMARK(BM_Conv3x3)->Apply(conv_args)->Unit(benchmark::kMillisecond)->UseRealTime();

// Bandwidth of a kernel touching `tensors` tensors of `elements` floats each.
void report_bandwidth(benchmark::State& state, double seconds, double elements, int tensors) {
  state.counters["GB/s"] = tensors * elements * sizeof(float) / seconds * 1e-9;
}

// memcpy of n floats, split over the pool: the reference bandwidth.
void BM_Copy(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::vector<float> src(n, 1.0f), dst(n);
  const double seconds = time_per_call(state, static_cast<int>(state.range(1)), [&] {
    tessera::parallel_for(0, n, 1 << 16, [&](int64_t lo, int64_t hi) {
      std::memcpy(dst.data() + lo, src.data() + lo, (hi - lo) * sizeof(float));
    });
  });
  report_bandwidth(state, seconds, static_cast<double>(n), 2);
}
BENCHMARK(BM_Copy)
    ->ArgNames({"floats", "threads"})
    ->ArgsProduct({{32 * 28 * 28 * 32, 128 * 256, 1 << 24}, {1, kAllThreads}})
    ->UseRealTime();

// Max pool 2x2 stride 2 on 32x28x28x32: pass 0 forward, 1 backward.
void BM_MaxPool(benchmark::State& state) {
  const std::vector<int64_t> x{32, 28, 28, 32}, y{32, 14, 14, 32};
  const std::vector<double> attrs = {2, 2, 2, 2, 0, 0, 0, 0};
  const bool backward = state.range(0) != 0;
  Call call = backward ? Call({x, y}, {x}, attrs) : Call({x}, {y}, attrs);
  const double seconds = time_per_call(state, static_cast<int>(state.range(1)), [&] {
    call.run(backward ? tessera::cpu::max_pool2d_backward : tessera::cpu::max_pool2d);
  });
  const double in = 32.0 * 28 * 28 * 32;
  state.counters["GB/s"] = (backward ? 2 * in + in / 4 : in + in / 4) * sizeof(float) / seconds * 1e-9;
}
BENCHMARK(BM_MaxPool)->ArgNames({"backward", "threads"})->ArgsProduct({{0, 1}, {1, kAllThreads}})->UseRealTime();

// Batch norm (training forward, backward) over the last axis: shape 0 is 32x28x28x32,
// shape 1 is 128x256.
void BM_BatchNorm(benchmark::State& state) {
  const auto x = state.range(0) == 0 ? std::vector<int64_t>{32, 28, 28, 32} : std::vector<int64_t>{128, 256};
  const std::vector<int64_t> c{x.back()};
  const bool backward = state.range(1) != 0;
  Call call =
      backward ? Call({x, x, c, c, c}, {x, c, c}, {-1}) : Call({x, c, c, c, c}, {x, c, c, c, c}, {-1, 1e-3, 0.99});
  const double seconds = time_per_call(state, static_cast<int>(state.range(2)), [&] {
    call.run(backward ? tessera::cpu::batch_norm_backward : tessera::cpu::batch_norm_train_forward);
  });
  report_bandwidth(state, seconds, static_cast<double>(call.inputs[0].size), backward ? 3 : 2);
}
BENCHMARK(BM_BatchNorm)
    ->ArgNames({"shape", "backward", "threads"})
    ->ArgsProduct({{0, 1}, {0, 1}, {1, kAllThreads}})
    ->UseRealTime();

// Layer norm over the last axis of 128x256 and 32*28*28x32.
void BM_LayerNorm(benchmark::State& state) {
  const auto x = state.range(0) == 0 ? std::vector<int64_t>{32 * 28 * 28, 32} : std::vector<int64_t>{128, 256};
  const std::vector<int64_t> c{x.back()}, r{x[0]};
  const bool backward = state.range(1) != 0;
  Call call = backward ? Call({x, x, c, r, r}, {x, c, c}, {}) : Call({x, c, c}, {x, r, r}, {1e-3});
  const double seconds = time_per_call(state, static_cast<int>(state.range(2)), [&] {
    call.run(backward ? tessera::cpu::layer_norm_backward : tessera::cpu::layer_norm_forward);
  });
  report_bandwidth(state, seconds, static_cast<double>(call.inputs[0].size), backward ? 3 : 2);
}
BENCHMARK(BM_LayerNorm)
    ->ArgNames({"shape", "backward", "threads"})
    ->ArgsProduct({{0, 1}, {0, 1}, {1, kAllThreads}})
    ->UseRealTime();

// Elementwise kernels on 32*28*28*32 floats (a conv layer's activations), GB/s counting
// the input and output once (two inputs for the binary ones). Unary op: 0 relu, 1 exp,
// 2 tanh, 3 sigmoid, 4 gelu, 5 gelu_tanh, 6 silu, 7 log, 8 softplus, 9 elu.
void BM_Unary(benchmark::State& state) {
  static void (*const kernels[])(const KernelArgs&) = {
      tessera::cpu::relu,      tessera::cpu::exp,  tessera::cpu::tanh, tessera::cpu::sigmoid,  tessera::cpu::gelu,
      tessera::cpu::gelu_tanh, tessera::cpu::silu, tessera::cpu::log,  tessera::cpu::softplus, tessera::cpu::elu};
  const std::vector<int64_t> x{32 * 28 * 28 * 32};
  Call call({x}, {x}, {1.0});
  if (state.range(0) == 7)  // log: positive inputs
    for (float& v : call.buffers[0]) v = v + 1.0f;
  const double seconds =
      time_per_call(state, static_cast<int>(state.range(1)), [&] { call.run(kernels[state.range(0)]); });
  report_bandwidth(state, seconds, static_cast<double>(x[0]), 2);
}
BENCHMARK(BM_Unary)
    ->ArgNames({"op", "threads"})
    ->ArgsProduct({{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, kAllThreads}})
    ->UseRealTime();

// add on 32*28*28*32 floats: kind 0 same shape, 1 a bias [32] broadcast over the rows.
void BM_Add(benchmark::State& state) {
  const std::vector<int64_t> x{32 * 28 * 28, 32}, b = state.range(0) == 0 ? x : std::vector<int64_t>{32};
  Call call({x, b}, {x}, {});
  const double seconds = time_per_call(state, static_cast<int>(state.range(1)), [&] { call.run(tessera::cpu::add); });
  report_bandwidth(state, seconds, static_cast<double>(x[0] * x[1]), state.range(0) == 0 ? 3 : 2);
}
BENCHMARK(BM_Add)->ArgNames({"bias", "threads"})->ArgsProduct({{0, 1}, {1, kAllThreads}})->UseRealTime();

// A Dense layer's forward pass, relu(x W + b), batch 128: 784 -> 256 (shape 0) and
// 128 -> 512 (shape 1). Unfused (fused 0) as three kernels, the GEMM, the bias add and
// relu, as separate ops run it; fused (1) as one GEMM whose epilogue adds the bias and
// applies relu while each C tile is in registers. GFLOP/s of the product.
void BM_DenseForward(benchmark::State& state) {
  const int64_t m = 128, k = state.range(0) == 0 ? 784 : 128, n = state.range(0) == 0 ? 256 : 512;
  const bool fused = state.range(1) != 0;
  Call gemm_call({{m, k}, {k, n}, {n}}, {{m, n}}, {}), add_call({{m, n}, {n}}, {{m, n}}, {}),
      relu_call({{m, n}}, {{m, n}}, {});
  const float *x = gemm_call.buffers[0].data(), *w = gemm_call.buffers[1].data(), *bias = gemm_call.buffers[2].data();
  float* y = gemm_call.buffers[3].data();
  const double seconds = time_per_call(state, static_cast<int>(state.range(2)), [&] {
    if (fused) {
      tessera::cpu::gemm_ex<float>(false, false, m, n, k, x, k, w, n, 0.0f, y, n, bias,
                                   tessera::cpu::GemmActivation::kRelu);
    } else {
      tessera::cpu::gemm<float>(false, false, m, n, k, x, k, w, n, y, n);
      add_call.run(tessera::cpu::add);
      relu_call.run(tessera::cpu::relu);
    }
  });
  state.counters["GFLOP/s"] = 2.0 * m * n * k / seconds * 1e-9;
}
BENCHMARK(BM_DenseForward)
    ->ArgNames({"shape", "fused", "threads"})
    ->ArgsProduct({{0, 1}, {0, 1}, {1, kAllThreads}})
    ->UseRealTime();

// A bias's gradient: the sum over the rows of [32*28*28, 32] (a conv layer's) and of
// [128, 256] (a Dense layer's), as reduce_sum over axis 0. GB/s of the input.
void BM_BiasGradient(benchmark::State& state) {
  const std::vector<int64_t> x =
      state.range(0) == 0 ? std::vector<int64_t>{32 * 28 * 28, 32} : std::vector<int64_t>{128, 256};
  Call call({x}, {{x[1]}}, {0});
  const double seconds =
      time_per_call(state, static_cast<int>(state.range(1)), [&] { call.run(tessera::cpu::reduce_sum); });
  report_bandwidth(state, seconds, static_cast<double>(x[0] * x[1]), 1);
}
BENCHMARK(BM_BiasGradient)->ArgNames({"shape", "threads"})->ArgsProduct({{0, 1}, {1, kAllThreads}})->UseRealTime();

// Softmax forward over rows: shape 0 is 8192x10 (class scores), 1 is 512x1000; op 0
// softmax, 1 log_softmax, 2 sparse cross-entropy (logits and probs counted).
void BM_Softmax(benchmark::State& state) {
  const std::vector<int64_t> x = state.range(0) == 0 ? std::vector<int64_t>{8192, 10} : std::vector<int64_t>{512, 1000};
  const int op = static_cast<int>(state.range(1));
  Call call = op == 2 ? Call({x, {x[0]}}, {{x[0]}, x}, {}) : Call({x}, {x}, {});
  if (op == 2) {
    call.inputs[1].dtype = TK_INT32;
    auto* labels = static_cast<int32_t*>(call.inputs[1].data);
    for (int64_t i = 0; i < x[0]; ++i) labels[i] = static_cast<int32_t>(i % x[1]);
  }
  auto* kernel = op == 0   ? tessera::cpu::softmax
                 : op == 1 ? tessera::cpu::log_softmax
                           : tessera::cpu::softmax_cross_entropy_sparse;
  const double seconds = time_per_call(state, static_cast<int>(state.range(2)), [&] { call.run(kernel); });
  report_bandwidth(state, seconds, static_cast<double>(x[0] * x[1]), 2);
}
BENCHMARK(BM_Softmax)
    ->ArgNames({"shape", "op", "threads"})
    ->ArgsProduct({{0, 1}, {0, 1, 2}, {1, kAllThreads}})
    ->UseRealTime();

// Dropout (rate 0.5) forward on 32*28*28*32 floats: x, y and the byte mask.
void BM_Dropout(benchmark::State& state) {
  const std::vector<int64_t> x{32 * 28 * 28 * 32};
  Call call({x}, {x, x}, {1234, 0, 0.5});
  call.outputs[1].dtype = TK_BOOL;
  const double seconds =
      time_per_call(state, static_cast<int>(state.range(0)), [&] { call.run(tessera::cpu::dropout); });
  state.counters["GB/s"] = 9.0 * x[0] / seconds * 1e-9;
}
BENCHMARK(BM_Dropout)->ArgNames({"threads"})->Arg(1)->Arg(kAllThreads)->UseRealTime();

// An Embedding layer: gather of 128 x 28 token ids from a [10000, 64] table (backward 0),
// and its gradient, the scatter-add of [3584, 64] rows into 10000 (backward 1, repeated
// ids accumulating). GB/s counts the rows gathered or scattered, read and written.
void BM_Embedding(benchmark::State& state) {
  const int64_t vocab = 10000, dim = 64, tokens = 128 * 28;
  const bool backward = state.range(0) != 0;
  Call call = backward ? Call({{tokens, dim}, {tokens}}, {{vocab, dim}}, {})
                       : Call({{vocab, dim}, {tokens}}, {{tokens, dim}}, {0});
  call.inputs[1].dtype = TK_INT32;
  auto* ids = static_cast<int32_t*>(call.inputs[1].data);
  for (int64_t i = 0; i < tokens; ++i) ids[i] = static_cast<int32_t>(i * 7919 % 2000);  // frequent tokens repeat
  auto* kernel = backward ? tessera::cpu::unsorted_segment_sum : tessera::cpu::gather;
  const double seconds = time_per_call(state, static_cast<int>(state.range(1)), [&] { call.run(kernel); });
  report_bandwidth(state, seconds, static_cast<double>(tokens * dim), 2);
}
BENCHMARK(BM_Embedding)->ArgNames({"backward", "threads"})->ArgsProduct({{0, 1}, {1, kAllThreads}})->UseRealTime();

// Adam on 1M parameters: param, m, v read and written, grad read (7 tensors).
void BM_Adam(benchmark::State& state) {
  const std::vector<int64_t> p{1 << 20};
  Call call({p, p, p, p}, {}, {1e-3, 0.9, 0.999, 1e-7, 10, 0, 0});
  for (float& v : call.buffers[3]) v = std::abs(v);
  const double seconds =
      time_per_call(state, static_cast<int>(state.range(0)), [&] { call.run(tessera::cpu::adam_update); });
  report_bandwidth(state, seconds, static_cast<double>(p[0]), 7);
}
BENCHMARK(BM_Adam)->ArgNames({"threads"})->Arg(1)->Arg(kAllThreads)->UseRealTime();

// One LSTM (gates 4) or GRU (gates 3) step, batch 128, input 28, units 128, including the
// input projection x @ kernel as a GEMM (what PyTorch's cell does): FLOPs 2*B*(in+u)*G*u.
// Backward includes the input projection's two GEMMs (dx and dkernel).
void BM_Cell(benchmark::State& state) {
  const int64_t b = 128, in = 28, u = 128, gates = state.range(0);
  const bool backward = state.range(1) != 0;
  const int64_t g = gates * u;
  std::vector<float> x(b * in, 0.1f), kernel(in * g, 0.05f), xw(b * g), dx(b * in), dkernel(in * g);
  const bool lstm = gates == 4;
  Call fwd = lstm ? Call({{b, g}, {b, u}, {b, u}, {u, g}}, {{b, u}, {b, u}, {b, g}}, {})
                  : Call({{b, g}, {b, u}, {u, g}, {g}}, {{b, u}, {b, 4 * u}}, {1});
  Call bwd = lstm ? Call({{b, u}, {b, u}, {u, g}, {b, g}, {b, u}, {b, u}, {b, u}}, {{b, g}, {b, u}, {b, u}, {u, g}}, {})
                  : Call({{b, u}, {u, g}, {b, 4 * u}, {b, u}}, {{b, g}, {b, u}, {u, g}, {g}}, {1});
  const double seconds = time_per_call(state, static_cast<int>(state.range(2)), [&] {
    if (!backward) {
      tessera::cpu::gemm<float>(false, false, b, g, in, x.data(), in, kernel.data(), g,
                                static_cast<float*>(fwd.inputs[0].data), g);
      fwd.run(lstm ? tessera::cpu::lstm_cell : tessera::cpu::gru_cell);
    } else {
      bwd.run(lstm ? tessera::cpu::lstm_cell_backward : tessera::cpu::gru_cell_backward);
      const float* dxw = static_cast<const float*>(bwd.outputs[0].data);
      tessera::cpu::gemm<float>(false, true, b, in, g, dxw, g, kernel.data(), g, dx.data(), in);
      tessera::cpu::gemm<float>(true, false, in, g, b, x.data(), in, dxw, g, dkernel.data(), g);
    }
  });
  state.counters["GFLOP/s"] = (backward ? 2.0 : 1.0) * 2.0 * b * (in + u) * g / seconds * 1e-9;
}
BENCHMARK(BM_Cell)
    ->ArgNames({"gates", "backward", "threads"})
    ->ArgsProduct({{4, 3}, {0, 1}, {1, kAllThreads}})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

}  // namespace
