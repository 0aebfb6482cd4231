//===- TileOps.td - tile dialect operations ----------------*- tablegen -*-===//

#ifndef TILE_OPS_TD
#define TILE_OPS_TD

include "dialect/tile/TileBase.td"
include "dialect/tile/TileLayouts.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

//===----------------------------------------------------------------------===//
// Structure: programs and grids
//===----------------------------------------------------------------------===//

def Tile_ProgramOp : Tile_Op<"program", [AttrSizedOperandSegments,
    RecursiveMemoryEffects, DestinationStyleOpInterface,
    SingleBlockImplicitTerminator<"EndOp">]> {
  let summary = "The tile program of one contraction: tensors in, tensors out";
  let description = [{
    Holds the grids (and the buffers between them) that compute one
    contraction. Operands are tensors: `ins` are read, `outs` are the
    destinations of the results (destination-passing style, so
    bufferization writes the results in place). The body sees each operand
    as a memref of the same shape, `ins` then `outs`, through its block
    arguments, and writes the results into the `outs` memrefs.

    Bufferization replaces the op by its body, with the block arguments
    bound to the operands' buffers.

    ```mlir
    %y = tile.program ins(%c, %b, %x : tensor<?x?x1x16xf32>,
        tensor<?x?x1x16xf32>, tensor<?x?x4x8xf32>)
        outs(%init : tensor<?x?x4x8xf32>) -> tensor<?x?x4x8xf32> {
    ^bb0(%C: memref<?x?x1x16xf32>, %B: memref<?x?x1x16xf32>,
         %X: memref<?x?x4x8xf32>, %Y: memref<?x?x4x8xf32>):
      tile.grid (%i) in (%n) { ... }
    }
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs,
                       Variadic<AnyRankedTensor>:$outputs);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`ins` `(` $inputs^ `:` type($inputs) `)`)?
    `outs` `(` $outputs `:` type($outputs) `)` `->` type($results)
    $body attr-dict
  }];
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::mlir::ValueRange":$inputs,
                                 "::mlir::ValueRange":$outputs)>];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getOutputsMutable();
    }
    /// The memref standing for input `i` / output `i` inside the body.
    ::mlir::BlockArgument getInputBuffer(unsigned i) {
      return getBody().getArgument(i);
    }
    ::mlir::BlockArgument getOutputBuffer(unsigned i) {
      return getBody().getArgument(getInputs().size() + i);
    }
  }];
}

def Tile_GridOp : Tile_Op<"grid", [RecursiveMemoryEffects,
    SingleBlockImplicitTerminator<"EndOp">]> {
  let summary = "Runs its body once per point of a grid, in any order";
  let description = [{
    The body runs once for every point of the grid `[0, sizes[0]) x ...`,
    with the point's coordinates as its block arguments. Instances are
    independent: none reads what another writes. On the GPU a grid is one
    kernel (a block per point, `num_warps` warps a block); on the CPU it is
    a loop nest.

    ```mlir
    tile.grid (%seq, %chunk, %head) in (%S, %K, %c8) {num_warps = 4} {
      ...
    }
    ```
  }];
  let arguments = (ins Variadic<Index>:$sizes,
                       OptionalAttr<I64Attr>:$num_warps);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::mlir::ValueRange":$sizes,
      "int64_t":$numWarps,
      "::llvm::function_ref<void(::mlir::OpBuilder &, ::mlir::Location, "
      "::mlir::ValueRange)>":$body)>];
  let extraClassDeclaration = [{
    /// The coordinates of the grid point, one per dimension.
    ::mlir::Block::BlockArgListType getCoordinates() {
      return getBody().front().getArguments();
    }
  }];
}

def Tile_EndOp : Tile_Op<"end", [Pure, Terminator,
    ParentOneOf<["ProgramOp", "GridOp"]>]> {
  let summary = "Ends the body of a tile.program or tile.grid";
  let description = [{
    The implicit terminator of `tile.program` and `tile.grid` bodies.

    ```mlir
    tile.end
    ```
  }];
  let assemblyFormat = "attr-dict";
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

def Tile_LoadOp : Tile_Op<"load", [AttrSizedOperandSegments]> {
  let summary = "Loads a tile (or one element) from a memref";
  let description = [{
    Reads a box of `source` starting at `indices`: tile dimension `d` runs
    along memref dimension `dims[d]` (increasing), the other memref
    dimensions stay at their index. Elements at or past `bounds[d]` along
    some tile dimension `d` are zero and are not read, so a tile may hang
    over the end of a sequence or pad a dimension to a friendlier size.
    With no `dims` the op reads the single element at `indices`.

    ```mlir
    // Rows c0 .. c0 + 64 of X[b, :, h, :], the first %len of them real.
    %x = tile.load %X[%b, %c0, %h, %z] dims [1, 3] bounds(%len, %c64)
        : memref<?x?x8x64xbf16> -> tensor<64x64xbf16>
    %a = tile.load %A[%h] : memref<8xf32> -> f32
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "the memref read", [MemRead]>:$source,
                       Variadic<Index>:$indices,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$dims,
                       Variadic<Index>:$bounds);
  let results = (outs AnyType:$result);
  let assemblyFormat = [{
    $source `[` $indices `]` (`dims` $dims^)? (`bounds` `(` $bounds^ `)`)?
    attr-dict `:` type($source) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Tile_StoreOp : Tile_Op<"store", [AttrSizedOperandSegments]> {
  let summary = "Stores a tile into a memref";
  let description = [{
    Writes `value` into the box of `dest` described as for `tile.load`;
    elements at or past `bounds[d]` along some tile dimension `d` are not
    written.

    ```mlir
    tile.store %y, %Y[%b, %c0, %h, %z] dims [1, 3] bounds(%len, %c64)
        : tensor<64x64xbf16>, memref<?x?x8x64xbf16>
    ```
  }];
  let arguments = (ins Tile_Tile:$value,
                       Arg<AnyMemRef, "the memref written", [MemWrite]>:$dest,
                       Variadic<Index>:$indices, DenseI64ArrayAttr:$dims,
                       Variadic<Index>:$bounds);
  let assemblyFormat = [{
    $value `,` $dest `[` $indices `]` `dims` $dims
    (`bounds` `(` $bounds^ `)`)? attr-dict `:` type($value) `,` type($dest)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Computation
//===----------------------------------------------------------------------===//

def Tile_RangeOp : Tile_Op<"range", [Pure]> {
  let summary = "The tile [0, 1, ..., n - 1]";
  let description = [{
    Positions within a tile, for masks and bounds computed elementwise.

    ```mlir
    %i = tile.range : tensor<64xindex>
    ```
  }];
  let results = (outs 1DTensorOf<[Index]>:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Tile_BroadcastOp : Tile_Op<"broadcast", [Pure]> {
  let summary = "Repeats a tile along new dimensions";
  let description = [{
    The result has the source's dimensions plus new ones at the positions
    `dims` of the result; each new dimension repeats the source.

    ```mlir
    // cum[t] along the rows of a [t, s] tile.
    %rows = tile.broadcast %cum dims [1] : tensor<64xf32> -> tensor<64x64xf32>
    ```
  }];
  let arguments = (ins Tile_Tile:$source, DenseI64ArrayAttr:$dims);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = [{
    $source `dims` $dims attr-dict `:` type($source) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Tile_DotOp : Tile_Op<"dot", [Pure, AllTypesMatch<["acc", "result"]>]> {
  let summary = "Matrix product of tiles: acc + op(a) op(b)";
  let description = [{
    `result = acc + op(a) . op(b)` with `op` the transpose where
    `transpose_a` / `transpose_b` are set, operands of any float type and
    the accumulator in f32. Two facts of the program's structure let a
    lowering skip work (at its own granularity) without changing the
    result where it is defined:

    - `tril_a`: `op(a)` is lower triangular (`a[m, k] = 0` for `k > m`);
    - `tril_result`: only the entries on or below the diagonal (`n <= m`)
      are used; those above are unspecified.

    ```mlir
    // Scores C . B^T of a causal chunk.
    %s = tile.dot %c, %b, %zero {transpose_b, tril_result}
        : tensor<64x128xbf16>, tensor<64x128xbf16> -> tensor<64x64xf32>
    ```
  }];
  let arguments = (ins Tile_Tile:$a, Tile_Tile:$b, Tile_Tile:$acc,
                       UnitAttr:$transpose_a, UnitAttr:$transpose_b,
                       UnitAttr:$tril_a, UnitAttr:$tril_result);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = [{
    $a `,` $b `,` $acc attr-dict `:` type($a) `,` type($b) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Tile_CumsumOp : Tile_Op<"cumsum", [Pure, SameOperandsAndResultType]> {
  let summary = "Inclusive prefix sum of a 1-d tile";
  let description = [{
    `result[i] = input[0] + ... + input[i]`.

    ```mlir
    %cum = tile.cumsum %a : tensor<64xf32>
    ```
  }];
  let arguments = (ins 1DTensorOf<[F32]>:$input);
  let results = (outs 1DTensorOf<[F32]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Tile_SumOp : Tile_Op<"sum", [Pure]> {
  let summary = "Sums a 2-d tile along one dimension";
  let description = [{
    `result[i] = sum_j input[i, j]` for `dim = 1`, and along the rows for
    `dim = 0`.

    ```mlir
    %y = tile.sum %hc dim 1 : tensor<8x128xf32> -> tensor<8xf32>
    ```
  }];
  let arguments = (ins 2DTensorOf<[F32]>:$input, I64Attr:$dim);
  let results = (outs 1DTensorOf<[F32]>:$result);
  let assemblyFormat = [{
    $input `dim` $dim attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Tile_MapOp : Tile_Op<"map", [RecursiveMemoryEffects, SingleBlock]> {
  let summary = "Applies a scalar region to every element of tiles";
  let description = [{
    The region computes one element of the result from the elements of the
    tile operands at the same position and from the scalar operands (which
    every element shares). Tile operands have the result's shape; block
    arguments have the operands' element types. Custom mask regions and
    fused elementwise producers become `tile.map` bodies.

    ```mlir
    %w = tile.map (%t, %s, %slope) : (tensor<64x64xindex>,
        tensor<64x64xindex>, f32) -> tensor<64x64xf32> {
    ^bb0(%ti: index, %si: index, %k: f32):
      ...
      tile.yield %v : f32
    }
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$inputs);
  let results = (outs Tile_Tile:$result);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`(` $inputs^ `)`)? attr-dict `:` functional-type($inputs, $result) $body
  }];
  let hasRegionVerifier = 1;
}

def Tile_YieldOp : Tile_Op<"yield", [Pure, Terminator, HasParent<"MapOp">]> {
  let summary = "Yields one element of a tile.map";
  let description = [{
    ```mlir
    tile.yield %v : f32
    ```
  }];
  let arguments = (ins AnyType:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

//===----------------------------------------------------------------------===//
// GPU layouts
//===----------------------------------------------------------------------===//

def Tile_ConvertLayoutOp : Tile_Op<"convert_layout", [Pure,
    SameOperandsAndResultShape, SameOperandsAndResultElementType]> {
  let summary = "Moves a tile to another GPU layout";
  let description = [{
    The same tile with another layout encoding: staged in shared memory
    (`#tile.shared`), or redistributed over the threads. Inserted by
    `sma-assign-layouts` where a value's layout differs from what a use
    needs; `offset` is its place in the program's shared memory when it
    goes there.

    ```mlir
    %s = tile.convert_layout %c : tensor<64x128xbf16, #blocked>
        -> tensor<64x128xbf16, #tile.shared<pad = 8>>
    ```
  }];
  let arguments = (ins Tile_Tile:$source, OptionalAttr<I64Attr>:$offset);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = [{
    $source attr-dict `:` type($source) `->` type($result)
  }];
}

#endif // TILE_OPS_TD
