// Keras 3's form of a built-in function (an activation, a loss or metric function) in a
// config: {module: 'builtins', class_name: 'function', config: its name, registered_name: 'function'}.

/** @internal Keras's config of the built-in function `name`. */
export function builtinFunctionConfig(name: string): { module: string; class_name: string; config: string; registered_name: string } {
  return { module: 'builtins', class_name: 'function', config: name, registered_name: 'function' };
}

/** @internal A built-in function's Keras config ({class_name: 'function', config: 'mse', registered_name: 'function'}) as its name. */
export function builtinFunctionName(config: unknown): string | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const c = config as Record<string, unknown>;
  const builtin = c.registered_name === 'function' || c.registered_name === null || c.registered_name === undefined;
  return c.class_name === 'function' && typeof c.config === 'string' && builtin ? c.config : undefined;
}
