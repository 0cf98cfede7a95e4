"""PyTorch's numbers for the shapes of bench/native/cuda_bench.cu, timed the same way
(CUDA events, warm-up first, about 50 ms of repetitions), written as JSON with the same
keys so scripts/gpu-check.sh can print ratios:

    python3 bench/pytorch_cuda.py results.json

GEMM: torch.matmul in float32 with allow_tf32 off and on. Convolutions: cuDNN in
channels-last (NHWC) memory, float32 without TF32 (as ours without TESSERA_ALLOW_TF32),
cudnn.benchmark on so it picks its best algorithm; backward input and filter through
torch.nn.grad. Memory-bound: a device-to-device copy, batch norm in inference and
training, max pooling and layer norm on the same tensors.
"""
import json
import sys

import torch
import torch.nn.functional as F


def time_ms(fn):
    fn()
    torch.cuda.synchronize()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    fn()
    stop.record()
    stop.synchronize()
    once = start.elapsed_time(stop)
    reps = 2 if once > 50 else min(200, max(3, int(50 / max(once, 0.001))))
    start.record()
    for _ in range(reps):
        fn()
    stop.record()
    stop.synchronize()
    return start.elapsed_time(stop) / reps


def main():
    dev = torch.device("cuda")
    results = {}

    def report(key, what, ms, rate, unit):
        results[key] = {"ms": ms, "rate": rate, "unit": unit}
        print(f"{key:<28} {what:<40} {ms:10.3f} ms {rate:10.1f} {unit}", flush=True)

    torch.backends.cudnn.benchmark = True
    torch.backends.cudnn.allow_tf32 = False
    for tf32 in (False, True):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        for n in (1024, 2048, 4096, 8192):
            a = torch.rand(n, n, device=dev)
            b = torch.rand(n, n, device=dev)
            ms = time_ms(lambda: torch.matmul(a, b))
            report(f"gemm_{'tf32' if tf32 else 'fp32'}_{n}", f"{n}x{n}x{n}", ms, 2.0 * n**3 / ms / 1e6, "GFLOP/s")
            del a, b
    torch.backends.cuda.matmul.allow_tf32 = False

    for h, c, o in ((28, 1, 32), (14, 32, 64), (56, 64, 64)):
        n = 128
        x = torch.rand(n, c, h, h, device=dev).to(memory_format=torch.channels_last)
        w = torch.rand(o, c, 3, 3, device=dev).to(memory_format=torch.channels_last)
        dy = torch.rand(n, o, h, h, device=dev).to(memory_format=torch.channels_last)
        flops = 2.0 * n * h * h * o * 9 * c
        shape = f"{h}x{h}x{c}-{o}"
        what = f"batch {n}, {shape}, 3x3 same"
        ms = time_ms(lambda: F.conv2d(x, w, padding=1))
        report(f"conv_fwd_{shape}", what, ms, flops / ms / 1e6, "GFLOP/s")
        ms = time_ms(lambda: torch.nn.grad.conv2d_input(x.shape, w, dy, padding=1))
        report(f"conv_bwd_input_{shape}", what, ms, flops / ms / 1e6, "GFLOP/s")
        ms = time_ms(lambda: torch.nn.grad.conv2d_weight(x, w.shape, dy, padding=1))
        report(f"conv_bwd_filter_{shape}", what, ms, flops / ms / 1e6, "GFLOP/s")
        del x, w, dy

    x = torch.rand(128, 64, 56, 56, device=dev).to(memory_format=torch.channels_last)
    y = torch.empty_like(x)
    nbytes = x.numel() * 4.0
    ms = time_ms(lambda: y.copy_(x))
    report("copy_d2d", "128x56x56x64 float32", ms, 2 * nbytes / ms / 1e6, "GB/s")
    mean, var = torch.zeros(64, device=dev), torch.ones(64, device=dev)
    gamma, beta = torch.ones(64, device=dev), torch.zeros(64, device=dev)
    ms = time_ms(lambda: F.batch_norm(x, mean, var, gamma, beta, training=False))
    report("batch_norm_inference", "128x56x56x64, channels last", ms, 2 * nbytes / ms / 1e6, "GB/s")
    ms = time_ms(lambda: F.batch_norm(x, mean, var, gamma, beta, training=True, momentum=0.01))
    report("batch_norm_train_forward", "128x56x56x64, channels last", ms, 3 * nbytes / ms / 1e6, "GB/s")
    xg = x.detach().requires_grad_(True)
    gg = gamma.detach().requires_grad_(True)
    bb = beta.detach().requires_grad_(True)
    out = F.batch_norm(xg, mean, var, gg, bb, training=True)
    dy = torch.rand_like(out)
    ms = time_ms(lambda: torch.autograd.grad(out, (xg, gg, bb), dy, retain_graph=True))
    report("batch_norm_backward", "128x56x56x64, channels last", ms, 5 * nbytes / ms / 1e6, "GB/s")
    # Keras's 'same' 3x3/2 pooling of 56x56 pads one row and column at the end; PyTorch
    # pads symmetrically, so the input is padded once here, outside the timing.
    xp = F.pad(x, (0, 1, 0, 1), value=float("-inf")).contiguous(memory_format=torch.channels_last)
    pooled_bytes = 128 * 64 * 28 * 28 * 4.0
    ms = time_ms(lambda: F.max_pool2d(xp, 3, 2))
    report("max_pool2d", "128x56x56x64, 3x3 stride 2", ms, (nbytes + pooled_bytes) / ms / 1e6, "GB/s")
    pooled, idx = F.max_pool2d(xp, 3, 2, return_indices=True)
    dpool = torch.rand_like(pooled)
    ms = time_ms(lambda: torch.ops.aten.max_pool2d_with_indices_backward(
        dpool, xp, [3, 3], [2, 2], [0, 0], [1, 1], False, idx))
    report("max_pool2d_backward", "128x56x56x64, 3x3 stride 2", ms,
           (2 * nbytes + 2 * pooled_bytes) / ms / 1e6, "GB/s")
    del x, xp, y, xg, out, dy, pooled, idx, dpool
    rows = torch.rand(25088, 1024, device=dev)
    g, b = torch.ones(1024, device=dev), torch.zeros(1024, device=dev)
    ms = time_ms(lambda: F.layer_norm(rows, (1024,), g, b, 1e-3))
    report("layer_norm_forward", "25088x1024", ms, 2 * nbytes / ms / 1e6, "GB/s")

    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as f:
            json.dump({"device": torch.cuda.get_device_name(0), "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
