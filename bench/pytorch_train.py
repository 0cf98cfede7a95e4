#!/usr/bin/env python3
"""PyTorch's training and inference throughput for the models of bench/train.ts
(batch 128, Adam, random Fashion-MNIST-shaped data), for the comparison in notes, and
the peak RSS of each model, measured as bench/train.ts does: each model in a child
process of its own.
Run with its best settings on this machine (docs/PERFORMANCE.md, "The peer at its best"):
  LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 TCMALLOC_RELEASE_RATE=0 \
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OPENBLAS_CORETYPE=SkylakeX \
  OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 /usr/bin/python3 bench/pytorch_train.py
The header names the BLAS and the allocator the children loaded, and each model's page
faults per training step: a reference BLAS or glibc's malloc faulting on every step
(5x slower training on a KVM guest) is a peer below its best, and the script says so.
--models mlp,cnn picks models (as bench/train.ts). On a GPU (scripts/gpu-check.sh): python3 bench/pytorch_train.py --device cuda"""
import json
import resource
import subprocess
import sys
import time

import torch
from torch import nn

torch.set_num_threads(2)
BATCH = 128
DEVICE = sys.argv[sys.argv.index("--device") + 1] if "--device" in sys.argv else "cpu"


def sync():
    if DEVICE.startswith("cuda"):
        torch.cuda.synchronize()


def cnn(bn):
    layers = []
    for cin, cout in [(1, 32), (32, 64)]:
        layers += [nn.Conv2d(cin, cout, 3, padding=1)]
        if bn:
            layers += [nn.BatchNorm2d(cout)]
        layers += [nn.ReLU(), nn.MaxPool2d(2)]
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


class Recurrent(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.rnn = (nn.LSTM if kind == "lstm" else nn.GRU)(28, 128, batch_first=True)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.out(y[:, -1])


MODELS = {
    "mlp": (lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)), (1, 28, 28)),
    "cnn": (lambda: cnn(False), (1, 28, 28)),
    "cnn_bn": (lambda: cnn(True), (1, 28, 28)),
    "lstm": (lambda: Recurrent("lstm"), (28, 28)),
    "gru": (lambda: Recurrent("gru"), (28, 28)),
}


def measure(name, steps):
    build, shape = MODELS[name]
    model = build().to(DEVICE)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(steps * BATCH, *shape, device=DEVICE)
    y = torch.randint(0, 10, (steps * BATCH,), device=DEVICE)
    def train_step(i):
        xb, yb = x[i * BATCH:(i + 1) * BATCH], y[i * BATCH:(i + 1) * BATCH]
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()
    def infer_step(i):
        with torch.no_grad():
            model(x[i * BATCH:(i + 1) * BATCH])
    model.train()
    train, faults = median_rate(steps, train_step)
    model.eval()
    infer, _ = median_rate(steps, infer_step)
    return train, infer, faults


def loaded_libraries():
    """The BLAS and the allocator this process mapped (after a matmul loaded the BLAS)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    blas = sorted(p for p in paths if "blas" in p.lower() or "mkl" in p.lower()) or ["(none found)"]
    alloc = sorted(p for p in paths if "malloc" in p) or ["glibc malloc"]
    return blas[0], alloc[0]


def median_rate(steps, step):
    """Samples per second over `steps` batches: the median of three passes after one
    untimed pass (as bench/train.ts measures), and the page faults per step of the timed
    passes."""
    rates = []
    for r in range(4):
        sync()
        if r == 1:
            faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        t = time.perf_counter()
        for i in range(steps):
            step(i)
        sync()
        if r > 0:
            rates.append(steps * BATCH / (time.perf_counter() - t))
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / (3 * steps)
    return sorted(rates)[1], faults


def child(name):
    if "--steps" in sys.argv:  # batches per pass, as bench/train.ts --steps
        steps = int(sys.argv[sys.argv.index("--steps") + 1])
        assert steps >= 1, "--steps expects a positive integer"
    else:
        # The MLP: one Fashion-MNIST epoch of full batches (60,000 / 128), as bench/train.ts.
        steps = 3 if "--quick" in sys.argv else (10 if name != "mlp" else 468)
    train, infer, faults = measure(name, steps)
    # ru_maxrss is in KiB on Linux.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    blas, alloc = loaded_libraries()
    print(json.dumps({"train": train, "infer": infer, "peak_rss_mb": peak, "faults_per_step": faults, "blas": blas, "allocator": alloc}))


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(sys.argv[sys.argv.index("--child") + 1])
        sys.exit(0)
    where = DEVICE if DEVICE != "cpu" else f"{torch.get_num_threads()} threads"
    print(f"PyTorch {torch.__version__}, {where}, batch {BATCH}, Adam; peak RSS per model, each in its own process")
    print("model    | train samples/s | infer samples/s | peak RSS MB | page faults/step")
    libraries, below_best = set(), []
    names = sys.argv[sys.argv.index("--models") + 1].split(",") if "--models" in sys.argv else list(MODELS)
    for name in names:
        out = subprocess.run([sys.executable, __file__, "--child", name, *sys.argv[1:]], check=True, stdout=subprocess.PIPE, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{name:8} | {r['train']:15.0f} | {r['infer']:15.0f} | {r['peak_rss_mb']:11.0f} | {r['faults_per_step']:16.1f}")
        libraries.add((r["blas"], r["allocator"]))
        if r["faults_per_step"] > 20:
            below_best.append(name)
    sys.stdout.flush()
    for blas, alloc in sorted(libraries):
        print(f"BLAS: {blas}; allocator: {alloc}")
        if blas.endswith("/blas/libblas.so.3") or blas == "(none found)":
            print("WARNING: PyTorch runs on the reference BLAS, not its best: install libopenblas0-openmp (the peer's figures are not comparable)", file=sys.stderr)
    if below_best:
        print(f"WARNING: {', '.join(below_best)} faulted more than 20 pages a training step: the allocator returns memory to the system every step; "
              "preload tcmalloc and keep its memory (LD_PRELOAD=.../libtcmalloc_minimal.so.4 TCMALLOC_RELEASE_RATE=0, Debian libtcmalloc-minimal4) for the peer at its best", file=sys.stderr)
