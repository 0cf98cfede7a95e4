// nameScope and device given a callback whose result is awaited later: a thenable (a Promise
// of another library or realm) is refused as a Promise is, since its awaits run after the
// scope ended, outside it.
import * as ts from '../../src';

describe('scope callbacks that return a thenable', () => {
  const thenable = () => ({ then: (resolve: (v: number) => void) => resolve(1) });

  it('nameScope refuses it', () => {
    expect(() => ts.nameScope('s', thenable)).toThrow(
      "nameScope: the callback of the scope 's' returned a thenable (an object with a then method); scopes are synchronous as Keras's",
    );
  });

  it('device refuses it', () => {
    expect(() => ts.device('cpu:0', thenable)).toThrow("device: the callback of the scope 'cpu:0' returned a thenable (an object with a then method)");
  });

  it('both still return plain objects, and leave their scope after a refusal', () => {
    expect(ts.nameScope('s', () => ({ then: 1 }))).toEqual({ then: 1 });
    expect(() => ts.nameScope('outer', thenable)).toThrow('returned a thenable');
    const v = ts.variable(ts.zeros([1]), true, 'hostile4_after');
    expect(v.path).toBe('hostile4_after');
    v.dispose();
  });
});
