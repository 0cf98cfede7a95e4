#!/usr/bin/env python3
"""PyTorch's side of bench/scaling.ts: training samples/s of the MLP and the CNN over
batch sizes 16 to 1,024 and of the LSTM over sequence lengths 28 to 512 (batch 64),
Adam, one untimed step and then a few timed ones per point; the same markdown table.
  OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 /usr/bin/python3 bench/pytorch_scaling.py [--quick]"""
import math
import os
import sys
import time

import torch
from torch import nn

from pytorch_train import MODELS

torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
BATCHES = [16, 32, 64, 128, 256, 512, 1024]
SEQUENCES = [28, 64, 128, 256, 512]
LSTM_BATCH = 64
SAMPLES = {"mlp": 2048, "cnn": 256, "lstm": 192}


class Lstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(28, 128, batch_first=True)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.out(y[:, -1])


def points():
    return ([("mlp", b, 0) for b in BATCHES] + [("cnn", b, 0) for b in BATCHES]
            + [("lstm", LSTM_BATCH, s) for s in SEQUENCES])


def measure(model_name, batch, seq, quick):
    torch.manual_seed(1)
    model = Lstm() if model_name == "lstm" else MODELS[model_name][0]()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(batch, seq, 28) if model_name == "lstm" else torch.rand(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()  # the loss read back, as trainOnBatch reads its logs

    step()
    steps = 1 if quick else max(3, math.ceil(SAMPLES[model_name] / batch))
    t = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * batch / (time.perf_counter() - t)


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    print(f"PyTorch {torch.__version__} training samples/s over batch size and sequence length, Adam ({torch.get_num_threads()} threads)\n")
    print("| model | batch | seq len | PyTorch samples/s |")
    print("|---|---:|---:|---:|")
    for model_name, batch, seq in points():
        rate = measure(model_name, batch, seq, quick)
        print(f"| {model_name} | {batch} | {seq or '-'} | {rate:.0f} |")
