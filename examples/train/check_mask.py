"""CPU, no PyTorch: does model.torch_mixer's mask mean what smc's does?

    python3 check_mask.py SMC [MODEL.mlir]     (SMC: build/bin/smc)

Runs `smc run MODEL --input ... --output-dir` (smc's CPU JIT) on random
inputs made here, at a few lengths, then evaluates the quadratic form of
model.torch_mixer line for line in numpy (float64) on the same inputs and
compares Y. Also compares smc's output with the window set to T (the decay
alone) to show the window is really applied. Needs numpy only.
"""

import os
import subprocess
import sys
import tempfile

import numpy as np

WINDOW = 64   # model.WINDOW (model.py imports torch, so it is not imported)


def numpy_mixer(C, B, X, a, window=WINDOW):
    """model.torch_mixer, transcribed to numpy (float64)."""
    C, B, X, a = (t.astype(np.float64) for t in (C, B, X, a))
    b, T, h, p = X.shape
    r = h // C.shape[2]
    cum = np.cumsum(a, axis=1).transpose(0, 2, 1)              # [b, h, T]
    log_l = cum[:, :, :, None] - cum[:, :, None, :]            # [b, h, t, s]
    pos = np.arange(T)
    dist = pos[:, None] - pos[None, :]
    outside = (dist < 0) | (dist >= window)
    with np.errstate(over="ignore"):
        L = np.exp(np.where(outside, -np.inf, log_l))
    Ch = np.repeat(C, r, axis=2)
    Bh = np.repeat(B, r, axis=2)
    scores = np.einsum("bthn,bshn->bhts", Ch, Bh)
    return np.einsum("bhts,bshp->bthp", L * scores, X)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    smc = sys.argv[1]
    mlir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "decay_window.mlir")
    worst = 0.0
    ok = True
    rng = np.random.default_rng(0)
    for T in (7, 64, 65, 200):
        # Small log-decays (exp(-0.02 * 64) ~ 0.28, in the range of the
        # model's initial dt' * A), so that what lies
        # outside the window is not decayed to nothing.
        C, B = (rng.standard_normal((2, T, 2, 64), dtype=np.float32)
                for _ in range(2))
        X = rng.standard_normal((2, T, 4, 64), dtype=np.float32)
        a = -rng.uniform(0, 0.04, (2, T, 4)).astype(np.float32)
        with tempfile.TemporaryDirectory() as tmp:
            args = [smc, "run", mlir, f"--seqlen={T}", "--batch=2",
                    f"--output-dir={tmp}"]
            for name, value in zip(("C", "B", "X", "log_decay"), (C, B, X, a)):
                np.save(os.path.join(tmp, f"{name}.npy"), value)
                args.append(f"--input={name}={os.path.join(tmp, name)}.npy")
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            y = np.load(os.path.join(tmp, "out0.npy")).astype(np.float64)
        ref = numpy_mixer(C, B, X, a)
        err = np.abs(y - ref).max() / np.abs(ref).max()
        no_window = numpy_mixer(C, B, X, a, window=T + 1)
        gap = np.abs(y - no_window).max() / np.abs(ref).max()
        worst = max(worst, err)
        # Below T = WINDOW the window cuts nothing; above it, it must.
        window_seen = gap > 1e-3 if T > WINDOW else True
        ok = ok and err < 1e-5 and window_seen
        print(f"T={T:4d}  smc vs numpy quadratic: {err:.2e}   "
              f"smc vs decay without window: {gap:.2e}")
    print(f"{'PASS' if ok else 'FAIL'}: worst {worst:.2e} (tolerance 1e-5; "
          "for T > 64 the window must change Y)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
