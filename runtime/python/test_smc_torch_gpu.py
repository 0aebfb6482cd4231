"""GPU tests of smc_torch: the op's results and every gradient against
PyTorch autograd of float64 implementations of the quadratic form written
here, inputs used twice, autocast, the current stream, torch.compile and
torch.library.opcheck.

Needs PyTorch with CUDA, a GPU and the artifacts of
prepare_torch_tests.sh. Run all (a PASS/FAIL table at the end, exit 1 on a
failure):

    runtime/python/gpu_test_torch.sh ARTIFACT_DIR [LIB_DIR] [TEST...]

or `python3 test_smc_torch_gpu.py [TEST...]` with $SMC_RUNTIME_LIB,
$SMC_TORCH_GPU_ARTIFACTS and runtime/python on the path. unittest discovery
(`python3 -m unittest discover -s runtime/python`) finds them too and skips
them without PyTorch, a GPU or $SMC_TORCH_GPU_ARTIFACTS.

Tolerances: relative Frobenius error ||got - ref|| / ||ref|| against the
float64 reference on the same (rounded) inputs: 1e-4 for f32 artifacts,
2e-2 for bf16 ones.
"""

import contextlib
import math
import os
import sys
import time
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

ARTIFACTS = os.environ.get("SMC_TORCH_GPU_ARTIFACTS")
F32_TOL = 1e-4
BF16_TOL = 2e-2


class Skip(Exception):
    pass


TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def artifact(name):
    path = os.path.join(ARTIFACTS, name + ".smca")
    if not os.path.exists(path):
        failed = os.path.join(ARTIFACTS, name + ".failed")
        why = "not prepared"
        if os.path.exists(failed):
            with open(failed, errors="replace") as f:
                lines = [l.strip() for l in f if "error" in l]
            why = "smc compile failed: " + (lines[0] if lines else "?")
        raise Skip(f"{name}.smca: {why}")
    return path


def load(model, **kw):
    import smc_torch
    return smc_torch.load(artifact(model), **kw)


# ---------------------------------------------------------------------------
# float64 references, written from the definitions (reference/Contract.h,
# reference/Ssd.h), independent of smc.


def ref_contract(C, B, X, log_decay=None, init=None, window=None, cu=None,
                 want_final=False):
    """Y = (L o C B^T) X per head, head i reading group i / (h / g), with
    L[t,s] = exp(cum_t - cum_s) for s <= t (cum: inclusive cumsum of the
    log-decays; 1 without decays), times 1 for t - s < window. Per sequence
    (batch rows, or cu_seqlens with b = 1): y_t += exp(cum_t) H0 C_t and
    final = exp(cum_end) H0 + sum_s exp(cum_end - cum_s) x_s B_s^T.
    Returns (y,) or (y, final)."""
    b, T, h, p = X.shape
    g = C.shape[2]
    Ch = C.repeat_interleave(h // g, dim=2)
    Bh = B.repeat_interleave(h // g, dim=2)
    if cu is None:
        segments = [(i, 0, T) for i in range(b)]
    else:
        bounds = [int(v) for v in cu.tolist()]
        segments = [(0, bounds[i], bounds[i + 1])
                    for i in range(len(bounds) - 1)]
    rows = [[] for _ in range(b)]
    finals = []
    for k, (row, s0, s1) in enumerate(segments):
        c, k_, x = Ch[row, s0:s1], Bh[row, s0:s1], X[row, s0:s1]
        n_pos = s1 - s0
        if log_decay is not None:
            cum = torch.cumsum(log_decay[row, s0:s1], dim=0)      # [L, h]
        else:
            cum = X.new_zeros(n_pos, h)
        t = torch.arange(n_pos, device=X.device)
        keep = t[:, None] >= t[None, :]
        if window is not None:
            keep = keep & (t[:, None] - t[None, :] < window)
        diff = cum[:, None, :] - cum[None, :, :]                  # [t, s, h]
        diff = torch.where(keep[:, :, None], diff,
                           torch.full_like(diff, -math.inf))
        scores = torch.einsum("thn,shn->tsh", c, k_) * torch.exp(diff)
        y = torch.einsum("tsh,shp->thp", scores, x)
        if init is not None:
            y = y + torch.exp(cum)[:, :, None] * torch.einsum(
                "hpn,thn->thp", init[k], c)
        rows[row].append(y)
        if init is not None or want_final:
            last = cum[-1] if n_pos else X.new_zeros(h)
            fin = torch.einsum("sh,shp,shn->hpn",
                               torch.exp(last[None, :] - cum), x, k_)
            if init is not None:
                fin = fin + torch.exp(last)[:, None, None] * init[k]
            finals.append(fin)
    y = torch.stack([torch.cat(r, dim=0) for r in rows])
    if init is not None or want_final:
        return y, torch.stack(finals)
    return (y,)


def ref_ssd(x, dt, A, B, C, D, z, dt_bias):
    """Mamba-2's mamba_chunk_scan_combined with D, z, dt_bias and
    dt_softplus: d = softplus(dt + dt_bias) (threshold 20), y =
    contract(C, B, x d, decay(d A)) + D x, times silu(z)."""
    d = F.softplus(dt + dt_bias)
    (y,) = ref_contract(C, B, x * d[..., None], log_decay=d * A)
    y = y + D[None, None, :, None] * x
    return (y * F.silu(z),)


# ---------------------------------------------------------------------------
# Helpers.


def gen(seed):
    return torch.Generator(device="cuda").manual_seed(seed)


def rnd(g, *shape, scale=1.0, dtype=None):
    t = torch.randn(*shape, generator=g, device="cuda") * scale
    return t if dtype is None else t.to(dtype)


def decay_inputs(b, T, h=4, g=2, n=16, p=8, dtype=None, seed=0, S=None,
                 state=True):
    """C, B, X (dtype, default f32), log-decays (f32, < 0) [, init state]."""
    dtype = dtype or torch.float32
    gg = gen(seed)
    C = rnd(gg, b, T, g, n, scale=n ** -0.25, dtype=dtype)
    B = rnd(gg, b, T, g, n, scale=n ** -0.25, dtype=dtype)
    X = rnd(gg, b, T, h, p, dtype=dtype)
    a = -F.softplus(rnd(gg, b, T, h) - 1.0) * 0.5
    out = [C, B, X, a]
    if state:
        out.append(rnd(gg, S if S is not None else b, h, p, n, scale=0.5))
    return out


def ssd_inputs(b, T, h, g, n, p, act, seed=0):
    """x, dt, A, B, C, D, z, dt_bias as a Mamba-2 layer makes them:
    activations in `act`, A, D, dt_bias f32."""
    gg = gen(seed)
    x = rnd(gg, b, T, h, p, dtype=act)
    dt = rnd(gg, b, T, h, scale=0.5, dtype=act)
    A = -torch.exp(torch.rand(h, generator=gg, device="cuda") * math.log(8))
    B = rnd(gg, b, T, g, n, scale=n ** -0.25, dtype=act)
    C = rnd(gg, b, T, g, n, scale=n ** -0.25, dtype=act)
    D = rnd(gg, h)
    z = rnd(gg, b, T, h, p, dtype=act)
    step = torch.exp(torch.rand(h, generator=gg, device="cuda")
                     * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3))
    dt_bias = step + torch.log(-torch.expm1(-step))   # softplus^-1(step)
    return [x, dt, A, B, C, D, z, dt_bias]


def as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def rel(got, want):
    got, want = got.double(), want.double()
    num, den = (got - want).norm(), want.norm()
    return float(num / den) if float(den) > 0 else float(num)


def run_with_grads(fn, inputs, grads_out, requires=None):
    """Calls fn on fresh leaves (float ones require grad unless `requires`
    says otherwise), backpropagates grads_out (None: random, seeded), and
    returns (outputs, leaves, grads_out)."""
    leaves = []
    for i, t in enumerate(inputs):
        want = t.is_floating_point() and (requires is None or requires[i])
        leaves.append(t.detach().clone().requires_grad_(want))
    outs = as_tuple(fn(*leaves))
    if grads_out is None:
        gg = gen(1234)
        grads_out = [rnd(gg, *o.shape, dtype=o.dtype) for o in outs]
    torch.autograd.backward(outs, grads_out)
    return outs, leaves, grads_out


def compare(op, ref, inputs, tol, requires=None):
    """Every output and input gradient of op against ref in float64 on the
    same inputs and output gradients. Returns {name: rel error}."""
    outs, leaves, gouts = run_with_grads(op, inputs, None, requires)
    r_in = [t.detach().double() if t.is_floating_point() else t.detach()
            for t in inputs]
    r_outs, r_leaves, _ = run_with_grads(
        ref, r_in, [g.double() for g in gouts], requires)
    errors = {}
    for name, o, r in zip(op.output_names, outs, r_outs):
        if o.shape != r.shape:
            raise AssertionError(f"{name}: shape {tuple(o.shape)}, reference "
                                 f"{tuple(r.shape)}")
        errors[name] = rel(o, r)
    for name, l, r in zip(op.input_names, leaves, r_leaves):
        if not l.requires_grad:
            if l.grad is not None:
                raise AssertionError(f"{name} does not require grad but got "
                                     "one")
            continue
        if l.grad is None:
            raise AssertionError(f"no gradient for input {name}")
        if l.grad.dtype != l.dtype or l.grad.shape != l.shape:
            raise AssertionError(f"d{name}: {l.grad.dtype} "
                                 f"{tuple(l.grad.shape)}, input {l.dtype} "
                                 f"{tuple(l.shape)}")
        errors["d" + name] = rel(l.grad, r.grad)
    return check(errors, tol)


def check(errors, tol):
    bad = {k: v for k, v in errors.items() if not v <= tol}   # NaN fails
    worst = max(errors, key=lambda k: errors[k] if errors[k] == errors[k]
                else math.inf)
    if bad:
        raise AssertionError("above %.0e: %s" % (tol, ", ".join(
            f"{k} {v:.2e}" for k, v in bad.items())))
    return f"max {errors[worst]:.1e} ({worst})"


def expect_error(kind, pattern, fn):
    import re
    try:
        fn()
    except kind as e:
        if not re.search(pattern, str(e)):
            raise AssertionError(f"{kind.__name__} {str(e)!r} does not match "
                                 f"{pattern!r}")
        return
    raise AssertionError(f"no {kind.__name__} matching {pattern!r}")


# ---------------------------------------------------------------------------
# Gradients against the float64 references.


@test
def grad_decay_state_f32():
    op = load("decay_state")
    details = []
    for T in (7, 53):
        details.append(f"T={T}: " + compare(
            op, lambda C, B, X, a, h0: ref_contract(C, B, X, a, init=h0),
            decay_inputs(2, T), F32_TOL))
    return "; ".join(details)


@test
def grad_window_decay_f32():
    op = load("window_decay")
    details = []
    for T in (7, 53):
        details.append(f"T={T}: " + compare(
            op, lambda C, B, X, a: ref_contract(C, B, X, a, window=20),
            decay_inputs(2, T, state=False), F32_TOL))
    return "; ".join(details)


@test
def grad_varlen_f32():
    # Packed sequences, one of them empty; cu_seqlens gets no gradient.
    op = load("varlen")
    details = []
    for T, bounds in ((53, [0, 5, 5, 22, 53]), (7, [0, 3, 7])):
        cu = torch.tensor(bounds, dtype=torch.int32, device="cuda")
        inputs = decay_inputs(1, T, h=2, g=1, S=len(bounds) - 1) + [cu]
        details.append(f"T={T} S={len(bounds) - 1}: " + compare(
            op, lambda C, B, X, a, h0, cu: ref_contract(C, B, X, a, init=h0,
                                                        cu=cu),
            inputs, F32_TOL))
    return "; ".join(details)


@test
def grad_ssd_f32():
    op = load("ssd_f32")
    details = []
    for T in (7, 53):
        details.append(f"T={T}: " + compare(
            op, ref_ssd, ssd_inputs(2, T, 4, 2, 16, 8, torch.float32),
            F32_TOL))
    return "; ".join(details)


@test
def grad_mixer_bf16():
    # The 2.7B mixer's width in the contract form: h=80, p=64, n=128, g=1.
    op = load("mixer_bf16")
    inputs = decay_inputs(2, 200, h=80, g=1, n=128, p=64,
                          dtype=torch.bfloat16)
    inputs[4] = inputs[4] * 0.2
    return "b=2 T=200: " + compare(
        op, lambda C, B, X, a, h0: ref_contract(C, B, X, a, init=h0),
        inputs, BF16_TOL)


@test
def grad_mamba2_ssd_bf16():
    # examples/mamba2.mlir: sma.ssd at the 2.7B width, bf16 activations.
    op = load("mamba2")
    inputs = ssd_inputs(2, 200, 80, 1, 128, 64, torch.bfloat16)
    return "b=2 T=200: " + compare(op, ref_ssd, inputs, BF16_TOL)


# ---------------------------------------------------------------------------
# Autograd behaviour.


@test
def input_used_twice():
    # The same tensor as B and C: both gradients accumulate into it.
    op = load("decay_state")
    C, _, X, a, h0 = decay_inputs(2, 53)
    K = C.detach().clone().requires_grad_()
    K64 = C.detach().double().requires_grad_()
    Xs = [t.detach().clone().requires_grad_() for t in (X, a, h0)]
    X64 = [t.detach().double().requires_grad_() for t in (X, a, h0)]
    y, f = op(K, K, *Xs)
    gg = gen(5)
    gy, gf = rnd(gg, *y.shape), rnd(gg, *f.shape)
    torch.autograd.backward((y, f), (gy, gf))
    ry, rf = ref_contract(K64, K64, X64[0], X64[1], init=X64[2])
    torch.autograd.backward((ry, rf), (gy.double(), gf.double()))
    errors = {"y": rel(y, ry), "final_state": rel(f, rf),
              "dK (C and B)": rel(K.grad, K64.grad)}
    for name, t, r in zip(("dX", "dlog_decay", "dinit_state"), Xs, X64):
        errors[name] = rel(t.grad, r.grad)
    return check(errors, F32_TOL)


@test
def unused_result_and_expanded_grad():
    # Only y is used: final_state's gradient is None (made zeros), and
    # y.sum()'s gradient is an expanded (stride 0) tensor (made contiguous).
    op = load("decay_state")
    inputs = decay_inputs(2, 53)
    leaves = [t.detach().clone().requires_grad_() for t in inputs]
    y, f = op(*leaves)
    (y.sum() * 0.5).backward()
    r = [t.detach().double().requires_grad_() for t in inputs]
    ry, _ = ref_contract(*r[:4], init=r[4])
    (ry.sum() * 0.5).backward()
    return check({"d" + n: rel(l.grad, q.grad) for n, l, q in
                  zip(op.input_names, leaves, r)}, F32_TOL)


@test
def non_contiguous_inputs():
    # Transposed and strided views are copied once and give the same
    # results and gradients.
    op = load("decay_state")
    C, B, X, a, h0 = decay_inputs(2, 53)
    Xt = X.transpose(2, 3).contiguous().transpose(2, 3)      # [b,T,4,8]
    a_big = torch.zeros(2, 53, 8, device="cuda")
    a_big[..., ::2] = a
    a_view = a_big[..., ::2]
    assert not Xt.is_contiguous() and not a_view.is_contiguous()
    leaves = [C.clone().requires_grad_(), B.clone().requires_grad_(),
              Xt.detach().requires_grad_(), a_view.detach().requires_grad_(),
              h0.clone().requires_grad_()]
    assert not leaves[2].is_contiguous() and not leaves[3].is_contiguous()
    y, f = op(*leaves)
    gg = gen(9)
    gy, gf = rnd(gg, *y.shape), rnd(gg, *f.shape)
    torch.autograd.backward((y, f), (gy, gf))
    r = [t.detach().double().requires_grad_() for t in (C, B, X, a, h0)]
    ry, rf = ref_contract(*r[:4], init=r[4])
    torch.autograd.backward((ry, rf), (gy.double(), gf.double()))
    errors = {"y": rel(y, ry), "final_state": rel(f, rf)}
    errors.update({"d" + n: rel(l.grad, q.grad) for n, l, q in
                   zip(op.input_names, leaves, r)})
    return check(errors, F32_TOL)


@test
def requires_grad_subset():
    # Only X and init_state require gradients; the others get none.
    op = load("decay_state")
    return compare(
        op, lambda C, B, X, a, h0: ref_contract(C, B, X, a, init=h0),
        decay_inputs(2, 53), F32_TOL,
        requires=[False, False, True, False, True])


@test
def inference_runs_f():
    # Without gradients the op runs entry f (nothing saved): same results
    # as f_fwd's first outputs, and only f's results are returned.
    details = []
    for name, inputs in (("decay_state", decay_inputs(2, 53)),
                         ("ssd_f32", ssd_inputs(2, 53, 4, 2, 16, 8,
                                                torch.float32))):
        op = load(name)
        with torch.no_grad():
            inferred = as_tuple(op(*inputs))
        leaves = [t.clone().requires_grad_() for t in inputs]
        trained = as_tuple(op(*leaves))
        if len(inferred) != len(op.output_names) or \
                len(trained) != len(op.output_names):
            raise AssertionError(f"{name}: {len(inferred)} and "
                                 f"{len(trained)} outputs returned, f has "
                                 f"{len(op.output_names)}")
        direct = as_tuple(op.infer_op(*inputs))
        err = max(max(rel(a, b), rel(a, c))
                  for a, b, c in zip(inferred, trained, direct))
        if err > 1e-6:
            raise AssertionError(f"{name}: f and f_fwd differ by {err:.1e}")
        if any(t.requires_grad for t in inferred):
            raise AssertionError(f"{name}: outputs under no_grad require grad")
        details.append(f"{name} {err:.0e}")
    return ", ".join(details)


def autocast_check(name, inputs):
    """Under autocast(bf16) f32 inputs are cast to the declared dtypes; the
    same as casting by hand, gradients flow back to the f32 leaves."""
    op = load(name)
    declared = [getattr(torch, {"f32": "float32", "bf16": "bfloat16"}[t.dtype])
                for t in op.plan.inputs]
    f32 = [t.detach().float().clone() for t in inputs]
    with torch.autocast("cuda", dtype=torch.bfloat16):
        leaves_a = [t.clone().requires_grad_() for t in f32]
        outs_a = as_tuple(op(*leaves_a))
    gg = gen(3)
    gouts = [rnd(gg, *o.shape, dtype=o.dtype) for o in outs_a]
    torch.autograd.backward(outs_a, gouts)
    leaves_b = [t.clone().to(d).requires_grad_()
                for t, d in zip(f32, declared)]
    outs_b = as_tuple(op(*leaves_b))
    torch.autograd.backward(outs_b, gouts)
    errors = {}
    for n, a, b in zip(op.output_names, outs_a, outs_b):
        if a.dtype != b.dtype:
            raise AssertionError(f"{n}: {a.dtype} under autocast, {b.dtype} "
                                 "cast by hand")
        errors[n] = rel(a, b)
    for n, a, b in zip(op.input_names, leaves_a, leaves_b):
        if a.grad.dtype != torch.float32:
            raise AssertionError(f"d{n}: {a.grad.dtype} for an f32 leaf")
        errors["d" + n] = rel(a.grad, b.grad.float())
    # The autocast dtype does not matter: the artifact's dtypes win.
    with torch.autocast("cuda", dtype=torch.float16):
        outs_c = as_tuple(op(*f32))
    errors[op.output_names[0] + " (f16 autocast)"] = rel(outs_c[0], outs_b[0])
    # Outside autocast an f32 input for a bf16 one is an error.
    first_bf16 = next(i for i, d in enumerate(declared)
                      if d == torch.bfloat16)
    expect_error(ValueError, f"input '{op.input_names[first_bf16]}': expected "
                 "bf16, got f32", lambda: op(*f32))
    return check(errors, 1e-3)


@test
def autocast_bf16():
    return autocast_check("decay_bf16", decay_inputs(2, 53))


@test
def autocast_mamba2():
    return autocast_check("mamba2", ssd_inputs(1, 100, 80, 1, 128, 64,
                                               torch.float32))


@test
def errors():
    op = load("decay_state")
    C, B, X, a, h0 = decay_inputs(2, 53)
    where = r"smc op '%s' \(decay_state.smca, entry 'decay_state_fwd'\)" \
        % op.name
    expect_error(ValueError, where + r": takes 5 inputs \(C, B, X, "
                 r"log_decay, init_state\), got 4", lambda: op(C, B, X, a))
    expect_error(ValueError, "input 'X': expected a CUDA tensor, got one on "
                 "cpu", lambda: op(C, B, X.cpu(), a, h0))
    expect_error(ValueError, "input 'log_decay': expected f32, got f64",
                 lambda: op(C, B, X, a.double(), h0))
    expect_error(ValueError, r"input 'X': expected \[2,53,4,8\], got "
                 r"\[2,53,4,9\]",
                 lambda: op(C, B, torch.zeros(2, 53, 4, 9, device="cuda"),
                            a, h0))
    expect_error(ValueError, r"input 'init_state': expected \[2,4,8,16\], "
                 r"got \[3,4,8,16\]", lambda: op(C, B, X, a, h0[:1].expand(
                     3, 4, 8, 16)))
    expect_error(ValueError, "no forward/backward entries <f>_fwd and "
                 "<f>_bwd .*compile the model with `smc compile --grad`",
                 lambda: load("decay_state_nograd"))
    expect_error(ValueError, f"the op name 'smc::{op.name}' is taken",
                 lambda: load("window_decay", name=op.name))
    again = load("decay_state")
    if again is not op:
        raise AssertionError("loading the same artifact twice made two ops")
    return f"op {op.name}: {op!r}"[:70]


@test
def current_stream():
    # The op and its backward run on the current stream: on a side stream
    # delayed by a sleep, X is written just before the op reads it. An op
    # launched on another stream would read zeros.
    op = load("decay_state")
    C, B, X, a, h0 = decay_inputs(2, 53)
    gg = gen(11)
    gy, gf = rnd(gg, 2, 53, 4, 8), rnd(gg, 2, 4, 8, 16)
    r = [t.detach().double().requires_grad_() for t in (C, B, X, a, h0)]
    ry, rf = ref_contract(*r[:4], init=r[4])
    torch.autograd.backward((ry, rf), (gy.double(), gf.double()))
    leaves = [t.clone().requires_grad_() for t in (C, B, a, h0)]
    X_late = torch.zeros_like(X)
    torch.cuda.synchronize()
    side = torch.cuda.Stream()
    with torch.cuda.stream(side):
        if hasattr(torch.cuda, "_sleep"):
            torch.cuda._sleep(200_000_000)
        else:
            m = torch.randn(4096, 4096, device="cuda")
            for _ in range(20):
                m = m @ m / 64
        X_late.copy_(X)
        y, f = op(leaves[0], leaves[1], X_late, leaves[2], leaves[3])
        torch.autograd.backward((y, f), (gy, gf))
    busy = not side.query()
    side.synchronize()
    errors = {"y": rel(y, ry), "final_state": rel(f, rf)}
    for n, l, q in zip(("dC", "dB", "dlog_decay", "dinit_state"), leaves,
                       (r[0], r[1], r[3], r[4])):
        errors[n] = rel(l.grad, q.grad)
    return check(errors, F32_TOL) + (", side stream was busy" if busy else "")


# ---------------------------------------------------------------------------
# torch.compile and opcheck.


class DecayNet(torch.nn.Module if torch else object):
    """A module around the op, with PyTorch ops before and after."""

    def __init__(self, op, inner_autocast=False):
        super().__init__()
        self.op = op
        self.inner_autocast = inner_autocast

    def forward(self, C, B, X, a, h0):
        C = C * 1.5
        X = torch.tanh(X)
        if self.inner_autocast:
            with torch.autocast("cuda", dtype=torch.bfloat16):
                y, f = self.op(C, B, X, a, h0)
        else:
            y, f = self.op(C, B, X, a, h0)
        return (y.float() ** 2).sum() + (f * f).sum() * 0.1


def compiled_vs_eager(net, calls, backend="inductor", dynamic=None,
                      autocast=False):
    """Runs each input list eagerly and compiled (fullgraph: any graph break
    raises), forward and backward; no recompilation after the first call."""
    torch._dynamo.reset()
    compiled = torch.compile(net, fullgraph=True, backend=backend,
                             dynamic=dynamic)
    errors = {}
    for k, inputs in enumerate(calls):
        results = []
        for fn in (net, compiled):
            leaves = [t.clone().requires_grad_(t.is_floating_point())
                      for t in inputs]
            ctx = torch.autocast("cuda", dtype=torch.bfloat16) if autocast \
                else contextlib.nullcontext()
            if fn is compiled and k > 0:
                recompile = torch._dynamo.config.patch(error_on_recompile=True)
            else:
                recompile = contextlib.nullcontext()
            with recompile:
                with ctx:
                    loss = fn(*leaves)
                loss.backward()
            results.append((loss, [l.grad for l in leaves
                                   if l.is_floating_point()]))
        (le, ge), (lc, gc) = results
        errors[f"loss{k}"] = rel(lc, le)
        for i, (a, b) in enumerate(zip(gc, ge)):
            errors[f"d{i}_{k}"] = rel(a, b)
    return errors


@test
def compile_fullgraph():
    op = load("decay_state")
    errors = compiled_vs_eager(DecayNet(op), [decay_inputs(3, 53)])
    return check(errors, 1e-5)


@test
def compile_dynamic():
    # dynamic=True: b and T are SymInts in the fake implementation; a second
    # shape must not recompile. (b, T avoid the static dims 2, 4, 8, 16.)
    op = load("decay_state")
    errors = compiled_vs_eager(DecayNet(op), [decay_inputs(3, 7, seed=1),
                                              decay_inputs(5, 53, seed=2)],
                               dynamic=True)
    return check(errors, 1e-5)


class VarlenNet(torch.nn.Module if torch else object):
    def __init__(self, op):
        super().__init__()
        self.op = op

    def forward(self, C, B, X, a, h0, cu):
        y, f = self.op(C, B, X, a, h0, cu)
        return (y ** 2).sum() + f.sum()


@test
def compile_dynamic_varlen():
    # S from cu_seqlens' length, the final state's dims (S+1)-1.
    op = load("varlen")
    calls = []
    for T, bounds in ((53, [0, 5, 5, 22, 53]), (40, [0, 17, 30, 40])):
        cu = torch.tensor(bounds, dtype=torch.int32, device="cuda")
        calls.append(decay_inputs(1, T, h=2, g=1, S=len(bounds) - 1) + [cu])
    errors = compiled_vs_eager(VarlenNet(op), calls, backend="aot_eager",
                               dynamic=True)
    return check(errors, 1e-5)


@test
def compile_autocast():
    # The compiled module called under autocast: f32 inputs become bf16.
    op = load("decay_bf16")
    errors = compiled_vs_eager(DecayNet(op), [decay_inputs(3, 53)],
                               backend="aot_eager", autocast=True)
    return check(errors, 1e-3)


@test
def compile_autocast_inside():
    # torch.autocast entered inside the compiled function.
    op = load("decay_bf16")
    errors = compiled_vs_eager(DecayNet(op, inner_autocast=True),
                               [decay_inputs(3, 53)], backend="aot_eager")
    return check(errors, 1e-3)


@test
def opcheck():
    # torch.library.opcheck: schema, autograd registration, the fake
    # implementation against the real one, AOT dispatch with dynamic shapes.
    op = load("decay_state")
    inputs = [t.requires_grad_() for t in decay_inputs(2, 7)]
    with torch.no_grad():
        outs = op.fwd_op(*inputs)
    gg = gen(2)
    grads = [rnd(gg, *o.shape) for o in outs]
    done = []
    for name, target, args in (
            ("fwd", op.fwd_op, inputs),
            ("infer", op.infer_op, [t.detach() for t in inputs]),
            ("bwd", op.bwd_op, [t.detach() for t in inputs]
             + list(outs) + grads)):
        torch.library.opcheck(target, tuple(args))
        done.append(name)
    return "passed for " + ", ".join(done)


# ---------------------------------------------------------------------------
# Runners.


def run_one(fn):
    torch.manual_seed(0)
    start = time.time()
    try:
        detail = fn() or ""
        status = "PASS"
    except Skip as e:
        status, detail = "SKIP", str(e)
    except Exception as e:  # noqa: BLE001 - reported in the table
        status = "FAIL"
        detail = f"{type(e).__name__}: {e}".replace("\n", " ")
        traceback.print_exc()
    try:
        torch.cuda.synchronize()
    except Exception as e:  # noqa: BLE001 - a broken context fails the rest
        status, detail = "FAIL", f"{detail} / synchronize: {e}"
    return status, time.time() - start, detail


def main(names):
    if torch is None or not torch.cuda.is_available():
        print("needs PyTorch with CUDA and a GPU")
        return 2
    if not ARTIFACTS:
        print("set SMC_TORCH_GPU_ARTIFACTS (made by prepare_torch_tests.sh)")
        return 2
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, "
          f"{torch.cuda.get_device_name()}; artifacts {ARTIFACTS}")
    chosen = [t for t in TESTS if not names or t.__name__ in names]
    unknown = set(names) - {t.__name__ for t in TESTS}
    if unknown:
        print("unknown tests: " + ", ".join(sorted(unknown)))
        return 2
    rows = []
    for fn in chosen:
        status, secs, detail = run_one(fn)
        print(f"{status} {fn.__name__} ({secs:.1f} s) {detail}", flush=True)
        rows.append((fn.__name__, status, secs, detail))
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'test':<{width}}  result   time  detail")
    for name, status, secs, detail in rows:
        print(f"{name:<{width}}  {status:<6} {secs:5.1f}s  {detail[:110]}")
    counts = {s: sum(r[1] == s for r in rows) for s in ("PASS", "FAIL",
                                                         "SKIP")}
    print(f"{counts['PASS']} passed, {counts['FAIL']} failed, "
          f"{counts['SKIP']} skipped")
    return 1 if counts["FAIL"] else 0


def _available():
    return bool(torch is not None and ARTIFACTS and torch.cuda.is_available())


@unittest.skipUnless(_available(), "needs PyTorch, a GPU and "
                     "SMC_TORCH_GPU_ARTIFACTS")
class OnGpu(unittest.TestCase):
    pass


def _make(fn):
    def method(self):
        try:
            fn()
        except Skip as e:
            self.skipTest(str(e))
    method.__name__ = "test_" + fn.__name__
    return method


for _fn in TESTS:
    setattr(OnGpu, "test_" + _fn.__name__, _make(_fn))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
