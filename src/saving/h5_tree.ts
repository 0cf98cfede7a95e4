// An HDF5 file as the reader's worker (h5_worker_body.ts) sent it: groups, datasets and
// attributes with their values, read-only, with the part of h5wasm's API that the
// loaders use (keys, get, attrs, value, shape, dtype, path), so they read it as they
// would an open h5wasm file.

/** The deepest nesting of groups a walk over a file follows (Keras's files nest a few levels). */
export const MAX_GROUP_DEPTH = 64;

/**
 * Throws when the group at `path` (of a walk over a file) is nested deeper than
 * MAX_GROUP_DEPTH: a hard link to a group's own parent makes the file an endless tree,
 * which a walk followed until the process hung.
 */
export function checkGroupDepth(path: string): void {
  if (path.split('/').length > MAX_GROUP_DEPTH)
    throw new Error(`its groups nest more than ${MAX_GROUP_DEPTH} levels deep (at '${path.slice(0, 200)}...'): a link makes a cycle, or the file is damaged`);
}

interface ValueData {
  value?: unknown;
  valueError?: string;
  shape: number[] | null;
  dtype: unknown;
}
type AttrsData = [string, ValueData][];

/** A node of the tree as the worker sends it. */
export type NodeData =
  | { kind: 'group'; attrs: AttrsData; children: [string, NodeData][] | null }
  | ({ kind: 'dataset'; attrs: AttrsData } & ValueData)
  | { kind: 'other'; type: string };

/** An attribute of a group or dataset. */
export interface H5Attribute {
  /** Its value (a string, a number, an array of them, a typed array). */
  readonly value: unknown;
  /** Its shape (null for a scalar attribute). */
  readonly shape: number[] | null;
  /** Its HDF5 type as h5wasm spells it ('<f', ...). */
  readonly dtype: unknown;
}

// The value of an attribute or dataset; one h5wasm could not convert throws when asked for.
const valueOf = (path: string, d: ValueData) => {
  if (d.valueError !== undefined) throw new Error(`${path}: ${d.valueError}`);
  return d.value;
};

function attributes(path: string, data: AttrsData): Record<string, H5Attribute> {
  // No prototype: 'constructor' in attrs must be false, and '__proto__' a name like others.
  const out = Object.create(null) as Record<string, H5Attribute>;
  for (const [name, d] of data) {
    Object.defineProperty(out, name, {
      enumerable: true,
      value: Object.freeze({
        get value() {
          return valueOf(`${path} attribute '${name}'`, d);
        },
        shape: d.shape,
        dtype: d.dtype,
      }),
    });
  }
  return out;
}

/** A group of a file read by the worker. */
export class H5ReadGroup {
  /** Its attributes by name. */
  readonly attrs: Record<string, H5Attribute>;
  private children: Map<string, H5ReadGroup | H5ReadDataset | H5ReadOther> | null = null;

  constructor(
    /** Its path from the root ('/' for the file itself). */
    readonly path: string,
    private readonly data: Extract<NodeData, { kind: 'group' }>,
  ) {
    this.attrs = attributes(path, data.attrs);
  }

  /** The names of its members, in the file's order. */
  keys(): string[] {
    return [...this.members().keys()];
  }

  /** The member at `name` (a path through groups, 'a/b'), or null when there is none. */
  get(name: string): H5ReadGroup | H5ReadDataset | H5ReadOther | null {
    const parts = name.split('/').filter((s) => s.length > 0);
    if (parts.length === 0) return this;
    const child = this.members().get(parts[0]) ?? null;
    if (parts.length === 1) return child;
    return child instanceof H5ReadGroup ? child.get(parts.slice(1).join('/')) : null;
  }

  // Made when first asked for, one level at a time: the tree can hold cycles (a hard link
  // to a parent), which a walk follows until checkGroupDepth stops it, as in a file. The
  // worker left groups first met deeper than MAX_GROUP_DEPTH unread.
  private members(): Map<string, H5ReadGroup | H5ReadDataset | H5ReadOther> {
    if (this.data.children === null) {
      checkGroupDepth(this.path.slice(1));
      return new Map();
    }
    this.children ??= new Map(this.data.children.map(([key, d]) => [key, readNode(join(this.path, key), d)]));
    return this.children;
  }
}

/** A dataset of a file read by the worker. */
export class H5ReadDataset {
  /** Its attributes by name. */
  readonly attrs: Record<string, H5Attribute>;
  /** Its shape (null for an empty dataspace). */
  readonly shape: number[] | null;
  /** Its HDF5 type as h5wasm spells it ('<f', ...). */
  readonly dtype: unknown;

  constructor(
    /** Its path from the root. */
    readonly path: string,
    private readonly data: Extract<NodeData, { kind: 'dataset' }>,
  ) {
    this.attrs = attributes(path, data.attrs);
    this.shape = data.shape;
    this.dtype = data.dtype;
  }

  /** Its values (a typed array, or a number for a scalar). */
  get value(): unknown {
    return valueOf(this.path, this.data);
  }
}

/** A member that is neither a group nor a dataset (a soft or external link, a named type). */
export class H5ReadOther {
  constructor(
    /** Its path from the root. */
    readonly path: string,
    /** What h5wasm made of it ('BrokenSoftLink', 'ExternalLink', 'Datatype'). */
    readonly type: string,
  ) {}
}

const join = (path: string, key: string) => (path === '/' ? `/${key}` : `${path}/${key}`);

function readNode(path: string, d: NodeData): H5ReadGroup | H5ReadDataset | H5ReadOther {
  if (d.kind === 'group') return new H5ReadGroup(path, d);
  if (d.kind === 'dataset') return new H5ReadDataset(path, d);
  return new H5ReadOther(path, d.type);
}

/** The classes a reader tells members apart by (as h5wasm's module.Group and module.Dataset). */
export const h5Read = { Group: H5ReadGroup, Dataset: H5ReadDataset };
/** The type of h5Read, which readers receive as `module`. */
export type H5ReadModule = typeof h5Read;
