"""GPU: the smc op against model.torch_mixer, forward and every gradient.

    python3 check_op.py [--artifact PATH]

On random inputs of the model's sizes (T = 256, a multiple of the window,
and T = 200, not one), runs the smc artifact (model.load_smc_mixer) and the
float32 torch mixer, and compares both with the torch mixer in float64:
Y and dC, dB, dX, da for a random dY. Prints the relative errors
(max |diff| / max |ref|) and exits 1 if smc's exceed --tol (1e-4, the
issue's tolerance for f32 models). A few seconds; run.sh runs it first.
"""

import argparse
import sys

import torch

import model
import train


def grads(fn, inputs, dy):
    xs = [t.detach().clone().requires_grad_(True) for t in inputs]
    y = fn(*xs)
    y.backward(dy.to(y.dtype))
    return [y.detach().double()] + [x.grad.double() for x in xs]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--artifact", default=train.DEFAULT_ARTIFACT)
    p.add_argument("--tol", type=float, default=1e-4)
    args = p.parse_args()
    torch.set_float32_matmul_precision("highest")
    device = torch.device("cuda", 0)
    op, how = model.load_smc_mixer(args.artifact, device)
    print(f"smc op: {args.artifact} via {how}")
    names = ["Y", "dC", "dB", "dX", "da"]
    worst = 0.0
    for T in (256, 200):
        gen = torch.Generator(device=device).manual_seed(T)
        b = 2

        def rnd(*shape):
            return torch.randn(*shape, generator=gen, device=device)

        C, B = rnd(b, T, model.G, model.N), rnd(b, T, model.G, model.N)
        X = rnd(b, T, model.H, model.P)
        # Log-decays as the model makes them: softplus(dt) * -exp(A_log).
        a = -torch.nn.functional.softplus(rnd(b, T, model.H) - 2) * 0.5
        dy = rnd(b, T, model.H, model.P)
        ref = grads(model.torch_mixer, [t.double() for t in (C, B, X, a)],
                    dy.double())
        ours = grads(op, [C, B, X, a], dy)
        f32 = grads(model.torch_mixer, [C, B, X, a], dy)
        for name, r, s, t in zip(names, ref, ours, f32):
            scale = r.abs().max().item() or 1.0
            err_smc = (s - r).abs().max().item() / scale
            err_torch = (t - r).abs().max().item() / scale
            worst = max(worst, err_smc)
            print(f"T={T:4d} {name:3s} smc {err_smc:.2e}   torch f32 "
                  f"{err_torch:.2e}   (vs torch float64)")
    ok = worst <= args.tol
    print(f"{'PASS' if ok else 'FAIL'}: worst smc error {worst:.2e} "
          f"(tolerance {args.tol:g})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
