// smc-runner checks the inputs' host memory before making them: a huge
// --seqlen is a diagnostic naming the bytes, the limit and the largest
// input (exit 2), not an allocation failure. Runs without a GPU: the check
// comes before the device is touched.
// REQUIRES: smc-runner, ptxas
// RUN: smc compile %S/summary.mlir -o %t.smca
// RUN: not smc-runner run %t.smca --seqlen 1000000000000 2>&1 | FileCheck %s
// CHECK: smc-runner: error: {{.*}}.smca: the inputs need {{[0-9.]+}} GB of host memory (16 bytes an element), more than this machine's {{[0-9.]+}} GB; the largest is {{[a-zA-Z_0-9]+}} [{{[0-9,]+}}]
