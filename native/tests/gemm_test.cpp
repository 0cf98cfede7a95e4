// The packed GEMM (cpu/gemm/) against a naive triple loop in double, on every micro-kernel
// family this CPU can run, and the matmul kernel through the op table.
#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <string>

#include "cpu/gemm.h"
#include "cpu/gemm/gemm_isa.h"
#include "cpu/vectorize.h"
#include "kernel_reference.h"
#include "tessera/op_attrs.h"

namespace tessera::testing {
namespace {

// Forces one micro-kernel family for a scope, and the same ISA for the vectorized loops
// (the gelu epilogue).
class ScopedIsa {
 public:
  explicit ScopedIsa(const std::string& isa) {
    cpu::set_gemm_isa_for_testing(isa);
    cpu::set_vector_isa_for_testing(isa);
  }
  ~ScopedIsa() {
    cpu::set_gemm_isa_for_testing("");
    cpu::set_vector_isa_for_testing("");
  }
};

using cpu::GemmActivation;
constexpr GemmActivation kNone = GemmActivation::kNone, kRelu = GemmActivation::kRelu, kGelu = GemmActivation::kGelu;

double gelu_reference(double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }

struct Case {
  bool ta, tb;
  int64_t M, N, K;
  int64_t offset = 0;  // elements before each matrix: 1 makes every pointer unaligned
  int64_t pad = 0;     // leading dimensions exceed the row width by this much
};

std::string describe(const Case& c) {
  return "tA=" + std::to_string(c.ta) + " tB=" + std::to_string(c.tb) + " M=" + std::to_string(c.M) +
         " N=" + std::to_string(c.N) + " K=" + std::to_string(c.K) + " offset=" + std::to_string(c.offset) +
         " pad=" + std::to_string(c.pad);
}

// Operands of one case, with their strides, in type T.
template <typename T>
struct Operands {
  explicit Operands(const Case& c)
      : lda((c.ta ? c.M : c.K) + c.pad),
        ldb((c.tb ? c.K : c.N) + c.pad),
        ldc(c.N + c.pad),
        a(sample<T>(c.offset + (c.ta ? c.K : c.M) * lda, 1)),
        b(sample<T>(c.offset + (c.tb ? c.N : c.K) * ldb, 2)),
        bias(sample<T>(c.N, 3)) {}
  int64_t lda, ldb, ldc;
  std::vector<T> a, b, bias;
};

// C = op(A) op(B) in double, and sum_k |a||b| per element (the scale of rounding error),
// for rows i % row_step == 0 (and the last row) only: big cases check a sample of rows.
struct Reference {
  std::vector<double> value, scale;
  std::vector<int64_t> rows;
};

template <typename T>
Reference reference(const Case& c, const Operands<T>& o, int64_t row_step) {
  Reference r;
  for (int64_t i = 0; i < c.M; i += row_step) r.rows.push_back(i);
  if (r.rows.back() != c.M - 1) r.rows.push_back(c.M - 1);
  const T* A = o.a.data() + c.offset;
  const T* B = o.b.data() + c.offset;
  for (int64_t i : r.rows) {
    std::vector<double> row(c.N, 0.0), scale(c.N, 0.0);
    for (int64_t k = 0; k < c.K; ++k) {
      const double a = c.ta ? A[k * o.lda + i] : A[i * o.lda + k];
      for (int64_t j = 0; j < c.N; ++j) {
        const double b = c.tb ? B[j * o.ldb + k] : B[k * o.ldb + j];
        row[j] += a * b;
        scale[j] += std::fabs(a * b);
      }
    }
    r.value.insert(r.value.end(), row.begin(), row.end());
    r.scale.insert(r.scale.end(), scale.begin(), scale.end());
  }
  return r;
}

template <typename T>
constexpr double tolerance() {
  return std::is_same_v<T, float> ? 1e-5 : 1e-13;
}

// Runs gemm_ex with C prefilled with `initial` (NaN: beta = 0 must not read it) and checks
// rows of r: C = activation(beta * initial + ref (+ bias)), the values before the
// activation when keep_pre, and that the padding of C (and of the kept values) is untouched.
template <typename T>
void check(const Case& c, const Operands<T>& o, const Reference& r, T beta, T initial, bool bias,
           GemmActivation act = kNone, bool keep_pre = false) {
  SCOPED_TRACE(describe(c) + " beta=" + std::to_string(beta) + " bias=" + std::to_string(bias) +
               " activation=" + std::to_string(int(act)) + " keep_pre=" + std::to_string(keep_pre));
  const T sentinel = T(-12345);
  std::vector<T> C(c.offset + c.M * o.ldc, sentinel), pre(C.size(), sentinel);
  for (int64_t i = 0; i < c.M; ++i) std::fill_n(C.begin() + c.offset + i * o.ldc, c.N, initial);
  cpu::gemm_ex<T>(c.ta, c.tb, c.M, c.N, c.K, o.a.data() + c.offset, o.lda, o.b.data() + c.offset, o.ldb, beta,
                  C.data() + c.offset, o.ldc, bias ? o.bias.data() : nullptr, act,
                  keep_pre ? pre.data() + c.offset : nullptr);
  for (size_t ri = 0; ri < r.rows.size(); ++ri) {
    const int64_t i = r.rows[ri];
    for (int64_t j = 0; j < c.N; ++j) {
      const double carried = beta == T(0) ? 0.0 : double(beta) * double(initial);
      double linear = r.value[ri * c.N + j] + carried;
      if (bias) linear += o.bias[j];
      const double want = act == kRelu ? std::max(linear, 0.0) : act == kGelu ? gelu_reference(linear) : linear;
      const double err = tolerance<T>() * (r.scale[ri * c.N + j] + std::fabs(carried) + 1.0);
      // gelu' is at most 1.13 in magnitude; its erf adds a few ulps of the result.
      const double act_err = act == kGelu ? 1.13 * err + 8 * std::numeric_limits<T>::epsilon() * std::fabs(want) : err;
      ASSERT_NEAR(C[c.offset + i * o.ldc + j], want, act_err) << "at C(" << i << ", " << j << ")";
      if (keep_pre) ASSERT_NEAR(pre[c.offset + i * o.ldc + j], linear, err) << "at pre(" << i << ", " << j << ")";
    }
  }
  for (int64_t i = 0; i < c.M; ++i)
    for (int64_t j = c.N; j < o.ldc; ++j) {
      ASSERT_EQ(C[c.offset + i * o.ldc + j], sentinel) << "padding overwritten";
      ASSERT_EQ(pre[c.offset + i * o.ldc + j], sentinel) << "padding of pre overwritten";
    }
  for (int64_t x = 0; x < c.offset; ++x) ASSERT_EQ(C[x], sentinel) << "wrote before C";
  if (!keep_pre)
    for (const T v : pre) ASSERT_EQ(v, sentinel) << "wrote pre when not asked";
}

// Runs `checks` on each thread count and every micro-kernel family; stops at the first
// fatal failure (the caller tests HasFatalFailure after it).
template <typename F>
void on_threads_and_isas(std::initializer_list<int> thread_counts, F checks) {
  for (int threads : thread_counts) {
    SCOPED_TRACE("threads=" + std::to_string(threads));
    ScopedThreads scoped(threads);
    for (const std::string& isa : cpu::gemm_isas_available()) {
      SCOPED_TRACE("isa=" + isa);
      ScopedIsa scoped_isa(isa);
      checks();
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

// Every case on every micro-kernel family; the reference is computed once per case.
template <typename T>
void check_all_isas(const std::vector<Case>& cases, int64_t row_step = 1) {
  for (const Case& c : cases) {
    const Operands<T> o(c);
    const Reference r = reference(c, o, row_step);
    for (const std::string& isa : cpu::gemm_isas_available()) {
      SCOPED_TRACE("isa=" + isa);
      ScopedIsa scoped(isa);
      check<T>(c, o, r, T(0), std::numeric_limits<T>::quiet_NaN(), false);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

std::vector<Case> every_transpose(int64_t M, int64_t N, int64_t K, int64_t offset = 0, int64_t pad = 0) {
  std::vector<Case> cases;
  for (bool ta : {false, true})
    for (bool tb : {false, true}) cases.push_back({ta, tb, M, N, K, offset, pad});
  return cases;
}

TEST(Gemm, SquareSizesEveryTransposeEveryIsa) {
  for (int64_t n : {1, 2, 7, 17, 31, 33, 64, 129, 257}) check_all_isas<float>(every_transpose(n, n, n));
}

TEST(Gemm, Size1000TwoTransposes) {
  // Every 37th row: the product is the slow part of the test, not the GEMM.
  check_all_isas<float>({{false, false, 1000, 1000, 1000}, {false, true, 1000, 1000, 1000}}, 37);
}

TEST(Gemm, RectangularAndSkinny) {
  for (const auto& [M, N, K] : std::vector<std::array<int64_t, 3>>{
           {128, 10, 128},
           {1, 1000, 1000},
           {1000, 1, 1000},
           {300, 77, 45},
           {5, 700, 3},
           {70, 33, 600},
           // A read in place (its row stride spreads over L1), over one and several K blocks.
           {392, 64, 576},
           {50, 40, 1300}})
    check_all_isas<float>(every_transpose(M, N, K));
}

TEST(Gemm, UnalignedPointersAndPaddedLeadingDimensions) {
  for (int64_t n : {7, 33, 129}) check_all_isas<float>(every_transpose(n, n + 5, n + 2, 1, 3));
  check_all_isas<float>(every_transpose(128, 10, 300, 1, 5));
}

TEST(Gemm, Float64) {
  for (int64_t n : {1, 17, 33, 129}) check_all_isas<double>(every_transpose(n, n + 3, n + 1, 1, 2));
  check_all_isas<double>(every_transpose(128, 10, 128));
  check_all_isas<double>({{false, false, 300, 200, 500}});
}

TEST(GemmEx, BetaBiasReluAcrossKBlocksAndTransposedProblems) {
  // K = 600 spans several K blocks (bias and relu only on the last); N = 10 runs the
  // problem transposed, where bias runs along the kernel's rows. N = 1 with ldc = 1 (a
  // Dense layer of one unit) is transposed too, and its C is contiguous both ways.
  for (const Case& c :
       {Case{false, false, 100, 70, 600}, Case{true, true, 128, 10, 600, 1, 2}, Case{false, true, 45, 3, 20},
        Case{true, false, 33, 40, 0}, Case{false, false, 2, 1, 1}, Case{false, false, 37, 1, 19}}) {
    for (const std::string& isa : cpu::gemm_isas_available()) {
      SCOPED_TRACE("isa=" + isa);
      ScopedIsa scoped(isa);
      for_each_type<float, double>([&](auto zero) {
        using T = decltype(zero);
        const Operands<T> o(c);
        const Reference r = reference(c, o, 1);
        check<T>(c, o, r, T(1), T(0.75), false);
        check<T>(c, o, r, T(0.5), T(-2), true);
        check<T>(c, o, r, T(0), std::numeric_limits<T>::quiet_NaN(), true, kRelu);
        check<T>(c, o, r, T(1), T(0.25), true, kRelu);
        // gelu (the driver's pass over finished row panels), and the kept pre-activation
        // (with relu too: then the driver applies relu after copying).
        check<T>(c, o, r, T(0), std::numeric_limits<T>::quiet_NaN(), true, kGelu);
        check<T>(c, o, r, T(0), std::numeric_limits<T>::quiet_NaN(), true, kGelu, true);
        check<T>(c, o, r, T(0.5), T(-2), true, kRelu, true);
        check<T>(c, o, r, T(1), T(0.25), false, kNone, true);
      });
    }
  }
}

// gelu and the kept pre-activation where C is cut into rectangles, one per thread (each
// finishes its own row panels), on 2 and 3 threads and every ISA; N = 10 runs transposed.
TEST(GemmEx, GeluOnRectanglesOfTwoAndThreeThreads) {
  for (const Case& c : {Case{false, false, 301, 203, 97, 1, 3}, Case{true, false, 257, 10, 130}}) {
    for_each_type<float, double>([&](auto zero) {
      using T = decltype(zero);
      const Operands<T> o(c);
      const Reference r = reference(c, o, 1);
      on_threads_and_isas({2, 3}, [&] {
        check<T>(c, o, r, T(0), std::numeric_limits<T>::quiet_NaN(), true, kGelu);
        check<T>(c, o, r, T(0), std::numeric_limits<T>::quiet_NaN(), true, kGelu, true);
      });
      if (::testing::Test::HasFatalFailure()) return;
    });
  }
}

// A small C with a long K (K >= 4 K blocks; a K block is at most 512) is summed in two
// K parts, the second in a buffer added to C at the end with the bias and relu. Odd K and
// sizes; N = 10 and N = 1 run transposed (the buffer and C then run down columns); padded
// and unaligned operands; float and double; on 1, 2 and 3 threads (3: one part per thread).
TEST(GemmEx, LongKSummedInTwoPartsOnOneToThreeThreads) {
  const std::vector<Case> cases = {{true, false, 67, 45, 4099},
                                   {false, true, 64, 10, 2053, 1, 3},
                                   {true, true, 129, 33, 2049, 0, 2},
                                   {false, false, 500, 1, 4099},
                                   {false, false, 41, 200, 6001, 1, 0}};
  for (const Case& c : cases) {
    for_each_type<float, double>([&](auto zero) {
      using T = decltype(zero);
      const Operands<T> o(c);
      const Reference r = reference(c, o, 3);
      on_threads_and_isas({1, 2, 3}, [&] {
        check<T>(c, o, r, T(0), std::numeric_limits<T>::quiet_NaN(), false);
        check<T>(c, o, r, T(1), T(0.25), true, kRelu);
        check<T>(c, o, r, T(0.5), T(-2), true);
        check<T>(c, o, r, T(0), std::numeric_limits<T>::quiet_NaN(), true, kGelu, true);
        check<T>(c, o, r, T(1), T(0.25), true, kRelu, true);
      });
      if (::testing::Test::HasFatalFailure()) return;
    });
  }
}

// A deep product (K >= 512 and K >= 3 max(M, N): a Dense layer's forward, [128, 784] x
// [784, 256]) is summed in two K parts too. Odd sizes, padded and unaligned operands, K
// exactly 512 and 3 M, N = 10 (run transposed), transposed operands; float and double; on
// 1, 2 and 3 threads; then the same bits on each.
TEST(GemmEx, DeepProductSummedInTwoPartsOnOneToThreeThreads) {
  const std::vector<Case> cases = {{false, false, 128, 256, 784}, {false, false, 127, 250, 783, 1, 3},
                                   {false, true, 100, 30, 512},   {true, false, 170, 64, 512, 1, 2},
                                   {true, true, 97, 131, 600},    {false, false, 200, 10, 1000, 0, 1}};
  for (const Case& c : cases) {
    for_each_type<float, double>([&](auto zero) {
      using T = decltype(zero);
      const Operands<T> o(c);
      const Reference r = reference(c, o, 5);
      auto product = [&](int threads) {
        ScopedThreads scoped(threads);
        std::vector<T> C(c.offset + c.M * o.ldc, T(0.5));
        cpu::gemm_ex<T>(c.ta, c.tb, c.M, c.N, c.K, o.a.data() + c.offset, o.lda, o.b.data() + c.offset, o.ldb, T(1),
                        C.data() + c.offset, o.ldc, o.bias.data(), kRelu);
        return C;
      };
      on_threads_and_isas({1, 2, 3}, [&] {
        check<T>(c, o, r, T(0), std::numeric_limits<T>::quiet_NaN(), false);
        check<T>(c, o, r, T(1), T(0.25), true, kRelu);
        check<T>(c, o, r, T(0), std::numeric_limits<T>::quiet_NaN(), true, kGelu, true);
      });
      if (::testing::Test::HasFatalFailure()) return;
      const std::vector<T> one = product(1);
      expect_bitwise_equal(product(2), one);
      expect_bitwise_equal(product(3), one);
    });
  }
}

// The deep split is where it says: 64 x 64 from K = 1100 gives the bits of its two parts
// of K (gemm_k_split: a vector's width past the middle, [0, 552) + [552, 1100) with AVX2's
// 8 lanes, [0, 560) + [560, 1100) with AVX-512's 16) computed apart and added. Unsplit,
// its three K blocks would end at 368 and 736 (other roundings). Up to two K blocks
// (K = 784: 392 + 392) the halves are the blocks, and so are the bits.
TEST(GemmEx, DeepProductIsItsTwoHalvesOfKAdded) {
  const Case c{false, false, 64, 64, 1100};
  const Operands<float> o(c);
  auto gemm_k = [&](int64_t k0, int64_t k1) {
    std::vector<float> C(c.M * o.ldc);
    cpu::gemm<float>(false, false, c.M, c.N, k1 - k0, o.a.data() + k0, o.lda, o.b.data() + k0 * o.ldb, o.ldb, C.data(),
                     o.ldc);
    return C;
  };
  const int64_t split = cpu::gemm_k_split<float>(c.M, c.N, c.K);
  ASSERT_GT(split, c.K / 2);
  ASSERT_LT(split, c.K / 2 + 16);
  for (int threads : {1, 2}) {
    ScopedThreads scoped(threads);
    std::vector<float> halves = gemm_k(0, split);
    const std::vector<float> second = gemm_k(split, c.K);
    for (size_t i = 0; i < halves.size(); ++i) halves[i] += second[i];
    expect_bitwise_equal(gemm_k(0, c.K), halves);
  }
}

// The K parts are the shape's, not the thread count's: the same bits on 1, 2 and 3 threads.
TEST(GemmEx, LongKSameBitsOnOneToThreeThreads) {
  for (const Case& c : {Case{true, false, 256, 256, 4096}, Case{false, true, 64, 10, 2053, 1, 3}}) {
    SCOPED_TRACE(describe(c));
    const Operands<float> o(c);
    auto product = [&](int threads) {
      ScopedThreads scoped(threads);
      std::vector<float> C(c.offset + c.M * o.ldc, 0.5f);
      cpu::gemm_ex<float>(c.ta, c.tb, c.M, c.N, c.K, o.a.data() + c.offset, o.lda, o.b.data() + c.offset, o.ldb, 1.0f,
                          C.data() + c.offset, o.ldc, o.bias.data(), kRelu);
      return C;
    };
    const std::vector<float> one = product(1);
    expect_bitwise_equal(product(2), one);
    expect_bitwise_equal(product(3), one);
  }
}

TEST(Gemm, ResultDoesNotDependOnThreadCount) {
  for (const Case& c : {Case{false, false, 128, 256, 784}, Case{true, false, 784, 256, 128},
                        Case{false, true, 128, 784, 256}, Case{false, false, 300, 10, 200}}) {
    SCOPED_TRACE(describe(c));
    const Operands<float> o(c);
    expect_thread_count_independent([&] {
      std::vector<float> C(c.M * o.ldc);
      cpu::gemm<float>(c.ta, c.tb, c.M, c.N, c.K, o.a.data(), o.lda, o.b.data(), o.ldb, C.data(), o.ldc);
      return C;
    });
  }
}

// The MLP benchmark's training products (784-256-128-10, batch 128: forward, kernel and
// input gradients) and odd sizes near them, on 2 and 3 threads (rectangles that end
// mid-tile), with unaligned, padded operands. K = 1 and K = 10 are the thin products.
TEST(Gemm, TrainingShapesOnTwoAndThreeThreads) {
  for (int threads : {2, 3}) {
    SCOPED_TRACE("threads=" + std::to_string(threads));
    ScopedThreads scoped(threads);
    check_all_isas<float>({{false, false, 128, 256, 784},
                           {true, false, 784, 256, 128},
                           {true, false, 256, 128, 128},
                           {false, true, 128, 256, 128},
                           {false, true, 128, 128, 10},
                           {false, false, 127, 250, 783, 1, 3},
                           {true, false, 781, 251, 129, 1, 2},
                           {false, true, 131, 259, 127, 1, 1},
                           {true, true, 389, 205, 97},
                           {false, false, 1000, 700, 1},
                           {true, false, 700, 1000, 1}},
                          7);
  }
}

TEST(Gemm, ForcingAnIsaThisCpuLacksThrows) {
  EXPECT_THROW(cpu::set_gemm_isa_for_testing("neon-on-x86"), std::invalid_argument);
  EXPECT_EQ(cpu::gemm_isas_available().back(), "portable");
}

// gemm_grouped_rows: rows of A in groups (a stride-1 convolution's output rows), groups
// of any length against the micro-tile's rows, over one and several K blocks, beta 0
// and 1, on every ISA, against a naive product in double.
TEST(GemmGroupedRows, MatchesNaiveProductOnEveryIsa) {
  struct Case {
    int64_t M, N, K, group_rows, lda, group_stride;
  };
  for (const Case& c : {Case{56 * 3, 64, 192, 56, 64, 58 * 64}, Case{40, 33, 17, 7, 5, 100},
                        Case{60, 20, 600, 20, 3, 700}, Case{14, 32, 9, 14, 1, 16},
                        // A long K: summed in two K parts (the second reads rows from mid-row).
                        Case{40, 40, 2100, 10, 3, 2200}}) {
    SCOPED_TRACE("M=" + std::to_string(c.M) + " group=" + std::to_string(c.group_rows));
    const int64_t groups = (c.M + c.group_rows - 1) / c.group_rows;
    const auto a = sample<float>((groups - 1) * c.group_stride + (c.group_rows - 1) * c.lda + c.K, 11);
    const auto b = sample<float>(c.K * c.N, 12), initial = sample<float>(c.M * c.N, 13);
    std::vector<double> product(c.M * c.N, 0.0);
    for (int64_t i = 0; i < c.M; ++i) {
      const float* row = a.data() + (i / c.group_rows) * c.group_stride + (i % c.group_rows) * c.lda;
      for (int64_t j = 0; j < c.N; ++j)
        for (int64_t k = 0; k < c.K; ++k) product[i * c.N + j] += double(row[k]) * double(b[k * c.N + j]);
    }
    for (const std::string& isa : cpu::gemm_isas_available()) {
      SCOPED_TRACE("isa=" + isa);
      ScopedIsa scoped(isa);
      for (float beta : {0.0f, 1.0f}) {
        std::vector<float> got = initial;
        cpu::gemm_grouped_rows<float>(c.M, c.N, c.K, a.data(), c.lda, c.group_rows, c.group_stride, b.data(), c.N, beta,
                                      got.data(), c.N);
        std::vector<double> want = product;
        for (int64_t i = 0; i < c.M * c.N; ++i) want[i] += beta * initial[i];
        expect_close(got, want, 1e-5, 1e-5 * double(c.K + 1));
      }
    }
  }
}

// gemm_at_grouped_b: A^T times a B whose K rows come in groups and whose columns come in
// groups (a stride-1 convolution's filter gradient: kernel rows' taps side by side), over
// one and several K blocks, column groups narrower and wider than a B panel, every ISA.
TEST(GemmGroupedRows, TransposedATimesGroupedBMatchesNaiveProduct) {
  struct Case {
    int64_t M, N, K, group_rows, ldb, group_stride, group_cols, col_stride;
  };
  for (const Case& c : {Case{64, 288, 14 * 56, 56, 64, 58 * 64, 96, 58 * 64}, Case{9, 33, 40, 7, 35, 300, 33, 0},
                        Case{20, 45, 1200, 14, 48, 800, 15, 100}, Case{5, 90, 30, 30, 2, 0, 45, 70},
                        // A long K: two K parts, the second starting mid-group.
                        Case{20, 45, 2300, 14, 48, 800, 15, 100}}) {
    SCOPED_TRACE("K=" + std::to_string(c.K) + " group=" + std::to_string(c.group_rows) +
                 " cols=" + std::to_string(c.group_cols));
    const int64_t groups = (c.K + c.group_rows - 1) / c.group_rows, col_groups = c.N / c.group_cols;
    const auto a = sample<float>(c.K * c.M, 14);
    const auto b = sample<float>(
        (groups - 1) * c.group_stride + (c.group_rows - 1) * c.ldb + (col_groups - 1) * c.col_stride + c.group_cols,
        15);
    std::vector<double> want(c.M * c.N, 0.0);
    for (int64_t k = 0; k < c.K; ++k) {
      const float* row = b.data() + (k / c.group_rows) * c.group_stride + (k % c.group_rows) * c.ldb;
      for (int64_t i = 0; i < c.M; ++i)
        for (int64_t j = 0; j < c.N; ++j) {
          const float bj = row[(j / c.group_cols) * c.col_stride + j % c.group_cols];
          want[i * c.N + j] += double(a[k * c.M + i]) * double(bj);
        }
    }
    for (const std::string& isa : cpu::gemm_isas_available()) {
      SCOPED_TRACE("isa=" + isa);
      ScopedIsa scoped(isa);
      std::vector<float> got(c.M * c.N, 0.0f);
      cpu::gemm_at_grouped_b<float>(c.M, c.N, c.K, a.data(), c.M, b.data(), c.ldb, c.group_rows, c.group_stride,
                                    c.group_cols, c.col_stride, 1.0f, got.data(), c.N);
      expect_close(got, want, 1e-5, 1e-5 * double(c.K + 1));
    }
  }
}

// gemm_packed: op(B) packed once (pack_gemm_b), then multiplied by A whole and by slices
// of A's rows. Against a naive product in double, over one and several K and N blocks,
// narrow N, beta 0 and 1, every ISA; each slice's rows equal the whole call's bit for bit
// (an RNN's rows do not depend on how the batch is cut between threads).
TEST(GemmPacked, MatchesNaiveProductAndSlicesAgreeBitwise) {
  struct Case {
    bool tb;
    int64_t M, N, K;
  };
  for_each_type<float, double>([](auto zero) {
    using T = decltype(zero);
    for (const Case& c :
         {Case{false, 37, 512, 128}, Case{true, 37, 128, 512}, Case{false, 3, 5, 1}, Case{true, 1, 20, 5},
          Case{false, 29, 700, 1100}, Case{true, 13, 33, 600}, Case{false, 64, 15, 33}}) {
      SCOPED_TRACE("tB=" + std::to_string(c.tb) + " M=" + std::to_string(c.M) + " N=" + std::to_string(c.N) +
                   " K=" + std::to_string(c.K));
      const int64_t lda = c.K + 3, ldb = (c.tb ? c.K : c.N) + 2, ldc = c.N + 1;
      const auto a = sample<T>(c.M * lda, 21), b = sample<T>((c.tb ? c.N : c.K) * ldb, 22);
      const auto initial = sample<T>(c.M * ldc, 23);
      std::vector<double> product(c.M * ldc, 0.0);
      for (int64_t i = 0; i < c.M; ++i)
        for (int64_t j = 0; j < c.N; ++j)
          for (int64_t k = 0; k < c.K; ++k)
            product[i * ldc + j] += double(a[i * lda + k]) * double(c.tb ? b[j * ldb + k] : b[k * ldb + j]);
      for (const std::string& isa : cpu::gemm_isas_available()) {
        SCOPED_TRACE("isa=" + isa);
        ScopedIsa scoped(isa);
        const cpu::PackedB<T> packed = cpu::pack_gemm_b<T>(c.tb, c.K, c.N, b.data(), ldb);
        for (T beta : {T(0), T(1)}) {
          std::vector<T> whole = initial;
          cpu::gemm_packed<T>(c.M, a.data(), lda, packed, beta, whole.data(), ldc);
          std::vector<double> want(c.M * ldc);
          for (int64_t i = 0; i < c.M * ldc; ++i)
            want[i] = (i % ldc < c.N) ? product[i] + double(beta) * double(initial[i]) : double(initial[i]);
          const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
          expect_close(whole, want, tol, tol * double(c.K + 1));
          // Rows cut into slices of 1, 4 and 7 rows (the last shorter): the same bits.
          for (int64_t slice : {1, 4, 7}) {
            std::vector<T> sliced = initial;
            for (int64_t i0 = 0; i0 < c.M; i0 += slice)
              cpu::gemm_packed<T>(std::min(slice, c.M - i0), a.data() + i0 * lda, lda, packed, beta,
                                  sliced.data() + i0 * ldc, ldc);
            ASSERT_EQ(sliced, whole) << "slices of " << slice << " rows";
          }
        }
      }
    }
  });
}

// matmul through the op table: [..., M, K] x [..., K, N] with broadcast batch dimensions
// and transpose attributes, against per-batch naive products.
TEST(Matmul, BroadcastBatchAndTransposes) {
  for_each_type<float, double>([](auto zero) {
    using T = decltype(zero);
    const int64_t M = 5, N = 9, K = 7;
    for (bool ta : {false, true}) {
      for (bool tb : {false, true}) {
        SCOPED_TRACE("tA=" + std::to_string(ta) + " tB=" + std::to_string(tb));
        const Shape batch_a = {2, 1}, batch_b = {3};
        Shape shape_a = batch_a, shape_b = batch_b;
        shape_a.insert(shape_a.end(), {ta ? K : M, ta ? M : K});
        shape_b.insert(shape_b.end(), {tb ? N : K, tb ? K : N});
        const auto a = sample<T>(numel(shape_a), 4), b = sample<T>(numel(shape_b), 5);
        const Shape batch = broadcast_shape(batch_a, batch_b);
        Shape out_shape = batch;
        out_shape.insert(out_shape.end(), {M, N});
        const auto got = run1<T>(OpId::matmul, {from_vector(a, shape_a), from_vector(b, shape_b)}, out_shape,
                                 {double(ta), double(tb)});
        std::vector<double> want(numel(out_shape));
        for (int64_t bi = 0; bi < numel(batch); ++bi) {
          const Shape idx = unravel(bi, batch);
          const T* pa = a.data() + broadcast_offset(idx, batch_a) * M * K;
          const T* pb = b.data() + broadcast_offset(idx, batch_b) * K * N;
          for (int64_t i = 0; i < M; ++i)
            for (int64_t j = 0; j < N; ++j)
              for (int64_t k = 0; k < K; ++k)
                want[(bi * M + i) * N + j] +=
                    double(ta ? pa[k * M + i] : pa[i * K + k]) * double(tb ? pb[j * K + k] : pb[k * N + j]);
        }
        expect_close(got, want, rtol_of<T>() * 10, 1e-6);
      }
    }
  });
}

TEST(Matmul, ManySmallBatchesRunInParallel) {
  // 64 products of 16 x 16 x 16: split over batches, each GEMM single-threaded.
  const Shape shape = {64, 16, 16};
  const auto a = sample<float>(numel(shape), 6), b = sample<float>(numel(shape), 7);
  expect_thread_count_independent([&] {
    return run1<float>(OpId::matmul, {from_vector(a, shape), from_vector(b, shape)}, shape, {0, 0});
  });
}

// matmul_bias through the op table (the epilogue itself is checked on every ISA above):
// each activation, with and without the pre-activation output.
TEST(MatmulBias, MatchesNaiveProductPlusBiasForEachActivation) {
  using Activation = attrs::MatmulBiasAttrs::Activation;
  for (const auto& [M, K, N] : std::vector<std::array<int64_t, 3>>{{1, 1, 1}, {7, 17, 33}, {128, 784, 10}, {3, 0, 5}})
    for (Activation activation : {Activation::kNone, Activation::kRelu, Activation::kGelu})
      for (bool keep_pre : {false, true}) {
        SCOPED_TRACE("activation=" + std::to_string(int(activation)) + " keep_pre=" + std::to_string(keep_pre));
        const auto x = sample<float>(M * K, 8), w = sample<float>(K * N, 9), b = sample<float>(N, 10);
        const auto outs =
            run_op(OpId::matmul_bias, {from_vector(x, {M, K}), from_vector(w, {K, N}), from_vector(b, {N})},
                   {{DType::Float32, {M, N}}, {DType::Float32, keep_pre ? Shape{M, N} : Shape{0}}},
                   attrs::MatmulBiasAttrs{activation}.pack());
        std::vector<double> linear(M * N), want(M * N);
        for (int64_t i = 0; i < M; ++i)
          for (int64_t j = 0; j < N; ++j) {
            double v = b[j];
            for (int64_t k = 0; k < K; ++k) v += double(x[i * K + k]) * double(w[k * N + j]);
            linear[i * N + j] = v;
            want[i * N + j] = activation == Activation::kRelu   ? std::max(v, 0.0)
                              : activation == Activation::kGelu ? gelu_reference(v)
                                                                : v;
          }
        // Float rounding grows with K: an ulp or so of each term.
        expect_close(to_vector<float>(*outs[0]), want, rtol_of<float>() * 10, 1e-6 * double(K + 1));
        if (keep_pre) expect_close(to_vector<float>(*outs[1]), linear, rtol_of<float>() * 10, 1e-6 * double(K + 1));
        else EXPECT_EQ(outs[1]->size, 0);
      }
}

TEST(MatmulBias, RejectsMismatchedShapes) {
  const auto v = sample<float>(9, 1);  // enough for the largest operand, w [3, 3]
  const auto bias = from_vector(v, {3});
  // w [2, 3] does not follow x [2, 3]; then bias [3] does not fit w [3, 2].
  const auto x = from_vector(v, {2, 3});
  const auto run = [&](const std::shared_ptr<TensorImpl>& w, const Shape& y, const Shape& pre) {
    return run_op(OpId::matmul_bias, {x, w, bias}, {{DType::Float32, y}, {DType::Float32, pre}}, {0});
  };
  EXPECT_THROW(run(from_vector(v, {2, 3}), {2, 3}, {0}), Error);
  EXPECT_THROW(run(from_vector(v, {3, 2}), {2, 2}, {0}), Error);
  // The pre-activation output is [M, N] or [0], nothing else.
  EXPECT_NO_THROW(run(from_vector(v, {3, 3}), {2, 3}, {2, 3}));
  EXPECT_THROW(run(from_vector(v, {3, 3}), {2, 3}, {3, 2}), Error);
  EXPECT_THROW(run(from_vector(v, {3, 3}), {2, 3}, {6}), Error);
}

}  // namespace
}  // namespace tessera::testing
