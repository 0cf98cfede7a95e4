// The factories of options classes (`layers.dense({units: 8})`, `initializers.heNormal({seed})`,
// TensorFlow.js's style): `new X(args)`, refusing anything after the options, which
// JavaScript would drop without a word (`layers.dense({units: 8}, 'relu')` made a linear layer).
import { describe } from '../tensor/shape';

/** A factory's type: its one parameter optional where the constructor's is. */
export type Factory<T, L> = undefined extends T ? (args?: T) => L : (args: T) => L;

/** Checks a factory call's arguments before the constructor does (layers: keras_positional.ts). */
export type CheckArgs = (className: string, args: readonly unknown[]) => void;

/** `new cls(args[0])` for a factory called with `args`, refusing a second argument. */
export function construct<T, L>(cls: new (args: T) => L, args: readonly unknown[], checkArgs?: CheckArgs): L {
  checkArgs?.(cls.name, args);
  if (args.length > 1) {
    throw new Error(
      `${cls.name}: expected one options object, got ${args.length} arguments (the second: ${describe(args[1])}); put every option in the object`,
    );
  }
  return new cls(args[0] as T);
}

/** The factory of a class whose constructor takes one options object. */
export function factory<T, L>(cls: new (args: T) => L, checkArgs?: CheckArgs): Factory<T, L> {
  return ((...args: unknown[]): L => construct(cls, args, checkArgs)) as Factory<T, L>;
}

/** The factory of a class that takes no options: any argument is refused. */
export function noOptionsFactory<L>(cls: new () => L): () => L {
  return (...args: unknown[]): L => {
    if (args.length > 0) throw new Error(`${cls.name}: takes no options, got ${describe(args[0])}`);
    return new cls();
  };
}
