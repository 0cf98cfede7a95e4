// Dropout's mask follows the documented Philox rule exactly (the CUDA kernel gives the
// same), keeps about 1 - rate of the elements, and its backward uses the mask.
#include <string>

#include "cpu/philox_lanes.h"
#include "kernel_reference.h"
#include "nn_test_util.h"
#include "tessera/cpu_features.h"
#include "tessera/philox.h"

namespace tessera::testing {
namespace {

template <typename T>
void check_dropout(int64_t n, double rate, uint64_t seed, uint64_t offset) {
  const auto x = random_vector<T>(n, 81);
  auto outs = run_op(OpId::dropout, {from_vector(x, {n})}, {{DTypeOf<T>::value, {n}}, {DType::Bool, {n}}},
                     {double(seed), double(offset), rate});
  const auto y = to_vector<T>(*outs[0]);
  const auto mask = to_vector<uint8_t>(*outs[1]);
  const T scale = static_cast<T>(1.0 / (1.0 - rate));
  int64_t kept = 0;
  for (int64_t i = 0; i < n; ++i) {
    const bool keep = philox_uniform01(philox_word(seed, offset, i)) > static_cast<float>(rate);
    ASSERT_EQ(mask[i], keep ? 1 : 0) << "at element " << i;
    ASSERT_EQ(y[i], keep ? x[i] * scale : T(0)) << "at element " << i;
    kept += keep;
  }
  if (n > 10000) EXPECT_NEAR(static_cast<double>(kept) / n, 1.0 - rate, 0.02);
  const auto dy = random_vector<T>(n, 82);
  const auto dx = to_vector<T>(
      *run_op(OpId::dropout_backward, {from_vector(dy, {n}), outs[1]}, {{DTypeOf<T>::value, {n}}}, {rate})[0]);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(dx[i], mask[i] ? dy[i] * scale : T(0)) << "at element " << i;
}

TEST(Dropout, MaskFollowsPhiloxAndBackwardUsesIt) {
  check_dropout<float>(1, 0.5, 7, 0);
  check_dropout<float>(129, 0.3, 7, 3);
  check_dropout<double>(65537, 0.25, (uint64_t{1} << 40) + 5, 12);
  check_dropout<float>(17, 0.0, 1, 0);
}

// The vector ISAs this CPU runs (the kernel takes 8 Philox blocks at a time in AVX2
// registers under avx2 and avx512, one at a time under portable).
std::vector<std::string> vector_isas() {
  std::vector<std::string> isas = {"portable"};
  const std::string best = kernel_isa();
  if (TESSERA_VECTORIZE_X86 && (best == "avx2" || best == "avx512")) isas.push_back("avx2");
  if (TESSERA_VECTORIZE_X86 && best == "avx512") isas.push_back("avx512");
  return isas;
}

// Forces one vector ISA for a scope.
struct ScopedVectorIsa {
  explicit ScopedVectorIsa(const std::string& isa) { cpu::set_vector_isa_for_testing(isa); }
  ~ScopedVectorIsa() { cpu::set_vector_isa_for_testing(""); }
};

TEST(Dropout, SameMaskOnEveryVectorIsaAndThreadCount) {
  for (const std::string& isa : vector_isas()) {
    SCOPED_TRACE("isa=" + isa);
    ScopedVectorIsa scoped_isa(isa);
    for (int threads : {1, 2, 3}) {
      SCOPED_TRACE("threads=" + std::to_string(threads));
      ScopedThreads scoped(threads);
      // Chunks of the pool that start and end mid-block, 16-block runs and their tails.
      check_dropout<float>(3 * 8192 + 77, 0.1, (uint64_t{0x1BEEF} << 32) + 3, (uint64_t{7} << 32) + 9);
      check_dropout<double>(64 * 5 + 3, 0.5, 11, 0);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

// 8 blocks in vector lanes give philox_block's words, including where the block
// counter's low word wraps (its high word then differs between lanes).
TEST(PhiloxLanes, EightBlocksMatchPhiloxBlock) {
  if (!cpu::philox_lanes_available()) GTEST_SKIP() << "no AVX2 on this CPU";
  for (uint64_t first :
       {uint64_t{0}, uint64_t{5}, (uint64_t{1} << 32) - 3, (uint64_t{77} << 32) - 8, ~uint64_t{0} - 4}) {
    for (uint64_t seed : {uint64_t{0}, uint64_t{1234567}, ~uint64_t{0}}) {
      const uint64_t offset = seed * 31 + first;
      uint32_t words[cpu::kPhiloxLaneWords];
      cpu::philox_8_blocks(seed, offset, first, words);
      for (int l = 0; l < 8; ++l) {
        const Philox4 want = philox_block(seed, offset, first + l);
        for (int j = 0; j < 4; ++j) ASSERT_EQ(words[4 * l + j], want.v[j]) << "block " << first + l << " word " << j;
      }
    }
  }
}

TEST(Dropout, RejectsRateOfOne) {
  EXPECT_THROW(run_op(OpId::dropout, {from_vector(std::vector<float>(4), {4})},
                      {{DType::Float32, {4}}, {DType::Bool, {4}}}, {1, 0, 1.0}),
               Error);
}

}  // namespace
}  // namespace tessera::testing
