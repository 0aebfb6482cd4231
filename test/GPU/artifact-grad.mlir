// smc compile --grad writes one artifact with three entries: the model, its
// forward that also returns what the backward reads (@f_fwd) and the
// backward (@f_bwd), whose inputs are @f's inputs, @f_fwd's outputs and one
// gradient per result (d_<output>), and whose outputs are the gradients of
// the float inputs (d_<input>). PTX, so this runs everywhere.
// RUN: smc compile %s --grad --ptx --form=chunked --chunk=16 -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LOG
// RUN: FileCheck %s < %t

// LOG: smc: wrote {{.*}} (entries decay, decay_fwd, decay_bwd;

// CHECK: entry decay
// CHECK: output y f32 b T 4 8
// CHECK-NEXT: output final_state f32 b 4 8 16
// CHECK: end
// CHECK-NEXT: entry decay_fwd
// CHECK: end
// CHECK-NEXT: entry decay_bwd
// CHECK-NEXT: input C f32 normal b T 1 16
// CHECK-NEXT: input B f32 normal b T 1 16
// CHECK-NEXT: input X f32 normal b T 4 8
// CHECK-NEXT: input log_decay f32 log_decay b T 4
// CHECK-NEXT: input init_state f32 normal S 4 8 16
// CHECK-NEXT: input y f32 normal b T 4 8
// CHECK-NEXT: input final_state f32 normal b 4 8 16
// CHECK-NEXT: input d_y f32 normal b T 4 8
// CHECK-NEXT: input d_final_state f32 normal b 4 8 16
// CHECK-NEXT: output d_C f32 b T 1 16
// CHECK-NEXT: output d_B f32 b T 1 16
// CHECK-NEXT: output d_X f32 b T 4 8
// CHECK-NEXT: output d_log_decay f32 b T 4
// CHECK-NEXT: output d_init_state f32 b 4 8 16
// CHECK: launch
// CHECK: reference contract C=C B=B X=X mask=decay(log_decay) init=init_state y=y final=final_state grad=decay_fwd
// CHECK-NEXT: end
// CHECK-NEXT: data

// A model the backward cannot be derived for is a diagnostic.
// RUN: not smc compile %S/Inputs/grad-custom.mlir --grad --ptx \
// RUN:   -o %t.bad 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: op has per-position operands, whose gradient needs the derivative of its region
// BAD: smc: error: {{.*}}: the backward of @custom cannot be derived

func.func @decay(%c: tensor<?x?x1x16xf32>, %b: tensor<?x?x1x16xf32>,
                 %x: tensor<?x?x4x8xf32>, %a: tensor<?x?x4xf32>,
                 %h0: tensor<?x4x8x16xf32>)
    -> (tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>) {
  %d = sma.mask.decay %a : tensor<?x?x4xf32>
  %y, %f = sma.contract C(%c : tensor<?x?x1x16xf32>) B(%b : tensor<?x?x1x16xf32>)
      X(%x : tensor<?x?x4x8xf32>) mask(%d) init(%h0 : tensor<?x4x8x16xf32>)
      -> tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>
  return %y, %f : tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>
}
