// The layer class registry: getConfig / fromConfig by class name. Built-in layers are
// registered by the layers index; custom layers call registerLayer once.
import { Registry, classNameOf, isSerialized, type Serialized } from '../serialization/registry';
import type { Layer } from './layer';

/** A Layer class that can rebuild an instance from its config. */
export interface LayerClass extends Function {
  fromConfig(config: Record<string, unknown>): Layer<any>;
}

const registry = new Registry<LayerClass>('layer class');

/**
 * Makes a Layer (or Model) subclass known to deserializeLayer under its static
 * `className` (or its JS name).
 * @example class Scale extends Layer { static className = 'Scale'; ... } registerLayer(Scale);
 */
export function registerLayer(cls: LayerClass): void {
  if (typeof cls !== 'function' || typeof (cls as LayerClass).fromConfig !== 'function') {
    throw new Error(`registerLayer: expected a Layer subclass, got ${cls === null ? 'null' : typeof cls}`);
  }
  registry.register(classNameOf(cls), cls);
}

/** `{className, config}` of a layer: what deserializeLayer rebuilds it from. */
export function serializeLayer(layer: Layer<any>): Serialized {
  return { className: classNameOf(layer.constructor), config: layer.getConfig() };
}

/** A new layer from `{className, config}`; unknown class names list the registered ones. */
export function deserializeLayer(serialized: Serialized): Layer<any> {
  if (!isSerialized(serialized)) throw new Error(`deserializeLayer: expected {className, config}, got ${String(serialized)}`);
  return registry.get('deserializeLayer', serialized.className).fromConfig(serialized.config ?? {});
}
