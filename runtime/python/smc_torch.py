"""smc artifacts as differentiable PyTorch operators.

    import smc_torch
    op = smc_torch.load("model.smca")         # from `smc compile --grad`
    y, final_state = op(C, B, X, log_decay, init_state)
    (y * w).sum().backward()                   # gradients of every float input

`load(path, device=None, name=None, entry=None)` reads an artifact written
by `smc compile --grad model.mlir -o model.smca`, whose entries are `f` (the
forward), `f_fwd` (the forward that also returns the tensors the backward
reads) and `f_bwd` (the backward), and returns an `SmcOp`, a
`torch.nn.Module` without parameters. Calling it returns f's results: one
tensor, or a tuple when f has several (the extra tensors that `f_fwd` saves
for the backward are never returned).

The op is made of `torch.library` custom operators, so it works under
autograd, `torch.compile` (fullgraph, dynamic shapes) and `torch.library.
opcheck`:

- `torch.ops.smc.<name>`: runs `f_fwd`; its autograd formula
  (`register_autograd`) saves the inputs and all of `f_fwd`'s outputs and
  calls `torch.ops.smc.<name>_bwd`, which runs `f_bwd`. The saved extras
  are marked non-differentiable.
- `torch.ops.smc.<name>_infer`: runs `f`, used when no input requires a
  gradient (or grad mode is off), so inference saves nothing.
- Every op has a fake (meta) implementation that computes the output shapes
  from the artifact's dims (`b T 80 64`, `(T+255)/256`, ...) with the input
  dims' values, which may be SymInts, without touching data.

`<name>` is `name`, else the entry's name made an identifier; a second load
of another artifact with the same name gets `<name>_2`, ... (`op.name`
says which). Loading the same unchanged file again with the same arguments
returns the same op.

Calls:

- Gradients: one for every floating-point input that requires one, in f's
  input order; integer inputs (cu_seqlens) get None. A result whose
  gradient is None (unused) is given a zero gradient; a non-contiguous
  gradient (e.g. the expanded one of `y.sum()`) is made contiguous. Inputs
  used twice (the same tensor as B and C) accumulate both gradients.
  Double backward is not supported.
- The current CUDA stream: each entry runs on
  `torch.cuda.current_stream()` of the inputs' device, asynchronously,
  like any PyTorch operation; the backward runs where autograd runs it (the
  forward's stream).
- Copies: contiguous, 16-byte aligned inputs are passed to the kernels as
  they are. A non-contiguous input is copied once with `.contiguous()`
  (autograd-aware, like mamba_ssm does), and a misaligned one is cloned
  inside the operator.
- Dtypes: outside autocast every input must have the dtype the artifact
  declares for it (ValueError otherwise). Under `torch.autocast("cuda")`
  each floating-point input is cast to the dtype the artifact declares for
  it, whatever the autocast dtype: a bf16 Mamba-2 artifact gets bf16 x, dt,
  B, C, z while A, D and dt_bias stay f32. Integer inputs are never cast.
  Gradients flow back through the casts, so an f32 leaf gets an f32
  gradient.
- Devices: `device=None` loads the kernels on the inputs' device at the
  first call (one executable per device); `device=N` (or "cuda:N") loads
  them now and requires inputs on cuda:N.
- Errors: ValueError naming the op, the entry and the input, with what was
  expected and what was got, for a wrong count, a non-tensor, a CPU tensor,
  a tensor on another device, a dtype or a shape that does not match the
  artifact, and an artifact without `f_fwd`/`f_bwd` entries or whose
  entries do not follow the contract below. smc_runtime.SmcError (a
  RuntimeError) for driver and GPU failures. Under torch.compile the checks
  run in the fake implementation when the graph is traced.

The contract between the entries (what `smc compile --grad` writes):
`f_fwd` takes f's inputs and returns f's results followed by the saved
tensors; `f_bwd` takes f's inputs, all of f_fwd's outputs and one gradient
per result of f (its shape and dtype), and returns one gradient per
floating-point input of f, in input order. So the number of results is
len(bwd inputs) - len(fwd inputs) - len(fwd outputs). `f` is optional
(without it, `f_fwd` also serves inference).

Not supported: CUDA graphs (the runtime allocates its intermediate buffers
with the driver at the first run of each shape), double backward, CPU
tensors.

This module imports without PyTorch: the artifact's description, the
pairing of entries, the shape expressions and the argument checks are plain
Python (`load_plan`, `GradPlan`, `EntrySpec`, `Expr`), tested without a GPU
by test_smc_torch.py. PyTorch is imported by `load`.
"""

import os
import re
import threading

import smc_runtime

__all__ = ["load", "load_plan", "GradPlan", "EntrySpec", "TensorSpec",
           "Expr", "SmcOp"]

# The artifact's dtype names, PyTorch's names, which are floating point.
_TORCH_NAMES = {"f32": "float32", "f16": "float16", "bf16": "bfloat16",
                "f64": "float64", "i32": "int32", "i64": "int64"}
_FROM_TORCH = {"torch." + v: k for k, v in _TORCH_NAMES.items()}
FLOAT_DTYPES = ("f32", "f16", "bf16", "f64")
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


def is_float(dtype):
    """True for the artifact's floating-point dtype names."""
    return dtype in FLOAT_DTYPES


# ---------------------------------------------------------------------------
# Expressions (runtime/Expr.h, ARTIFACT.md "Expressions and symbols").


class Expr:
    """An integer expression over b, T and S, as written in an artifact:

        expr := term (('+' | '-' | '*' | '/') term)*
        term := integer | 'b' | 'T' | 'S' | '(' expr ')'
              | ('min' | 'max') '(' expr ',' expr ')'

    `*` and `/` bind tighter than `+` and `-`, left to right; `/` is floor
    division. `evaluate` works on ints (checked for int64 overflow, division
    by zero and negative values like the C++ runtime) and on anything with
    + - * // (PyTorch SymInts): it never branches on a value, so evaluating
    with SymInts adds no guard. `smin`/`smax` evaluate min and max
    (torch.sym_min/sym_max for SymInts)."""

    def __init__(self, text):
        self.text = text
        self._pos = 0
        try:
            self._tree = self._sum()
            if self._pos != len(text):
                raise ValueError(f"unexpected '{text[self._pos]}' at "
                                 f"position {self._pos + 1}")
        except ValueError as e:
            raise ValueError(f"invalid expression '{text}': {e}") from None
        del self._pos

    def __repr__(self):
        return f"Expr({self.text!r})"

    # Parsing: the tree is ("int", v) | ("sym", name) | (op, lhs, rhs).
    def _sum(self):
        node = self._product()
        while self._pos < len(self.text) and self.text[self._pos] in "+-":
            op = self.text[self._pos]
            self._pos += 1
            node = (op, node, self._product())
        return node

    def _product(self):
        node = self._term()
        while self._pos < len(self.text) and self.text[self._pos] in "*/":
            op = self.text[self._pos]
            self._pos += 1
            node = (op, node, self._term())
        return node

    def _expect(self, char):
        if self._pos >= len(self.text) or self.text[self._pos] != char:
            raise ValueError(f"expected '{char}' at position {self._pos + 1}")
        self._pos += 1

    def _term(self):
        text, pos = self.text, self._pos
        if pos >= len(text):
            raise ValueError("expected a term at the end")
        c = text[pos]
        if c.isdigit():
            end = pos
            while end < len(text) and text[end].isdigit():
                end += 1
            value = int(text[pos:end])
            if value > _INT64_MAX:
                raise ValueError("integer too large")
            self._pos = end
            return ("int", value)
        if c in "bTS":
            self._pos += 1
            return ("sym", c)
        if text.startswith("min(", pos) or text.startswith("max(", pos):
            self._pos += 4
            lhs = self._sum()
            self._expect(",")
            rhs = self._sum()
            self._expect(")")
            return (text[pos:pos + 3], lhs, rhs)
        if c == "(":
            self._pos += 1
            node = self._sum()
            self._expect(")")
            return node
        raise ValueError(f"unexpected '{c}' at position {pos + 1} (terms are "
                         "integers, b, T, S, min(x,y), max(x,y) or a "
                         "parenthesized expression)")

    def symbols(self):
        """The symbols the expression uses."""
        found, stack = set(), [self._tree]
        while stack:
            node = stack.pop()
            if node[0] == "sym":
                found.add(node[1])
            elif node[0] != "int":
                stack.extend(node[1:])
        return found

    def is_symbol(self, name):
        """True if the expression is exactly the bare symbol `name`."""
        return self._tree == ("sym", name)

    def evaluate(self, symbols, smin=min, smax=max):
        """The value for `symbols` (a dict with some of 'b', 'T', 'S')."""
        return self._eval(self._tree, symbols, smin, smax)

    def _eval(self, node, symbols, smin, smax):
        kind = node[0]
        if kind == "int":
            return node[1]
        if kind == "sym":
            value = symbols.get(node[1])
            if value is None:
                raise ValueError(f"expression '{self.text}' uses {node[1]}, "
                                 "which is not bound")
            return value
        lhs = self._eval(node[1], symbols, smin, smax)
        rhs = self._eval(node[2], symbols, smin, smax)
        if kind == "+":
            value = lhs + rhs
        elif kind == "-":
            value = lhs - rhs
        elif kind == "*":
            value = lhs * rhs
        elif kind == "/":
            if isinstance(rhs, int) and rhs == 0:
                raise ValueError(f"expression '{self.text}' divides by zero "
                                 f"({_symbols_text(symbols)})")
            value = lhs // rhs
        elif kind == "min":
            value = smin(lhs, rhs)
        else:
            value = smax(lhs, rhs)
        if isinstance(value, int) and not _INT64_MIN <= value <= _INT64_MAX:
            raise ValueError(f"expression '{self.text}' overflows int64 "
                             f"({_symbols_text(symbols)})")
        return value


def _symbols_text(symbols):
    parts = [f"{k}={symbols[k]}" for k in "bTS" if symbols.get(k) is not None]
    return ", ".join(parts) if parts else "no symbols bound"


def _shape_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


# ---------------------------------------------------------------------------
# The artifact's description.


class TensorSpec:
    """One input or output of an entry: name, dtype (artifact name), kind
    (inputs only, e.g. 'offsets') and dims (Expr)."""

    def __init__(self, name, dtype, dims, kind=None):
        self.name, self.dtype, self.kind = name, dtype, kind
        self.dims = [d if isinstance(d, Expr) else Expr(d) for d in dims]

    @property
    def rank(self):
        return len(self.dims)

    def dims_text(self):
        return "[" + ",".join(d.text for d in self.dims) + "]"

    def __repr__(self):
        return f"{self.name}: {self.dtype} {self.dims_text()}"


class EntrySpec:
    """The inputs and outputs of one entry, and how b, T and S are bound
    (runtime/Binding.h): b and T from the first input dim declared exactly
    `b`, resp. `T`; S from the `offsets` input (its length minus one), else
    S = b."""

    def __init__(self, name, inputs, outputs):
        self.name, self.inputs, self.outputs = name, inputs, outputs
        self.sources = {}
        for i, t in enumerate(inputs):
            for d, e in enumerate(t.dims):
                for sym in "bT":
                    if sym not in self.sources and e.is_symbol(sym):
                        self.sources[sym] = (i, d)
        self.offsets = next((i for i, t in enumerate(inputs)
                             if t.kind == "offsets"), None)

    def __repr__(self):
        return (f"EntrySpec({self.name}: ({', '.join(map(repr, self.inputs))})"
                f" -> ({', '.join(map(repr, self.outputs))}))")

    def input_names(self):
        return ", ".join(t.name for t in self.inputs)

    def bind(self, shapes, where=""):
        """Binds b, T, S from the input shapes (ints or SymInts); checks the
        count and the ranks of the inputs that bind."""
        prefix = f"{where}: " if where else ""
        if len(shapes) != len(self.inputs):
            raise ValueError(
                f"{prefix}entry '{self.name}' takes {len(self.inputs)} inputs "
                f"({self.input_names()}), got {len(shapes)}")
        symbols = {}
        for sym, (i, d) in self.sources.items():
            self._check_rank(i, shapes[i], prefix)
            symbols[sym] = shapes[i][d]
        if self.offsets is not None:
            shape = shapes[self.offsets]
            if len(shape) != 1 or shape[0] < 1:
                raise ValueError(
                    f"{prefix}input '{self.inputs[self.offsets].name}': "
                    "offsets must be a rank-1 tensor of S+1 >= 1 elements, "
                    f"got {_shape_text(shape)}")
            symbols["S"] = shape[0] - 1
        elif "b" in symbols:
            symbols["S"] = symbols["b"]
        return symbols

    def _check_rank(self, i, shape, prefix):
        t = self.inputs[i]
        if len(shape) != t.rank:
            raise ValueError(
                f"{prefix}input '{t.name}': expected rank {t.rank} "
                f"({t.dims_text()}), got rank {len(shape)} "
                f"({_shape_text(shape)})")

    def binding_note(self, symbols):
        """Where the symbols came from, as in the C++ runtime's messages."""
        notes = []
        b, t = self.sources.get("b"), self.sources.get("T")
        if b and t and b[0] == t[0]:
            notes.append(f"b={symbols['b']}, T={symbols['T']} from input "
                         f"'{self.inputs[b[0]].name}'")
        else:
            for sym, src in (("b", b), ("T", t)):
                if src:
                    notes.append(f"{sym}={symbols[sym]} from input "
                                 f"'{self.inputs[src[0]].name}'")
        if "S" in symbols:
            if self.offsets is not None:
                notes.append(f"S={symbols['S']} from input "
                             f"'{self.inputs[self.offsets].name}'")
            else:
                notes.append(f"S=b={symbols['S']}")
        return ", ".join(notes) if notes else "no symbols bound"

    def shape_of(self, spec, symbols, smin=min, smax=max, where=""):
        """The shape `spec` (an input or output) has under `symbols`."""
        shape = []
        for i, e in enumerate(spec.dims):
            try:
                value = e.evaluate(symbols, smin, smax)
            except ValueError as err:
                prefix = f"{where}: " if where else ""
                raise ValueError(f"{prefix}'{spec.name}': dim {i}: {err}") \
                    from None
            if isinstance(value, int) and value < 0:
                raise ValueError(
                    f"{where + ': ' if where else ''}'{spec.name}': dim {i} "
                    f"('{e.text}') is negative ({value}) for "
                    f"{_symbols_text(symbols)}")
            shape.append(value)
        return shape

    def check_shapes(self, shapes, where="", smin=min, smax=max):
        """Binds the symbols and checks every input's rank and dims (ints or
        SymInts; with SymInts each comparison is a guard, as in PyTorch's
        meta functions). Returns the symbols."""
        symbols = self.bind(shapes, where)
        prefix = f"{where}: " if where else ""
        for i, t in enumerate(self.inputs):
            self._check_rank(i, shapes[i], prefix)
            want = self.shape_of(t, symbols, smin, smax, where)
            for got_d, want_d in zip(shapes[i], want):
                if got_d != want_d:
                    raise ValueError(
                        f"{prefix}input '{t.name}': expected "
                        f"{_shape_text(want)}, got {_shape_text(shapes[i])} "
                        f"(dims {t.dims_text()} with "
                        f"{self.binding_note(symbols)})")
        return symbols

    def output_shapes(self, symbols, smin=min, smax=max, where=""):
        return [self.shape_of(t, symbols, smin, smax, where)
                for t in self.outputs]


def read_header(path):
    """The entries of an artifact's header as {name: EntrySpec}, in file
    order. Reads only up to the `data` line; the C++ parser validates the
    whole file (load_plan runs it first)."""
    entries, current = {}, None
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", errors="replace")
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            if fields == ["data"]:
                break
            head = fields[0]
            if head == "entry" and len(fields) >= 2:
                current = ([], [])
                entries[fields[1]] = current
            elif head == "end":
                current = None
            elif current is not None and head == "input" and len(fields) >= 4:
                current[0].append(TensorSpec(fields[1], fields[2], fields[4:],
                                             kind=fields[3]))
            elif current is not None and head == "output" and len(fields) >= 3:
                current[1].append(TensorSpec(fields[1], fields[2], fields[3:]))
    return {name: EntrySpec(name, ins, outs)
            for name, (ins, outs) in entries.items()}


# ---------------------------------------------------------------------------
# Pairing f, f_fwd and f_bwd.


def _same_dims(a, b, samples):
    """Same rank and, per dim, the same text or the same value at every
    sample binding (the compiler may write `S` for one and `(S+1)-1` for
    the other)."""
    if a.rank != b.rank:
        return False
    for x, y in zip(a.dims, b.dims):
        if x.text == y.text:
            continue
        try:
            if any(x.evaluate(s) != y.evaluate(s) for s in samples):
                return False
        except ValueError:
            return False
    return True


class GradPlan:
    """An artifact's forward/backward entries and how they fit together.

    Attributes: path, base (f's name), f (EntrySpec or None), fwd, bwd,
    n_results, n_saved, float_inputs (one bool per input of f)."""

    def __init__(self, path, entries, entry=None):
        self.path = str(path)
        names = list(entries)
        self.base = self._choose(names, entry)
        self.f = entries.get(self.base)
        self.fwd = entries[self.base + "_fwd"]
        self.bwd = entries[self.base + "_bwd"]
        self._check_contract()

    def _fail(self, message):
        raise ValueError(f"{self.path}: {message}")

    def _choose(self, names, entry):
        listed = ", ".join(names) if names else "none"
        paired = [n[:-4] for n in names
                  if n.endswith("_fwd") and n[:-4] + "_bwd" in names]
        if entry:
            base = entry
            for suffix in ("_fwd", "_bwd"):
                if base.endswith(suffix) and base not in paired:
                    base = base[:-len(suffix)]
            if base not in paired:
                self._fail(f"entry '{entry}' has no '{base}_fwd' and "
                           f"'{base}_bwd' entries (entries: {listed}); "
                           "compile the model with `smc compile --grad`")
            return base
        if not paired:
            self._fail(f"no forward/backward entries <f>_fwd and <f>_bwd "
                       f"(entries: {listed}); compile the model with "
                       "`smc compile --grad`")
        if len(paired) > 1:
            self._fail(f"several models have backward entries "
                       f"({', '.join(paired)}); pass entry= to pick one")
        return paired[0]

    def _check_contract(self):
        f, fwd, bwd = self.f, self.fwd, self.bwd
        offsets = fwd.offsets is not None
        samples = [{"b": 3, "T": 37, "S": 5 if offsets else 3},
                   {"b": 2, "T": 301, "S": 4 if offsets else 2}]

        def same(a, b):
            return a.dtype == b.dtype and _same_dims(a, b, samples)

        def bad(entry, what, want, got):
            self._fail(f"entry '{entry.name}' does not follow the backward "
                       f"contract of `smc compile --grad`: {what} should be "
                       f"{want!r}, got {got!r}")

        n_in, n_fwd_out = len(fwd.inputs), len(fwd.outputs)
        if f is not None:
            if len(f.inputs) != n_in:
                bad(fwd, "the number of inputs (those of "
                    f"'{f.name}')", len(f.inputs), n_in)
            for a, b in zip(f.inputs, fwd.inputs):
                if not same(a, b):
                    bad(fwd, f"input '{b.name}'", a, b)
        self.n_results = len(bwd.inputs) - n_in - n_fwd_out
        if not 1 <= self.n_results <= n_fwd_out:
            self._fail(
                f"entry '{bwd.name}' takes {len(bwd.inputs)} inputs; with "
                f"{n_in} inputs and {n_fwd_out} outputs of '{fwd.name}' that "
                f"leaves {self.n_results} result gradients, which should be "
                f"between 1 and {n_fwd_out} (the backward takes f's inputs, "
                "f_fwd's outputs and one gradient per result)")
        if f is not None:
            if len(f.outputs) != self.n_results:
                bad(bwd, f"the number of result gradients (results of "
                    f"'{f.name}')", len(f.outputs), self.n_results)
            for a, b in zip(f.outputs, fwd.outputs):
                if not same(a, b):
                    bad(fwd, f"output '{b.name}'", a, b)
        self.n_saved = n_fwd_out - self.n_results
        expected = (list(fwd.inputs) + list(fwd.outputs)
                    + list(fwd.outputs[:self.n_results]))
        for i, (want, got) in enumerate(zip(expected, bwd.inputs)):
            if not same(want, got):
                role = ("an input of f" if i < n_in else "an output of f_fwd"
                        if i < n_in + n_fwd_out else "a result gradient")
                bad(bwd, f"input {i} ('{got.name}', {role})", want, got)
        self.float_inputs = [is_float(t.dtype) for t in fwd.inputs]
        grads = [t for t in fwd.inputs if is_float(t.dtype)]
        if len(bwd.outputs) != len(grads):
            bad(bwd, "the number of outputs (one gradient per floating-"
                "point input: " + ", ".join(t.name for t in grads) + ")",
                len(grads), len(bwd.outputs))
        for want, got in zip(grads, bwd.outputs):
            if not same(want, got):
                bad(bwd, f"output '{got.name}' (the gradient of "
                    f"'{want.name}')", want, got)

    @property
    def inputs(self):
        return self.fwd.inputs

    @property
    def results(self):
        return self.fwd.outputs[:self.n_results]

    def __repr__(self):
        return (f"GradPlan({self.path}: {self.base}"
                f"({self.fwd.input_names()}) -> "
                f"{', '.join(t.name for t in self.results)}; "
                f"{self.n_saved} saved)")

    def check_call(self, tensors, autocast=False, device=None, where=""):
        """Everything a call checks before it runs, on torch.Tensors or
        anything with .shape, .dtype (str() like 'torch.float32') and
        .device (.type, .index): count, type, device, dtype, shape. Returns
        one flag per input: cast it to its declared dtype (autocast only).
        `device`: the CUDA ordinal the op is loaded on, or None."""
        prefix = f"{where}: " if where else ""
        specs = self.fwd.inputs
        if len(tensors) != len(specs):
            raise ValueError(f"{prefix}takes {len(specs)} inputs "
                             f"({self.fwd.input_names()}), got {len(tensors)}")
        casts, first = [], None
        for spec, t in zip(specs, tensors):
            what = f"{prefix}input '{spec.name}'"
            dev = getattr(t, "device", None)
            if dev is None or not hasattr(t, "shape") or \
                    not hasattr(t, "dtype"):
                raise ValueError(f"{what}: expected a torch.Tensor, got "
                                 f"{type(t).__name__}")
            if getattr(dev, "type", None) != "cuda":
                raise ValueError(f"{what}: expected a CUDA tensor, got one on "
                                 f"{dev}; move it with .cuda()")
            if device is not None and dev.index not in (None, device):
                raise ValueError(f"{what}: on {dev}, but the op is loaded on "
                                 f"cuda:{device}")
            if first is None:
                first = (spec.name, dev)
            elif dev.index != first[1].index:
                raise ValueError(f"{what}: on {dev}, but input '{first[0]}' "
                                 f"is on {first[1]}")
            got = _FROM_TORCH.get(str(t.dtype))
            cast = False
            if got != spec.dtype:
                got_text = got or str(t.dtype)
                if autocast and is_float(spec.dtype) and is_float(got):
                    cast = True
                elif is_float(spec.dtype):
                    how = ("under torch.autocast only floating-point inputs "
                           "are cast" if autocast else "outside "
                           "torch.autocast inputs must have the artifact's "
                           "dtypes; under torch.autocast('cuda') floating-"
                           "point inputs are cast to them")
                    raise ValueError(f"{what}: expected {spec.dtype}, got "
                                     f"{got_text} ({how})")
                else:
                    raise ValueError(f"{what}: expected {spec.dtype}, got "
                                     f"{got_text} (integer inputs are never "
                                     "cast)")
            casts.append(cast)
        self.fwd.check_shapes([tuple(t.shape) for t in tensors], where)
        return casts


def load_plan(path, entry=None):
    """The GradPlan of an artifact, without PyTorch or a GPU. The C++
    parser validates the file first (ValueError on malformed artifacts), and
    the header read here is cross-checked against it."""
    path = os.fspath(path)
    try:
        entries = read_header(path)
    except OSError:
        entries = {}  # The runtime says why it cannot open the file.
    # An artifact of several entries is opened with one of their names.
    probe = smc_runtime.Mixer(path, device=None,
                              entry=next(iter(entries), None))
    try:
        names = list(probe.entries)
    finally:
        probe.close()
    missing = [n for n in names if n not in entries]
    if missing:
        raise ValueError(f"{path}: entries {', '.join(missing)} were not "
                         "found reading the header in Python")
    plan = GradPlan(path, {n: entries[n] for n in names if n in entries},
                    entry)
    for spec in filter(None, (plan.f, plan.fwd, plan.bwd)):
        m = smc_runtime.Mixer(path, device=None, entry=spec.name)
        try:
            c_view = (m.inputs, m.outputs)
        finally:
            m.close()
        py_view = ([(t.name, t.dtype, t.rank) for t in spec.inputs],
                   [(t.name, t.dtype, t.rank) for t in spec.outputs])
        if [list(x) for x in c_view] != [list(x) for x in py_view]:
            raise ValueError(f"{path}: entry '{spec.name}': the header read "
                             f"in Python {py_view} disagrees with the "
                             f"runtime's {c_view}")
    return plan


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_RESERVED = {"self", "out", "input", "and", "as", "assert", "async", "await",
             "break", "class", "continue", "def", "del", "elif", "else",
             "except", "finally", "for", "from", "global", "if", "import",
             "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
             "return", "try", "while", "with", "yield", "None", "True",
             "False"}


def sanitize(name):
    """An identifier for an op or argument name ('.' and '$' become '_')."""
    text = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not text or text[0].isdigit():
        text = "_" + text
    return text


def schema(specs, n_outputs):
    """A custom op schema: one Tensor per spec, n_outputs Tensors back."""
    names, seen = [], set()
    for i, spec in enumerate(specs):
        arg = sanitize(spec.name)
        if arg in _RESERVED or arg in seen:
            arg = f"{arg}_{i}"
        seen.add(arg)
        names.append(arg)
    args = ", ".join(f"Tensor {n}" for n in names)
    outs = "Tensor" if n_outputs == 1 else \
        "(" + ", ".join(["Tensor"] * n_outputs) + ")"
    return f"({args}) -> {outs}"


# ---------------------------------------------------------------------------
# PyTorch.

_LOCK = threading.Lock()
_CACHE = {}
_NAMES = set()


def _device_index(device):
    if device is None:
        return None
    if isinstance(device, int):
        return device
    index = getattr(device, "index", None)
    if getattr(device, "type", None) == "cuda":
        return index or 0
    text = str(device)
    if text == "cuda":
        return 0
    if text.startswith("cuda:") and text[5:].isdigit():
        return int(text[5:])
    raise ValueError(f"device must be None, an index, 'cuda:N' or a CUDA "
                     f"torch.device, got {device!r}")


def _op_exists(opname):
    import torch
    try:
        getattr(torch.ops.smc, opname)
        return True
    except (AttributeError, RuntimeError):
        return False


def _free_name(requested, default):
    """A name whose three ops smc::N, N_bwd, N_infer are all free."""
    def free(n):
        return not any(x in _NAMES or _op_exists(x)
                       for x in (n, n + "_bwd", n + "_infer"))

    if requested is not None:
        name = sanitize(requested)
        if not free(name):
            raise ValueError(f"the op name 'smc::{name}' is taken (by another "
                             "loaded artifact); pass another name=")
        return name
    name, k = default, 1
    while not free(name):
        k += 1
        name = f"{default}_{k}"
    return name


def load(path, device=None, name=None, entry=None):
    """Loads an artifact from `smc compile --grad` as an SmcOp (see the
    module's docstring). `entry`: the model's entry ('f', or 'f_fwd') when
    the artifact has several; `name`: the op name under torch.ops.smc;
    `device`: None (the inputs' device, at the first call) or the CUDA
    device to load on now."""
    path = os.fspath(path)
    index = _device_index(device)
    try:
        st = os.stat(path)
    except OSError:
        load_plan(path, entry)  # Raises the runtime's "cannot open" error.
        raise
    key = (os.path.realpath(path), st.st_mtime_ns, st.st_size, entry, name,
           index)
    with _LOCK:
        op = _CACHE.get(key)
        if op is None:
            plan = load_plan(path, entry)
            op = _make_op(plan, name, index)
            _CACHE[key] = op
        return op


def _make_op(plan, name, device):
    try:
        import torch
    except ImportError as e:
        raise ImportError(f"smc_torch.load needs PyTorch ({e}); the plan "
                          "of the artifact (load_plan) does not") from e

    global SmcOp
    if not isinstance(SmcOp, type):
        SmcOp = _define_module(torch)
    return SmcOp(plan, _free_name(name, sanitize(plan.base)), device)


class _Kernels:
    """One smc_runtime.Mixer per (entry, device), loaded at first use."""

    def __init__(self, path):
        self.path, self.mixers, self.lock = path, {}, threading.Lock()

    def run(self, entry, tensors):
        import torch

        index = tensors[0].device.index
        if index is None:
            index = torch.cuda.current_device()
        with self.lock:
            mixer = self.mixers.get((entry, index))
            if mixer is None:
                mixer = smc_runtime.Mixer(self.path, device=index,
                                          entry=entry)
                self.mixers[(entry, index)] = mixer
        # The kernels need dense rows at 16-byte aligned addresses.
        fixed = []
        for t in tensors:
            if not t.is_contiguous():
                t = t.contiguous()
            elif t.data_ptr() % 16 != 0:
                t = t.clone()
            fixed.append(t)
        outs = mixer(*fixed)
        return outs[0] if len(outs) == 1 else outs

    def preload(self, entries, index):
        for entry in entries:
            with self.lock:
                if (entry, index) not in self.mixers:
                    self.mixers[(entry, index)] = smc_runtime.Mixer(
                        self.path, device=index, entry=entry)


def _define_module(torch):
    """Defines SmcOp (a torch.nn.Module) once PyTorch is imported."""
    dtype_of = {k: getattr(torch, v) for k, v in _TORCH_NAMES.items()}

    def sym_min(a, b):
        return torch.sym_min(a, b)

    def sym_max(a, b):
        return torch.sym_max(a, b)

    def fake_outputs(spec, tensors, where):
        # Shapes from the artifact's dims; SymInts under torch.compile.
        symbols = spec.check_shapes([tuple(t.shape) for t in tensors], where,
                                    sym_min, sym_max)
        for t, want in zip(tensors, spec.inputs):
            got = _FROM_TORCH.get(str(t.dtype))
            if got != want.dtype:
                raise ValueError(f"{where}: input '{want.name}': expected "
                                 f"{want.dtype}, got {got or t.dtype}")
        device = tensors[0].device
        outs = tuple(torch.empty(shape, dtype=dtype_of[o.dtype],
                                 device=device)
                     for shape, o in zip(spec.output_shapes(
                         symbols, sym_min, sym_max, where), spec.outputs))
        return outs[0] if len(outs) == 1 else outs

    class SmcOpModule(torch.nn.Module):
        """An artifact's model as a differentiable op; see smc_torch."""

        def __init__(self, plan, opname, device):
            super().__init__()
            self.plan, self.name, self.path = plan, opname, plan.path
            self.device_index = device
            self.input_names = [t.name for t in plan.inputs]
            self.output_names = [t.name for t in plan.results]
            where = f"smc op '{opname}' ({os.path.basename(plan.path)}"
            self._where = where + f", entry '{plan.fwd.name}')"
            self._dtypes = tuple(dtype_of[t.dtype] for t in plan.inputs)
            self._float = tuple(plan.float_inputs)
            self._n_in = len(plan.inputs)
            self._n_res = plan.n_results
            kernels = _Kernels(plan.path)
            self._kernels = kernels
            bwd_where = where + f", entry '{plan.bwd.name}')"
            infer_spec = plan.f if plan.f is not None else plan.fwd
            infer_where = where + f", entry '{infer_spec.name}')"

            def define(qualname, spec, where, n_out):
                entry = spec.name

                def impl(*args):
                    return kernels.run(entry, args)

                def fake(*args):
                    return fake_outputs(spec, args, where)

                opdef = torch.library.custom_op(
                    f"smc::{qualname}", impl, mutates_args=(),
                    device_types="cuda", schema=schema(spec.inputs, n_out))
                opdef.register_fake(fake)
                return opdef

            n_in, n_res, n_fwd_out = self._n_in, self._n_res, \
                len(plan.fwd.outputs)
            float_inputs = self._float
            self._fwd_def = define(opname, plan.fwd, self._where, n_fwd_out)
            self._bwd_def = define(opname + "_bwd", plan.bwd, bwd_where,
                                   len(plan.bwd.outputs))
            self._infer_def = define(opname + "_infer", infer_spec,
                                     infer_where, len(infer_spec.outputs))
            _NAMES.update((opname, opname + "_bwd", opname + "_infer"))
            self.fwd_op = getattr(torch.ops.smc, opname).default
            self.bwd_op = getattr(torch.ops.smc, opname + "_bwd").default
            self.infer_op = getattr(torch.ops.smc, opname + "_infer").default
            bwd_op = self.bwd_op

            def setup_context(ctx, inputs, output):
                outs = output if isinstance(output, (tuple, list)) \
                    else (output,)
                ctx.save_for_backward(*inputs, *outs)
                if len(outs) > n_res:
                    ctx.mark_non_differentiable(*outs[n_res:])
                # Unused results get None here (no zeros are allocated
                # for the saved extras); backward makes zeros where f_bwd
                # needs them.
                ctx.set_materialize_grads(False)

            def backward(ctx, *grads):
                saved = ctx.saved_tensors
                inputs, outs = saved[:n_in], saved[n_in:]
                dres = []
                for i in range(n_res):
                    g = grads[i]
                    if g is None:
                        g = torch.zeros_like(outs[i])
                    else:
                        if g.dtype != outs[i].dtype:
                            g = g.to(outs[i].dtype)
                        g = g.contiguous()
                    dres.append(g)
                result = bwd_op(*inputs, *outs, *dres)
                if not isinstance(result, (tuple, list)):
                    result = (result,)
                needs = ctx.needs_input_grad
                grads_in, k = [], 0
                for i in range(n_in):
                    if float_inputs[i]:
                        grads_in.append(result[k] if needs[i] else None)
                        k += 1
                    else:
                        grads_in.append(None)
                return tuple(grads_in)

            self._fwd_def.register_autograd(backward,
                                            setup_context=setup_context)
            if device is not None:
                kernels.preload([s.name for s in (plan.fwd, plan.bwd,
                                                  infer_spec)], device)

        def extra_repr(self):
            ins = ", ".join(f"{t.name}: {t.dtype}" for t in self.plan.inputs)
            outs = ", ".join(f"{t.name}: {t.dtype}"
                             for t in self.plan.results)
            return (f"'{self.path}', torch.ops.smc.{self.name}: ({ins}) -> "
                    f"({outs})")

        def forward(self, *inputs):
            autocast = torch.is_autocast_enabled("cuda")
            if not torch.compiler.is_compiling():
                # Under torch.compile the fake implementation checks.
                self.plan.check_call(inputs, autocast, self.device_index,
                                     self._where)
            args = []
            need_grad = False
            grad_mode = torch.is_grad_enabled()
            for i in range(self._n_in):
                t = inputs[i]
                want = self._dtypes[i]
                if autocast and self._float[i] and t.dtype != want and \
                        t.is_floating_point():
                    t = t.to(want)
                t = t.contiguous()
                if grad_mode and t.requires_grad:
                    need_grad = True
                args.append(t)
            if need_grad:
                outs = self.fwd_op(*args)
            else:
                outs = self.infer_op(*args)
            if not isinstance(outs, (tuple, list)):
                outs = (outs,)
            if self._n_res == 1:
                return outs[0]
            return tuple(outs[:self._n_res])

    SmcOpModule.__name__ = SmcOpModule.__qualname__ = "SmcOp"
    return SmcOpModule


# Replaced by the torch.nn.Module subclass at the first load().
SmcOp = None
