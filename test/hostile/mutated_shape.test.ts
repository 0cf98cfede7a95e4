// A tensor's shape array changed in place (`const s = x.shape; s[0] = -1`, `x.shape.push(1)`):
// the kernels trust the shape, so the next op on x read past its data and the process died
// (SIGSEGV). Now each op, and each read, checks the shape still matches the values held.
import * as ts from '../../src';
import { howItEnded, runTsBody } from '../helpers/child';

describe('a shape changed in place', () => {
  it('the next op fails naming itself, in a process that survives (it died of SIGSEGV)', () => {
    // In a child: before the check, this killed the process, jest included.
    const r = runTsBody(
      `const x = ts.ones([2]);
       x.shape[0] = 1e6;
       try { ts.add(x, 1); console.log('returned'); } catch (e) { console.log(e.message); }`,
      [],
      60_000,
    );
    expect(howItEnded(r)).toBe('exit 0');
    expect(r.stdout.trim()).toBe(
      "add: input 0's shape was changed in place to [1000000], but it holds 2 values; a tensor's shape is read-only: change a copy ([...x.shape]) and reshape",
    );
  });

  it('a shape grown by push, read back or fed to a layer, is refused', () => {
    const x = ts.ones([2]);
    x.shape.push(5);
    expect(() => ts.relu(x)).toThrow("relu: input 0's shape was changed in place to [2, 5], but it holds 2 values");
    expect(() => x.arraySync()).toThrow("dataSync: the tensor's shape was changed in place to [2, 5], but it holds 2 values");
    x.shape.pop();
    expect(ts.tidy(() => ts.relu(x).arraySync())).toEqual([1, 1]);
    x.dispose();
  });
});
