"""A small Mamba-2 style language model whose sequence mixer is pluggable.

The mixer is the structured masked attention of decay_window.mlir:

    Y[t, i] = sum_s L_i[t, s] (C[t, i // r] . B[s, i // r]) X[s, i],   r = h // g
    L_i[t, s] = exp(cum_i[t] - cum_i[s])   for 0 <= t - s < WINDOW, else 0
    cum_i[t]  = a[0, i] + ... + a[t, i]     (so L = exp(a[s+1] + ... + a[t]))

with two implementations of the same function:
- "smc":   the artifact compiled by `smc compile --grad decay_window.mlir`,
           through PyTorch autograd (forward = f_fwd, backward = f_bwd);
- "torch": torch_mixer() below, a float32 PyTorch implementation of the
           quadratic form, written independently of smc; autograd
           differentiates it.

Layout (Mamba-2, batch-major): C, B [b, T, g, n]; X, Y [b, T, h, p];
a [b, T, h] (log-decay, <= 0).
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# The mixer's sizes: they must match decay_window.mlir (heads, head dim,
# groups of B and C, state dim, window). d_inner = H * P.
H, P, G, N, WINDOW = 4, 64, 2, 64, 64


def torch_mixer(C, B, X, a, window=WINDOW):
    """The quadratic form in float32 PyTorch: Y = (L o C B^T) X per head.

    C, B: [b, T, g, n]; X: [b, T, h, p]; a: [b, T, h]. Returns [b, T, h, p]
    float32 (float64 for float64 inputs, as check_op.py's reference). Head
    i reads group i // (h // g). Runs in float32 even under autocast.
    `window` >= T gives the plain decay mask.
    """
    with torch.autocast(device_type=X.device.type, enabled=False):
        wide = torch.float64 if X.dtype == torch.float64 else torch.float32
        C, B, X, a = (t.to(wide) for t in (C, B, X, a))
        b, T, h, p = X.shape
        r = h // C.shape[2]
        cum = torch.cumsum(a, dim=1).transpose(1, 2)           # [b, h, T]
        log_l = cum[:, :, :, None] - cum[:, :, None, :]        # [b, h, t, s]
        pos = torch.arange(T, device=X.device)
        dist = pos[:, None] - pos[None, :]                     # t - s
        outside = (dist < 0) | (dist >= window)
        # -inf before exp: no overflow above the diagonal, and a zero
        # gradient there.
        L = torch.exp(log_l.masked_fill(outside, float("-inf")))
        Ch = C.repeat_interleave(r, dim=2)                     # [b, T, h, n]
        Bh = B.repeat_interleave(r, dim=2)
        scores = torch.einsum("bthn,bshn->bhts", Ch, Bh)
        return torch.einsum("bhts,bshp->bthp", L * scores, X)


def load_smc_mixer(artifact, device):
    """The smc artifact as a differentiable callable op(C, B, X, a) -> Y.

    The only place that knows the smc Python API. Uses smc_torch (next to
    libsmc_runtime.so in BUILD_DIR/lib) when it is importable; else a
    minimal autograd.Function over smc_runtime.Mixer, which calls the
    artifact's <f>_fwd and <f>_bwd entries the same way. Returns (op, name
    of the path taken).
    """
    index = torch.device(device).index or 0
    try:
        import smc_torch
    except ImportError:
        smc_torch = None
    if smc_torch is not None:
        return smc_torch.load(artifact, device=index), "smc_torch"
    return _fallback_mixer(artifact, index), "smc_runtime (smc_torch not found)"


def _fallback_mixer(artifact, index):
    from smc_runtime import Mixer

    probe = Mixer(artifact, device=None)
    fwd = next(e for e in probe.entries if e.endswith("_fwd"))
    bwd = next(e for e in probe.entries if e.endswith("_bwd"))
    probe.close()
    f_fwd = Mixer(artifact, device=index, entry=fwd)
    f_bwd = Mixer(artifact, device=index, entry=bwd)
    dtypes = [getattr(torch, {"f32": "float32", "bf16": "bfloat16",
                              "f16": "float16"}[d]) for _, d, _ in f_fwd.inputs]

    class SmcMixer(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *inputs):
            saved = f_fwd(*inputs)             # (Y, anything else saved)
            ctx.save_for_backward(*inputs, *saved)
            return saved[0]

        @staticmethod
        def backward(ctx, dy):
            # <f>_bwd(inputs, <f>_fwd's outputs, d results) -> d inputs.
            return f_bwd(*ctx.saved_tensors, dy.contiguous())

    def op(*inputs):
        inputs = [t.to(d).contiguous() for t, d in zip(inputs, dtypes)]
        with torch.autocast(device_type="cuda", enabled=False):
            return SmcMixer.apply(*inputs)

    return op


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return (xf * self.weight).to(x.dtype)


class Mamba2Block(nn.Module):
    """Pre-norm Mamba-2 block: in-projection to z, x, B, C, dt; a short
    causal depthwise conv over x, B, C (what lets the mixer bind a key to
    the value after it); a = -exp(A_log) * softplus(dt + dt_bias);
    X = x * dt'; the mixer; + D x; * silu(z); RMSNorm; out-projection;
    residual."""

    def __init__(self, d_model, mixer, d_conv=4):
        super().__init__()
        self.mixer = mixer
        self.d_inner = H * P
        self.conv_dim = self.d_inner + 2 * G * N
        self.norm = RMSNorm(d_model)
        self.in_proj = nn.Linear(d_model, self.d_inner + self.conv_dim + H,
                                 bias=False)
        self.conv = nn.Conv1d(self.conv_dim, self.conv_dim, d_conv,
                              groups=self.conv_dim, padding=d_conv - 1)
        # Mamba-2's initialisation: dt' in [1e-3, 1e-1] log-uniform, A in
        # [1, 16].
        dt = torch.exp(torch.rand(H) * (math.log(0.1) - math.log(1e-3))
                       + math.log(1e-3))
        self.dt_bias = nn.Parameter(dt + torch.log(-torch.expm1(-dt)))
        self.A_log = nn.Parameter(torch.log(torch.empty(H).uniform_(1, 16)))
        self.D = nn.Parameter(torch.ones(H))
        self.out_norm = RMSNorm(self.d_inner)
        self.out_proj = nn.Linear(self.d_inner, d_model, bias=False)

    def forward(self, u):
        b, T, _ = u.shape
        z, xbc, dt = torch.split(self.in_proj(self.norm(u)),
                                 [self.d_inner, self.conv_dim, H], dim=-1)
        xbc = self.conv(xbc.transpose(1, 2))[..., :T].transpose(1, 2)
        x, Bm, Cm = torch.split(F.silu(xbc), [self.d_inner, G * N, G * N],
                                dim=-1)
        dt = F.softplus(dt.float() + self.dt_bias)             # [b, T, h]
        a = dt * -torch.exp(self.A_log.float())                # <= 0
        x = x.reshape(b, T, H, P)
        X = x * dt[..., None]
        y = self.mixer(Cm.reshape(b, T, G, N).contiguous(),
                       Bm.reshape(b, T, G, N).contiguous(),
                       X.contiguous(), a.contiguous())
        y = y + x * self.D[:, None]
        y = y.reshape(b, T, self.d_inner).to(z.dtype) * F.silu(z)
        return u + self.out_proj(self.out_norm(y))


class LM(nn.Module):
    def __init__(self, vocab, d_model, n_layers, mixer):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.layers = nn.ModuleList(
            [Mamba2Block(d_model, mixer) for _ in range(n_layers)])
        self.norm = RMSNorm(d_model)
        self.head = nn.Linear(d_model, vocab, bias=False)
        nn.init.normal_(self.embed.weight, std=0.02)
        nn.init.normal_(self.head.weight, std=0.02)

    def forward(self, tokens):
        h = self.embed(tokens)
        for layer in self.layers:
            h = layer(h)
        return self.head(self.norm(h))


def make_mixer(kind, artifact=None, device="cuda", window=WINDOW):
    """("smc" | "torch") -> (callable(C, B, X, a), description)."""
    if kind == "torch":
        return (lambda C, B, X, a: torch_mixer(C, B, X, a, window),
                f"torch float32 quadratic, window {window}")
    if kind == "smc":
        if window != WINDOW:
            raise ValueError("the smc artifact's window is fixed at "
                             f"{WINDOW} (decay_window.mlir)")
        op, how = load_smc_mixer(artifact, device)
        return op, f"smc artifact {artifact} via {how}"
    raise ValueError(f"unknown mixer {kind!r}")
