//===- SmaOps.td - sma dialect operations ------------------*- tablegen -*-===//

#ifndef SMA_OPS_TD
#define SMA_OPS_TD

include "dialect/sma/SmaBase.td"
include "dialect/sma/MaskInterface.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Sma_Op<string mnemonic, list<Trait> traits = []>
    : Op<Sma_Dialect, mnemonic, traits>;

// Activations and keys: bf16, f16 or f32. Decays and states are always f32.
def Sma_DataTensor : TensorRankOf<[BF16, F16, F32], [4]>;
def Sma_StateTensor : TensorRankOf<[F32], [4]>;
def Sma_PositionTensor : TensorRankOf<[F32], [3]>;
def Sma_HeadVector : TensorRankOf<[F32], [1]>;
def Sma_SeqlensTensor : TensorRankOf<[I32, I64], [1]>;

// A mask op, with the interface methods it overrides (the others keep the
// defaults of MaskInterface.td).
class Sma_MaskOp<string mnemonic, list<string> overrides,
                 list<Trait> traits = []>
    : Sma_Op<"mask." # mnemonic, !listconcat(traits, [Pure,
        DeclareOpInterfaceMethods<MaskOpInterface, overrides>])> {
  let results = (outs Sma_MaskType:$mask);
}

//===----------------------------------------------------------------------===//
// Masks
//===----------------------------------------------------------------------===//

def Sma_CausalMaskOp : Sma_MaskOp<"causal",
    ["isSemiseparable", "isToeplitz"]> {
  let summary = "The causal mask: L[t, s] = 1 for s <= t (linear attention)";
  let description = [{
    Lower-triangular ones. Semiseparable (the state is a plain running sum)
    and Toeplitz; all three forms are legal.

    ```mlir
    %m = sma.mask.causal
    ```
  }];
  let assemblyFormat = "attr-dict";
}

def Sma_FixedDecayMaskOp : Sma_MaskOp<"fixed_decay",
    ["isSemiseparable", "isToeplitz", "hasLogDecay", "verifyForUse",
     "buildLogDecay"]> {
  let summary = "Per-head fixed decay: L[t, s] = gamma_h^(t - s) (RetNet)";
  let description = [{
    One constant decay `0 < gamma_h <= 1` per head, known at compile time.
    Semiseparable and Toeplitz. The number of values must equal the number of
    heads of the contraction that uses the mask.

    ```mlir
    %m = sma.mask.fixed_decay [0.96875, 0.984375, 0.9921875, 0.99609375]
    ```
  }];
  let arguments = (ins DenseF64ArrayAttr:$gamma);
  // A custom directive: the stripped form of DenseF64ArrayAttr prints six
  // significant digits, which would change the decays on a round trip.
  let assemblyFormat = "custom<ExactFloatList>($gamma) attr-dict";
  let hasVerifier = 1;
}

def Sma_DecayMaskOp : Sma_MaskOp<"decay",
    ["isSemiseparable", "hasLogDecay", "getPositionOperands",
     "buildLogDecay"]> {
  let summary = "Data-dependent decay: L[t, s] = exp(sum_{k=s+1..t} a_k) (Mamba-2)";
  let description = [{
    A per-position, per-head log-decay `a : [b, T, h]` with `a <= 0`, as in
    Mamba-2 where `a = dt * A`. Semiseparable and data dependent; decays are
    evaluated in log space as differences of chunk-local sums, never as
    quotients of products.

    ```mlir
    %m = sma.mask.decay %a : tensor<?x?x80xf32>
    ```
  }];
  let arguments = (ins Sma_PositionTensor:$log_decay);
  let assemblyFormat = "$log_decay attr-dict `:` type($log_decay)";
}

def Sma_WindowMaskOp : Sma_MaskOp<"window",
    ["isToeplitz", "getBandwidth", "buildFactor"]> {
  let summary = "Sliding window: L[t, s] = 1 for 0 <= t - s < width";
  let description = [{
    A causal band of `width` positions. Banded, so not a constant-size state:
    only the quadratic form is legal, and it may skip blocks outside the band.

    ```mlir
    %m = sma.mask.window 128
    ```
  }];
  let arguments = (ins I64Attr:$width);
  let assemblyFormat = "$width attr-dict";
  let hasVerifier = 1;
}

def Sma_MulMaskOp : Sma_MaskOp<"mul",
    ["isCausal", "isAntiCausal", "isSemiseparable", "isToeplitz",
     "isDataDependent", "getBandwidth", "hasLogDecay", "getParts"]> {
  let summary = "Hadamard product of two masks: L = L1 o L2";
  let description = [{
    The elementwise product. Its structure comes from the parts: it is causal
    (or anti-causal) if either part is, semiseparable if both are and their
    recurrences run in the same direction, banded with the smaller
    bandwidth.

    ```mlir
    %w = sma.mask.window 64
    %d = sma.mask.decay %a : tensor<?x?x8xf32>
    %m = sma.mask.mul %w, %d
    ```
  }];
  let arguments = (ins Sma_MaskType:$lhs, Sma_MaskType:$rhs);
  let assemblyFormat = "$lhs `,` $rhs attr-dict";
  let hasVerifier = 1;
}

def Sma_TransposeMaskOp : Sma_MaskOp<"transpose",
    ["isCausal", "isAntiCausal", "isSemiseparable", "isToeplitz",
     "isDataDependent", "getBandwidth", "hasLogDecay", "getParts"]> {
  let summary = "The transpose of a mask: L'[t, s] = L[s, t]";
  let description = [{
    The mask read with its positions swapped. The transpose of a causal
    mask is anti-causal (zero below the diagonal); the transpose of a
    semiseparable one is semiseparable with its recurrence running right to
    left, `h_t = x_t B_t^T + exp(ld[t+1]) h_{t+1}`, so all three forms stay
    legal. It is how the backward of a contraction reads its mask:
    `dX = (L^T o B C^T) dY`.

    States of an anti-causal contraction enter and leave at the other end:
    the initial state is the one carried in from the right of the sequence
    (`y_t += exp(ld[t+1] + ... + ld[T-1]) H0 C_t`) and the final state is
    the one left after the first position,
    `exp(ld[0] + ... + ld[T-1]) H0 + sum_s exp(ld[0] + ... + ld[s]) x_s B_s^T`.

    ```mlir
    %d = sma.mask.decay %a : tensor<?x?x8xf32>
    %m = sma.mask.transpose %d
    ```
  }];
  let arguments = (ins Sma_MaskType:$source);
  let assemblyFormat = "$source attr-dict";
  let hasVerifier = 1;
}

def Sma_CustomMaskOp : Sma_MaskOp<"custom",
    ["isCausal", "getPositionOperands", "getFactorRegion"],
    [SingleBlock, IsolatedFromAbove]> {
  let summary = "A mask computed by a region from (t, s, head, operands)";
  let description = [{
    The region computes `L[t, s]` as an f32. Its block arguments are the
    positions `t` and `s` relative to the start of their sequence (index), the
    head (index), then for each operand (a `[b, T, h]` f32 tensor) its value
    at `t` and its value at `s`. With `causal`, entries above the diagonal are
    zero and the region is evaluated only for `s <= t`. The structure is
    unknown, so only the quadratic form is legal.

    Integer division in the region never traps: `divsi`, `divui`,
    `ceildivsi`, `ceildivui`, `floordivsi`, `remsi` and `remui` by zero give
    0, and a signed one by -1 gives the wrapping negation (divisions) or 0
    (`remsi`), on every target and in the float64 reference.

    An ALiBi-style mask with a per-position slope:

    ```mlir
    %m = sma.mask.custom causal (%slope : tensor<?x?x8xf32>) {
    ^bb0(%t: index, %s: index, %h: index, %slope_t: f32, %slope_s: f32):
      %d = arith.subi %t, %s : index
      %di = arith.index_cast %d : index to i64
      %df = arith.sitofp %di : i64 to f32
      %e = arith.mulf %slope_t, %df : f32
      %n = arith.negf %e : f32
      %v = math.exp %n : f32
      sma.yield %v : f32
    }
    ```
  }];
  let arguments = (ins UnitAttr:$causal,
                       Variadic<Sma_PositionTensor>:$inputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`causal` $causal^)? (`(` $inputs^ `:` type($inputs) `)`)? $body attr-dict
  }];
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "bool":$causal, "::mlir::ValueRange":$inputs)>];
}

def Sma_YieldOp : Sma_Op<"yield", [Pure, Terminator,
    HasParent<"CustomMaskOp">]> {
  let summary = "Yields the f32 entry L[t, s] of a custom mask";
  let description = [{
    Terminates the region of `sma.mask.custom`.

    ```mlir
    sma.yield %v : f32
    ```
  }];
  let arguments = (ins F32:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def Sma_ContractOp : Sma_Op<"contract", [Pure, AttrSizedOperandSegments,
    AllElementTypesMatch<["C", "B"]>]> {
  let summary = "Structured masked attention: Y = (L o C B^T) X";
  let description = [{
    The core op. For every batch (or packed sequence) and head `i`,
    `Y = (L o C_g B_g^T) X_i` with group `g = i / (h / groups)`.

    - `C`, `B`: `[b, T, g, n]` of one element type; `X`, `y`: `[b, T, h, p]`
      of one element type (bf16, f16 or f32 each); `h % g == 0`.
    - `mask`: a `!sma.mask` from a mask op.
    - `init`: an optional f32 initial state `[S, h, p, n]`; a final state
      result of the same shape is optional. States need a semiseparable mask.
    - `seqs`: optional `cu_seqlens` (`S + 1` offsets, b = 1) of packed
      variable-length sequences: no information crosses a boundary and every
      sequence has its own initial and final state.
    - `form`: the dual form (`#sma.form<...>`); set by `sma-select-form` or
      forced by the user. Linear and chunked need a semiseparable mask.

    ```mlir
    %d = sma.mask.decay %a : tensor<2x256x8xf32>
    %y, %s = sma.contract C(%c : tensor<2x256x1x64xbf16>)
        B(%b : tensor<2x256x1x64xbf16>) X(%x : tensor<2x256x8x32xbf16>)
        mask(%d) init(%s0 : tensor<2x8x32x64xf32>)
        {form = #sma.form<chunked, 64>}
        -> tensor<2x256x8x32xbf16>, tensor<2x8x32x64xf32>
    ```
  }];
  let arguments = (ins Sma_DataTensor:$C, Sma_DataTensor:$B,
                       Sma_DataTensor:$X, Sma_MaskType:$mask,
                       Optional<Sma_StateTensor>:$init_state,
                       Optional<Sma_SeqlensTensor>:$cu_seqlens,
                       OptionalAttr<Sma_FormAttr>:$form);
  let results = (outs Sma_DataTensor:$y,
                      Optional<Sma_StateTensor>:$final_state);
  let assemblyFormat = [{
    `C` `(` $C `:` type($C) `)` `B` `(` $B `:` type($B) `)`
    `X` `(` $X `:` type($X) `)` `mask` `(` $mask `)`
    (`init` `(` $init_state^ `:` type($init_state) `)`)?
    (`seqs` `(` $cu_seqlens^ `:` type($cu_seqlens) `)`)?
    attr-dict `->` type($y) (`,` type($final_state)^)?
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The op defining the mask operand (verified to exist).
    MaskOpInterface getMaskOp();
    /// The checks that read the mask's structure, which the verifier (local
    /// to the op) does not make: the mask's operands and attributes fit the
    /// contraction, states have a semiseparable mask, the form is legal.
    /// Errors are emitted on the op.
    ::mlir::LogicalResult verifyMask();
    /// Whether `kind` is legal for the mask; an error on the op if not.
    ::mlir::LogicalResult verifyForm(FormKind kind);
  }];
}

def Sma_SsdOp : Sma_Op<"ssd", [Pure, AttrSizedOperandSegments,
    AllElementTypesMatch<["x", "B", "C", "y"]>]> {
  let summary = "The Mamba-2 selective state space mixer (SSD)";
  let description = [{
    Mirrors the reference Mamba-2 chunked-scan call: `x [b,T,h,p]`,
    `dt [b,T,h]`, `A [h]`, `B, C [b,T,g,n]`, and optionally `D [h]`,
    `z [b,T,h,p]`, `dt_bias [h]`, `dt_softplus`, `dt_limit = [lo, hi]`,
    an initial state, a final state result and `cu_seqlens`. It computes

        dt' = clamp(softplus(dt + dt_bias), lo, hi)
        y   = contract(C, B, x * dt', decay(dt' * A))
        y  += D * x;   y *= silu(z)

    `sma-decompose-ssd` rewrites it into `sma.mask.decay` + `sma.contract`
    plus the elementwise prologue and epilogue.

    ```mlir
    %y = sma.ssd x(%x : tensor<?x?x80x64xbf16>) dt(%dt : tensor<?x?x80xbf16>)
        A(%A : tensor<80xf32>) B(%B : tensor<?x?x1x128xbf16>)
        C(%C : tensor<?x?x1x128xbf16>) D(%D : tensor<80xf32>)
        z(%z : tensor<?x?x80x64xbf16>) dt_bias(%db : tensor<80xf32>)
        {dt_softplus} -> tensor<?x?x80x64xbf16>
    ```
  }];
  let arguments = (ins Sma_DataTensor:$x,
                       TensorRankOf<[BF16, F16, F32], [3]>:$dt,
                       Sma_HeadVector:$A, Sma_DataTensor:$B, Sma_DataTensor:$C,
                       Optional<Sma_HeadVector>:$D,
                       Optional<Sma_DataTensor>:$z,
                       Optional<Sma_HeadVector>:$dt_bias,
                       Optional<Sma_StateTensor>:$init_state,
                       Optional<Sma_SeqlensTensor>:$cu_seqlens,
                       UnitAttr:$dt_softplus,
                       OptionalAttr<DenseF64ArrayAttr>:$dt_limit,
                       OptionalAttr<Sma_FormAttr>:$form);
  let results = (outs Sma_DataTensor:$y,
                      Optional<Sma_StateTensor>:$final_state);
  let assemblyFormat = [{
    `x` `(` $x `:` type($x) `)` `dt` `(` $dt `:` type($dt) `)`
    `A` `(` $A `:` type($A) `)` `B` `(` $B `:` type($B) `)`
    `C` `(` $C `:` type($C) `)`
    (`D` `(` $D^ `:` type($D) `)`)?
    (`z` `(` $z^ `:` type($z) `)`)?
    (`dt_bias` `(` $dt_bias^ `:` type($dt_bias) `)`)?
    (`init` `(` $init_state^ `:` type($init_state) `)`)?
    (`seqs` `(` $cu_seqlens^ `:` type($cu_seqlens) `)`)?
    attr-dict `->` type($y) (`,` type($final_state)^)?
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Backward building blocks
//
// What sma-derive-backward writes besides contractions: moving tensors
// between heads and groups, transposing states, and the log-decay
// gradient's scan. Each is its own tile program on every target.
//===----------------------------------------------------------------------===//

def Sma_AnyPositionTensor : TensorRankOf<[BF16, F16, F32], [4]>;

def Sma_ExpandGroupsOp : Sma_Op<"expand_groups", [Pure]> {
  let summary = "Repeats a tensor of groups for each head of the group";
  let description = [{
    `result[b, t, i, :] = source[b, t, i / (h / g), :]` for a `[b, T, g, d]`
    source and a `[b, T, h, d]` result (`h % g == 0`), converted to the
    result's element type. The backward of a contraction with `g < h` reads
    the keys of a group once per head: `dC = (L o dY X^T) B` has B as its
    values.

    ```mlir
    %bh = sma.expand_groups %b : tensor<?x?x1x128xbf16> -> tensor<?x?x80x128xf32>
    ```
  }];
  let arguments = (ins Sma_AnyPositionTensor:$source);
  let results = (outs Sma_AnyPositionTensor:$result);
  let assemblyFormat = "$source attr-dict `:` type($source) `->` type($result)";
  let hasVerifier = 1;
}

def Sma_SumGroupsOp : Sma_Op<"sum_groups", [Pure]> {
  let summary = "Sums the heads of each group";
  let description = [{
    `result[b, t, j, :] = sum_{i / (h / g) == j} source[b, t, i, :]` for a
    `[b, T, h, d]` source and a `[b, T, g, d]` result, summed in f32 and
    converted to the result's element type: the gradient of keys that the
    heads of a group share.

    ```mlir
    %dc = sma.sum_groups %dch : tensor<?x?x80x128xf32> -> tensor<?x?x1x128xbf16>
    ```
  }];
  let arguments = (ins Sma_AnyPositionTensor:$source);
  let results = (outs Sma_AnyPositionTensor:$result);
  let assemblyFormat = "$source attr-dict `:` type($source) `->` type($result)";
  let hasVerifier = 1;
}

def Sma_DotRowsOp : Sma_Op<"dot_rows", [Pure]> {
  let summary = "Dot products of the rows of two [b, T, h, d] tensors";
  let description = [{
    `result[b, t, i] = sum_j lhs[b, t, i, j] * rhs[b, t, i, j]`, in f32:
    the gradient of a factor that scales a whole row, e.g. of Mamba-2's
    `dt'` in `X = x dt'`, `d dt' = sum_p dX x`.

    ```mlir
    %ddt = sma.dot_rows %dx, %x : tensor<?x?x80x64xf32>, tensor<?x?x80x64xbf16> -> tensor<?x?x80xf32>
    ```
  }];
  let arguments = (ins Sma_AnyPositionTensor:$lhs, Sma_AnyPositionTensor:$rhs);
  let results = (outs Sma_PositionTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Sma_SumPositionsOp : Sma_Op<"sum_positions", [Pure]> {
  let summary = "Sums a [b, T, h] tensor over batch and positions";
  let description = [{
    `result[i] = sum_{b, t} source[b, t, i]`, in f32: the gradient of a
    per-head parameter that every position reads (Mamba-2's `A`, `D` and
    `dt_bias`).

    ```mlir
    %dA = sma.sum_positions %g : tensor<?x?x80xf32> -> tensor<80xf32>
    ```
  }];
  let arguments = (ins Sma_PositionTensor:$source);
  let results = (outs Sma_HeadVector:$result);
  let assemblyFormat = "$source attr-dict `:` type($source) `->` type($result)";
  let hasVerifier = 1;
}

def Sma_TransposeStateOp : Sma_Op<"transpose_state", [Pure]> {
  let summary = "Transposes each head's state: [S, h, p, n] -> [S, h, n, p]";
  let description = [{
    The state of a contraction whose keys and values trade places: the
    backward's `dC` and `dB` contractions carry `H^T`, so their initial
    states are the transposed initial state and final-state gradient.

    ```mlir
    %t = sma.transpose_state %h0 : tensor<2x8x32x64xf32> -> tensor<2x8x64x32xf32>
    ```
  }];
  let arguments = (ins Sma_StateTensor:$source);
  let results = (outs Sma_StateTensor:$result);
  let assemblyFormat = "$source attr-dict `:` type($source) `->` type($result)";
  let hasVerifier = 1;
}

def Sma_DecayGradOp : Sma_Op<"decay_grad", [Pure, AttrSizedOperandSegments]> {
  let summary = "The gradient of a causal mask's per-step log-decays";
  let description = [{
    For a contraction `Y = (L o C B^T) X` whose mask decays,
    `L[t, s] = F(t, s) exp(cum_t - cum_s)` with `cum` the running sum of the
    log-decays `a`, the gradient of a loss with `dY` and `dX` (the
    gradient of X, from the transposed contraction) is, per sequence and
    head,

        dcum_t = dY_t . Y_t - X_t . dX_t  (+ <dF, F> at the last position)
        da_t   = sum_{t' >= t} dcum_{t'}

    a row sum and a reverse cumsum that restarts at each sequence boundary.
    With a final state `F` and its gradient `dF`, `<dF, F>` is added at
    each sequence's last position. The result is `[b, T, h]` f32.

    ```mlir
    %da = sma.decay_grad dY(%dy : tensor<2x64x8x32xf32>)
        Y(%y : tensor<2x64x8x32xf32>) X(%x : tensor<2x64x8x32xf32>)
        dX(%dx : tensor<2x64x8x32xf32>) -> tensor<2x64x8xf32>
    ```
  }];
  let arguments = (ins Sma_AnyPositionTensor:$dY, Sma_AnyPositionTensor:$Y,
                       Sma_AnyPositionTensor:$X, Sma_AnyPositionTensor:$dX,
                       Optional<Sma_StateTensor>:$final_state,
                       Optional<Sma_StateTensor>:$d_final_state,
                       Optional<Sma_SeqlensTensor>:$cu_seqlens);
  let results = (outs Sma_PositionTensor:$result);
  let assemblyFormat = [{
    `dY` `(` $dY `:` type($dY) `)` `Y` `(` $Y `:` type($Y) `)`
    `X` `(` $X `:` type($X) `)` `dX` `(` $dX `:` type($dX) `)`
    (`final` `(` $final_state^ `:` type($final_state) `)`)?
    (`d_final` `(` $d_final_state^ `:` type($d_final_state) `)`)?
    (`seqs` `(` $cu_seqlens^ `:` type($cu_seqlens) `)`)?
    attr-dict `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // SMA_OPS_TD
