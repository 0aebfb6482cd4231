//===- TileBuilder.h - building tile programs that read like math -*- C++
//-*-===//
//
// Thin wrappers over the tile, arith and scf builders so that a form's tile
// program reads like its algorithm in docs/forms.md: values are scalars or
// tiles (static tensors), arithmetic works on both and splats a scalar
// operand of a tile operation.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_PASSES_FORMS_TILEBUILDER_H
#define SMC_PASSES_FORMS_TILEBUILDER_H

#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace smc::forms {

/// What tile.dot may assume about its operands and result (see TileOps.td).
struct DotFlags {
  bool transposeA = false, transposeB = false;
  bool trilA = false, trilResult = false;
};

class TileBuilder : public mlir::ImplicitLocOpBuilder {
public:
  using ImplicitLocOpBuilder::ImplicitLocOpBuilder;
  TileBuilder(mlir::Location loc, mlir::OpBuilder &b)
      : ImplicitLocOpBuilder(loc, b) {}

  //===--------------------------------------------------------------------===//
  // Scalars
  //===--------------------------------------------------------------------===//

  mlir::Value index(int64_t v);
  mlir::Value f32(double v);

  /// Index arithmetic (unsigned where it matters: sizes are never negative).
  mlir::Value addi(mlir::Value a, mlir::Value b);
  mlir::Value addi(mlir::Value a, int64_t b);
  mlir::Value subi(mlir::Value a, mlir::Value b);
  mlir::Value muli(mlir::Value a, mlir::Value b);
  mlir::Value muli(mlir::Value a, int64_t b);
  mlir::Value divui(mlir::Value a, mlir::Value b);
  mlir::Value divui(mlir::Value a, int64_t b);
  mlir::Value remui(mlir::Value a, mlir::Value b);
  mlir::Value ceildiv(mlir::Value a, mlir::Value b);
  mlir::Value ceildiv(mlir::Value a, int64_t b);
  mlir::Value minui(mlir::Value a, mlir::Value b);
  mlir::Value maxui(mlir::Value a, mlir::Value b);
  mlir::Value ult(mlir::Value a, mlir::Value b);
  mlir::Value ule(mlir::Value a, mlir::Value b);

  //===--------------------------------------------------------------------===//
  // Values: scalars or tiles, elementwise
  //===--------------------------------------------------------------------===//

  /// f32 arithmetic; a scalar operand of a tile operation is splat.
  mlir::Value add(mlir::Value a, mlir::Value b);
  mlir::Value sub(mlir::Value a, mlir::Value b);
  mlir::Value mul(mlir::Value a, mlir::Value b);
  mlir::Value exp(mlir::Value a);
  mlir::Value expm1(mlir::Value a);
  /// v * exp(logDecay) as v + expm1(logDecay) * v: a decay near 1 rounds
  /// to f32 with a bias that a recurrence compounds over every step; expm1
  /// keeps it exact to rounding.
  mlir::Value decayBy(mlir::Value logDecay, mlir::Value v);
  /// `a` where `cond` holds, else `b` (tiles or scalars).
  mlir::Value select(mlir::Value cond, mlir::Value a, mlir::Value b);
  /// `v` (scalar or tile) with element type `elem`.
  mlir::Value cast(mlir::Value v, mlir::Type elem);
  mlir::Value toF32(mlir::Value v) { return cast(v, getF32Type()); }

  /// Tiles made from nothing or from scalars.
  mlir::Value splat(mlir::Value scalar, llvm::ArrayRef<int64_t> shape);
  mlir::Value zeros(llvm::ArrayRef<int64_t> shape);
  /// [first, first + 1, ..., first + n - 1] as an index tile.
  mlir::Value range(int64_t n, mlir::Value first = {});
  /// `v` repeated along the new result dims `dims` of `shape`.
  mlir::Value broadcast(mlir::Value v, llvm::ArrayRef<int64_t> dims,
                        llvm::ArrayRef<int64_t> shape);

  //===--------------------------------------------------------------------===//
  // Tiles
  //===--------------------------------------------------------------------===//

  /// A `shape` tile of `mem` at `indices`, tile dim d along memref dim
  /// dims[d]; elements past `bounds` (if any) are zero.
  mlir::Value load(mlir::Value mem, mlir::ValueRange indices,
                   llvm::ArrayRef<int64_t> dims, llvm::ArrayRef<int64_t> shape,
                   mlir::ValueRange bounds = {});
  /// One element of `mem`.
  mlir::Value loadScalar(mlir::Value mem, mlir::ValueRange indices);
  void store(mlir::Value tile, mlir::Value mem, mlir::ValueRange indices,
             llvm::ArrayRef<int64_t> dims, mlir::ValueRange bounds = {});
  /// One element, written once per grid point.
  void storeScalar(mlir::Value v, mlir::Value mem, mlir::ValueRange indices);

  using MapBody = llvm::function_ref<mlir::Value(
      mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;
  /// A tile.map producing a `shape` tile of `elem` from `inputs` (tiles of
  /// that shape, or scalars): `body` gets one element of each and returns
  /// the result's element.
  mlir::Value map(llvm::ArrayRef<int64_t> shape, mlir::Type elem,
                  mlir::ValueRange inputs, MapBody body);

  mlir::Value dot(mlir::Value a, mlir::Value b, mlir::Value acc,
                  DotFlags flags = {});
  mlir::Value cumsum(mlir::Value v);
  mlir::Value sum(mlir::Value v, int64_t dim);

  //===--------------------------------------------------------------------===//
  // Structure
  //===--------------------------------------------------------------------===//

  using GridBody = llvm::function_ref<void(TileBuilder &, mlir::ValueRange)>;
  /// A tile.grid over `sizes` (warps per program on the GPU).
  void grid(mlir::ValueRange sizes, int64_t warps, GridBody body);

  using LoopBody = llvm::function_ref<llvm::SmallVector<mlir::Value>(
      TileBuilder &, mlir::Value, mlir::ValueRange)>;
  /// `for iv in [lb, ub)` carrying `init`; returns the final values.
  llvm::SmallVector<mlir::Value> loop(mlir::Value lb, mlir::Value ub,
                                      mlir::ValueRange init, LoopBody body);

  /// `body` where `cond` holds.
  void ifThen(mlir::Value cond, llvm::function_ref<void(TileBuilder &)> body);
};

} // namespace smc::forms

#endif // SMC_PASSES_FORMS_TILEBUILDER_H
