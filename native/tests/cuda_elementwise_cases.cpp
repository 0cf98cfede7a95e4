// CPU-vs-CUDA cases of the elementwise kernels: unary math and activations, binary
// arithmetic and comparisons with broadcasting, where, cast. Exact ops compare bit for bit
// (NaN, infinities, signed zeros and integer edges included); libm-based ones within a
// few ulp.
#include "cuda_case_makers.h"

namespace tessera::testing {
namespace {

const std::vector<std::vector<int64_t>> kShapes = {{}, {0}, {1}, {7}, {17, 129}, {3, 5, 7, 9}};
const std::vector<int64_t> kLarge = {3000017};

struct UnaryKind {
  OpId op;
  bool integers;  // int32 too
  bool exact;     // bit for bit
  double lo, hi;  // the input range where the function is interesting
  std::vector<double> attrs = {};
};

const std::vector<UnaryKind> kUnary = {
    {OpId::neg, true, true, -100, 100},
    {OpId::abs, true, true, -100, 100},
    {OpId::exp, false, false, -20, 20},
    {OpId::log, false, false, 1e-3, 100},
    {OpId::sqrt, false, true, 0, 100},
    {OpId::rsqrt, false, true, 1e-3, 100},
    {OpId::square, true, true, -100, 100},
    {OpId::reciprocal, false, true, -100, 100},
    {OpId::sign, true, true, -100, 100},
    {OpId::floor, false, true, -100, 100},
    {OpId::ceil, false, true, -100, 100},
    {OpId::round, false, true, -100, 100},
    {OpId::relu, true, true, -100, 100},
    {OpId::sigmoid, false, false, -30, 30},
    {OpId::tanh, false, false, -10, 10},
    {OpId::log1p, false, false, -0.999, 100},
    {OpId::expm1, false, false, -20, 20},
    {OpId::sin, false, false, -100, 100},
    {OpId::cos, false, false, -100, 100},
    {OpId::erf, false, false, -5, 5},
    {OpId::tan, false, false, -1.5, 1.5},
    {OpId::asin, false, false, -1, 1},
    {OpId::acos, false, false, -1, 1},
    {OpId::atan, false, false, -100, 100},
    {OpId::sinh, false, false, -20, 20},
    {OpId::cosh, false, false, -20, 20},
    {OpId::asinh, false, false, -100, 100},
    {OpId::acosh, false, false, 1, 100},
    {OpId::atanh, false, false, -0.999, 0.999},
    {OpId::softplus, false, false, -30, 30},
    {OpId::elu, false, false, -10, 10, {0.7}},
    {OpId::selu, false, false, -10, 10},
    {OpId::leaky_relu, false, true, -100, 100, {0.2}},
    {OpId::relu6, true, true, -10, 10},
    {OpId::gelu, false, false, -10, 10},
    {OpId::gelu_tanh, false, false, -10, 10},
    {OpId::silu, false, false, -30, 30},
    {OpId::mish, false, false, -30, 30},
    {OpId::hard_sigmoid, false, true, -5, 5},
    {OpId::softsign, false, true, -100, 100},
};

CudaCase unary_case(const UnaryKind& k, DType dtype, const std::vector<int64_t>& shape, InputMaker maker) {
  CudaCase c = simple_case(k.op, dtype, {shape}, shape, k.attrs);
  if (!k.exact) set_tolerance(c, dtype);
  c.make_input = std::move(maker);
  return c;
}

const CudaCaseRegistrar kUnaryCases([] {
  std::vector<CudaCase> all;
  for (const UnaryKind& k : kUnary) {
    for (DType dtype : {DType::Float32, DType::Float64}) {
      for (const auto& shape : kShapes) all.push_back(unary_case(k, dtype, shape, reals_in(k.lo, k.hi)));
      CudaCase special = unary_case(k, dtype, {17, 129}, special_values());
      special.label = "special";
      all.push_back(special);
    }
    all.push_back(unary_case(k, DType::Float32, kLarge, reals_in(k.lo, k.hi)));
    if (k.integers) {
      for (const auto& shape : kShapes) all.push_back(unary_case(k, DType::Int32, shape, nullptr));
      CudaCase edges = unary_case(k, DType::Int32, {17, 129}, special_values());
      edges.label = "edges";
      all.push_back(edges);
    }
  }
  for (const auto& shape : {std::vector<int64_t>{7}, std::vector<int64_t>{17, 129}, kLarge}) {
    all.push_back(simple_case(OpId::logical_not, DType::Bool, {shape}, shape));
    for (DType dtype : {DType::Float32, DType::Float64}) {
      for (OpId op : {OpId::is_nan, OpId::is_finite}) {
        CudaCase c = simple_case(op, dtype, {shape}, shape);
        c.outs[0].dtype = DType::Bool;
        c.make_input = special_values();
        all.push_back(c);
      }
    }
  }
  return all;
});

// (a, b) -> out: equal shapes (the vectorized path), scalars, bias rows, outer products,
// leading ones, stretches that do not coalesce, empty.
const std::vector<std::vector<std::vector<int64_t>>> kBroadcasts = {
    {{7}, {7}, {7}},
    {{17, 129}, {17, 129}, {17, 129}},
    {{}, {}, {}},
    {{17, 129}, {}, {17, 129}},
    {{}, {17, 129}, {17, 129}},
    {{129, 257}, {257}, {129, 257}},
    {{7, 1, 5}, {1, 3, 1}, {7, 3, 5}},
    {{17, 1}, {1, 129}, {17, 129}},
    {{2, 3, 4, 5, 6}, {3, 1, 5, 1}, {2, 3, 4, 5, 6}},
    {{0, 5}, {5}, {0, 5}},
};

CudaCase binary_case(OpId op, DType dtype, const std::vector<std::vector<int64_t>>& b, DType out_dtype) {
  CudaCase c = simple_case(op, dtype, {b[0], b[1]}, b[2]);
  c.outs[0].dtype = out_dtype;
  return c;
}

const CudaCaseRegistrar kBinaryCases([] {
  std::vector<CudaCase> all;
  const OpId arithmetic[] = {OpId::sub, OpId::mul, OpId::div, OpId::maximum, OpId::minimum, OpId::relu_backward};
  const OpId comparisons[] = {OpId::equal,      OpId::not_equal, OpId::less,
                              OpId::less_equal, OpId::greater,   OpId::greater_equal};
  for (DType dtype : {DType::Float32, DType::Int32, DType::Float64}) {
    for (const auto& b : kBroadcasts) {
      for (OpId op : arithmetic) all.push_back(binary_case(op, dtype, b, dtype));
      CudaCase p = binary_case(OpId::pow, dtype, b, dtype);
      if (dtype == DType::Int32) {
        p.make_input = integers_in(-6, 14);  // small bases, exponents to 13: wraps, negatives
      } else {
        p.make_input = reals_per_input({{0.01, 10}, {-8, 8}});
        set_tolerance(p, dtype);
      }
      all.push_back(p);
      if (dtype != DType::Int32) {
        CudaCase a = binary_case(OpId::atan2, dtype, b, dtype);
        set_tolerance(a, dtype);
        all.push_back(a);
      }
    }
    for (const auto& b : {kBroadcasts[1], kBroadcasts[6]}) {
      for (OpId op : arithmetic) {
        CudaCase c = binary_case(op, dtype, b, dtype);
        c.make_input = special_values();  // NaN through max / min, x / 0, INT_MIN / -1
        c.label = "special";
        all.push_back(c);
      }
      for (OpId op : comparisons) {
        CudaCase c = binary_case(op, dtype, b, DType::Bool);
        c.make_input = integers_in(-3, 3);  // many equal pairs
        all.push_back(c);
        CudaCase s = binary_case(op, dtype, b, DType::Bool);
        s.make_input = special_values();
        s.label = "special";
        all.push_back(s);
      }
    }
    for (OpId op : {OpId::sub, OpId::mul, OpId::maximum})
      all.push_back(binary_case(op, dtype, {kLarge, kLarge, kLarge}, dtype));
  }
  for (const auto& b : {kBroadcasts[1], kBroadcasts[6], kBroadcasts[8]}) {
    for (OpId op : comparisons) all.push_back(binary_case(op, DType::Bool, b, DType::Bool));
    for (OpId op : {OpId::logical_and, OpId::logical_or}) all.push_back(binary_case(op, DType::Bool, b, DType::Bool));
  }
  all.push_back(binary_case(OpId::logical_and, DType::Bool, {kLarge, kLarge, kLarge}, DType::Bool));
  // gelu's gradient (dy, x): floats only; erf and exp differ by rounding between the devices.
  for (DType dtype : {DType::Float32, DType::Float64}) {
    auto shapes = kBroadcasts;
    shapes.push_back({kLarge, kLarge, kLarge});
    for (const auto& b : shapes) {
      CudaCase g = binary_case(OpId::gelu_backward, dtype, b, dtype);
      g.make_input = reals_per_input({{-4, 4}, {-10, 10}});
      set_tolerance(g, dtype);
      all.push_back(g);
    }
  }
  return all;
});

// (cond, a, b) -> out.
const CudaCaseRegistrar kWhereCases([] {
  std::vector<CudaCase> all;
  const std::vector<std::vector<std::vector<int64_t>>> shapes = {
      {{17, 129}, {17, 129}, {17, 129}, {17, 129}}, {{17, 1}, {129}, {}, {17, 129}}, {{}, {7, 3}, {3}, {7, 3}},
      {{2, 1, 4}, {3, 1}, {1, 1, 4}, {2, 3, 4}},    {kLarge, kLarge, {}, kLarge},    {{0, 3}, {3}, {3}, {0, 3}},
  };
  for (DType dtype : {DType::Float32, DType::Int32, DType::Float64, DType::Bool}) {
    for (const auto& s : shapes) {
      CudaCase c;
      c.op = OpId::where;
      c.input_dtypes = {DType::Bool, dtype, dtype};
      c.inputs = {s[0], s[1], s[2]};
      c.outs = {{dtype, s[3]}};
      c.label = dtype_name(dtype);  // the name shows the condition's dtype
      all.push_back(c);
    }
  }
  return all;
});

const CudaCaseRegistrar kCastCases([] {
  std::vector<CudaCase> all;
  const DType dtypes[] = {DType::Float32, DType::Int32, DType::Float64, DType::Bool};
  for (DType from : dtypes) {
    for (DType to : dtypes) {
      for (const auto& shape : {std::vector<int64_t>{7}, std::vector<int64_t>{17, 129}, kLarge}) {
        CudaCase c = simple_case(OpId::cast, from, {shape}, shape);
        c.outs[0].dtype = to;
        // Within int32's range: a float out of it converts differently on the two sides
        // (undefined behaviour in C++; x86 gives INT_MIN, the GPU saturates).
        c.make_input = reals_in(-1e6, 1e6);
        c.label = std::string("to_") + dtype_name(to);
        all.push_back(c);
      }
      if (from == DType::Float32 || from == DType::Float64) {
        if (to == DType::Int32) continue;
        CudaCase s = simple_case(OpId::cast, from, {{17, 129}}, {17, 129});
        s.outs[0].dtype = to;
        s.make_input = special_values();
        s.label = std::string("special_to_") + dtype_name(to);
        all.push_back(s);
      }
    }
  }
  return all;
});

}  // namespace
}  // namespace tessera::testing
