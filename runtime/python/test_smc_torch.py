"""Tests of smc_torch.py that need neither PyTorch nor a GPU.

They cover everything of the PyTorch op that is plain Python: the shape
expressions (also evaluated with symbolic numbers, as under torch.compile),
reading the header, pairing f / f_fwd / f_bwd and checking their contract,
the call checks with their messages (count, type, device, dtype and the
autocast casts, shapes) through duck-typed fake tensors, the custom op
schemas and names, and the output shapes against the C++ runtime's. With
$SMC_TORCH_TEST_SMC (the smc binary) they also compile the GPU tests' models
with `smc compile --grad` and check their plans and shapes. The PyTorch
parts run on a GPU: test_smc_torch_gpu.py.

    SMC_RUNTIME_LIB=build/lib/libsmc_runtime.so \\
    SMC_TORCH_TEST_SMC=build/bin/smc \\
        python3 -m unittest -v test_smc_torch     # in runtime/python
"""

import os
import random
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import smc_torch  # noqa: E402
from smc_runtime import Mixer  # noqa: E402
from smc_torch import Expr, load_plan, read_header  # noqa: E402


class FakeDevice:
    def __init__(self, type_, index):
        self.type, self.index = type_, index

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"


class FakeTensor:
    """What smc_torch and smc_runtime read of a torch.Tensor."""

    def __init__(self, shape, dtype="float32", device=("cuda", 0)):
        self.shape = tuple(shape)
        self.dtype = "torch." + dtype
        self.device = FakeDevice(*device)
        strides, step = [], 1
        for d in reversed(self.shape):
            strides.insert(0, step)
            step *= d
        self._strides = tuple(strides)

    def data_ptr(self):
        return 0x7f0000100000

    def stride(self):
        return self._strides


class Sym:
    """A symbolic integer like a SymInt; converting it to bool (a branch on
    its value, which torch.compile would guard on) is an error."""

    def __init__(self, text):
        self.text = text

    def _op(self, other, op, rev=False):
        a, b = (other, self) if rev else (self, other)
        return Sym(f"({_text(a)}{op}{_text(b)})")

    def __add__(self, o): return self._op(o, "+")
    def __radd__(self, o): return self._op(o, "+", True)
    def __sub__(self, o): return self._op(o, "-")
    def __rsub__(self, o): return self._op(o, "-", True)
    def __mul__(self, o): return self._op(o, "*")
    def __rmul__(self, o): return self._op(o, "*", True)
    def __floordiv__(self, o): return self._op(o, "//")
    def __rfloordiv__(self, o): return self._op(o, "//", True)

    def __bool__(self):
        raise AssertionError(f"branched on the symbolic value {self.text}")

    __lt__ = __gt__ = __le__ = __ge__ = __bool__


def _text(x):
    return x.text if isinstance(x, Sym) else str(x)


def write_artifact(path, entries):
    """A parseable artifact: entries are (name, inputs, outputs) with
    inputs (name, dtype, kind, dims) and outputs (name, dtype, dims); one
    placeholder module and kernel."""
    lines = ["smc-artifact 1", "# written by test_smc_torch.py",
             "target sm_90", "module m0 ptx 16", "kernel k0 m0 k shared 0"]
    for name, ins, outs in entries:
        lines.append(f"entry {name}")
        lines += [f"input {n} {d} {k} {dims}" for n, d, k, dims in ins]
        lines += [f"output {n} {d} {dims}" for n, d, dims in outs]
        lines.append(f"launch k0 grid 1 1 1 block 32 1 1 args "
                     f"ptr:{outs[0][0]}")
        lines.append("end")
    with open(path, "wb") as f:
        f.write(("\r\n".join(lines) + "\r\ndata\n").encode() + b"x" * 16)
    return path


# A decay contraction with states in the shapes smc compile --grad writes,
# plus a saved extra with a ceil-divided dim, and an integer input.
INS = [("C", "bf16", "normal", "b T 2 16"), ("B", "bf16", "normal", "b T 2 16"),
       ("X", "bf16", "normal", "b T 4 8"), ("a", "f32", "log_decay", "b T 4"),
       ("h0", "f32", "normal", "S 4 8 16")]
OUTS = [("y", "bf16", "b T 4 8"), ("final_state", "f32", "b 4 8 16")]
SAVED = [("saved0", "f32", "b (T+15)/16 4 max(T,16)")]
D_RES = [("d_y", "bf16", "normal", "b T 4 8"),
         ("d_final_state", "f32", "normal", "b 4 8 16")]
GRADS = [("d_C", "bf16", "b T 2 16"), ("d_B", "bf16", "b T 2 16"),
         ("d_X", "bf16", "b T 4 8"), ("d_a", "f32", "b T 4"),
         ("d_h0", "f32", "(S+1)-1 4 8 16")]


def as_inputs(outs, prefix=""):
    return [(prefix + n, d, "normal", dims) for n, d, dims in outs]


def grad_entries(name="f", ins=INS, outs=OUTS, saved=SAVED, d_res=D_RES,
                 grads=GRADS, with_f=True):
    entries = [(f"{name}_fwd", ins, outs + saved),
               (f"{name}_bwd", ins + as_inputs(outs + saved) + d_res, grads)]
    return ([(name, ins, outs)] if with_f else []) + entries


def fakes(plan_entry, b=2, T=37, S=None, dtypes=None, offsets=None):
    """Fake inputs of the declared shapes and dtypes."""
    S = b if S is None else S
    symbols = {"b": b, "T": T, "S": S}
    out = []
    for i, t in enumerate(plan_entry.inputs):
        shape = plan_entry.shape_of(t, symbols)
        if t.kind == "offsets":
            shape = [S + 1]
        dtype = smc_torch._TORCH_NAMES[t.dtype]
        out.append(FakeTensor(shape, dtypes[i] if dtypes else dtype))
    return out


class Expressions(unittest.TestCase):
    def ev(self, text, **symbols):
        return Expr(text).evaluate(symbols)

    def test_values(self):
        self.assertEqual(self.ev("80"), 80)
        self.assertEqual(self.ev("b", b=3), 3)
        self.assertEqual(self.ev("(T+255)/256", T=256), 1)
        self.assertEqual(self.ev("(T+255)/256", T=257), 2)
        self.assertEqual(self.ev("8-2-1"), 5)         # left to right
        self.assertEqual(self.ev("2+3*4"), 14)        # * binds tighter
        self.assertEqual(self.ev("T/4*2", T=9), 4)
        self.assertEqual(self.ev("(S+1)-1", S=4), 4)
        self.assertEqual(self.ev("min(T,16)+max(b*2,(T+1)/2)", T=9, b=1), 14)
        self.assertEqual(self.ev("(0-7)/2"), -4)      # floor division
        self.assertEqual(self.ev("0-7/2"), -3)

    def test_structure(self):
        self.assertTrue(Expr("T").is_symbol("T"))
        self.assertFalse(Expr("(T)").is_symbol("b"))
        self.assertEqual(Expr("b*(T+S)-min(b,3)").symbols(), {"b", "T", "S"})
        self.assertEqual(Expr("42").symbols(), set())

    def test_errors(self):
        for text, message in [
                ("T+", "expected a term at the end"),
                ("T +1", "unexpected ' ' at position 2"),
                ("(T", "expected '\\)' at position 3"),
                ("min(T)", "expected ',' at position 6"),
                ("x", "unexpected 'x' at position 1"),
                ("99999999999999999999", "integer too large")]:
            with self.assertRaisesRegex(ValueError, "invalid expression '"
                                        + re.escape(text) + f"': {message}"):
                Expr(text)
        with self.assertRaisesRegex(ValueError, "uses S, which is not bound"):
            self.ev("S+1", b=2)
        with self.assertRaisesRegex(ValueError, r"'T/\(b-2\)' divides by zero "
                                    r"\(b=2, T=8\)"):
            self.ev("T/(b-2)", b=2, T=8)
        with self.assertRaisesRegex(ValueError, "overflows int64"):
            self.ev("T*T*T", T=1 << 30)

    def test_symbolic_values_are_never_branched_on(self):
        calls = []

        def smin(a, b):
            calls.append("min")
            return Sym(f"min({_text(a)},{_text(b)})")

        def smax(a, b):
            calls.append("max")
            return Sym(f"max({_text(a)},{_text(b)})")

        e = Expr("b*((T+255)/256)-min(T,16)+max(S,1)")
        value = e.evaluate({"b": Sym("s0"), "T": Sym("s1"), "S": Sym("s2")},
                           smin, smax)
        self.assertEqual(value.text,
                         "(((s0*((s1+255)//256))-min(s1,16))+max(s2,1))")
        self.assertEqual(calls, ["min", "max"])

    def test_output_shapes_with_symbolic_inputs(self):
        # What the fake implementation does under torch.compile: bind from
        # SymInt dims and evaluate every output dim without a branch.
        with tempfile.TemporaryDirectory() as d:
            plan = load_plan(write_artifact(os.path.join(d, "a.smca"),
                                            grad_entries()))
        b, T = Sym("s0"), Sym("s1")
        shapes = [(b, T, 2, 16), (b, T, 2, 16), (b, T, 4, 8), (b, T, 4),
                  (b, 4, 8, 16)]
        symbols = plan.fwd.bind(shapes)
        self.assertEqual(symbols["S"].text, "s0")
        got = [[_text(d) for d in s] for s in plan.fwd.output_shapes(
            symbols, lambda x, y: Sym(f"min({_text(x)},{_text(y)})"),
            lambda x, y: Sym(f"max({_text(x)},{_text(y)})"))]
        self.assertEqual(got, [["s0", "s1", "4", "8"], ["s0", "4", "8", "16"],
                               ["s0", "((s1+15)//16)", "4", "max(s1,16)"]])


class Header(unittest.TestCase):
    def test_read(self):
        with tempfile.TemporaryDirectory() as d:
            path = write_artifact(os.path.join(d, "a.smca"), grad_entries())
            entries = read_header(path)
        self.assertEqual(list(entries), ["f", "f_fwd", "f_bwd"])
        fwd = entries["f_fwd"]
        self.assertEqual([t.name for t in fwd.inputs],
                         ["C", "B", "X", "a", "h0"])
        self.assertEqual(fwd.inputs[3].kind, "log_decay")
        self.assertEqual(repr(fwd.outputs[2]),
                         "saved0: f32 [b,(T+15)/16,4,max(T,16)]")
        self.assertEqual(fwd.sources, {"b": (0, 0), "T": (0, 1)})
        self.assertIsNone(fwd.offsets)

    def test_runtime_examples(self):
        ssd = read_header(os.path.join(HERE, "..", "unittests", "Inputs",
                                       "ssd.smca"))["ssd"]
        self.assertEqual(len(ssd.inputs), 7)
        self.assertEqual(ssd.outputs[1].dims_text(), "[S,4,8,16]")


class Pairing(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def plan(self, entries, entry=None, name="a.smca"):
        return load_plan(write_artifact(os.path.join(self.dir.name, name),
                                        entries), entry)

    def test_contract(self):
        plan = self.plan(grad_entries())
        self.assertEqual((plan.base, plan.n_results, plan.n_saved),
                         ("f", 2, 1))
        self.assertEqual(plan.f.name, "f")
        self.assertEqual([t.name for t in plan.results], ["y", "final_state"])
        self.assertEqual(plan.float_inputs, [True] * 5)
        self.assertIn("f(C, B, X, a, h0) -> y, final_state; 1 saved",
                      repr(plan))

    def test_entry_argument(self):
        entries = grad_entries("g") + grad_entries("f")
        for entry in ("f", "f_fwd", "f_bwd"):
            self.assertEqual(self.plan(entries, entry).base, "f")
        with self.assertRaisesRegex(ValueError, r"several models have "
                                    r"backward entries \(g, f\); pass entry="):
            self.plan(entries)
        with self.assertRaisesRegex(
                ValueError, "entry 'h' has no 'h_fwd' and 'h_bwd' entries "
                r"\(entries: g, g_fwd, g_bwd, f, f_fwd, f_bwd\)"):
            self.plan(entries, "h")

    def test_without_f(self):
        plan = self.plan(grad_entries(with_f=False))
        self.assertIsNone(plan.f)
        self.assertEqual(plan.n_results, 2)

    def test_integer_inputs_get_no_gradient(self):
        ins = [("C", "f32", "normal", "1 T 1 16"),
               ("X", "f32", "normal", "1 T 2 8"),
               ("h0", "f32", "normal", "S 2 8 16"),
               ("cu_seqlens", "i32", "offsets", "S+1")]
        outs = [("y", "f32", "1 T 2 8"), ("final_state", "f32", "(S+1)-1 2 8 16")]
        grads = [("d_C", "f32", "1 T 1 16"), ("d_X", "f32", "1 T 2 8"),
                 ("d_h0", "f32", "(S+1)-1 2 8 16")]
        plan = self.plan(grad_entries(ins=ins, outs=outs, saved=[],
                                      d_res=as_inputs(outs, "d_"), grads=grads))
        self.assertEqual(plan.float_inputs, [True, True, True, False])
        self.assertEqual(plan.fwd.offsets, 3)
        # b is not a symbol of this entry; S comes from the offsets.
        self.assertEqual(plan.fwd.bind([(1, 9, 1, 16), (1, 9, 2, 8),
                                        (3, 2, 8, 16), (4,)]),
                         {"T": 9, "S": 3})

    def test_no_backward(self):
        with self.assertRaisesRegex(
                ValueError, r"a.smca: no forward/backward entries <f>_fwd and "
                r"<f>_bwd \(entries: f\); compile the model with `smc "
                r"compile --grad`"):
            self.plan([("f", INS, OUTS)])
        with self.assertRaisesRegex(ValueError, "no forward/backward"):
            self.plan([("f", INS, OUTS), ("f_fwd", INS, OUTS)])

    def test_broken_contracts(self):
        def broken(message, **changes):
            with self.assertRaisesRegex(ValueError, message):
                self.plan(grad_entries(**changes))

        extra = [(f"d_extra{i}", "bf16", "normal", "b T 4 8") for i in (1, 2)]
        broken(r"entry 'f_bwd' takes 12 inputs; with 5 inputs and 3 outputs "
               "of 'f_fwd' that leaves 4 result gradients, which should be "
               "between 1 and 3", d_res=D_RES + extra)
        broken(r"the number of result gradients \(results of 'f'\) should "
               "be 2, got 3", d_res=D_RES + extra[:1])
        broken(r"entry 'f_bwd' takes 8 inputs; .* leaves 0 result gradients",
               d_res=[])
        broken(r"entry 'f_bwd' does not follow the backward contract of `smc "
               r"compile --grad`: input 8 \('d_y', a result gradient\) should "
               r"be y: bf16 \[b,T,4,8\], got d_y: f32 \[b,T,4,8\]",
               d_res=[("d_y", "f32", "normal", "b T 4 8")] + D_RES[1:])
        broken(r"input 8 \('d_y', a result gradient\) should be y: bf16 "
               r"\[b,T,4,8\], got d_y: bf16 \[b,T,4,9\]",
               d_res=[("d_y", "bf16", "normal", "b T 4 9")] + D_RES[1:])
        broken(r"the number of outputs \(one gradient per floating-point "
               r"input: C, B, X, a, h0\) should be 5, got 4",
               grads=GRADS[:4])
        broken(r"output 'd_a' \(the gradient of 'a'\) should be a: f32 "
               r"\[b,T,4\], got d_a: f32 \[b,T\]",
               grads=GRADS[:3] + [("d_a", "f32", "b T")] + GRADS[4:])
        # f and f_fwd must agree on inputs and results.
        entries = grad_entries()
        entries[0] = ("f", INS, [("y", "f32", "b T 4 8"), OUTS[1]])
        with self.assertRaisesRegex(ValueError, "entry 'f_fwd' .*: output 'y' "
                                    r"should be y: f32 \[b,T,4,8\], got y: "
                                    r"bf16 \[b,T,4,8\]"):
            self.plan(entries)
        entries[0] = ("f", INS, OUTS[:1])
        with self.assertRaisesRegex(ValueError, r"the number of result "
                                    r"gradients \(results of 'f'\) should be "
                                    "1, got 2"):
            self.plan(entries)

    def test_equivalent_dims_are_accepted(self):
        # `S` and `(S+1)-1`, as smc compile --grad writes for states.
        plan = self.plan(grad_entries())
        self.assertEqual(plan.bwd.outputs[4].dims_text(), "[(S+1)-1,4,8,16]")


class CallChecks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.plan = load_plan(write_artifact(
            os.path.join(cls.dir.name, "a.smca"), grad_entries()))

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def check(self, tensors, **kw):
        return self.plan.check_call(tensors, where="smc op 'f'", **kw)

    def inputs(self, **kw):
        return fakes(self.plan.fwd, **kw)

    def test_valid(self):
        self.assertEqual(self.check(self.inputs()), [False] * 5)
        self.assertEqual(self.check(self.inputs(), device=0), [False] * 5)

    def test_count(self):
        with self.assertRaisesRegex(ValueError, r"smc op 'f': takes 5 inputs "
                                    r"\(C, B, X, a, h0\), got 4"):
            self.check(self.inputs()[:4])

    def test_not_a_tensor(self):
        x = self.inputs()
        x[2] = [1.0]
        with self.assertRaisesRegex(ValueError, "smc op 'f': input 'X': "
                                    "expected a torch.Tensor, got list"):
            self.check(x)

    def test_devices(self):
        x = self.inputs()
        x[1] = FakeTensor(x[1].shape, "bfloat16", ("cpu", None))
        with self.assertRaisesRegex(ValueError, "input 'B': expected a CUDA "
                                    "tensor, got one on cpu; move it"):
            self.check(x)
        x = self.inputs()
        x[3] = FakeTensor(x[3].shape, "float32", ("cuda", 1))
        with self.assertRaisesRegex(ValueError, "input 'a': on cuda:1, but "
                                    "input 'C' is on cuda:0"):
            self.check(x)
        with self.assertRaisesRegex(ValueError, "input 'C': on cuda:0, but "
                                    "the op is loaded on cuda:1"):
            self.check(self.inputs(), device=1)

    def test_dtypes_outside_autocast(self):
        x = self.inputs(dtypes=["float32"] * 5)
        with self.assertRaisesRegex(
                ValueError, "input 'C': expected bf16, got f32 \\(outside "
                "torch.autocast inputs must have the artifact's dtypes; under "
                "torch.autocast\\('cuda'\\) floating-point inputs are cast"):
            self.check(x)
        x = self.inputs(dtypes=["bfloat16"] * 3 + ["float64", "float32"])
        with self.assertRaisesRegex(ValueError, "input 'a': expected f32, got "
                                    "f64"):
            self.check(x)
        x = self.inputs(dtypes=["bfloat16"] * 3 + ["uint8", "float32"])
        with self.assertRaisesRegex(ValueError, "input 'a': expected f32, got "
                                    "torch.uint8"):
            self.check(x)

    def test_autocast_casts_each_input_to_its_declared_dtype(self):
        # A Mamba-2 user under torch.autocast: activations arrive f32 (or
        # f16) and become the declared bf16; f32 ones stay; f64 is cast too.
        x = self.inputs(dtypes=["float32", "float16", "bfloat16", "float64",
                                "float32"])
        self.assertEqual(self.check(x, autocast=True),
                         [True, True, False, True, False])
        x = self.inputs(dtypes=["int64", "bfloat16", "bfloat16", "float32",
                                "float32"])
        with self.assertRaisesRegex(ValueError, "input 'C': expected bf16, got "
                                    "i64 \\(under torch.autocast only "
                                    "floating-point inputs are cast\\)"):
            self.check(x, autocast=True)

    def test_integer_inputs_are_never_cast(self):
        with tempfile.TemporaryDirectory() as d:
            ins = [("X", "f32", "normal", "1 T 2 8"),
                   ("cu", "i32", "offsets", "S+1")]
            outs = [("y", "f32", "1 T 2 8")]
            plan = load_plan(write_artifact(os.path.join(d, "v.smca"),
                                            grad_entries(
                ins=ins, outs=outs, saved=[], d_res=as_inputs(outs, "d_"),
                grads=[("d_X", "f32", "1 T 2 8")])))
        x = [FakeTensor((1, 9, 2, 8)), FakeTensor((4,), "int64")]
        for autocast in (False, True):
            with self.assertRaisesRegex(ValueError, "input 'cu': expected i32, "
                                        "got i64 \\(integer inputs are never "
                                        "cast\\)"):
                plan.check_call(x, autocast=autocast)
        x[1] = FakeTensor((4,), "int32")
        self.assertEqual(plan.check_call(x, autocast=True), [False, False])
        x[1] = FakeTensor((0,), "int32")
        with self.assertRaisesRegex(ValueError, "input 'cu': offsets must be a "
                                    "rank-1 tensor of S\\+1 >= 1 elements, got "
                                    "\\[0\\]"):
            plan.check_call(x)

    def test_shapes(self):
        x = self.inputs(b=2, T=37)
        x[3] = FakeTensor((2, 37, 5))
        with self.assertRaisesRegex(
                ValueError, r"smc op 'f': input 'a': expected \[2,37,4\], got "
                r"\[2,37,5\] \(dims \[b,T,4\] with b=2, T=37 from input 'C', "
                r"S=b=2\)"):
            self.check(x)
        x = self.inputs(b=2, T=37)
        x[2] = FakeTensor((2, 36, 4, 8), "bfloat16")
        with self.assertRaisesRegex(ValueError, r"input 'X': expected "
                                    r"\[2,37,4,8\], got \[2,36,4,8\]"):
            self.check(x)
        x = self.inputs()
        x[0] = FakeTensor((2, 37, 32), "bfloat16")
        with self.assertRaisesRegex(ValueError, r"input 'C': expected rank 4 "
                                    r"\(\[b,T,2,16\]\), got rank 3 "
                                    r"\(\[2,37,32\]\)"):
            self.check(x)
        x = self.inputs(b=2)
        x[4] = FakeTensor((3, 4, 8, 16))
        with self.assertRaisesRegex(ValueError, r"input 'h0': expected "
                                    r"\[2,4,8,16\], got \[3,4,8,16\]"):
            self.check(x)


def cross_check(test, plan, trials=25, seed=7):
    """Output shapes, computed in Python as the fake implementation does,
    against the C++ runtime's for every entry, and the shape checks of both
    on bad shapes."""
    rng = random.Random(seed)
    path = plan.path
    for spec in filter(None, (plan.f, plan.fwd, plan.bwd)):
        mixer = Mixer(path, device=None, entry=spec.name)
        try:
            for _ in range(trials):
                b, T, S = rng.randint(1, 4), rng.randint(0, 700), \
                    rng.randint(1, 5)
                if spec.offsets is None:
                    S = b
                if "b" not in spec.sources:
                    b = 1
                x = fakes(spec, b=b, T=T, S=S)
                symbols = spec.check_shapes([t.shape for t in x])
                want = [tuple(s) for s in mixer.output_shapes(*x)]
                got = [tuple(s) for s in spec.output_shapes(symbols)]
                test.assertEqual(got, want, f"{spec.name} b={b} T={T} S={S}")
                # A wrong dim: both refuse it.
                i = rng.randrange(len(x))
                if x[i].shape:
                    d = rng.randrange(len(x[i].shape))
                    shape = list(x[i].shape)
                    shape[d] += 1
                    x[i] = FakeTensor(shape, str(x[i].dtype)[6:])
                    with test.assertRaises(ValueError):
                        mixer.output_shapes(*x)
                    with test.assertRaises(ValueError):
                        spec.check_shapes([t.shape for t in x])
        finally:
            mixer.close()


class AgainstTheRuntime(unittest.TestCase):
    def test_output_shapes_match_the_runtime(self):
        with tempfile.TemporaryDirectory() as d:
            plan = load_plan(write_artifact(os.path.join(d, "a.smca"),
                                            grad_entries()))
            cross_check(self, plan)

    def test_header_disagreeing_with_the_runtime(self):
        # read_header stops at the first exact `data` line, as the runtime.
        with tempfile.TemporaryDirectory() as d:
            path = write_artifact(os.path.join(d, "a.smca"), grad_entries())
            with open(path, "rb") as f:
                text = f.read()
            with open(path, "wb") as f:
                f.write(text.replace(b"data\n", b"data  # the modules\n"))
            self.assertEqual(load_plan(path).base, "f")

    def test_malformed_and_missing_files(self):
        bad = os.path.join(HERE, "..", "unittests", "Inputs",
                           "bad-directive.smca")
        with self.assertRaisesRegex(ValueError, "bad-directive.smca:5: "
                                    "unknown directive 'kernal'"):
            load_plan(bad)
        with self.assertRaisesRegex(ValueError, "nope.smca: cannot open"):
            load_plan(os.path.join(HERE, "nope.smca"))
        with self.assertRaisesRegex(ValueError, "nope.smca: cannot open"):
            smc_torch.load(os.path.join(HERE, "nope.smca"))


class Naming(unittest.TestCase):
    def test_sanitize(self):
        self.assertEqual(smc_torch.sanitize("mamba2_mixer"), "mamba2_mixer")
        self.assertEqual(smc_torch.sanitize("f.g$h"), "f_g_h")
        self.assertEqual(smc_torch.sanitize("2x"), "_2x")

    def test_schema(self):
        S = smc_torch.TensorSpec
        specs = [S("C", "f32", []), S("self", "f32", []), S("a.b", "f32", []),
                 S("a_b", "f32", []), S("out", "i32", [])]
        self.assertEqual(smc_torch.schema(specs, 2),
                         "(Tensor C, Tensor self_1, Tensor a_b, Tensor a_b_3, "
                         "Tensor out_4) -> (Tensor, Tensor)")
        self.assertEqual(smc_torch.schema(specs[:1], 1), "(Tensor C) -> Tensor")

    def test_device_argument(self):
        self.assertIsNone(smc_torch._device_index(None))
        self.assertEqual(smc_torch._device_index(2), 2)
        self.assertEqual(smc_torch._device_index("cuda"), 0)
        self.assertEqual(smc_torch._device_index("cuda:1"), 1)
        self.assertEqual(smc_torch._device_index(FakeDevice("cuda", 3)), 3)
        with self.assertRaisesRegex(ValueError, "device must be"):
            smc_torch._device_index("cpu")


class WithoutTorch(unittest.TestCase):
    def test_imports_without_torch(self):
        code = ("import sys; sys.path.insert(0, %r); import smc_torch; "
                "print('torch' in sys.modules)" % HERE)
        out = subprocess.run([sys.executable, "-c", code], check=True,
                             capture_output=True, text=True).stdout
        self.assertEqual(out.strip(), "False")

    @unittest.skipIf(any(os.path.exists(os.path.join(p, "torch"))
                         for p in sys.path if p), "PyTorch is installed")
    def test_load_says_it_needs_torch(self):
        with tempfile.TemporaryDirectory() as d:
            path = write_artifact(os.path.join(d, "a.smca"), grad_entries())
            with self.assertRaisesRegex(ImportError, "smc_torch.load needs "
                                        "PyTorch"):
                smc_torch.load(path)


SMC = os.environ.get("SMC_TORCH_TEST_SMC")


@unittest.skipUnless(SMC and os.path.exists(SMC),
                     "needs the smc binary in $SMC_TORCH_TEST_SMC")
class CompiledModels(unittest.TestCase):
    """The GPU tests' models through `smc compile --grad` (PTX: no GPU
    needed): their plans and output shapes against the runtime."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def compile(self, model, grad=True):
        out = os.path.join(self.dir.name, model + ".smca")
        cmd = [SMC, "compile", os.path.join(HERE, "models", model + ".mlir"),
               "--ptx", "-o", out] + (["--grad"] if grad else [])
        subprocess.run(cmd, check=True, capture_output=True)
        return out

    def test_decay_with_states(self):
        plan = load_plan(self.compile("decay_state"))
        self.assertEqual((plan.base, plan.n_results, plan.n_saved),
                         ("decay_state", 2, 0))
        self.assertEqual([t.name for t in plan.bwd.outputs],
                         ["d_C", "d_B", "d_X", "d_log_decay", "d_init_state"])
        cross_check(self, plan, trials=10)

    def test_packed_sequences(self):
        plan = load_plan(self.compile("varlen"))
        self.assertEqual(plan.float_inputs, [True] * 5 + [False])
        self.assertEqual(len(plan.bwd.outputs), 5)
        cross_check(self, plan, trials=10)

    def test_ssd_saves_an_extra_tensor(self):
        plan = load_plan(self.compile("ssd_f32"))
        self.assertEqual((plan.n_results, plan.n_saved), (1, 1))
        self.assertEqual(len(plan.bwd.outputs), 8)
        cross_check(self, plan, trials=10)

    def test_without_grad(self):
        with self.assertRaisesRegex(ValueError, "no forward/backward entries "
                                    r"<f>_fwd and <f>_bwd \(entries: "
                                    r"decay_state\); compile the model with "
                                    "`smc compile --grad`"):
            load_plan(self.compile("decay_state", grad=False))


if __name__ == "__main__":
    unittest.main()
