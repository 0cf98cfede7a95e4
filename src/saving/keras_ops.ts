// Keras operations in a Keras 3 functional config: `x + y` on Keras tensors records an
// operation (module keras.src.ops.numpy, class Add, called with two positional tensors)
// where `layers.Add()([x, y])` records a layer (module keras.layers, one list of tensors).
// The elementwise ones between two tensors of one rank are the merge layers of the same
// name, which is how Tessera loads them; the others it computes load as KerasOperation
// layers (layers/keras_operation), saved back as Keras wrote them; any other operation is
// an error naming it, never a layer of the same class name read with its arguments.
import { fillSlots, KerasOperation } from '../layers/keras_operation';
import { isFloatConstant } from '../layers/keras_float_constant';
import { KERAS_OPERATIONS } from '../layers/keras_operation_table';
import { describe } from '../tensor/shape';
import { toCamelCase, toSnake, type Json } from './config_conversion';
import { floatMark } from './json_floats';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
// A float constant goes back as a float ('1.0', written by floatsInJson), for Keras to read a float.
const floatsMarked = (v: unknown): unknown => (isFloatConstant(v) ? floatMark(v.config.value) : Array.isArray(v) ? v.map(floatsMarked) : v);

// keras.src.ops.numpy class -> the merge layer computing the same between two tensors.
const AS_MERGE_LAYER: Record<string, string> = { Add: 'Add', Subtract: 'Subtract', Multiply: 'Multiply', Maximum: 'Maximum', Minimum: 'Minimum' };

/** Whether a functional config's entry is a Keras operation rather than a layer. */
export function isKerasOperation(entry: Obj): boolean {
  return typeof entry.module === 'string' && entry.module.startsWith('keras.src.ops.');
}

/**
 * The layer entry for a Keras operation's entry ({module, class_name, config,
 * inbound_nodes} as config.json holds it): the merge layer of the same name between two
 * tensors of one rank, else a KerasOperation holding the operation (its constants in
 * place, `{kerasTensor: i}` where the call passed a tensor). An operation Tessera does not
 * compute is an error naming it.
 */
export function operationAsLayer(entry: Obj, where: string): Obj {
  const op = `${String(entry.module)}.${String(entry.class_name)}`;
  const name = typeof entry.name === 'string' ? entry.name : isObj(entry.config) ? String(entry.config.name) : '?';
  const at = `${where}: '${name}' is the Keras operation ${op}`;
  const config = isObj(entry.config) ? entry.config : {};
  if (!Array.isArray(entry.inbound_nodes)) throw new Error(`${at}: expected inbound_nodes to be a list, got ${describe(entry.inbound_nodes)}`);
  if (asMergeLayer(entry, config)) {
    const nodes = entry.inbound_nodes.map((node) => ({ args: [(node as Obj).args], kwargs: {} }));
    const layerClass = AS_MERGE_LAYER[String(entry.class_name)];
    return { module: 'keras.layers', class_name: layerClass, config: { name, trainable: true }, registered_name: null, name, inbound_nodes: nodes };
  }
  const known = Object.hasOwn(KERAS_OPERATIONS, String(entry.class_name)) ? KERAS_OPERATIONS[String(entry.class_name)] : undefined;
  if (known === undefined || known.module !== entry.module) {
    const list = Object.entries(KERAS_OPERATIONS).map(([k, e]) => `${k} (${e.module.replace('keras.src.ops.', '')})`);
    throw new Error(`${at}, which Tessera does not load: of Keras's operations it loads ${list.join(', ')}`);
  }
  // One operation object called once (what keras.ops records); several calls must pass the same constants.
  let template: { args: unknown[]; kwargs: unknown } | undefined;
  const nodes = entry.inbound_nodes.map((node) => {
    if (!isObj(node) || !Array.isArray(node.args)) throw new Error(`${at}: expected an inbound node {args, kwargs}, got ${describe(node)}`);
    const refs: unknown[] = [];
    const slot = (v: unknown): unknown => {
      if (isObj(v) && v.class_name === '__keras_tensor__') return { kerasTensor: refs.push(v) - 1 };
      return Array.isArray(v) ? v.map(slot) : v;
    };
    const args = node.args.map(slot);
    if (refs.length === 0) throw new Error(`${at} with arguments ${describe(node.args)}: expected at least one Keras tensor among them`);
    const kwargs = isObj(node.kwargs) ? Object.fromEntries(Object.entries(node.kwargs).map(([k, v]) => [toCamelCase(k), v])) : node.kwargs;
    const mine = { args, kwargs: kwargs ?? {} };
    if (template !== undefined && JSON.stringify(template) !== JSON.stringify(mine))
      throw new Error(`${at}, called twice with different constants (${describe(template)} and ${describe(mine)}), which Tessera does not load`);
    template = mine;
    return { args: [refs], kwargs: {} };
  });
  if (template === undefined) throw new Error(`${at}: expected it to be called (inbound_nodes is empty)`);
  const options = Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => k !== 'name')
      .map(([k, v]) => [toCamelCase(k), v]),
  );
  const layerConfig = { name, trainable: true, op: entry.class_name, module: entry.module, options, args: template.args, kwargs: template.kwargs };
  return { module: 'keras.layers', class_name: KerasOperation.className, config: layerConfig, registered_name: null, name, inbound_nodes: nodes };
}

// `x + y` between two tensors of one rank, nothing else: the merge layer of the name computes it.
function asMergeLayer(entry: Obj, config: Obj): boolean {
  if (entry.module !== 'keras.src.ops.numpy' || !Object.hasOwn(AS_MERGE_LAYER, String(entry.class_name))) return false;
  if (Object.keys(config).some((k) => k !== 'name')) return false;
  return (entry.inbound_nodes as unknown[]).every((node) => {
    if (!isObj(node) || !Array.isArray(node.args) || node.args.length !== 2) return false;
    if (isObj(node.kwargs) && Object.keys(node.kwargs).length > 0) return false;
    const shapes = node.args.map((a) => (isObj(a) && a.class_name === '__keras_tensor__' && isObj(a.config) ? a.config.shape : undefined));
    // numpy broadcasting across ranks: the merge layers broadcast size-1 dimensions only.
    return shapes.every(Array.isArray) && (shapes[0] as unknown[]).length === (shapes[1] as unknown[]).length;
  });
}

/**
 * A KerasOperation's entry in Keras's form, its nodes as nodeToDisk wrote them
 * ({args: [[tensor, ...]], kwargs}): the tensors go back into the constants' places.
 */
export function operationToDisk(config: Obj, nodes: Json[]): { [k: string]: Json } {
  const snake = (o: unknown) => Object.fromEntries(Object.entries(isObj(o) ? o : {}).map(([k, v]) => [toSnake(k), v as Json]));
  const className = String(config.op);
  return {
    module: config.module as string,
    class_name: className,
    config: { name: config.name as string, ...snake(config.options) },
    registered_name: className,
    name: config.name as string,
    inbound_nodes: nodes.map((n) => {
      const [tensors] = (n as { args: Json[][] }).args;
      const list = Array.isArray(tensors) ? tensors : [tensors];
      return { args: fillSlots(floatsMarked(config.args), (i) => list[i]) as Json[], kwargs: snake(config.kwargs) };
    }),
  };
}
