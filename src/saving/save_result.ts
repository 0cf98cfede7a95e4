// What model.save and saveWeights resolve to: TensorFlow.js's SaveResult, with the sizes
// of what was written (TensorFlow.js's getModelArtifactsInfoForJSON counts the same way).

/** TensorFlow.js's ModelArtifactsInfo: when a save happened and how many bytes of each kind it wrote. */
export interface ModelArtifactsInfo {
  /** When the save finished writing. */
  dateSaved: Date;
  /** Always 'JSON' (the topology is a JSON config in every format Tessera writes). */
  modelTopologyType: 'JSON';
  /** UTF-8 bytes of the model's config: model.json's modelTopology, or a .keras file's config.json; 0 when only weights were saved. */
  modelTopologyBytes: number;
  /** UTF-8 bytes of the weight specs (the manifest's weights entries); 0 for HDF5 files, where they are inside the weight data. */
  weightSpecsBytes: number;
  /** Bytes of the weights: the weights files of a folder, or the HDF5 file (model.weights.h5 inside a .keras file). */
  weightDataBytes: number;
}

/** TensorFlow.js's SaveResult. */
export interface SaveResult {
  /** What was written: the date and the bytes of each part. */
  modelArtifactsInfo: ModelArtifactsInfo;
}

const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** The UTF-8 size of a value written as JSON. */
export const jsonBytes = (value: unknown): number => utf8Bytes(JSON.stringify(value));

/** A SaveResult dated now. */
export function saveResult(bytes: { topology?: number; specs?: number; data: number }): SaveResult {
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: bytes.topology ?? 0,
      weightSpecsBytes: bytes.specs ?? 0,
      weightDataBytes: bytes.data,
    },
  };
}

/** The total size of some files' contents. */
export const totalBytes = (files: Iterable<Uint8Array>): number => {
  let n = 0;
  for (const f of files) n += f.byteLength;
  return n;
};
