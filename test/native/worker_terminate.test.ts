// worker.terminate() while a worker runs Tessera ops must stop that worker only: an N-API
// call failing in the terminating environment used to throw a C++ exception past Node,
// aborting the whole process (12 of 20 runs). The workers run in a child process, so an
// abort fails this test instead of killing jest.
import { howItEnded, runTsChild } from '../helpers/child';

describe('terminating workers that run ops', () => {
  it('stops 24 workers mid-loop at varying delays without taking the process down', () => {
    const child = runTsChild('test/native/worker_terminate_child.ts', ['24'], { timeoutMs: 240_000 });
    const ended = howItEnded(child);
    if (ended !== 'exit 0') console.error(child.stderr);
    expect({ ended, stdout: child.stdout.trim() }).toEqual({ ended: 'exit 0', stdout: 'stopped 24 workers' });
  }, 300_000);
});
