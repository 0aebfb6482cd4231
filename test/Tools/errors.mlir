// Bad input is a clear diagnostic with a location and a non-zero exit.
// RUN: not smc summary %S/Inputs/bad_heads.mlir 2>&1 | FileCheck %s --check-prefix=VERIFY
// RUN: not smc summary %S/Inputs/syntax.mlir 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not smc summary %t.does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not smc explain %S/Inputs/bad_heads.mlir 2>&1 | FileCheck %s --check-prefix=VERIFY
// RUN: not smc run %S/Inputs/bad_heads.mlir --check 2>&1 | FileCheck %s --check-prefix=VERIFY
// RUN: not smc run %S/summary.mlir --seqlens=3,4 --batch=2 2>&1 | FileCheck %s --check-prefix=SHAPES
// RUN: not smc run %S/summary.mlir --form=diagonal 2>&1 | FileCheck %s --check-prefix=FORM
// RUN: not smc explain %S/summary.mlir --target=tpu 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not smc 2>&1 | FileCheck %s --check-prefix=NOCMD
// RUN: not smc run %S/Inputs/mask_result.mlir --check 2>&1 | FileCheck %s --check-prefix=RESULT
// RUN: not smc run %S/summary.mlir --seqlen=1000000000000 2>&1 | FileCheck %s --check-prefix=MEMORY
// RUN: not smc run %S/summary.mlir --form=chunked --chunk=2097152 2>&1 | FileCheck %s --check-prefix=CHUNK
// RUN: not smc compile %S/Inputs/state_too_big.mlir -o %t.big.smca 2>&1 | FileCheck %s --check-prefix=GPU-SIZE
// RUN: smc run %S/Inputs/state_too_big.mlir --check --seqlen=5 | FileCheck %s --check-prefix=CPU-SIZE
// RUN: not smc summary %S/Inputs/dense_array_index.mlir 2>&1 | FileCheck %s --check-prefix=UPSTREAM
// RUN: python3 -c "print('func.func @f() attributes {a = ' + '['*50000 + ']'*50000 + '} {return}')" > %t.deep.mlir
// RUN: not smc summary %t.deep.mlir 2>&1 | FileCheck %s --check-prefix=DEEP
// smc-opt (MLIR's own driver) is contained the same way: the crash is an
// error with exit 2, and 50,000 brackets fit its parser's large stack.
// RUN: not smc-opt %S/Inputs/dense_array_index.mlir 2>&1 | FileCheck %s --check-prefix=OPT-UPSTREAM
// RUN: smc-opt %t.deep.mlir | FileCheck %s --check-prefix=OPT-DEEP

// VERIFY: bad_heads.mlir:3:8: error: 'sma.contract' op heads (4) must be a multiple of groups (3)
// VERIFY: smc: error: '{{.*}}bad_heads.mlir' is not a valid model

// SYNTAX: syntax.mlir:2:{{[0-9]+}}: error:
// SYNTAX: smc: error: '{{.*}}syntax.mlir' is not a valid model

// MISSING: smc: error: cannot read '{{.*}}does-not-exist.mlir': No such file or directory

// SHAPES: smc: error: {{.*}}summary.mlir: --seqlens: the model has no cu_seqlens input, so it cannot pack sequences

// FORM: unknown form 'diagonal' (expected linear, quadratic or chunked)

// TARGET: smc: error: unknown target 'tpu' (expected h200, h100, a100 or cpu)

// NOCMD: smc: error: no subcommand given; see 'smc --help'

// RESULT: smc: error: {{.*}}mask_result.mlir: result 0 of @f: expected a ranked tensor of f64, f32, f16, bf16, i32 or i64, got !sma.mask

// MEMORY: smc: error: {{.*}}summary.mlir: the inputs need {{[0-9.]+}} GB of host memory (16 bytes an element), more than this machine's {{[0-9.]+}} GB; the largest is {{[a-zA-Z_0-9]+}} [{{[0-9,]+}}]

// CHUNK: error: 'sma.contract' op chunk 2097152 is larger than the CPU tiles support (at most 4096)

// GPU-SIZE: state_too_big.mlir:5:8: error: 'sma.contract' op state of p = 64 by n = 1024 is larger than the GPU kernels support (p, n <= 256 and p x n <= 16384 after padding each to a power of two, e.g. 64 x 256 or 128 x 128); the CPU target has no such limit
// GPU-SIZE: smc: error: {{.*}}state_too_big.mlir: lowering to GPU kernels failed
// CPU-SIZE: PASS

// UPSTREAM: smc: error: '{{.*}}dense_array_index.mlir': internal error in MLIR's parser (upstream LLVM 22, e.g. on nesting too deep or a malformed dense array); the input is not a valid model
// OPT-UPSTREAM: smc-opt: error: internal error (a crash in MLIR or smc, e.g. upstream LLVM 22's parser on a malformed dense array); the input was not processed
// OPT-DEEP: func.func @f() attributes {a = {{\[\[\[}}
// DEEP: smc: error: '{{.*}}.deep.mlir': brackets nested 50001 deep (at most 10000); the input is not a valid model
