"""Compares the loss curves of the smc and torch mixers.

    python3 compare.py DIR [--rtol 0.05] [--atol 0.02] [--noise A.json ...]

Reads DIR/smc.json and DIR/torch.json (train.py), prints a markdown table
(final logged loss and accuracy, held-out loss and accuracy, time, tokens/s)
and the curves' difference, writes DIR/loss.png (both curves; needs
matplotlib) and DIR/summary.json, and exits 1 if the curves differ by more
than the tolerance:

    mean over the last half of the logged points of |loss_smc - loss_torch|
        <= max(atol, rtol * mean loss_torch there, spread)

where `spread` is the same mean difference between torch.json and each
--noise run (e.g. the torch mixer with another seed: the seed-to-seed
spread), when given. Both runs see the same initial weights and batches, so
the only source of difference is the mixers' float32 rounding (and the
nondeterminism of atomics in PyTorch's own kernels), amplified by training;
5% relative (0.02 nats at least) is the default allowance for that. Also
exits 1 if either run did not finish or its held-out accuracy differs from
the other's by more than --acc-tol (0.05).
"""

import argparse
import json
import os
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def curve_difference(a, b):
    """Mean |loss_a - loss_b| over the last half of their common logged
    steps, the mean of b's loss there, and the number of points used."""
    steps = sorted(set(a["step"]) & set(b["step"]))
    la = dict(zip(a["step"], a["loss"]))
    lb = dict(zip(b["step"], b["loss"]))
    tail = steps[len(steps) // 2:]
    if not tail:
        return float("nan"), float("nan"), 0
    diff = sum(abs(la[s] - lb[s]) for s in tail) / len(tail)
    ref = sum(lb[s] for s in tail) / len(tail)
    return diff, ref, len(tail)


def plot(runs, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    styles = {"smc": dict(color="tab:blue", lw=2.0),
              "torch": dict(color="tab:orange", lw=1.2, ls="--")}
    for run in runs:
        style = styles.get(run["tag"], dict(lw=1.0, alpha=0.6))
        label = f"{run['tag']}: {run['description']}"
        ax1.plot(run["step"], run["loss"], label=label, **style)
        ax2.plot(run["step"], run["acc"], label=run["tag"], **style)
    ax1.set_xlabel("step")
    ax1.set_ylabel("loss on answer positions (nats)")
    ax1.set_yscale("log")
    ax1.legend(fontsize=7)
    ax2.set_xlabel("step")
    ax2.set_ylabel("answer accuracy (training batches)")
    ax2.set_ylim(0, 1)
    ax2.legend(fontsize=8)
    first = runs[0]
    fig.suptitle(f"MQAR, decay x window (W=64) Mamba-2 LM: "
                 f"{first['params'] / 1e6:.2f}M params, batch "
                 f"{first['args']['batch']} x T {first['args']['seq_len']}, "
                 f"{first['device']}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--rtol", type=float, default=0.05)
    p.add_argument("--atol", type=float, default=0.02)
    p.add_argument("--acc-tol", type=float, default=0.05)
    p.add_argument("--noise", nargs="*", default=[],
                   help="other torch runs (e.g. --seed 1) for the spread")
    args = p.parse_args()
    smc = load(os.path.join(args.dir, "smc.json"))
    torch_run = load(os.path.join(args.dir, "torch.json"))
    noise = [load(path) for path in args.noise]

    print("| mixer | steps | final loss | final acc | held-out loss | "
          "held-out acc | wall s | tokens/s (steady) | peak GB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for run in [smc, torch_run] + noise:
        steady = run.get("steady_tokens_per_s") or run["tokens_per_s"]
        print(f"| {run['tag']} | {run['steps_done']} | {run['loss'][-1]:.4f} "
              f"| {run['acc'][-1]:.3f} | {run['eval_loss']:.4f} | "
              f"{run['eval_acc']:.3f} | {run['wall_s']:.1f} | "
              f"{steady / 1e3:.0f}K | {run['max_memory_gb']:.2f} |")

    diff, ref, points = curve_difference(smc, torch_run)
    spreads = [curve_difference(n, torch_run)[0] for n in noise]
    spread = max(spreads) if spreads else 0.0
    tol = max(args.atol, args.rtol * ref, spread)
    acc_gap = abs(smc["eval_acc"] - torch_run["eval_acc"])
    print()
    print(f"mean |loss_smc - loss_torch| over the last {points} logged points:"
          f" {diff:.4f} nats ({diff / ref:.2%} of the torch loss {ref:.4f})")
    if spreads:
        print(f"seed-to-seed spread (torch vs --noise runs): "
              + ", ".join(f"{s:.4f}" for s in spreads))
    print(f"tolerance: {tol:.4f} nats = max(atol {args.atol}, rtol "
          f"{args.rtol} x {ref:.4f}" + (f", spread {spread:.4f}" if spreads
                                        else "") + ")")
    print(f"held-out accuracy gap: {acc_gap:.3f} (tolerance {args.acc_tol})")

    problems = []
    for run in (smc, torch_run):
        if run["status"] != "ok":
            problems.append(f"{run['tag']}: {run['status']}")
    if not diff <= tol:
        problems.append(f"curves differ by {diff:.4f} > {tol:.4f}")
    if not acc_gap <= args.acc_tol:
        problems.append(f"held-out accuracy differs by {acc_gap:.3f}")

    summary = {"mean_abs_diff_last_half": diff, "torch_loss_last_half": ref,
               "points": points, "tolerance": tol, "spreads": spreads,
               "heldout_acc_gap": acc_gap, "problems": problems,
               "runs": {r["tag"]: {k: r[k] for k in (
                   "steps_done", "eval_loss", "eval_acc", "wall_s",
                   "tokens_per_s", "steady_tokens_per_s", "max_memory_gb",
                   "description", "device", "status")}
                   for r in [smc, torch_run] + noise}}
    summary["runs"]["smc"]["final_loss"] = smc["loss"][-1]
    summary["runs"]["torch"]["final_loss"] = torch_run["loss"][-1]
    with open(os.path.join(args.dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    try:
        plot([smc, torch_run] + noise, os.path.join(args.dir, "loss.png"))
        print(f"wrote {os.path.join(args.dir, 'loss.png')}")
    except ImportError as e:
        print(f"no plot ({e})")

    if problems:
        print("FAIL: " + "; ".join(problems))
        return 1
    print("PASS: the smc and torch loss curves agree within the tolerance")
    return 0


if __name__ == "__main__":
    sys.exit(main())
