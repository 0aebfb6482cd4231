// Integer division in a custom mask region never traps and means the same on
// the CPU and in the float64 reference: by zero it is 0, and a signed one by
// -1 is the negation (remainder 0). Non-causal, so the region also sees
// s > t; f32, h = 2, p = 4, n = 8. The entry uses every division op of arith
// on d = t - s (zero on the diagonal, -1 just above it):
//   L[t, s] = 1 / (1 + |q1| + |q2| + ...) with q1 = 6 / d, q2 = 6 % d,
//   q3 = ceil(7 / d), q4 = floor(7 / d), and unsigned 9 / |d|, 9 % |d|,
//   ceil(9 / |d|) (|d| = 0 on the diagonal).
// Without the defined meaning the CPU run dies with SIGFPE on the diagonal.

// RUN: smc run %s --check --seqlen=9 --batch=2 --seed=1200 | FileCheck %s
// RUN: smc run %s --check --seqlen=300 --batch=1 --seed=1201 | FileCheck %s
// RUN: smc-opt %s --sma-select-form --sma-decompose-forms | FileCheck %s --check-prefix=IR

// CHECK: contraction 0: form quadratic
// CHECK: auto 0 {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

// The division by zero is guarded in the tile program: the divisor is made
// safe, and the result selected.
// IR:      %[[D:.*]] = arith.subi {{.*}} : i64
// IR:      %[[ZERO:.*]] = arith.constant 0 : i64
// IR-NEXT: %[[ONE:.*]] = arith.constant 1 : i64
// IR:      %[[BYZERO:.*]] = arith.cmpi eq, %[[D]], %{{.*}} : i64
// IR:      %[[BYM1:.*]] = arith.cmpi eq, %[[D]], %{{.*}} : i64
// IR-NEXT: %[[S0:.*]] = arith.select %[[BYZERO]], %[[ONE]], %[[D]] : i64
// IR-NEXT: %[[S1:.*]] = arith.select %[[BYM1]], %[[ONE]], %[[S0]] : i64
// IR-NEXT: %[[Q:.*]] = arith.divsi %{{.*}}, %[[S1]] : i64
// IR-NEXT: %[[N:.*]] = arith.subi %[[ZERO]], %{{.*}} : i64
// IR-NEXT: %[[QM:.*]] = arith.select %[[BYM1]], %[[N]], %[[Q]] : i64
// IR-NEXT: arith.select %[[BYZERO]], %[[ZERO]], %[[QM]] : i64

func.func @custom_division(%c: tensor<?x?x1x8xf32>, %b: tensor<?x?x1x8xf32>, %x: tensor<?x?x2x4xf32>) -> tensor<?x?x2x4xf32> {
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: index, %head: index):
    %ti = arith.index_cast %t : index to i64
    %si = arith.index_cast %s : index to i64
    %d = arith.subi %ti, %si : i64
    %six = arith.constant 6 : i64
    %seven = arith.constant 7 : i64
    %nine = arith.constant 9 : i64
    %q1 = arith.divsi %six, %d : i64
    %q2 = arith.remsi %six, %d : i64
    %q3 = arith.ceildivsi %seven, %d : i64
    %q4 = arith.floordivsi %seven, %d : i64
    %zero = arith.constant 0 : i64
    %neg = arith.subi %zero, %d : i64
    %neg_d = arith.cmpi slt, %d, %zero : i64
    %abs = arith.select %neg_d, %neg, %d : i64
    %q5 = arith.divui %nine, %abs : i64
    %q6 = arith.remui %nine, %abs : i64
    %q7 = arith.ceildivui %nine, %abs : i64
    %one = arith.constant 1.0 : f32
    %acc0 = arith.constant 1.0 : f32
    %f1 = arith.sitofp %q1 : i64 to f32
    %f2 = arith.sitofp %q2 : i64 to f32
    %f3 = arith.sitofp %q3 : i64 to f32
    %f4 = arith.sitofp %q4 : i64 to f32
    %f5 = arith.sitofp %q5 : i64 to f32
    %f6 = arith.sitofp %q6 : i64 to f32
    %f7 = arith.sitofp %q7 : i64 to f32
    %a1 = math.absf %f1 : f32
    %a2 = math.absf %f2 : f32
    %a3 = math.absf %f3 : f32
    %a4 = math.absf %f4 : f32
    %s1 = arith.addf %acc0, %a1 : f32
    %s2 = arith.addf %s1, %a2 : f32
    %s3 = arith.addf %s2, %a3 : f32
    %s4 = arith.addf %s3, %a4 : f32
    %s5 = arith.addf %s4, %f5 : f32
    %s6 = arith.addf %s5, %f6 : f32
    %s7 = arith.addf %s6, %f7 : f32
    %r = arith.divf %one, %s7 : f32
    sma.yield %r : f32
  }
  %y = sma.contract C(%c : tensor<?x?x1x8xf32>) B(%b : tensor<?x?x1x8xf32>) X(%x : tensor<?x?x2x4xf32>) mask(%m) -> tensor<?x?x2x4xf32>
  return %y : tensor<?x?x2x4xf32>
}
