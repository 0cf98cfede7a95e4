#!/usr/bin/env python3
"""PyTorch 1.13's side of bench/transformer.ts, printed as one JSON line:
- training samples/s of nn.TransformerEncoderLayer(256, 4, 1024, batch_first) on
  [32, 128, 256] (Adam, MSE to a random target, dropout 0.1);
- forward+backward milliseconds of composite attention softmax(q kᵀ / √d) v at
  T = 128, 512, 2048 ([1, 4, T, 64]): the median of several runs after warm-up runs.
  OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 /usr/bin/python3 bench/pytorch_transformer.py [--quick]
(without PASSIVE, OpenMP's spinning barriers on a loaded machine wait for descheduled
threads: the attention at T = 128 took 232-268 ms, 9-16 ms with it; the small sizes,
with the most parallel regions per flop, suffer most)"""
import json
import sys
import time

import torch
from torch import nn

torch.set_num_threads(2)
QUICK = '--quick' in sys.argv


def encoder_samples_per_second():
    layer = nn.TransformerEncoderLayer(256, 4, 1024, dropout=0.1, batch_first=True)
    opt = torch.optim.Adam(layer.parameters(), 1e-3)
    x, target = torch.randn(32, 128, 256), torch.randn(32, 128, 256)

    def step():
        opt.zero_grad()
        loss = ((layer(x) - target) ** 2).mean()
        loss.backward()
        opt.step()

    step()
    steps = 2 if QUICK else 5
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return 32 * steps / (time.perf_counter() - start)


def attention_ms(t):
    q, k, v = (torch.randn(1, 4, t, 64, requires_grad=True) for _ in range(3))

    def run():
        for x in (q, k, v):
            x.grad = None
        p = torch.softmax(q @ k.transpose(-1, -2) / 8.0, -1)
        (p @ v).sum().backward()

    warm, reps = (1, 1) if QUICK else (1, 3) if t >= 2048 else (3, 9)
    for _ in range(warm):
        run()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1000 * sorted(times)[len(times) // 2]


print(json.dumps({'encoderSamplesPerSecond': encoder_samples_per_second(), 'attentionMs': {t: attention_ms(t) for t in (128, 512, 2048)}}))
