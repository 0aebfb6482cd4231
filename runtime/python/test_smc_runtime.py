"""Tests of smc_runtime.py.

Without PyTorch or a GPU (CI) they exercise loading, metadata and every
argument check through duck-typed fake tensors. With PyTorch and a GPU,
tests that run artifacts use $SMC_RUNTIME_GPU_ARTIFACTS (a folder made by
runtime/test/make_fixtures.py) and are skipped when it is not set.

    SMC_RUNTIME_LIB=build/lib/libsmc_runtime.so \
        python3 -m unittest discover -s runtime/python -v
"""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smc_runtime  # noqa: E402
from smc_runtime import Mixer, SmcError  # noqa: E402

INPUTS = os.environ.get("SMC_RUNTIME_TEST_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "unittests", "Inputs")
SSD = os.path.join(INPUTS, "ssd.smca")
BAD = os.path.join(INPUTS, "bad-directive.smca")


class FakeDevice:
    def __init__(self, type_, index):
        self.type, self.index = type_, index

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"


class FakeTensor:
    """Just what Mixer reads of a torch.Tensor."""

    def __init__(self, shape, dtype="bfloat16", device=("cuda", 0),
                 strides=None, ptr=0x7f0000100000):
        self.shape = tuple(shape)
        self.dtype = "torch." + dtype
        self.device = FakeDevice(*device)
        self._ptr = ptr
        if strides is None:
            strides, step = [], 1
            for d in reversed(shape):
                strides.insert(0, step)
                step *= d
        self._strides = tuple(strides)

    def data_ptr(self):
        return self._ptr

    def stride(self):
        return self._strides


def ssd_inputs(b=2, T=64):
    return [FakeTensor((b, T, 4, 8)), FakeTensor((b, T, 4), "float32"),
            FakeTensor((4,), "float32"), FakeTensor((b, T, 1, 16)),
            FakeTensor((b, T, 1, 16)), FakeTensor((4,), "float32"),
            FakeTensor((4,), "float32")]


class WithoutGpu(unittest.TestCase):
    def setUp(self):
        self.mixer = Mixer(SSD, device=None)

    def test_imports_without_torch(self):
        code = ("import sys; sys.path.insert(0, %r); import smc_runtime; "
                "print('torch' in sys.modules)" %
                os.path.dirname(os.path.abspath(smc_runtime.__file__)))
        out = subprocess.run([sys.executable, "-c", code], check=True,
                             capture_output=True, text=True).stdout
        self.assertEqual(out.strip(), "False")

    def test_metadata(self):
        m = self.mixer
        self.assertEqual(m.entries, ["ssd"])
        self.assertEqual(m.entry, "ssd")
        self.assertEqual([n for n, _, _ in m.inputs],
                         ["x", "dt", "A", "B", "C", "D", "dt_bias"])
        self.assertEqual(m.outputs, [("y", "bf16", 4),
                                     ("final_state", "f32", 4)])
        self.assertIn("no device", repr(m))

    def test_output_shapes(self):
        self.assertEqual(self.mixer.output_shapes(*ssd_inputs(3, 10)),
                         [(3, 10, 4, 8), (3, 4, 8, 16)])

    def test_valid_inputs_pass_the_checks(self):
        self.mixer.check(*ssd_inputs())
        with self.assertRaisesRegex(SmcError, "loaded without a device"):
            self.mixer(*ssd_inputs())

    def test_malformed_artifact(self):
        with self.assertRaisesRegex(
                ValueError, r"bad-directive\.smca:5: unknown directive "
                "'kernal'"):
            Mixer(BAD, device=None)

    def test_missing_file(self):
        with self.assertRaisesRegex(ValueError, "nope.smca: cannot open"):
            Mixer(os.path.join(INPUTS, "nope.smca"), device=None)

    def test_unknown_entry(self):
        with self.assertRaisesRegex(ValueError, "no entry named 'mamba'; "
                                    "entries: ssd"):
            Mixer(SSD, device=None, entry="mamba")

    def test_bad_device_argument(self):
        with self.assertRaisesRegex(ValueError, "device must be"):
            Mixer(SSD, device="tpu")

    def test_wrong_count(self):
        with self.assertRaisesRegex(ValueError, r"entry 'ssd' takes 7 inputs "
                                    r"\(x, dt, A, B, C, D, dt_bias\), got 6"):
            self.mixer(*ssd_inputs()[:6])

    def test_cpu_tensor(self):
        inputs = ssd_inputs()
        inputs[0] = FakeTensor((2, 64, 4, 8), device=("cpu", None))
        with self.assertRaisesRegex(ValueError, "input 'x': expected a CUDA "
                                    "tensor, got one on cpu"):
            self.mixer(*inputs)

    def test_not_a_tensor(self):
        inputs = ssd_inputs()
        inputs[2] = [1.0, 2.0]
        with self.assertRaisesRegex(ValueError, "input 'A': expected a "
                                    "torch.Tensor, got list"):
            self.mixer(*inputs)

    def test_dtype(self):
        inputs = ssd_inputs()
        inputs[0] = FakeTensor((2, 64, 4, 8), "float32")
        with self.assertRaisesRegex(ValueError,
                                    "input 'x': expected bf16, got f32"):
            self.mixer(*inputs)
        inputs[0] = FakeTensor((2, 64, 4, 8), "uint8")
        with self.assertRaisesRegex(ValueError, "input 'x': unsupported dtype "
                                    "torch.uint8"):
            self.mixer(*inputs)

    def test_shape(self):
        inputs = ssd_inputs()
        inputs[1] = FakeTensor((2, 64, 5), "float32")
        with self.assertRaisesRegex(
                ValueError, r"input 'dt': expected \[2,64,4\], got "
                r"\[2,64,5\] \(dims \[b,T,4\] with b=2, T=64 from input 'x', "
                r"S=b=2\)"):
            self.mixer(*inputs)
        with self.assertRaisesRegex(ValueError, "input 'dt'"):
            self.mixer.output_shapes(*inputs)

    def test_strides(self):
        inputs = ssd_inputs()
        inputs[0] = FakeTensor((2, 64, 4, 8), strides=(2048, 1, 512, 64))
        with self.assertRaisesRegex(
                ValueError, r"input 'x': strides \[2048,1,512,64\] are not "
                r"contiguous row-major; expected \[2048,32,8,1\]"):
            self.mixer(*inputs)

    def test_misaligned_pointer(self):
        inputs = ssd_inputs()
        inputs[1] = FakeTensor((2, 64, 4), "float32", ptr=0x7f0000100002)
        with self.assertRaisesRegex(ValueError, "input 'dt': data pointer "
                                    "0x7f0000100002 is not 16-byte aligned"):
            self.mixer(*inputs)


class WithDefaultDriver(unittest.TestCase):
    def test_load_on_device_fails_cleanly(self):
        # No driver: unavailable. A GPU: the placeholder module is no PTX.
        with self.assertRaisesRegex(
                SmcError, "CUDA driver unavailable|does not exist|module 'm0'"
                "|targets sm_90a"):
            Mixer(SSD, device=0)

    def test_forced_missing_driver(self):
        code = ("import sys; sys.path.insert(0, %r); import smc_runtime\n"
                "try:\n  smc_runtime.Mixer(%r, device=0)\n"
                "except smc_runtime.SmcError as e: print(e)\n" %
                (os.path.dirname(os.path.abspath(smc_runtime.__file__)), SSD))
        env = dict(os.environ, SMC_CUDA_DRIVER_LIB="/nonexistent/libcuda.so.1")
        out = subprocess.run([sys.executable, "-c", code], check=True,
                             capture_output=True, text=True, env=env).stdout
        self.assertIn("CUDA driver unavailable: cannot load "
                      "'/nonexistent/libcuda.so.1'", out)


@unittest.skipUnless(os.environ.get("SMC_FAKE_CUDA_LIB"),
                     "needs SMC_FAKE_CUDA_LIB (runtime/test/FakeDriver.cpp)")
class WithFakeDriver(unittest.TestCase):
    """Driver faults through the C API: an SmcError naming the failing
    call, never a crash (each in a fresh process: the driver is loaded once
    per process)."""

    def load(self, fault):
        code = ("import sys; sys.path.insert(0, %r); import smc_runtime\n"
                "try:\n  m = smc_runtime.Mixer(%r, device=0)\n"
                "  print('loaded', m.entries)\n"
                "except smc_runtime.SmcError as e: print(e)\n" %
                (os.path.dirname(os.path.abspath(smc_runtime.__file__)), SSD))
        env = dict(os.environ,
                   SMC_CUDA_DRIVER_LIB=os.environ["SMC_FAKE_CUDA_LIB"],
                   SMC_FAKE_CUDA_FAULT=fault)
        return subprocess.run([sys.executable, "-c", code], check=True,
                              capture_output=True, text=True,
                              env=env).stdout

    def test_loads_without_a_fault(self):
        self.assertIn("loaded ['ssd']", self.load(""))

    def test_faults(self):
        for fault, message in [
                ("init", "CUDA driver unavailable: cuInit: "
                         "CUDA_ERROR_NO_DEVICE"),
                ("load", "CUDA_ERROR_NO_BINARY_FOR_GPU"),
                ("arch", "which cannot run on a device of compute "
                         "capability 8.0 (sm_80)"),
                ("context", "CUDA_ERROR_INVALID_CONTEXT")]:
            with self.subTest(fault=fault):
                self.assertIn(message, self.load(fault))


def _gpu_artifacts():
    folder = os.environ.get("SMC_RUNTIME_GPU_ARTIFACTS")
    if not folder:
        return None
    try:
        import torch
    except ImportError:
        return None
    return folder if torch.cuda.is_available() else None


@unittest.skipUnless(_gpu_artifacts(), "needs PyTorch, a GPU and "
                     "SMC_RUNTIME_GPU_ARTIFACTS")
class OnGpu(unittest.TestCase):
    """Runs the fixture artifacts of runtime/test/make_fixtures.py."""

    def setUp(self):
        import torch
        self.torch = torch
        self.folder = _gpu_artifacts()

    def contract_reference(self, C, B, X, cu=None):
        # y[t] = sum_{s<=t, same sequence} (C[t].B[s]) X[s], in float64.
        torch = self.torch
        b, T, h, p = X.shape
        g = C.shape[2]
        C64, B64, X64 = C.double(), B.double(), X.double()
        seq = torch.zeros(T, dtype=torch.long, device=X.device)
        if cu is not None:
            for i in range(len(cu) - 1):
                seq[int(cu[i]):int(cu[i + 1])] = i
        causal = torch.tril(torch.ones(T, T, device=X.device)).bool()
        mask = causal & (seq[:, None] == seq[None, :])
        y = torch.zeros(b, T, h, p, dtype=torch.float64, device=X.device)
        for head in range(h):
            grp = head // (h // g)
            scores = torch.einsum("btn,bsn->bts", C64[:, :, grp],
                                  B64[:, :, grp]) * mask
            y[:, :, head] = torch.einsum("bts,bsp->btp", scores,
                                         X64[:, :, head])
        return y

    def check_close(self, got, want, tol):
        err = (got.double() - want).norm() / want.norm()
        self.assertLess(float(err), tol)

    def test_contract_f32(self):
        torch = self.torch
        mixer = Mixer(os.path.join(self.folder, "contract-f32.smca"))
        g = torch.Generator(device="cuda").manual_seed(0)
        C = torch.randn(2, 37, 1, 16, device="cuda", generator=g)
        B = torch.randn(2, 37, 1, 16, device="cuda", generator=g)
        X = torch.randn(2, 37, 4, 8, device="cuda", generator=g)
        (y,) = mixer(C, B, X)
        torch.cuda.synchronize()
        self.assertEqual(tuple(y.shape), (2, 37, 4, 8))
        self.check_close(y, self.contract_reference(C, B, X), 1e-5)

    def test_contract_on_a_side_stream(self):
        torch = self.torch
        mixer = Mixer(os.path.join(self.folder, "contract-f32.smca"),
                      device="cuda:0")
        C, B = (torch.randn(1, 100, 1, 16, device="cuda") for _ in range(2))
        X = torch.randn(1, 100, 4, 8, device="cuda")
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            (y,) = mixer(C, B, X)
        (y2,) = mixer(C, B, X, stream=stream)
        stream.synchronize()
        self.check_close(y, self.contract_reference(C, B, X), 1e-5)
        self.assertTrue(torch.equal(y, y2))

    def test_errors_on_gpu(self):
        torch = self.torch
        mixer = Mixer(os.path.join(self.folder, "contract-f32.smca"))
        C = torch.randn(2, 8, 1, 16, device="cuda")
        X = torch.randn(2, 8, 4, 8, device="cuda")
        with self.assertRaisesRegex(ValueError, "expected a CUDA tensor"):
            mixer(C.cpu(), C, X)
        with self.assertRaisesRegex(ValueError, "expected f32, got bf16"):
            mixer(C.bfloat16(), C, X)
        with self.assertRaisesRegex(ValueError, "not contiguous"):
            mixer(C, C, X.transpose(2, 3).contiguous().transpose(2, 3))
        # A non-contiguous view with the right shape (a slice along T).
        Xbig = torch.randn(2, 16, 4, 8, device="cuda")
        with self.assertRaisesRegex(ValueError, "not contiguous"):
            mixer(C, C, Xbig[:, ::2])


if __name__ == "__main__":
    unittest.main()
