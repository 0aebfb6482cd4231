"""The Python module on PyTorch CUDA tensors (GPU suite; needs torch + a GPU).

Runs the compiled causal contraction (test/CPU/causal.mlir, quadratic form)
and checks it against an independent float64 computation of the quadratic
definition Y = (tril(C B^T)) X, on fresh random inputs.
"""
import os

import pytest
import torch

import smc_runtime

SUITE = os.environ.get("SMC_SUITE_DIR", os.path.dirname(os.path.abspath(__file__)))
ARTIFACT = os.path.join(SUITE, "artifacts", "causal.quadratic.smca")


def reference(c, b, x):
    """Y[b,t,h,:] = sum_{s<=t} (C[b,t,g] . B[b,s,g]) X[b,s,h,:], g = h // (H/G)."""
    c, b, x = c.double(), b.double(), x.double()
    heads, groups = x.shape[2], c.shape[2]
    g = torch.arange(heads, device=x.device) // (heads // groups)
    scores = torch.einsum("btgn,bsgn->bgts", c, b)[:, g]  # [b, h, t, s]
    mask = torch.tril(torch.ones(x.shape[1], x.shape[1], device=x.device, dtype=torch.float64))
    return torch.einsum("bhts,bshp->bthp", scores * mask, x)


def inputs(batch=2, length=37, seed=0):
    gen = torch.Generator(device="cuda").manual_seed(seed)
    c = torch.randn(batch, length, 2, 16, device="cuda", generator=gen)
    b = torch.randn(batch, length, 2, 16, device="cuda", generator=gen)
    x = torch.randn(batch, length, 4, 8, device="cuda", generator=gen)
    return c, b, x


def rel_error(got, ref):
    return ((got.double() - ref).norm() / ref.norm()).item()


@pytest.fixture(scope="module")
def mixer():
    return smc_runtime.Mixer(ARTIFACT)


def test_matches_reference(mixer):
    c, b, x = inputs(seed=1)
    (y,) = mixer(c, b, x)
    torch.cuda.synchronize()
    assert y.shape == x.shape and y.dtype == x.dtype and y.is_cuda
    assert rel_error(y, reference(c, b, x)) < 1e-5


def test_empty_sequence(mixer):
    # T = 0: every launch has an empty grid and is skipped; y is empty too.
    c, b, x = inputs(length=0, seed=6)
    (y,) = mixer(c, b, x)
    torch.cuda.synchronize()
    assert y.shape == x.shape and y.numel() == 0


def test_non_default_stream(mixer):
    c, b, x = inputs(batch=3, length=64, seed=2)
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):
        (y,) = mixer(c, b, x)
    stream.synchronize()
    assert rel_error(y, reference(c, b, x)) < 1e-5


def test_explicit_stream_argument(mixer):
    c, b, x = inputs(seed=3)
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    (y,) = mixer(c, b, x, stream=stream)
    stream.synchronize()
    assert rel_error(y, reference(c, b, x)) < 1e-5


def test_non_contiguous_input_is_a_clear_error(mixer):
    c, b, x = inputs(seed=4)
    x_t = x.transpose(2, 3).contiguous().transpose(2, 3)  # same values, other strides
    assert not x_t.is_contiguous()
    with pytest.raises(ValueError, match="stride"):
        mixer(c, b, x_t)
    (y,) = mixer(c, b, x_t.contiguous())
    torch.cuda.synchronize()
    assert rel_error(y, reference(c, b, x)) < 1e-5


def test_wrong_dtype_shape_and_device(mixer):
    c, b, x = inputs(seed=5)
    with pytest.raises(ValueError, match="dtype|bf16|f32|float"):
        mixer(c.half(), b, x)
    with pytest.raises(ValueError):
        mixer(c[:, :, :1], b, x)
    with pytest.raises(ValueError):
        mixer(c.cpu(), b, x)
    with pytest.raises(ValueError):
        mixer(c, b)
