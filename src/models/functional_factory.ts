// Model's way to a functional model without importing Functional at load time
// (Functional extends Model: functional.ts registers itself here when it loads).
import type { FunctionalArgs } from './functional';
import type { Model } from './model';

export type { FunctionalArgs };

let make: ((args: FunctionalArgs) => Model<any>) | null = null;

/** @internal Called once by functional.ts. */
export function setFunctionalFactory(factory: (args: FunctionalArgs) => Model<any>): void {
  make = factory;
}

/** @internal A Functional from {inputs, outputs}. */
export function functionalModel(args: FunctionalArgs): Model<any> {
  if (make === null) throw new Error('Model: the functional model class is not loaded');
  return make(args);
}
