// Data pipelines and readers.
export { Dataset, type Element } from './dataset';
export { fromArrays, fromTensors, fromGenerator, zip, TensorSliceDataset, type TensorStructure } from './sources';
export { fromCsv, parseCsvLine, type CsvOptions, type ColumnConfig } from './csv';
export { readIdx, parseIdx, type IdxData } from './idx';
export { textDatasetFromDirectory, type TextDatasetOptions } from './text_dataset';
