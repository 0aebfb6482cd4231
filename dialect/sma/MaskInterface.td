//===- MaskInterface.td - the mask structure interface -----*- tablegen -*-===//
//
// Every mask op implements this interface. Form legality, the cost model and
// the form expansions read masks only through it, so a new mask is one op.
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
  }];

  let methods = [
    InterfaceMethod<"Whether L[t, s] = 0 for every s > t.", "bool", "isCausal">,
    InterfaceMethod<[{Whether the mask is 1-semiseparable with a known state
        recurrence, which makes the linear and chunked forms legal.}],
      "bool", "isSemiseparable">,
    InterfaceMethod<"Whether L[t, s] depends only on t - s.", "bool",
      "isToeplitz">,
    InterfaceMethod<"Whether entries depend on runtime tensors.", "bool",
      "isDataDependent">,
    InterfaceMethod<[{The bandwidth w if L[t, s] = 0 whenever t - s >= w,
        else nullopt.}], "std::optional<int64_t>", "getBandwidth">,
    InterfaceMethod<"Whether the per-step log-decay can be nonzero.", "bool",
      "hasLogDecay">,
    InterfaceMethod<[{Checks the mask's operands against the contraction that
        uses it (batch, sequence length, heads; dynamic sizes are kDynamic);
        errors are emitted on `user`.}],
      "::mlir::LogicalResult", "verifyForUse",
      (ins "::mlir::Operation *":$user, "int64_t":$batch, "int64_t":$seqLen,
           "int64_t":$heads)>,
    InterfaceMethod<[{Builds the f32 per-step log-decay ld at absolute
        position `pos` of batch `batch`, head `head` (index values). Only called
        when hasLogDecay() is true.}],
      "::mlir::Value", "buildLogDecay",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "const ::smc::sma::MaskBuildContext &":$ctx,
           "const ::smc::sma::MaskPoint &":$point)>,
    InterfaceMethod<[{Builds the f32 factor F(t, s) at `point`. Only called
        for masks that are not semiseparable.}],
      "::mlir::Value", "buildFactor",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "const ::smc::sma::MaskBuildContext &":$ctx,
           "const ::smc::sma::MaskPoint &":$point)>,
  ];
}

#endif // SMA_MASK_INTERFACE_TD
