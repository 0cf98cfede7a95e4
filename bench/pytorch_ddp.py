#!/usr/bin/env python3
"""PyTorch's side of bench/distributed.ts's scaling table: the MLP and CNN of bench:train
(batch 128 per rank, Adam, random Fashion-MNIST-shaped data), weak scaling, every process
1 thread, three ways in one run:
  one:   1 process, the plain model (no process group);
  apart: N processes in a gloo group that train apart (no DDP): the machine's ceiling for
         N processes of this work, with no communication inside an epoch;
  ddp:   N processes, the model wrapped in DistributedDataParallel (gloo: torch 1.13 here
         has no MPI backend), gradients averaged in DDP's buckets during backward.
As bench/distributed.ts times Tessera: 4 epochs of `steps` steps, the processes meeting at a
barrier before each epoch (outside the timed span), the median of epochs 2-4, each epoch's
time the slowest process's; samples/s = N x 128 x steps / that time.
Launched over localhost with a file store (no network, no port), one child per rank:
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_ddp.py [--ranks 2] [--rounds 1]
      [--models mlp,cnn] [--steps mlp=64,cnn=8] [--json]
--json prints one JSON line per measurement (bench/distributed.ts --pytorch reads them)."""
import json
import os
import subprocess
import sys
import tempfile
import time

BATCH = 128
EPOCHS = 4
DEFAULT_STEPS = {"mlp": 64, "cnn": 8}


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def child(mode, model_name, steps, rank, size, store):
    import torch
    import torch.distributed as dist
    from torch import nn

    from pytorch_train import MODELS  # sets 2 threads on import: 1 below

    torch.set_num_threads(1)

    grouped = mode != "one"
    if grouped:
        dist.init_process_group("gloo", init_method=f"file://{store}", rank=rank, world_size=size)
    torch.manual_seed(1)  # the same initial weights on every rank, as DDP would broadcast
    build, shape = MODELS[model_name]
    model = build()
    trained = nn.parallel.DistributedDataParallel(model) if mode == "ddp" else model
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    torch.manual_seed(100 + rank)  # each rank its own shard
    x = torch.rand(steps * BATCH, *shape)
    y = torch.randint(0, 10, (steps * BATCH,))
    times = []
    for epoch in range(EPOCHS):
        if grouped:
            dist.barrier()
        t = time.perf_counter()
        for i in range(steps):
            opt.zero_grad()
            loss_fn(trained(x[i * BATCH:(i + 1) * BATCH]), y[i * BATCH:(i + 1) * BATCH]).backward()
            opt.step()
        if epoch > 0:
            times.append(time.perf_counter() - t)
    slowest = torch.tensor(times, dtype=torch.float64)
    if grouped:
        dist.all_reduce(slowest, op=dist.ReduceOp.MAX)  # an epoch lasts as long as its slowest rank
        dist.destroy_process_group()
    seconds = sorted(slowest.tolist())[len(times) // 2]
    if rank == 0:
        print("RESULT " + json.dumps({"model": model_name, "mode": mode, "ranks": size, "samplesPerSecond": size * BATCH * steps / seconds}))


def run(mode, model_name, steps, size):
    """Starts `size` children together and returns rank 0's result."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        store = os.path.join(tmp, "store")  # the file store must not exist yet
        procs = [
            subprocess.Popen(
                [sys.executable, os.path.abspath(__file__), "--child", mode, model_name, str(steps), str(rank), str(size), store],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
                cwd=os.path.dirname(os.path.abspath(__file__)),
            )
            for rank in range(size)
        ]
        outs = [p.communicate()[0] for p in procs]
    for rank, p in enumerate(procs):
        if p.returncode != 0:
            raise SystemExit(f"pytorch_ddp: {mode} {model_name} rank {rank} of {size} failed ({p.returncode})")
    line = next(l for l in outs[0].splitlines() if l.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def main():
    size = int(arg("--ranks", "2"))
    rounds = int(arg("--rounds", "1"))
    models = arg("--models", "mlp,cnn").split(",")
    steps = dict(DEFAULT_STEPS)
    for kv in arg("--steps", "").split(","):
        if kv:
            name, n = kv.split("=")
            steps[name] = int(n)
    unknown = [m for m in models if m not in steps]
    if unknown:
        raise SystemExit(f"pytorch_ddp: unknown model(s) {unknown}; known: {sorted(steps)}")
    as_json = "--json" in sys.argv
    if not as_json:
        import torch

        print(f"PyTorch {torch.__version__}, gloo, {size} ranks x 1 thread against 1 x 1, batch {BATCH} per rank, Adam")
        print(f"| round | model | 1 x 1 (samples/s) | {size} apart | {size} DDP | DDP / ideal | DDP / apart |")
        print("|---|---|---|---|---|---|---|")
    for r in range(rounds):
        for m in models:
            one = run("one", m, steps[m], 1)
            apart = run("apart", m, steps[m], size)
            ddp = run("ddp", m, steps[m], size)
            if as_json:
                for x in (one, apart, ddp):
                    print(json.dumps({**x, "round": r}), flush=True)
            else:
                o, a, d = one["samplesPerSecond"], apart["samplesPerSecond"], ddp["samplesPerSecond"]
                print(f"| {r + 1} | {m} | {o:.0f} | {a:.0f} | {d:.0f} | {100 * d / (size * o):.1f}% | {100 * d / a:.1f}% |", flush=True)


if __name__ == "__main__":
    if "--child" in sys.argv:
        i = sys.argv.index("--child")
        mode, model_name, steps, rank, size, store = sys.argv[i + 1:i + 7]
        child(mode, model_name, int(steps), int(rank), int(size), store)
    else:
        main()
