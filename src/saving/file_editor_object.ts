// The file editor's tree of objects and weights, apart from the HDF5 code that reads and
// writes it: KerasFileEditor's public typings name these, and a CommonJS consumer's tsc
// cannot follow h5.ts's type import of h5wasm (an ES module).

/** One weight of a file: its values as HDF5 gave them (a typed array, or a number for a scalar). */
export class EditorWeight {
  constructor(
    readonly shape: number[],
    /** HDF5's type as h5wasm spells it ('<f', '<q', ...). */
    readonly h5Type: string,
    readonly value: unknown,
  ) {}
}

/** An object of the file: its weights and sub-objects by name, in the file's order. */
export type EditorObject = Map<string, EditorObject | EditorWeight>;
