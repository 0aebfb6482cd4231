// A custom mask region may use the math dialect's functions and the integer
// min/max/logic ops: the CPU lowers them (LLVM intrinsics, libm, or
// arithmetic where libm has no function: rsqrt, fpowi), the float64
// reference interprets them, and the GPU compiles them (libdevice, then
// LLVM intrinsics for absi and trunc). Not yet: math.ipowi (no upstream
// expansion). Non-causal, f32, h = 2, p = 4, n = 8.
// With y = 0.05 |t - s| (continuous) and z = (|t - s| mod 4) / 2 + 1/4
// (exact quarters, never a rounding tie in f32 or f64), the entry is
//   L[t, s] = 1 / (1 + sum of |f(y)| over the functions, + rounded z's).

// RUN: smc run %s --check --seqlen=9 --batch=2 --seed=1300 | FileCheck %s
// RUN: smc run %s --check --seqlen=200 --batch=1 --seed=1301 | FileCheck %s
// RUN: smc compile %s -o %t.smca 2>&1 | FileCheck %s --check-prefix=GPU

// CHECK: contraction 0: form quadratic
// CHECK: auto 0 {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL
// GPU: smc: wrote {{.*}}.smca (1 kernels

func.func @custom_math(%c: tensor<?x?x1x8xf32>, %b: tensor<?x?x1x8xf32>, %x: tensor<?x?x2x4xf32>) -> tensor<?x?x2x4xf32> {
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: index, %head: index):
    %ti = arith.index_cast %t : index to i64
    %si = arith.index_cast %s : index to i64
    %d0 = arith.subi %ti, %si : i64
    %d = math.absi %d0 : i64
    %df = arith.sitofp %d : i64 to f32
    %k = arith.constant 0.05 : f32
    %y = arith.mulf %df, %k : f32
    %one = arith.constant 1.0 : f32
    %half = arith.constant 0.5 : f32
    %quarter = arith.constant 0.25 : f32
    %four = arith.constant 4 : i64
    %dm = arith.remsi %d, %four : i64
    %dmf = arith.sitofp %dm : i64 to f32
    %zh = arith.mulf %dmf, %half : f32
    %z = arith.addf %zh, %quarter : f32
    %y1 = arith.addf %y, %one : f32
    %yh = arith.mulf %y, %half : f32
    %yt = math.tanh %yh : f32
    %m1 = arith.constant -1.0 : f32
    %three = arith.constant 3 : i32
    %two = arith.constant 2 : i64
    %f01 = math.cos %y : f32
    %f02 = math.sin %y : f32
    %f03 = math.tan %yh : f32
    %f04 = math.atan %y : f32
    %f05 = math.atan2 %y, %y1 : f32
    %f06 = math.sinh %yh : f32
    %f07 = math.cosh %yh : f32
    %f08 = math.asinh %y : f32
    %f09 = math.acosh %y1 : f32
    %f10 = math.atanh %yt : f32
    %f11 = math.erf %y : f32
    %f12 = math.erfc %y : f32
    %f13 = math.cbrt %y1 : f32
    %f14 = math.log10 %y1 : f32
    %f15 = math.rsqrt %y1 : f32
    %f16 = math.floor %z : f32
    %f17 = math.ceil %z : f32
    %f18 = math.round %z : f32
    %f19 = math.roundeven %z : f32
    %f20 = math.trunc %z : f32
    %f21 = math.fpowi %y1, %three : f32, i32
    %f22 = math.copysign %y, %m1 : f32
    %f23 = math.fma %y, %y, %one : f32
    %f24 = math.asin %yt : f32
    %f25 = math.acos %yt : f32
    %ip = arith.muli %dm, %dm : i64
    %mx = arith.maxsi %dm, %two : i64
    %mn = arith.minsi %dm, %two : i64
    %odd = arith.andi %d, %two : i64
    %any = arith.ori %dm, %two : i64
    %flip = arith.xori %dm, %two : i64
    %i1 = arith.addi %ip, %mx : i64
    %i2 = arith.addi %i1, %mn : i64
    %i3 = arith.addi %i2, %odd : i64
    %i4 = arith.addi %i3, %any : i64
    %i5 = arith.addi %i4, %flip : i64
    %fi = arith.sitofp %i5 : i64 to f32
    %tenth = arith.constant 0.1 : f32
    %f26 = arith.mulf %fi, %tenth : f32
    %a01 = math.absf %f01 : f32
    %a02 = math.absf %f02 : f32
    %a03 = math.absf %f03 : f32
    %a04 = math.absf %f04 : f32
    %a05 = math.absf %f05 : f32
    %a06 = math.absf %f06 : f32
    %a07 = math.absf %f07 : f32
    %a08 = math.absf %f08 : f32
    %a09 = math.absf %f09 : f32
    %a10 = math.absf %f10 : f32
    %a11 = math.absf %f11 : f32
    %a12 = math.absf %f12 : f32
    %a13 = math.absf %f13 : f32
    %a14 = math.absf %f14 : f32
    %a15 = math.absf %f15 : f32
    %a16 = math.absf %f16 : f32
    %a17 = math.absf %f17 : f32
    %a18 = math.absf %f18 : f32
    %a19 = math.absf %f19 : f32
    %a20 = math.absf %f20 : f32
    %a21 = math.absf %f21 : f32
    %a22 = math.absf %f22 : f32
    %a23 = math.absf %f23 : f32
    %a24 = math.absf %f24 : f32
    %a25 = math.absf %f25 : f32
    %s01 = arith.addf %one, %a01 : f32
    %s02 = arith.addf %s01, %a02 : f32
    %s03 = arith.addf %s02, %a03 : f32
    %s04 = arith.addf %s03, %a04 : f32
    %s05 = arith.addf %s04, %a05 : f32
    %s06 = arith.addf %s05, %a06 : f32
    %s07 = arith.addf %s06, %a07 : f32
    %s08 = arith.addf %s07, %a08 : f32
    %s09 = arith.addf %s08, %a09 : f32
    %s10 = arith.addf %s09, %a10 : f32
    %s11 = arith.addf %s10, %a11 : f32
    %s12 = arith.addf %s11, %a12 : f32
    %s13 = arith.addf %s12, %a13 : f32
    %s14 = arith.addf %s13, %a14 : f32
    %s15 = arith.addf %s14, %a15 : f32
    %s16 = arith.addf %s15, %a16 : f32
    %s17 = arith.addf %s16, %a17 : f32
    %s18 = arith.addf %s17, %a18 : f32
    %s19 = arith.addf %s18, %a19 : f32
    %s20 = arith.addf %s19, %a20 : f32
    %s21 = arith.addf %s20, %a21 : f32
    %s22 = arith.addf %s21, %a22 : f32
    %s23 = arith.addf %s22, %a23 : f32
    %s24 = arith.addf %s23, %a24 : f32
    %s25 = arith.addf %s24, %a25 : f32
    %s26 = arith.addf %s25, %f26 : f32
    %r = arith.divf %one, %s26 : f32
    sma.yield %r : f32
  }
  %y = sma.contract C(%c : tensor<?x?x1x8xf32>) B(%b : tensor<?x?x1x8xf32>) X(%x : tensor<?x?x2x4xf32>) mask(%m) -> tensor<?x?x2x4xf32>
  return %y : tensor<?x?x2x4xf32>
}
