// einsum for one or two operands, lowered to transpose, reshape, sum and one batched
// matMul: 'ij,jk->ik', 'bij,bjk->bik', 'ij->ji', 'ij->', 'i,i->', 'i,j->ij', ...
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { matMul } from './matmul';
import { sum } from './reduce';
import { reshape } from './reshape';
import { transpose } from './transpose';

function parse(equation: string, count: number): { inputs: string[]; output: string } {
  const op = 'einsum';
  const m = /^([a-zA-Z,]*)(?:->([a-zA-Z]*))?$/.exec(equation.replace(/\s+/g, ''));
  if (!m) throw new Error(`${op}: cannot parse equation '${equation}' (expected letters, ',' and '->'; no '...')`);
  const inputs = m[1].split(',');
  if (inputs.length !== count) throw new Error(`${op}: equation '${equation}' names ${inputs.length} operands, got ${count} tensors`);
  if (count > 2) throw new Error(`${op}: at most two operands are supported, got ${count}`);
  for (const s of inputs) {
    if (new Set(s).size !== s.length) throw new Error(`${op}: repeated index within one operand ('${s}') is not supported`);
  }
  const all = inputs.join('');
  const output =
    m[2] ??
    [...new Set(all)]
      .filter((c) => all.indexOf(c) === all.lastIndexOf(c))
      .sort()
      .join('');
  for (const c of output) if (!all.includes(c)) throw new Error(`${op}: output index '${c}' does not appear in the inputs of '${equation}'`);
  return { inputs, output };
}

// Moves the dims of `t` (labelled by `labels`) into `order`, summing labels not in it.
function arrange(t: Tensor, labels: string, order: string): Tensor {
  const summed = [...labels].map((c, i) => (order.includes(c) ? -1 : i)).filter((i) => i >= 0);
  let x = summed.length ? sum(t, summed) : t;
  const rest = [...labels].filter((c) => order.includes(c)).join('');
  const perm = [...order].map((c) => rest.indexOf(c));
  if (perm.some((p, i) => p !== i)) x = transpose(x, perm);
  return x;
}

/**
 * Einstein summation.
 * @example einsum('bij,bjk->bik', a, b) // batched matMul
 */
export function einsum(equation: string, ...tensors: Tensor[]): Tensor {
  const op = 'einsum';
  if (typeof equation !== 'string') throw new Error(`${op}: expected the equation to be a string such as 'ij,jk->ik', got ${describe(equation)}`);
  const { inputs, output } = parse(equation, tensors.length);
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`${op}: expected operand ${i} to be a Tensor`);
    if (t.rank !== inputs[i].length) throw new Error(`${op}: operand ${i} has rank ${t.rank}, but '${inputs[i]}' names ${inputs[i].length} dimensions`);
  });
  const size = new Map<string, number>();
  tensors.forEach((t, i) =>
    [...inputs[i]].forEach((c, d) => {
      const prev = size.get(c);
      if (prev !== undefined && prev !== t.shape[d]) throw new Error(`${op}: index '${c}' has size ${prev} and ${t.shape[d]}`);
      size.set(c, t.shape[d]);
    }),
  );
  return tidy(() => {
    if (tensors.length === 1) return arrange(tensors[0], inputs[0], output);
    const [la, lb] = inputs;
    const batch = [...output].filter((c) => la.includes(c) && lb.includes(c)).join('');
    const contract = [...la].filter((c) => lb.includes(c) && !output.includes(c)).join('');
    const keepA = [...la].filter((c) => output.includes(c) && !lb.includes(c)).join('');
    const keepB = [...lb].filter((c) => output.includes(c) && !la.includes(c)).join('');
    const prodOf = (s: string) => [...s].reduce((n, c) => n * (size.get(c) ?? 1), 1);
    const dims = (s: string) => [...s].map((c) => size.get(c) ?? 1);
    const a = reshape(arrange(tensors[0], la, batch + keepA + contract), [prodOf(batch), prodOf(keepA), prodOf(contract)]);
    const b = reshape(arrange(tensors[1], lb, batch + contract + keepB), [prodOf(batch), prodOf(contract), prodOf(keepB)]);
    const product = reshape(matMul(a, b), [...dims(batch), ...dims(keepA), ...dims(keepB)]);
    return arrange(product, batch + keepA + keepB, output);
  });
}
