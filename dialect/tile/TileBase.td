//===- TileBase.td - the tile dialect ----------------------*- tablegen -*-===//
//
// The tile level between `sma` and the targets: each dual form written once
// as a program of tile loads, stores, matmuls, scans and elementwise ops,
// lowered per target by patterns.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_BASE_TD
#define TILE_BASE_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/OpBase.td"

def Tile_Dialect : Dialect {
  let name = "tile";
  let cppNamespace = "::smc::tile";
  let summary = "Tile programs: the dual forms written once for every target";
  let description = [{
    A tile program computes a contraction on whole tiles, in the spirit of
    Triton's `tt` dialect: `tile.grid` runs its body once per point of a grid
    (a kernel on the GPU, loops on the CPU), and the body loads tiles from
    memrefs (`tile.load`), multiplies them (`tile.dot`), scans them
    (`tile.cumsum`), reduces them (`tile.sum`), computes on them elementwise
    (`arith`/`math` ops on tiles, `tile.map` for region bodies) and stores them
    (`tile.store`). Tiles are statically shaped tensors; how their elements
    are spread over threads, registers and shared memory is the GPU
    lowering's business (`#tile.blocked`, `#tile.mma`, ... layouts), never
    the program's. `tile.program` holds the grids of one contraction and is
    the bufferization boundary: tensors outside, memrefs inside.

    ```mlir
    tile.grid (%i, %h) in (%n, %c8) {
      %c = tile.load %C[%c0, %i, %h, %c0] dims [1, 3] bounds(%len, %c16)
          : memref<1x?x8x16xbf16> -> tensor<64x16xbf16>
      ...
    }
    ```
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::math::MathDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::tensor::TensorDialect"];
}

class Tile_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tile_Dialect, mnemonic, traits>;

/// A tile: a statically shaped tensor of rank 1 or 2.
def Tile_Tile : Type<
    And<[AnyStaticShapeTensor.predicate,
         CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() >= 1">,
         CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() <= 2">]>,
    "tile (a static tensor of rank 1 or 2)",
    "::mlir::RankedTensorType">;

#endif // TILE_BASE_TD
