"""Run smc GPU artifacts on PyTorch CUDA tensors.

    from smc_runtime import Mixer
    mixer = Mixer("mamba2.smca", device=0)
    y, final_state = mixer(x, dt, A, B, C, D, z, dt_bias)   # a tuple

A thin ctypes wrapper over libsmc_runtime.so (runtime/smc_runtime.h). The
library is found through $SMC_RUNTIME_LIB, else next to this file, else on
the loader's search path. PyTorch is imported only when outputs are
allocated, so the module imports (and its argument checks run) without it.

Errors: ValueError for bad arguments (count, device, dtype, shape, strides)
and malformed artifacts; SmcError (a RuntimeError) for driver and GPU
failures.
"""

import ctypes
import os

__all__ = ["Mixer", "SmcError"]

SMC_OK = 0
SMC_ERROR_INVALID_ARGUMENT = 1
SMC_ERROR_ARTIFACT = 2
SMC_ERROR_CUDA = 3
SMC_NO_DEVICE = -1

# smc_dtype codes, in order: the artifact's names and PyTorch's.
_SMC_DTYPES = ["f32", "f16", "bf16", "f64", "i32", "i64"]
_TORCH_DTYPES = ["float32", "float16", "bfloat16", "float64", "int32", "int64"]
_CODES = {"torch." + name: code for code, name in enumerate(_TORCH_DTYPES)}
_MAX_RANK = 16


class SmcError(RuntimeError):
    """A CUDA driver or GPU failure reported by the smc runtime."""


class _Tensor(ctypes.Structure):
    _fields_ = [
        ("data", ctypes.c_void_p),
        ("dtype", ctypes.c_int),
        ("rank", ctypes.c_int),
        ("shape", ctypes.POINTER(ctypes.c_int64)),
        ("strides", ctypes.POINTER(ctypes.c_int64)),
    ]


_lib = None


def _library():
    """Loads libsmc_runtime.so once and declares its functions."""
    global _lib
    if _lib is not None:
        return _lib
    path = os.environ.get("SMC_RUNTIME_LIB")
    if not path:
        here = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "libsmc_runtime.so")
        path = here if os.path.exists(here) else "libsmc_runtime.so"
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(
            f"cannot load the smc runtime library '{path}': {e} (set "
            "SMC_RUNTIME_LIB to libsmc_runtime.so)") from e
    c_int, c_char_p, c_void_p = ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p
    p_int, p_str = ctypes.POINTER(c_int), ctypes.POINTER(c_char_p)
    p_tensor = ctypes.POINTER(_Tensor)
    signatures = {
        "smc_last_error": ([], c_char_p),
        "smc_executable_load": ([c_char_p, c_int, ctypes.POINTER(c_void_p)],
                                c_int),
        "smc_executable_free": ([c_void_p], None),
        "smc_entry_count": ([c_void_p, p_int], c_int),
        "smc_entry_name": ([c_void_p, c_int, p_str], c_int),
        "smc_entry_arity": ([c_void_p, c_char_p, p_int, p_int], c_int),
        "smc_entry_tensor": ([c_void_p, c_char_p, c_int, c_int, p_str, p_int,
                              p_int], c_int),
        "smc_output_shape": ([c_void_p, c_char_p, c_int, p_tensor, c_int,
                              p_int, ctypes.POINTER(ctypes.c_int64), c_int],
                             c_int),
        "smc_check": ([c_void_p, c_char_p, c_int, p_tensor, c_int, p_tensor],
                      c_int),
        "smc_run": ([c_void_p, c_char_p, c_int, p_tensor, c_int, p_tensor,
                     c_void_p], c_int),
    }
    for name, (args, result) in signatures.items():
        fn = getattr(lib, name)
        fn.argtypes = args
        fn.restype = result
    _lib = lib
    return lib


def _check(status):
    """Raises the exception matching a C status code."""
    if status == SMC_OK:
        return
    message = _library().smc_last_error().decode(errors="replace")
    if status == SMC_ERROR_CUDA:
        raise SmcError(message)
    raise ValueError(message)


def _device_index(device):
    """None, an int, "cuda:N", "cuda" or a torch.device -> an ordinal."""
    if device is None:
        return SMC_NO_DEVICE
    if isinstance(device, int):
        return device
    text = str(device)
    if text == "cuda":
        return 0
    if text.startswith("cuda:") and text[5:].isdigit():
        return int(text[5:])
    raise ValueError(f"device must be an index, 'cuda:N' or None, got "
                     f"{device!r}")


class _Packed:
    """ctypes views of a list of tensors, kept alive together."""

    def __init__(self, descriptions):
        self.arrays = []
        self.tensors = (_Tensor * max(1, len(descriptions)))()
        for i, (ptr, code, shape, strides) in enumerate(descriptions):
            shape_array = (ctypes.c_int64 * max(1, len(shape)))(*shape)
            self.arrays.append(shape_array)
            t = self.tensors[i]
            t.data = ptr
            t.dtype = code
            t.rank = len(shape)
            t.shape = shape_array
            if strides is not None:
                stride_array = (ctypes.c_int64 * max(1, len(strides)))(
                    *strides)
                self.arrays.append(stride_array)
                t.strides = stride_array
        self.count = len(descriptions)


class Mixer:
    """One entry of an smc artifact, loaded on a GPU.

    device: the CUDA device ordinal (int, "cuda:N"), or None to load only
    the artifact's description (argument checks and output shapes work;
    calls raise SmcError). entry: the entry's name; None picks the only one.
    """

    def __init__(self, path, device=0, entry=None):
        self._lib = _library()
        self._handle = None
        self.path = str(path)
        self.device = _device_index(device)
        handle = ctypes.c_void_p()
        _check(self._lib.smc_executable_load(
            os.fsencode(self.path), self.device, ctypes.byref(handle)))
        self._handle = handle
        count = ctypes.c_int()
        _check(self._lib.smc_entry_count(handle, ctypes.byref(count)))
        self.entries = []
        for i in range(count.value):
            name = ctypes.c_char_p()
            _check(self._lib.smc_entry_name(handle, i, ctypes.byref(name)))
            self.entries.append(name.value.decode())
        self._entry = entry.encode() if entry else None
        n_in, n_out = ctypes.c_int(), ctypes.c_int()
        _check(self._lib.smc_entry_arity(handle, self._entry,
                                         ctypes.byref(n_in),
                                         ctypes.byref(n_out)))
        self.entry = entry or self.entries[0]
        self.inputs = [self._tensor_info(0, i) for i in range(n_in.value)]
        self.outputs = [self._tensor_info(1, i) for i in range(n_out.value)]

    def _tensor_info(self, is_output, index):
        name, dtype, rank = ctypes.c_char_p(), ctypes.c_int(), ctypes.c_int()
        _check(self._lib.smc_entry_tensor(
            self._handle, self._entry, is_output, index, ctypes.byref(name),
            ctypes.byref(dtype), ctypes.byref(rank)))
        return (name.value.decode(), _SMC_DTYPES[dtype.value], rank.value)

    def close(self):
        """Frees the executable (also done when garbage collected)."""
        if self._handle is not None:
            self._lib.smc_executable_free(self._handle)
            self._handle = None

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self):
        ins = ", ".join(f"{n}: {d}" for n, d, _ in self.inputs)
        outs = ", ".join(f"{n}: {d}" for n, d, _ in self.outputs)
        where = "no device" if self.device < 0 else f"cuda:{self.device}"
        return (f"Mixer('{self.path}', entry '{self.entry}', {where}: "
                f"({ins}) -> ({outs}))")

    def _describe(self, role, index, name, t):
        """Checks one tensor on the Python side (what C cannot see: the
        device) and returns (ptr, dtype code, shape, strides)."""
        what = f"{role} '{name}'"
        device = getattr(t, "device", None)
        if device is None or not hasattr(t, "data_ptr"):
            raise ValueError(f"{what}: expected a torch.Tensor, got "
                             f"{type(t).__name__}")
        if getattr(device, "type", None) != "cuda":
            raise ValueError(f"{what}: expected a CUDA tensor, got one on "
                             f"{device}; move it with .cuda()")
        if self.device >= 0 and device.index not in (None, self.device):
            raise ValueError(f"{what}: on {device}, but the artifact is "
                             f"loaded on cuda:{self.device}")
        code = _CODES.get(str(t.dtype))
        if code is None:
            raise ValueError(f"{what}: unsupported dtype {t.dtype}; expected "
                             f"one of {', '.join(_TORCH_DTYPES)}")
        shape = [int(d) for d in t.shape]
        if len(shape) > _MAX_RANK:
            raise ValueError(f"{what}: rank {len(shape)} exceeds {_MAX_RANK}")
        strides = [int(s) for s in t.stride()]
        return (int(t.data_ptr()), code, shape, strides)

    def _pack_inputs(self, tensors):
        if len(tensors) != len(self.inputs):
            names = ", ".join(n for n, _, _ in self.inputs)
            raise ValueError(f"entry '{self.entry}' takes {len(self.inputs)} "
                             f"inputs ({names}), got {len(tensors)}")
        return _Packed([self._describe("input", i, self.inputs[i][0], t)
                        for i, t in enumerate(tensors)])

    def _output_shapes(self, packed):
        shapes = []
        for i in range(len(self.outputs)):
            rank = ctypes.c_int()
            dims = (ctypes.c_int64 * _MAX_RANK)()
            _check(self._lib.smc_output_shape(
                self._handle, self._entry, packed.count, packed.tensors, i,
                ctypes.byref(rank), dims, _MAX_RANK))
            shapes.append(tuple(dims[:rank.value]))
        return shapes

    def output_shapes(self, *tensors):
        """The output shapes for these inputs (whose shapes are checked)."""
        return self._output_shapes(self._pack_inputs(tensors))

    def check(self, *tensors):
        """Checks the inputs as a call does (count, device, dtype, shape,
        strides) without running; raises ValueError."""
        packed = self._pack_inputs(tensors)
        _check(self._lib.smc_check(self._handle, self._entry, packed.count,
                                   packed.tensors, 0, None))
        return packed

    def __call__(self, *tensors, stream=None):
        """Runs the entry on `stream` (default: PyTorch's current stream of
        the device) and returns a tuple of new output tensors (one per
        output, even when there is only one: `(y,) = mixer(...)`). The run
        is asynchronous on that stream, like any PyTorch operation."""
        packed = self.check(*tensors)
        shapes = self._output_shapes(packed)
        if self.device < 0:
            raise SmcError(f"{self.path}: loaded without a device "
                           "(device=None); cannot run")
        import torch  # Lazily: the checks above work without PyTorch.

        device = torch.device("cuda", self.device)
        outputs = [torch.empty(shape, dtype=getattr(torch, _TORCH_DTYPES[
            _SMC_DTYPES.index(dtype)]), device=device)
            for shape, (_, dtype, _) in zip(shapes, self.outputs)]
        out = _Packed([self._describe("output", i, self.outputs[i][0], t)
                       for i, t in enumerate(outputs)])
        if stream is None:
            stream = torch.cuda.current_stream(device).cuda_stream
        elif hasattr(stream, "cuda_stream"):
            # The outputs were allocated on the current stream: tell the
            # caching allocator they are used on this one.
            for t in outputs:
                t.record_stream(stream)
            stream = stream.cuda_stream
        _check(self._lib.smc_run(self._handle, self._entry, packed.count,
                                 packed.tensors, out.count, out.tensors,
                                 ctypes.c_void_p(int(stream))))
        return tuple(outputs)
