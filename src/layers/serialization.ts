// The layer class registry: getConfig / fromConfig by class name. Built-in layers are
// registered by the layers index; custom layers call registerLayer once.
import { Registry, classNameOf, isSerialized, type Serialized } from '../serialization/registry';
import type { CustomObject } from '../serialization/custom_objects';
import type { Layer } from './layer';
import { describe } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';

/** A Layer class that can rebuild an instance from its config. */
export interface LayerClass extends Function {
  /** A new instance from what getConfig returned. */
  fromConfig(config: Record<string, unknown>): Layer<any>;
}

// A Layer class by duck type (layer.ts imports this file): what a load's customObjects may give here.
const isLayerClass = (v: CustomObject): boolean => {
  const proto = v.prototype as { addWeight?: unknown; computeOutputShape?: unknown } | undefined;
  return (
    typeof (v as Partial<LayerClass>).fromConfig === 'function' && typeof proto?.addWeight === 'function' && typeof proto.computeOutputShape === 'function'
  );
};

const registry = new Registry<LayerClass>('layer class', isLayerClass);

/**
 * Makes a Layer (or Model) subclass known to deserializeLayer under its static
 * `className` (or its JS name), or under `name`: a Keras registered name such as
 * 'my_package>MyLayer' lets a `.keras` file that names it load into this class.
 * @example class Scale extends Layer { static className = 'Scale'; ... } registerLayer(Scale);
 */
export function registerLayer(cls: LayerClass, name?: string): void {
  if (arguments.length > 2) throw tooManyArguments('layers.registerLayer', 2, arguments.length);
  if (typeof cls !== 'function' || typeof (cls as LayerClass).fromConfig !== 'function') {
    throw new Error(`registerLayer: expected a Layer subclass, got ${describe(cls)}`);
  }
  registry.register(name ?? classNameOf(cls), cls);
}

/** @internal Registers a library-internal layer class that files may name but users never write (left out of the valid names listed in errors). */
export function registerInternalLayer(cls: LayerClass): void {
  registry.register(classNameOf(cls), cls, false);
}

/** @internal The name a layer class is registered under, or undefined when it is not registered. */
export function registeredLayerName(cls: Function): string | undefined {
  return registry.nameOf(cls as LayerClass);
}

/** @internal The registered class called `name`, or undefined. */
export function findLayerClass(name: string): LayerClass | undefined {
  return registry.has(name) ? registry.get('findLayerClass', name) : undefined;
}

/** `{className, config}` of a layer: what deserializeLayer rebuilds it from. */
export function serializeLayer(layer: Layer<any>): Serialized {
  if (arguments.length > 1) throw tooManyArguments('layers.serializeLayer', 1, arguments.length);
  // Duck-typed: this file is imported by layer.ts, so it cannot import the class.
  if (layer === null || typeof layer !== 'object' || typeof (layer as { getConfig?: unknown }).getConfig !== 'function') {
    throw new Error(`serializeLayer: expected a Layer, got ${describe(layer)}`);
  }
  return { className: registeredLayerName(layer.constructor) ?? classNameOf(layer.constructor), config: layer.getConfig() };
}

/** A new layer from `{className, config}`; unknown class names list the registered ones. */
export function deserializeLayer(serialized: Serialized): Layer<any> {
  if (arguments.length > 1) throw tooManyArguments('layers.deserializeLayer', 1, arguments.length);
  if (!isSerialized(serialized)) throw new Error(`deserializeLayer: expected {className, config}, got ${describe(serialized)}`);
  return registry.get('deserializeLayer', serialized.className).fromConfig(serialized.config ?? {});
}
