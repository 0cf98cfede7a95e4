// Automatic layer names: Keras 3's to_snake_case of the class name (keras.src.utils.naming),
// numbered per prefix. Expected names from Keras 3.15.
import { layers } from '../../src';
import { toSnakeCase } from '../../src/layers/naming';

describe('automatic layer names', () => {
  it("are Keras's to_snake_case of the class name, acronyms included", () => {
    const keras: Record<string, string> = {
      ConvLSTM1D: 'conv_lstm1d',
      ConvLSTM2D: 'conv_lstm2d',
      ConvLSTM3DCell: 'conv_lstm3d_cell',
      GRU: 'gru',
      LSTMCell: 'lstm_cell',
      SimpleRNN: 'simple_rnn',
      PReLU: 'p_re_lu',
      ReLU: 're_lu',
      RMSNormalization: 'rms_normalization',
      STFTSpectrogram: 'stft_spectrogram',
      Conv1DTranspose: 'conv1d_transpose',
      UpSampling2D: 'up_sampling2d',
      GroupedQueryAttention: 'grouped_query_attention',
      InputLayer: 'input_layer',
      L1L2: 'l1l2',
      MeanIoU: 'mean_io_u',
    };
    for (const [className, name] of Object.entries(keras)) expect([className, toSnakeCase(className)]).toEqual([className, name]);
    const auto = (made: { name: string }, prefix: string) => expect(made.name).toMatch(new RegExp(`^${prefix}(_\\d+)?$`));
    auto(layers.convLstm2d({ filters: 2, kernelSize: 3 }), 'conv_lstm2d');
    auto(layers.convLstm1d({ filters: 2, kernelSize: 3 }), 'conv_lstm1d');
    auto(layers.gru({ units: 2 }), 'gru');
    auto(layers.lstm({ units: 2 }), 'lstm');
    auto(layers.simpleRNN({ units: 2 }), 'simple_rnn');
    auto(layers.prelu(), 'p_re_lu');
  });
});
