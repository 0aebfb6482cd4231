//===- MaskInterface.td - the mask structure interface -----*- tablegen -*-===//
//
// Every mask op implements this interface. Form legality, the cost model and
// the tile programs read masks only through it, so a new mask is one op.
//
//===----------------------------------------------------------------------===//

#ifndef SMA_MASK_INTERFACE_TD
#define SMA_MASK_INTERFACE_TD

include "mlir/IR/OpBase.td"

def MaskOpInterface : OpInterface<"MaskOpInterface"> {
  let cppNamespace = "::smc::sma";
  let description = [{
    Reports the structure of a mask `L[t, s]` and builds its entries.

    Every mask factors as `L[t, s] = F(t, s) * exp(sum_{k=s+1..t} ld[k])` for
    `s <= t`: a per-step log-decay `ld` (zero for masks without decay) and a
    factor `F`. A mask is semiseparable with a known state recurrence
    `h_t = exp(ld[t]) h_{t-1} + x_t B_t^T` exactly when `F(t, s) = [s <= t]`.
    The transpose of a mask (`sma.mask.transpose`) has the same atoms read
    at `(s, t)`: an anti-causal semiseparable mask
    `exp(sum_{k=t+1..s} ld[k])` for `t <= s`, whose recurrence runs right to
    left.

    Entries are built on values, never on memory: a tile program loads the
    mask's position operands (`[b, T, h]` tensors) and hands their values at
    a position to `buildLogDecay`, and at two positions to `buildFactor`.
    A product of masks (`getParts` non-empty) has the product of its parts'
    factors and the sum of their log-decays; its own builders are not
    called. Methods default to a causal mask with no decay and no operands,
    so a new mask states only what differs.
  }];

  let methods = [
    InterfaceMethod<"Whether L[t, s] = 0 for every s > t.", "bool", "isCausal",
      (ins), [{}], [{ return true; }]>,
    InterfaceMethod<[{Whether L[t, s] = 0 for every s < t (the transpose of a
        causal mask).}], "bool", "isAntiCausal", (ins), [{}],
      [{ return false; }]>,
    InterfaceMethod<[{Whether the mask is 1-semiseparable with a known state
        recurrence, which makes the linear and chunked forms legal. Such a
        mask runs in one direction: it is causal (the recurrence runs left
        to right) or anti-causal (right to left), never both.}],
      "bool", "isSemiseparable", (ins), [{}], [{ return false; }]>,
    InterfaceMethod<"Whether L[t, s] depends only on t - s.", "bool",
      "isToeplitz", (ins), [{}], [{ return false; }]>,
    InterfaceMethod<"Whether entries depend on runtime tensors.", "bool",
      "isDataDependent", (ins), [{}],
      [{ return !$_op.getPositionOperands().empty(); }]>,
    InterfaceMethod<[{The bandwidth w if L[t, s] = 0 whenever |t - s| >= w,
        else nullopt.}], "std::optional<int64_t>", "getBandwidth", (ins), [{}],
      [{ return std::nullopt; }]>,
    InterfaceMethod<"Whether the per-step log-decay can be nonzero.", "bool",
      "hasLogDecay", (ins), [{}], [{ return false; }]>,
    InterfaceMethod<[{The per-position `[b, T, h]` f32 tensors whose values the
        entries depend on (the operands handed to the builders).}],
      "::mlir::ValueRange", "getPositionOperands", (ins), [{}],
      [{ return ::mlir::ValueRange(); }]>,
    InterfaceMethod<[{The masks (values of mask ops) this one is built from:
        the factors of a product, the mask of a transpose; empty for a mask
        that builds its own entries.}],
      "::mlir::ValueRange", "getParts", (ins), [{}],
      [{ return ::mlir::ValueRange(); }]>,
    InterfaceMethod<[{Checks the mask's attributes against the contraction
        that uses it (batch, sequence length, heads; dynamic sizes are
        kDynamic); errors are emitted on `user`. Position operands are
        checked by the caller.}],
      "::mlir::LogicalResult", "verifyForUse",
      (ins "::mlir::Operation *":$user, "int64_t":$batch, "int64_t":$seqLen,
           "int64_t":$heads), [{}], [{ return ::mlir::success(); }]>,
    InterfaceMethod<[{Builds the f32 log-decay ld at one position from the
        head (index) and the values of getPositionOperands() there. Only
        called when hasLogDecay() is true.}],
      "::mlir::Value", "buildLogDecay",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Value":$head, "::mlir::ValueRange":$values), [{}],
      [{ return ::smc::sma::buildF32(builder, loc, 0.0); }]>,
    InterfaceMethod<[{Builds the f32 factor F(t, s) at `entry`. Only called
        for masks that are not semiseparable and have no factor region.}],
      "::mlir::Value", "buildFactor",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "const ::smc::sma::MaskEntry &":$entry), [{}],
      [{ return ::smc::sma::buildCausalFactor(builder, loc, entry); }]>,
    InterfaceMethod<[{A region computing F(t, s) from the block arguments
        (t, s, head, then each position operand's value at t and at s) and
        yielding it, when the mask is defined by one; null otherwise. The
        region is the payload: a tile program inlines it, entries above the
        diagonal of a causal mask are zeroed by the program.}],
      "::mlir::Region *", "getFactorRegion", (ins), [{}],
      [{ return nullptr; }]>,
  ];
}

#endif // SMA_MASK_INTERFACE_TD
