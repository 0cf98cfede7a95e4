// TensorFlow.js's dtype helpers at the top level: upcastType and the Rank enum.
import { tooManyArguments } from '../options/arity';
import { checkDType, upcastDType, type DType } from './dtype';

/** The dtype two dtypes compute in (bool < int32 < float32 < float64), as TensorFlow.js's upcastType. */
export function upcastType(typeA: DType, typeB: DType): DType {
  if (arguments.length > 2) throw tooManyArguments('upcastType', 2, arguments.length);
  checkDType('upcastType', typeA);
  checkDType('upcastType', typeB);
  return upcastDType(typeA, typeB);
}

/** TensorFlow.js's names of tensor ranks. */
export enum Rank {
  /** A scalar. */
  R0 = 'R0',
  /** A vector. */
  R1 = 'R1',
  /** A matrix. */
  R2 = 'R2',
  /** Rank 3. */
  R3 = 'R3',
  /** Rank 4. */
  R4 = 'R4',
  /** Rank 5. */
  R5 = 'R5',
  /** Rank 6. */
  R6 = 'R6',
}
