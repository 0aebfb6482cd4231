#!/usr/bin/env python3
"""Builds GPU test artifacts from fixtures.cu (needs nvcc, not a GPU).

    runtime/test/make_fixtures.py OUTDIR [--arch sm_90]

Writes artifacts that exercise the runtime end to end independently of
`smc compile`: cubin and PTX modules, memref/ptr/i64/i32 arguments,
intermediate buffers, ceil-division grids, dynamic shared memory above 48 KB
(constant and T-dependent), packed sequences, both `reference` models, and
artifacts that must fail to load with a clear message (bad-*.smca).
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

CONTRACT_IO = """\
input C f32 normal b T 1 16
input B f32 normal b T 1 16
input X f32 normal b T 4 8
"""


def artifact(target, modules, body):
    """modules: [(name, format, bytes)]; body: kernels and entries."""
    header = f"smc-artifact 1\n# Test fixture from runtime/test/fixtures.cu\n"
    header += f"target {target}\n"
    for name, fmt, blob in modules:
        header += f"module {name} {fmt} {len(blob)}\n"
    header += body + "data\n"
    return header.encode() + b"".join(blob for _, _, blob in modules)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--arch", default="sm_90")
    parser.add_argument("--nvcc", default="nvcc")
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    source = os.path.join(HERE, "fixtures.cu")
    compute = args.arch.replace("sm_", "compute_")
    with tempfile.TemporaryDirectory() as tmp:
        cubin_path = os.path.join(tmp, "f.cubin")
        ptx_path = os.path.join(tmp, "f.ptx")
        subprocess.run([args.nvcc, "-cubin", f"-arch={args.arch}", "-O3",
                        "-o", cubin_path, source], check=True)
        subprocess.run([args.nvcc, "-ptx", f"-arch={compute}", "-O3", "-o",
                        ptx_path, source], check=True)
        cubin = open(cubin_path, "rb").read()
        ptx = open(ptx_path, "rb").read()

    contract = ("kernel k0 m0 contract_causal\nentry contract\n" + CONTRACT_IO +
                "output Y f32 b T 4 8\n"
                "launch k0 grid b*T 4 1 block 8 1 1 "
                "args memref:C memref:B memref:X memref:Y\n"
                "reference contract C=C B=B X=X mask=causal y=Y\nend\n")
    varlen = ("kernel k0 m0 contract_causal_varlen\nentry contract_varlen\n" +
              CONTRACT_IO + "input cu_seqlens i64 offsets S+1\n"
              "output Y f32 b T 4 8\n"
              "launch k0 grid b*T 4 1 block 8 1 1 args memref:C memref:B "
              "memref:X memref:Y ptr:cu_seqlens i64:S\n"
              "reference contract C=C B=B X=X mask=causal seqs=cu_seqlens "
              "y=Y\nend\n")
    ssd = """\
kernel kdt m0 ssd_dt
kernel ky m0 ssd_y shared 65536
kernel kf m0 ssd_final shared T*4+49152
entry ssd
input x bf16 normal b T 4 8
input dt f32 dt_raw b T 4
input A f32 a_log 4
input B bf16 normal b T 1 16
input C bf16 normal b T 1 16
input D f32 normal 4
input dt_bias f32 dt_bias_raw 4
output y bf16 b T 4 8
output final_state f32 S 4 8 16
buffer dtp f32 b T 4
launch kdt grid (b*T*4+127)/128 1 1 block 128 1 1 args memref:dt ptr:dt_bias ptr:dtp i64:b*T*4 i32:1
launch ky grid b*T 4 1 block 32 1 1 args memref:x ptr:dtp ptr:A memref:B memref:C ptr:D memref:y
launch kf grid b 4 1 block 128 1 1 args memref:x ptr:dtp ptr:A memref:B memref:final_state
reference ssd x=x dt=dt A=A B=B C=C D=D dt_bias=dt_bias softplus=1 y=y final=final_state
end
"""
    files = {
        "contract-f32.smca": artifact(args.arch, [("m0", "cubin", cubin)],
                                      contract),
        "contract-varlen-ptx.smca": artifact(
            args.arch, [("m0", "ptx", ptx)], varlen),
        "ssd-bf16.smca": artifact(args.arch, [("m0", "cubin", cubin)], ssd),
        # Both in one artifact: two modules, two entries.
        "two-entries.smca": artifact(
            args.arch, [("m0", "cubin", cubin), ("m1", "ptx", ptx)],
            contract + varlen.replace("kernel k0 m0", "kernel k1 m1")
            .replace("launch k0", "launch k1")),
        # Must fail to load, each with a clear message.
        "bad-args.smca": artifact(
            args.arch, [("m0", "cubin", cubin)],
            contract.replace(" memref:Y\n", "\n")),
        "bad-symbol.smca": artifact(
            args.arch, [("m0", "cubin", cubin)],
            contract.replace("contract_causal\n", "contract_causl\n")),
        "bad-image.smca": artifact(
            args.arch, [("m0", "cubin", b"\x7fELF not really a cubin")],
            contract),
        "bad-ptx.smca": artifact(
            args.arch, [("m0", "ptx", b".version 9.0\n.target sm_90\n"
                         b".address_size 64\nthis is not ptx;\n")],
            contract),
        "bad-shared.smca": artifact(
            args.arch, [("m0", "cubin", cubin)],
            contract.replace("contract_causal\n",
                             "contract_causal shared 300000\n")),
        "bad-arch.smca": artifact("sm_100a", [("m0", "cubin", cubin)],
                                  contract),
    }
    for name, data in files.items():
        with open(os.path.join(args.outdir, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(files)} artifacts to {args.outdir}")


if __name__ == "__main__":
    sys.exit(main())
