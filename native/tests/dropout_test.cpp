// Dropout's mask follows the documented Philox rule exactly (the CUDA kernel gives the
// same), keeps about 1 - rate of the elements, and its backward uses the mask.
#include "nn_test_util.h"
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

TEST(Dropout, RejectsRateOfOne) {
  EXPECT_THROW(run_op(OpId::dropout, {from_vector(std::vector<float>(4), {4})},
                      {{DType::Float32, {4}}, {DType::Bool, {4}}}, {1, 0, 1.0}),
               Error);
}

}  // namespace
}  // namespace tessera::testing
