"""Trains the Mamba-2 style LM of model.py on MQAR (data.py) with one mixer.

    python3 train.py --mixer smc|torch --steps N --seed S --out DIR

Same seed -> same initial weights and same batches for both mixers (the
mixers have no parameters). Logs the mean loss and answer accuracy of every
--log-every steps to DIR/<tag>.json (tag: the mixer's name unless --tag) and
prints a progress line for each. The smc artifact is --artifact, by default
$SMC_TRAIN_ARTIFACT, else ../../build/train/decay_window.smca next to this
file; the smc Python modules are found on PYTHONPATH (BUILD_DIR/lib).
"""

import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

import data
import model

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ARTIFACT = os.environ.get(
    "SMC_TRAIN_ARTIFACT",
    os.path.join(HERE, "..", "..", "build", "train", "decay_window.smca"))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mixer", choices=["smc", "torch"], required=True)
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True, help="directory for <tag>.json")
    p.add_argument("--tag", help="json name (default: the mixer)")
    p.add_argument("--artifact", default=DEFAULT_ARTIFACT)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seq-len", type=int, default=256)
    p.add_argument("--d-model", type=int, default=128)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--log-every", type=int, default=25)
    p.add_argument("--eval-batches", type=int, default=8)
    p.add_argument("--window", type=int, default=model.WINDOW,
                   help="torch mixer only: the window (>= seq-len: decay "
                        "alone), for an ablation")
    p.add_argument("--bf16", action="store_true",
                   help="bf16 autocast around the model (the torch mixer "
                        "stays float32; pass a bf16 --artifact for smc)")
    p.add_argument("--compile", action="store_true",
                   help="torch.compile the model (costs compile time)")
    p.add_argument("--max-seconds", type=float, default=150,
                   help="stop early past this wall time (a budget guard)")
    return p.parse_args(argv)


def lr_at(step, args):
    """Linear warm-up, then cosine decay to 10% of --lr."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    frac = (step - args.warmup) / max(1, args.steps - args.warmup)
    return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))


def masked_loss(logits, targets):
    """Cross-entropy and (correct, count) over the answer positions."""
    flat = logits.float().reshape(-1, logits.shape[-1])
    loss = F.cross_entropy(flat, targets.reshape(-1), ignore_index=-100)
    mask = targets != -100
    correct = ((logits.argmax(-1) == targets) & mask).sum()
    return loss, correct, mask.sum()


def main(argv=None):
    args = parse_args(argv)
    if not torch.cuda.is_available():
        sys.exit("train.py needs a CUDA GPU")
    if args.steps < 1:
        sys.exit("--steps must be at least 1")
    if data.BLOCK > model.WINDOW:
        sys.exit("data.BLOCK must not exceed the mixer's window")
    device = torch.device("cuda", 0)
    torch.set_float32_matmul_precision("highest")   # no TF32: true float32
    tag = args.tag or args.mixer
    os.makedirs(args.out, exist_ok=True)

    mixer, description = model.make_mixer(args.mixer, args.artifact, device,
                                          window=args.window)
    torch.manual_seed(args.seed)
    net = model.LM(data.VOCAB, args.d_model, args.layers, mixer).to(device)
    n_params = sum(p.numel() for p in net.parameters())
    decay = [p for p in net.parameters() if p.dim() >= 2]
    no_decay = [p for p in net.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": args.weight_decay},
         {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr, betas=(0.9, 0.95), eps=1e-8)
    forward = torch.compile(net) if args.compile else net
    print(f"[{tag}] mixer: {description}", flush=True)
    print(f"[{tag}] {n_params / 1e6:.2f}M parameters, d_model "
          f"{args.d_model}, {args.layers} layers, batch {args.batch} x T "
          f"{args.seq_len}, {args.steps} steps, seed {args.seed}", flush=True)

    log = {"tag": tag, "mixer": args.mixer, "description": description,
           "args": vars(args), "device": torch.cuda.get_device_name(device),
           "torch": torch.__version__, "params": n_params,
           "step": [], "loss": [], "acc": [], "time_s": [], "lr": []}
    tokens_per_step = args.batch * args.seq_len
    loss_sum = torch.zeros((), device=device)
    correct = torch.zeros((), device=device, dtype=torch.long)
    count = torch.zeros((), device=device, dtype=torch.long)
    in_window = 0
    status = "ok"
    torch.cuda.synchronize()
    start = time.perf_counter()
    first_log = None
    steps_done = 0
    for step in range(args.steps):
        for group in opt.param_groups:
            group["lr"] = lr_at(step, args)
        tokens, targets = data.batch(args.batch, args.seq_len, args.seed, step,
                                     device)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=args.bf16):
            logits = forward(tokens)
        loss, c, n = masked_loss(logits, targets)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        loss_sum += loss.detach()
        correct += c
        count += n
        in_window += 1
        steps_done = step + 1
        last = steps_done == args.steps
        if steps_done % args.log_every == 0 or last:
            mean_loss = loss_sum.item() / in_window    # synchronizes
            acc = correct.item() / max(1, count.item())
            elapsed = time.perf_counter() - start
            if first_log is None:
                first_log = (steps_done, elapsed)
            log["step"].append(steps_done)
            log["loss"].append(mean_loss)
            log["acc"].append(acc)
            log["time_s"].append(elapsed)
            log["lr"].append(lr_at(step, args))
            print(f"[{tag}] step {steps_done:5d}  loss {mean_loss:.4f}  acc "
                  f"{acc:.3f}  {elapsed:6.1f} s", flush=True)
            loss_sum.zero_()
            correct.zero_()
            count.zero_()
            in_window = 0
            if not math.isfinite(mean_loss):
                status = "non-finite loss"
                break
            if elapsed > args.max_seconds and not last:
                status = f"stopped at {args.max_seconds:g} s (--max-seconds)"
                break
    torch.cuda.synchronize()
    wall = time.perf_counter() - start

    # Held-out batches (another seed stream), no gradient.
    eval_loss, eval_correct, eval_count = 0.0, 0, 0
    with torch.no_grad():
        for i in range(args.eval_batches):
            tokens, targets = data.batch(args.batch, args.seq_len,
                                         args.seed + 7919, i, device)
            with torch.autocast("cuda", dtype=torch.bfloat16,
                                enabled=args.bf16):
                logits = forward(tokens)
            loss, c, n = masked_loss(logits, targets)
            eval_loss += loss.item()
            eval_correct += c.item()
            eval_count += n.item()
    log["eval_loss"] = eval_loss / max(1, args.eval_batches)
    log["eval_acc"] = eval_correct / max(1, eval_count)
    log["status"] = status
    log["steps_done"] = steps_done
    log["wall_s"] = wall
    log["tokens_per_s"] = steps_done * tokens_per_step / wall
    s0, t0 = first_log
    log["steady_tokens_per_s"] = ((steps_done - s0) * tokens_per_step
                                  / (wall - t0) if steps_done > s0 else None)
    log["max_memory_gb"] = torch.cuda.max_memory_allocated(device) / 1e9
    path = os.path.join(args.out, f"{tag}.json")
    with open(path, "w") as f:
        json.dump(log, f, indent=1)
    steady = log["steady_tokens_per_s"]
    print(f"[{tag}] {status}: {steps_done} steps in {wall:.1f} s, "
          f"{log['tokens_per_s'] / 1e3:.0f}K tokens/s"
          + (f" ({steady / 1e3:.0f}K after the first log)" if steady else "")
          + f"; held-out loss {log['eval_loss']:.4f} acc "
          f"{log['eval_acc']:.3f}; peak memory {log['max_memory_gb']:.2f} GB;"
          f" wrote {path}", flush=True)
    return 0 if status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
