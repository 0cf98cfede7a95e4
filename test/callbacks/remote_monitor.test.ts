// callbacks.RemoteMonitor: each epoch's logs POSTed as Keras sends them (a form field of JSON,
// or a JSON body), to a local server; a failed POST warns and training goes on.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ts from '../../src';
import { tensor } from '../../src';

interface Received {
  url: string;
  type: string;
  token: string;
  body: string;
}

let server: Server;
let root = '';
const received: Received[] = [];
let status = 200;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', type: String(req.headers['content-type']), token: String(req.headers['x-token']), body });
      res.statusCode = status;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  received.length = 0;
  status = 200;
});

async function fit(cb: ts.Callback): Promise<ts.callbacks.History> {
  ts.setSeed(1);
  const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [1] })] });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m.fit(tensor([[1], [2]]), tensor([[1], [2]]), { epochs: 2, verbose: 0, callbacks: [cb] });
}

describe('callbacks.RemoteMonitor', () => {
  it('POSTs {epoch, ...logs} as a form field of JSON (Keras default), with the headers', async () => {
    const h = await fit(new ts.callbacks.RemoteMonitor({ root, headers: { 'X-Token': 't1' } }));
    expect(received.map((r) => r.url)).toEqual(['/publish/epoch/end/', '/publish/epoch/end/']);
    expect(received[0].type).toBe('application/x-www-form-urlencoded');
    expect(received[0].token).toBe('t1');
    const form = new URLSearchParams(received[1].body);
    expect([...form.keys()]).toEqual(['data']);
    // Python's json.dumps layout.
    expect(form.get('data')).toBe(`{"epoch": 1, "loss": ${JSON.stringify(h.history.loss[1])}}`);
  });

  it('sends a JSON body with sendAsJson, to root + path (the field is not read)', async () => {
    await fit(new ts.callbacks.RemoteMonitor({ root, path: '/logs', field: 'x', sendAsJson: true }));
    expect(received[0].url).toBe('/logs');
    expect(received[0].type).toBe('application/json');
    expect(Object.keys(JSON.parse(received[0].body))).toEqual(['epoch', 'loss']);
  });

  it('warns when the server cannot be reached or answers an error, and training goes on', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const warnings: string[] = [];
    warn.mockImplementation((m: unknown) => void warnings.push(String(m)));
    try {
      const h = await fit(new ts.callbacks.RemoteMonitor({ root: 'http://127.0.0.1:1' }));
      expect(h.history.loss).toHaveLength(2);
      status = 500;
      await fit(new ts.callbacks.RemoteMonitor({ root }));
    } finally {
      warn.mockRestore();
    }
    expect(warnings.slice(0, 2)).toEqual([
      'Could not reach RemoteMonitor root server at http://127.0.0.1:1',
      'Could not reach RemoteMonitor root server at http://127.0.0.1:1',
    ]);
    expect(warnings[2]).toMatch(/RemoteMonitor: the server at http:\/\/127.0.0.1:\d+ answered 500 Internal Server Error to the logs of epoch 0/);
  });

  it('refuses wrong options', () => {
    expect(() => new ts.callbacks.RemoteMonitor({ sendJson: true } as never)).toThrow(/sendJson/);
    expect(() => new ts.callbacks.RemoteMonitor({ root: 'ftp://x' })).toThrow(
      /RemoteMonitor: expected an http\(s\) URL, got 'ftp:\/\/x\/publish\/epoch\/end\/'/,
    );
    expect(() => new ts.callbacks.RemoteMonitor({ headers: { a: 1 } as never })).toThrow(/RemoteMonitor: expected headers of strings, got 1 for 'a'/);
    expect(() => new ts.callbacks.RemoteMonitor({ sendAsJson: 'yes' as never })).toThrow(/RemoteMonitor: expected sendAsJson to be true or false/);
  });
});
