#!/usr/bin/env python3
"""Seeds the fuzzers' corpora (fuzz/CMakeLists.txt) from the project's test
inputs: artifacts, their shape expressions and reference lines, and small
.npy files of every dtype the reader knows. Usage: seed.py ROOT CORPUS_DIR
(existing corpus files are kept, so a corpus grows across runs). With
$SMC_BIN, the examples compiled to PTX artifacts are seeds too."""
import glob
import os
import struct
import subprocess
import sys

root, corpus = sys.argv[1], sys.argv[2]
for name in ("npy", "artifact", "expr", "refdirective"):
    os.makedirs(os.path.join(corpus, name), exist_ok=True)


def put(target, name, data):
    with open(os.path.join(corpus, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def npy(descr, shape, values, fmt):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (
        descr, "(%s)" % "".join("%d," % d for d in shape))
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    body = b"".join(struct.pack("<" + fmt, v) for v in values)
    return (b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) +
            header.encode() + body)


for descr, fmt in (("<f4", "f"), ("<f8", "d"), ("<f2", "e"), ("<i4", "i"),
                   ("<i8", "q")):
    put("npy", "vec%s" % descr[1:], npy(descr, [3], [1, -2, 3], fmt))
    put("npy", "mat%s" % descr[1:], npy(descr, [2, 3], range(6), fmt))
put("npy", "empty", npy("<f4", [0, 4], [], "f"))

artifacts = sorted(glob.glob(os.path.join(root, "runtime/unittests/Inputs/*.smca")))
smc = os.environ.get("SMC_BIN")
for model in sorted(glob.glob(os.path.join(root, "examples/*.mlir"))) if smc else []:
    out = os.path.join(corpus, "artifact",
                       os.path.basename(model).replace(".mlir", ".smca"))
    if not os.path.exists(out) and subprocess.run(
            [smc, "compile", model, "--ptx", "-o", out],
            capture_output=True).returncode != 0:
        sys.exit("seed.py: smc compile %s failed" % model)
    artifacts.append(out)
dims, references = {"b", "T", "S", "S+1", "S*4", "(T+63)/64", "min(T,64)*b",
                    "max(b,S)-1", "2*T-b"}, set()
for path in artifacts:
    data = open(path, "rb").read()
    put("artifact", os.path.basename(path), data)
    for line in data.split(b"\n"):
        fields = line.decode("utf-8", "replace").split()
        if fields[:1] == ["reference"]:
            references.add(" ".join(fields[1:]))
        elif fields[:1] in (["input"], ["output"], ["buffer"]):
            dims.update(fields[3:] if fields[0] != "input" else fields[4:])
for i, d in enumerate(sorted(dims)):
    put("expr", "dim%d" % i, d)
for i, r in enumerate(sorted(references)):
    put("refdirective", "ref%d" % i, r)
