#!/usr/bin/env python3
"""Where a data-parallel step's time goes, from the MPI shim's timeline
(TESSERA_DIST_TRACE=<prefix>: one JSON line per collective in <prefix>.rank<R>.jsonl,
microseconds of the monotonic clock, comparable across the ranks of one host).

Per step (its gradient all-reduces: `--per-step K` of them, 1 for bench:train's MLP with
the default buckets), the medians over steps of:
  period   from the JS thread's return from one step's last all-reduce to the next's
           (also its mean and 90th percentile: a tail of long steps moves the mean);
  compute  period less the JS thread's waits on the step's all-reduces (forward,
           backward, optimizer and the rest of the JS: what a rank does alone);
  wait     the JS thread blocked on the step's all-reduces (returned - awaited);
  skew     at each all-reduce, how much later the last rank started it than the first
           (the first one waits that long inside MPI: the meeting point's cost);
  transfer the last rank's time inside MPI (the all-reduce itself, once both are there).
Steps across an epoch's end (a period over 3x the median: the barrier, the logs, fit's
bookkeeping) are left out.
  mpirun -np 2 -x TESSERA_NUM_THREADS=1 -x TESSERA_DIST_TRACE=/tmp/mlp \\
      node dist/bench/distributed.js --worker scaling mlp 64
  python3 bench/distributed_timeline.py /tmp/mlp [--per-step 1] [--min-bytes 4096]"""
import glob
import json
import statistics
import sys


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main():
    if len(sys.argv) < 2 or sys.argv[1].startswith("--"):
        raise SystemExit(__doc__)
    prefix = sys.argv[1]
    per_step = int(arg("--per-step", "1"))
    min_bytes = int(arg("--min-bytes", "4096"))
    files = sorted(glob.glob(f"{prefix}.rank*.jsonl"))
    if not files:
        raise SystemExit(f"distributed_timeline: no {prefix}.rank*.jsonl (run with TESSERA_DIST_TRACE={prefix})")
    ranks = []
    for f in files:
        rows = [json.loads(line) for line in open(f)]
        grads = sorted((r for r in rows if r["name"] == "allReduce" and r["bytes"] >= min_bytes), key=lambda r: r["submitted"])
        ranks.append(grads)
    counts = {len(g) for g in ranks}
    if len(counts) != 1:
        raise SystemExit(f"distributed_timeline: the ranks traced different numbers of all-reduces {sorted(counts)}")
    n = counts.pop() // per_step
    print(f"{len(ranks)} ranks, {n} steps of {per_step} all-reduce(s) of >= {min_bytes} bytes; medians over steps, microseconds")
    print("| rank | period | period mean / p90 | compute | wait (mean) | skew at the meeting (the first rank waits) | transfer (the last rank in MPI) |")
    print("|---|---|---|---|---|---|---|")
    skews, transfers = [], []
    for k in range(n * per_step):
        started = [g[k]["started"] for g in ranks]
        last = max(range(len(ranks)), key=lambda r: started[r])
        skews.append(max(started) - min(started))
        transfers.append(ranks[last][k]["completed"] - ranks[last][k]["started"])
    for r, g in enumerate(ranks):
        steps = [g[s * per_step:(s + 1) * per_step] for s in range(n)]
        end = [max(c["returned"] for c in st) for st in steps]
        wait = [sum(c["returned"] - max(c["awaited"], c["submitted"]) for c in st) for st in steps]
        period = [end[s] - end[s - 1] for s in range(1, n)]
        typical = statistics.median(period)
        kept = [s for s in range(1, n) if period[s - 1] <= 3 * typical]
        p = statistics.median(period[s - 1] for s in kept)
        w = statistics.median(wait[s] for s in kept)
        c = statistics.median(period[s - 1] - wait[s] for s in kept)
        ordered = sorted(period[s - 1] for s in kept)
        mean = statistics.mean(ordered)
        p90 = ordered[int(0.9 * (len(ordered) - 1))]
        wm = statistics.mean(wait[s] for s in kept)
        print(
            f"| {r} | {p:.0f} | {mean:.0f} / {p90:.0f} | {c:.0f} | {w:.0f} ({wm:.0f}) | {statistics.median(skews):.0f} | {statistics.median(transfers):.0f} |"
        )


if __name__ == "__main__":
    main()
