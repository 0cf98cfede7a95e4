#!/usr/bin/env python3
"""PyTorch's figures on the shapes of bench/native/nn_bench.cpp, float32, CPU, 1 and 2
threads, in the same units (GFLOP/s, GB/s counting each tensor read or written once).
Run with a Python that has PyTorch: /usr/bin/python3 bench/pytorch_nn.py
Convolutions run in PyTorch's fastest CPU layout (NCHW, oneDNN); its NHWC figure follows.
"""
import time

import torch
import torch.nn.functional as F

torch.manual_seed(0)


def seconds_per_call(fn, min_time=0.3):
    fn()
    reps, start = 0, time.perf_counter()
    while True:
        fn()
        reps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time:
            return elapsed / reps


def conv_rows(threads):
    for hw, cin, cout in [(28, 1, 32), (14, 32, 64), (56, 64, 64)]:
        flops = 2.0 * 32 * hw * hw * cout * 9 * cin
        for layout in ('nchw', 'nhwc'):
            fmt = torch.channels_last if layout == 'nhwc' else torch.contiguous_format
            x = torch.randn(32, cin, hw, hw).contiguous(memory_format=fmt).requires_grad_()
            w = torch.randn(cout, cin, 3, 3).contiguous(memory_format=fmt).requires_grad_()
            y = F.conv2d(x, w, padding=1)
            dy = torch.randn_like(y)
            forward = seconds_per_call(lambda: F.conv2d(x, w, padding=1))
            # The two backward products alone, as our kernels compute them.
            grad_input = seconds_per_call(lambda: torch.ops.aten.convolution_backward(
                dy, x, w, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1, [True, False, False]))
            grad_filter = seconds_per_call(lambda: torch.ops.aten.convolution_backward(
                dy, x, w, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1, [False, True, False]))
            for name, s in (('fwd', forward), ('bwd-input', grad_input), ('bwd-filter', grad_filter)):
                print(f'conv3x3 {hw}x{hw}x{cin}->{cout} {name:10s} {layout} threads={threads}: {flops / s * 1e-9:8.1f} GFLOP/s'
                      f'  ({s * 1e3:.2f} ms)')


def bandwidth_rows(threads):
    x = torch.randn(32, 28, 28, 32)
    n = x.numel()
    dst = torch.empty_like(x)
    s = seconds_per_call(lambda: dst.copy_(x))
    print(f'copy {n} floats threads={threads}: {2 * n * 4 / s * 1e-9:.1f} GB/s')
    xc = x.permute(0, 3, 1, 2).requires_grad_()  # NHWC memory, NCHW view: channels_last
    y = F.max_pool2d(xc, 2)
    dy = torch.randn_like(y)
    s = seconds_per_call(lambda: F.max_pool2d(xc, 2))
    print(f'maxpool2x2 32x28x28x32 fwd threads={threads}: {(n + n / 4) * 4 / s * 1e-9:.1f} GB/s')
    s = seconds_per_call(lambda: torch.autograd.grad(F.max_pool2d(xc, 2), xc, dy))
    fwd = seconds_per_call(lambda: F.max_pool2d(xc, 2))
    print(f'maxpool2x2 32x28x28x32 bwd threads={threads}: {(2 * n + n / 4) * 4 / (s - fwd) * 1e-9:.1f} GB/s'
          ' (forward+backward minus forward)')
    for shape in [(32, 28, 28, 32), (128, 256)]:
        t = torch.randn(*shape)
        c = shape[-1]
        view = t.reshape(-1, c, 1) if len(shape) == 2 else t.permute(0, 3, 1, 2)
        view = view.requires_grad_()
        gamma, beta = torch.ones(c, requires_grad=True), torch.zeros(c, requires_grad=True)
        rm, rv = torch.zeros(c), torch.ones(c)
        run = lambda: F.batch_norm(view, rm, rv, gamma, beta, training=True, momentum=0.01, eps=1e-3)
        fwd = seconds_per_call(run)
        out = run()
        g = torch.randn_like(out)
        both = seconds_per_call(lambda: torch.autograd.grad(run(), [view, gamma, beta], g))
        m = t.numel()
        print(f'batchnorm {"x".join(map(str, shape))} fwd threads={threads}: {2 * m * 4 / fwd * 1e-9:.1f} GB/s;'
              f' bwd: {3 * m * 4 / (both - fwd) * 1e-9:.1f} GB/s')
    for shape in [(32 * 28 * 28, 32), (128, 256)]:
        t = torch.randn(*shape, requires_grad=True)
        c = shape[-1]
        gamma, beta = torch.ones(c, requires_grad=True), torch.zeros(c, requires_grad=True)
        run = lambda: F.layer_norm(t, (c,), gamma, beta, 1e-3)
        fwd = seconds_per_call(run)
        g = torch.randn(*shape)
        both = seconds_per_call(lambda: torch.autograd.grad(run(), [t, gamma, beta], g))
        m = t.numel()
        print(f'layernorm {"x".join(map(str, shape))} fwd threads={threads}: {2 * m * 4 / fwd * 1e-9:.1f} GB/s;'
              f' bwd: {3 * m * 4 / (both - fwd) * 1e-9:.1f} GB/s')


def cell_rows(threads):
    b, inputs, units = 128, 28, 128
    for name, cell, gates in (('lstm', torch.nn.LSTMCell(inputs, units), 4), ('gru', torch.nn.GRUCell(inputs, units), 3)):
        x = torch.randn(b, inputs, requires_grad=True)
        h = torch.randn(b, units, requires_grad=True)
        state = (h, torch.randn(b, units, requires_grad=True)) if gates == 4 else h
        flops = 2.0 * b * (inputs + units) * gates * units
        run = lambda: cell(x, state)
        fwd = seconds_per_call(run)
        first = lambda out: out[0] if isinstance(out, tuple) else out
        params = [x, h, *cell.parameters()]
        g = torch.randn(b, units)
        both = seconds_per_call(lambda: torch.autograd.grad(first(run()), params, g))
        print(f'{name} cell b128 in28 u128 threads={threads}: fwd {flops / fwd * 1e-9:.1f} GFLOP/s;'
              f' bwd {2 * flops / (both - fwd) * 1e-9:.1f} GFLOP/s')


def layer_rows(threads):
    """A Dense layer's relu(x W + b) forward (nn_bench's BM_DenseForward) and an
    Embedding layer's lookup and gradient (BM_Embedding)."""
    for k, n in ((784, 256), (128, 512)):
        x, w, b = torch.randn(128, k), torch.randn(k, n), torch.randn(n)
        s = seconds_per_call(lambda: torch.relu(torch.addmm(b, x, w)))
        print(f'dense 128x{k}->{n} relu fwd threads={threads}: {2 * 128 * k * n / s * 1e-9:.1f} GFLOP/s')
    vocab, dim, tokens = 10000, 64, 128 * 28
    table = torch.randn(vocab, dim, requires_grad=True)
    ids = (torch.arange(tokens) * 7919 % 2000).reshape(128, 28)
    fwd = seconds_per_call(lambda: F.embedding(ids, table))
    g = torch.randn(128, 28, dim)
    both = seconds_per_call(lambda: torch.autograd.grad(F.embedding(ids, table), [table], g))
    moved = 2 * tokens * dim * 4
    print(f'embedding {tokens}x{dim} of {vocab} threads={threads}: fwd {moved / fwd * 1e-9:.1f} GB/s;'
          f' bwd {moved / (both - fwd) * 1e-9:.1f} GB/s')


def main():
    print(f'torch {torch.__version__}')
    for threads in (1, 2):
        torch.set_num_threads(threads)
        conv_rows(threads)
        bandwidth_rows(threads)
        cell_rows(threads)
        layer_rows(threads)


if __name__ == '__main__':
    main()
