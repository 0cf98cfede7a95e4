// Keras operations in a Keras 3 functional config: `x + y` on Keras tensors records an
// operation (module keras.src.ops.numpy, class Add, called with two positional tensors)
// where `layers.Add()([x, y])` records a layer (module keras.layers, one list of tensors).
// The elementwise ones between two tensors of one rank are the merge layers of the same
// name, which is how Tessera loads them; any other operation is an error naming it, never
// a layer of the same class name read with the operation's arguments.
import { describe } from '../tensor/shape';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// keras.src.ops.numpy class -> the merge layer computing the same between two tensors.
const AS_MERGE_LAYER: Record<string, string> = { Add: 'Add', Subtract: 'Subtract', Multiply: 'Multiply', Maximum: 'Maximum', Minimum: 'Minimum' };

/** Whether a functional config's entry is a Keras operation rather than a layer. */
export function isKerasOperation(entry: Obj): boolean {
  return typeof entry.module === 'string' && entry.module.startsWith('keras.src.ops.');
}

/**
 * The merge-layer entry equivalent to a Keras operation's entry ({module, class_name,
 * config, inbound_nodes} as config.json holds it); an operation that has none is an error.
 */
export function operationAsLayer(entry: Obj, where: string): Obj {
  const op = `${String(entry.module)}.${String(entry.class_name)}`;
  const name = typeof entry.name === 'string' ? entry.name : isObj(entry.config) ? String(entry.config.name) : '?';
  const at = `${where}: '${name}' is the Keras operation ${op}`;
  const layerClass = entry.module === 'keras.src.ops.numpy' ? AS_MERGE_LAYER[String(entry.class_name)] : undefined;
  if (layerClass === undefined) {
    throw new Error(
      `${at}, which Tessera does not load: of Keras's operations it loads ${Object.keys(AS_MERGE_LAYER).join(', ')} (keras.src.ops.numpy) between two tensors`,
    );
  }
  const config = isObj(entry.config) ? entry.config : {};
  const extra = Object.keys(config).filter((k) => k !== 'name');
  if (extra.length > 0) throw new Error(`${at}, whose config has options Tessera does not know: ${extra.join(', ')}`);
  if (!Array.isArray(entry.inbound_nodes)) throw new Error(`${at}: expected inbound_nodes to be a list, got ${describe(entry.inbound_nodes)}`);
  const nodes = entry.inbound_nodes.map((node) => {
    const args = isObj(node) && Array.isArray(node.args) ? node.args : undefined;
    const kwargs = isObj(node) ? (node.kwargs ?? {}) : undefined;
    const tensors = args?.filter((a) => isObj(a) && a.class_name === '__keras_tensor__') as { config?: { shape?: unknown } }[] | undefined;
    if (args === undefined || args.length !== 2 || tensors!.length !== 2) {
      // `x + 1` or `x + tensor` records a constant, which a merge layer cannot hold.
      throw new Error(`${at} with arguments ${describe(args)}: Tessera loads it only between two Keras tensors, not with a constant`);
    }
    if (!isObj(kwargs) || Object.keys(kwargs).length > 0) throw new Error(`${at} with keyword arguments ${describe(kwargs)}, which Tessera does not load`);
    const [a, b] = tensors!.map((t) => t.config?.shape);
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
      // numpy broadcasting across ranks: the merge layers broadcast size-1 dimensions only.
      throw new Error(`${at} between tensors of shapes ${describe(a)} and ${describe(b)}: Tessera loads it only between tensors of one rank`);
    }
    return { args: [args], kwargs: {} };
  });
  return { module: 'keras.layers', class_name: layerClass, config: { name, trainable: true }, registered_name: null, name, inbound_nodes: nodes };
}
