// SimpleRNN, LSTM and GRU cells (both reset_after modes) against naive Keras formulas;
// their backward kernels by finite differences on every input.
#include "nn_test_util.h"

namespace tessera::testing {
namespace {

constexpr int64_t B = 3, U = 5;

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// (h @ W)[b, j] for W [U, width] restricted to columns [first, first + U).
double matvec(const std::vector<double>& h, const std::vector<double>& w, int64_t width, int64_t b, int64_t col) {
  double s = 0;
  for (int64_t k = 0; k < U; ++k) s += h[b * U + k] * w[k * width + col];
  return s;
}

struct Cell {
  OpId forward, backward;
  std::vector<Shape> inputs;   // forward inputs
  std::vector<Shape> outputs;  // forward outputs; the first `states` are differentiated
  int states;
  std::vector<double> attrs;
  // Backward inputs from the forward inputs, the forward outputs and the state gradients.
  std::function<std::vector<std::vector<double>>(const std::vector<std::vector<double>>&,
                                                 const std::vector<std::vector<double>>&,
                                                 const std::vector<std::vector<double>>&)>
      backward_inputs;
  std::vector<Shape> backward_inputs_shapes;
  std::vector<int> grad_of_input;  // backward output k is the gradient of forward input grad_of_input[k]
};

std::vector<std::vector<double>> run_cell(OpId op, const std::vector<std::vector<double>>& values,
                                          const std::vector<Shape>& shapes, const std::vector<Shape>& outs,
                                          const std::vector<double>& attrs) {
  std::vector<Arg<double>> args;
  for (size_t i = 0; i < values.size(); ++i) args.push_back({values[i], shapes[i]});
  return run_nn<double>(op, args, outs, attrs);
}

void expect_backward_matches_finite_differences(const Cell& cell) {
  std::vector<std::vector<double>> inputs;
  for (size_t i = 0; i < cell.inputs.size(); ++i)
    inputs.push_back(random_vector<double>(count_of(cell.inputs[i]), 200 + i));
  std::vector<std::vector<double>> dstates;
  for (int s = 0; s < cell.states; ++s) dstates.push_back(random_vector<double>(count_of(cell.outputs[s]), 300 + s));
  const auto outputs = run_cell(cell.forward, inputs, cell.inputs, cell.outputs, cell.attrs);
  std::vector<Shape> grad_shapes;
  for (int i : cell.grad_of_input) grad_shapes.push_back(cell.inputs[i]);
  const auto grads = run_cell(cell.backward, cell.backward_inputs(inputs, outputs, dstates),
                              cell.backward_inputs_shapes, grad_shapes, cell.attrs);
  for (size_t k = 0; k < grads.size(); ++k) {
    const int which = cell.grad_of_input[k];
    expect_gradient(
        [&](const std::vector<double>& v) {
          auto changed = inputs;
          changed[which] = v;
          const auto out = run_cell(cell.forward, changed, cell.inputs, cell.outputs, cell.attrs);
          double loss = 0;
          for (int s = 0; s < cell.states; ++s) loss += dot(dstates[s], out[s]);
          return loss;
        },
        inputs[which], grads[k], ("gradient of input " + std::to_string(which)).c_str());
  }
}

TEST(SimpleRnnCell, MatchesNaiveAndFiniteDifferences) {
  const auto xw = random_vector<double>(B * U, 1), h = random_vector<double>(B * U, 2),
             w = random_vector<double>(U * U, 3);
  std::vector<double> want(B * U);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t j = 0; j < U; ++j) want[b * U + j] = std::tanh(xw[b * U + j] + matvec(h, w, U, b, j));
  expect_near_all(run_nn<double>(OpId::simple_rnn_cell, {{xw, {B, U}}, {h, {B, U}}, {w, {U, U}}}, {{B, U}})[0], want,
                  1e-12, 1e-12);
  Cell cell{OpId::simple_rnn_cell,
            OpId::simple_rnn_cell_backward,
            {{B, U}, {B, U}, {U, U}},
            {{B, U}},
            1,
            {},
            [](auto& in, auto& out, auto& d) {
              return std::vector<std::vector<double>>{in[1], in[2], out[0], d[0]};
            },
            {{B, U}, {U, U}, {B, U}, {B, U}},
            {0, 1, 2}};
  expect_backward_matches_finite_differences(cell);
}

TEST(LstmCell, MatchesNaiveAndFiniteDifferences) {
  const auto xw = random_vector<double>(B * 4 * U, 4), h = random_vector<double>(B * U, 5),
             c = random_vector<double>(B * U, 6);
  const auto w = random_vector<double>(U * 4 * U, 7);
  std::vector<double> want_h(B * U), want_c(B * U);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t j = 0; j < U; ++j) {
      const auto z = [&](int gate) { return xw[b * 4 * U + gate * U + j] + matvec(h, w, 4 * U, b, gate * U + j); };
      const double i = sigmoid(z(0)), f = sigmoid(z(1)), g = std::tanh(z(2)), o = sigmoid(z(3));
      want_c[b * U + j] = f * c[b * U + j] + i * g;
      want_h[b * U + j] = o * std::tanh(want_c[b * U + j]);
    }
  const auto out = run_nn<double>(OpId::lstm_cell, {{xw, {B, 4 * U}}, {h, {B, U}}, {c, {B, U}}, {w, {U, 4 * U}}},
                                  {{B, U}, {B, U}, {B, 4 * U}});
  expect_near_all(out[0], want_h, 1e-12, 1e-12);
  expect_near_all(out[1], want_c, 1e-12, 1e-12);
  const auto out32 = run_nn<float>(OpId::lstm_cell,
                                   {{cast_all<float>(xw), {B, 4 * U}},
                                    {cast_all<float>(h), {B, U}},
                                    {cast_all<float>(c), {B, U}},
                                    {cast_all<float>(w), {U, 4 * U}}},
                                   {{B, U}, {B, U}, {B, 4 * U}});
  expect_near_all(out32[0], want_h, 1e-5, 1e-6);
  Cell cell{OpId::lstm_cell,
            OpId::lstm_cell_backward,
            {{B, 4 * U}, {B, U}, {B, U}, {U, 4 * U}},
            {{B, U}, {B, U}, {B, 4 * U}},
            2,
            {},
            [](auto& in, auto& out, auto& d) {
              return std::vector<std::vector<double>>{in[1], in[2], in[3], out[2], out[1], d[0], d[1]};
            },
            {{B, U}, {B, U}, {U, 4 * U}, {B, 4 * U}, {B, U}, {B, U}, {B, U}},
            {0, 1, 2, 3}};
  expect_backward_matches_finite_differences(cell);
}

TEST(GruCell, BothResetModesMatchNaiveAndFiniteDifferences) {
  const auto xw = random_vector<double>(B * 3 * U, 8), h = random_vector<double>(B * U, 9);
  const auto w = random_vector<double>(U * 3 * U, 10), rb = random_vector<double>(3 * U, 11);
  for (bool reset_after : {true, false}) {
    SCOPED_TRACE(reset_after ? "reset_after" : "reset_before");
    std::vector<double> want(B * U);
    for (int64_t b = 0; b < B; ++b) {
      std::vector<double> r(U);
      for (int64_t j = 0; j < U; ++j) r[j] = sigmoid(xw[b * 3 * U + U + j] + matvec(h, w, 3 * U, b, U + j) + rb[U + j]);
      for (int64_t j = 0; j < U; ++j) {
        const double z = sigmoid(xw[b * 3 * U + j] + matvec(h, w, 3 * U, b, j) + rb[j]);
        double recurrent = 0;
        if (reset_after) {
          recurrent = r[j] * (matvec(h, w, 3 * U, b, 2 * U + j) + rb[2 * U + j]);
        } else {
          for (int64_t k = 0; k < U; ++k) recurrent += r[k] * h[b * U + k] * w[k * 3 * U + 2 * U + j];
          recurrent += rb[2 * U + j];
        }
        const double hh = std::tanh(xw[b * 3 * U + 2 * U + j] + recurrent);
        want[b * U + j] = z * h[b * U + j] + (1 - z) * hh;
      }
    }
    const std::vector<double> attrs = {double(reset_after)};
    expect_near_all(run_nn<double>(OpId::gru_cell, {{xw, {B, 3 * U}}, {h, {B, U}}, {w, {U, 3 * U}}, {rb, {3 * U}}},
                                   {{B, U}, {B, 4 * U}}, attrs)[0],
                    want, 1e-12, 1e-12);
    Cell cell{OpId::gru_cell,
              OpId::gru_cell_backward,
              {{B, 3 * U}, {B, U}, {U, 3 * U}, {3 * U}},
              {{B, U}, {B, 4 * U}},
              1,
              attrs,
              [](auto& in, auto& out, auto& d) {
                return std::vector<std::vector<double>>{in[1], in[2], out[1], d[0]};
              },
              {{B, U}, {U, 3 * U}, {B, 4 * U}, {B, U}},
              {0, 1, 2, 3}};
    expect_backward_matches_finite_differences(cell);
  }
}

TEST(RecurrentCells, RejectMismatchedShapes) {
  EXPECT_THROW(run_nn<float>(OpId::lstm_cell,
                             {{std::vector<float>(B * 3 * U), {B, 3 * U}},
                              {std::vector<float>(B * U), {B, U}},
                              {std::vector<float>(B * U), {B, U}},
                              {std::vector<float>(U * 4 * U), {U, 4 * U}}},
                             {{B, U}, {B, U}, {B, 4 * U}}),
               Error);
}

}  // namespace
}  // namespace tessera::testing
