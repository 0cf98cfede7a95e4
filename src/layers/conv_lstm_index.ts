// The convolutional LSTM factories and their registration (layers.convLstm2d ...).
import { ConvLSTM1D, ConvLSTM2D, ConvLSTM3D, type ConvLSTMArgs } from './conv_lstm';
import { ConvLSTM1DCell, ConvLSTM2DCell, ConvLSTM3DCell } from './conv_lstm_cell';
import { constructLayer, layerFactory } from './keras_positional';
import { registerLayer } from './serialization';

export { ConvLSTM, ConvLSTM1D, ConvLSTM2D, ConvLSTM3D, type ConvLSTMArgs } from './conv_lstm';
export { ConvLSTMCell, ConvLSTM1DCell, ConvLSTM2DCell, ConvLSTM3DCell, type ConvLSTMCellArgs } from './conv_lstm_cell';

for (const cls of [ConvLSTM1D, ConvLSTM2D, ConvLSTM3D, ConvLSTM1DCell, ConvLSTM2DCell, ConvLSTM3DCell]) registerLayer(cls);

/** The cell of convLstm2d (one step: [input, h, c] -> [h, c]). */
export const convLstm2dCell = layerFactory(ConvLSTM2DCell);

/** Convolutional LSTM over [batch, time, steps, channels]. @example layers.convLstm1d({filters: 8, kernelSize: 3}) */
export function convLstm1d(args: ConvLSTMArgs & { returnState: true }): ConvLSTM1D<'list'>;
export function convLstm1d(args: ConvLSTMArgs): ConvLSTM1D;
export function convLstm1d(...args: unknown[]): ConvLSTM1D<any> {
  return constructLayer(ConvLSTM1D as new (args: ConvLSTMArgs) => ConvLSTM1D<any>, args);
}
/** Convolutional LSTM over [batch, time, height, width, channels]. @example layers.convLstm2d({filters: 8, kernelSize: 3, padding: 'same'}) */
export function convLstm2d(args: ConvLSTMArgs & { returnState: true }): ConvLSTM2D<'list'>;
export function convLstm2d(args: ConvLSTMArgs): ConvLSTM2D;
export function convLstm2d(...args: unknown[]): ConvLSTM2D<any> {
  return constructLayer(ConvLSTM2D as new (args: ConvLSTMArgs) => ConvLSTM2D<any>, args);
}
/** Convolutional LSTM over [batch, time, depth, height, width, channels]. @example layers.convLstm3d({filters: 4, kernelSize: 3}) */
export function convLstm3d(args: ConvLSTMArgs & { returnState: true }): ConvLSTM3D<'list'>;
export function convLstm3d(args: ConvLSTMArgs): ConvLSTM3D;
export function convLstm3d(...args: unknown[]): ConvLSTM3D<any> {
  return constructLayer(ConvLSTM3D as new (args: ConvLSTMArgs) => ConvLSTM3D<any>, args);
}
