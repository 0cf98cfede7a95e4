// ts.linalg's ops and their gradients leave no tensors behind: the host ops' intermediates
// and the gradients' compositions are all released.
import * as ts from '../../src';
import { type Tensor } from '../../src';
import { randomTensor } from '../helpers/reference';
import { liveTensors } from '../helpers/memory';

test('forward and backward of every differentiable linalg op keep no tensors', () => {
  // Built in tidy: an intermediate left unreachable would be freed by the GC's finalizers
  // whenever a collection runs, and the counts below would move with it.
  const a = ts.tidy(() => ts.add(randomTensor([2, 3, 3], 1, 'float64'), ts.mul(ts.eye(3, 3, null, 'float64'), 3)));
  const b = randomTensor([2, 3, 2], 2, 'float64');
  const spd = ts.tidy(() => ts.add(ts.matMul(a, a, false, true), ts.eye(3, 3, null, 'float64')));
  const loss = (v: Tensor) =>
    ts.addN([
      ts.sum(ts.linalg.cholesky(ts.add(ts.matMul(v, v, false, true), ts.eye(3, 3, null, 'float64')))),
      ts.sum(ts.linalg.inv(v)),
      ts.sum(ts.linalg.det(v)),
      ts.sum(ts.linalg.solve(v, b)),
      ts.sum(ts.linalg.solveTriangular(v, b, true)),
      ts.sum(ts.linalg.qr(v)[0]),
      ts.sum(ts.linalg.qr(v)[1]),
      ts.sum(ts.linalg.eigh(ts.add(v, ts.transpose(v, [0, 2, 1])))[0]),
      ts.sum(ts.linalg.svd(v, false, false)),
      ts.sum(ts.linalg.norm(v, 'nuc', [1, 2])),
      ts.sum(ts.linalg.choleskyInverse(ts.linalg.cholesky(spd))),
    ]);
  // The user's own intermediates (the matrices built in loss) go with tidy; the ops' must not outlive it.
  const before = liveTensors();
  ts.tidy(() => {
    loss(a);
  });
  expect(liveTensors()).toBe(before);
  ts.tidy(() => {
    ts.grad(loss)(a);
  });
  expect(liveTensors()).toBe(before);
  const [u, s, vh] = ts.linalg.svd(a);
  ts.dispose([u, s, vh, ...ts.linalg.luFactor(a), ts.linalg.lstsq(a, b), ts.linalg.svd(a, true, false)]);
  expect(liveTensors()).toBe(before);
});
