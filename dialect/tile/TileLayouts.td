//===- TileLayouts.td - how the GPU spreads tiles over threads -*- tablegen -*-===//
//
// Layouts are encodings of tile tensors that only the GPU lowering uses
// (sma-assign-layouts sets them, sma-tiles-to-gpu reads them): which thread
// of a program holds which elements, in which registers, or that a tile
// lives in shared memory. Tile programs never carry them.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_LAYOUTS_TD
#define TILE_LAYOUTS_TD

include "dialect/tile/TileBase.td"

class Tile_Layout<string name, string attrMnemonic>
    : AttrDef<Tile_Dialect, name> {
  let mnemonic = attrMnemonic;
}

def Tile_BlockedLayout : Tile_Layout<"BlockedLayout", "blocked"> {
  let summary = "Elements spread over threads in blocks, repeated to cover";
  let description = [{
    Each thread holds `size[d]` consecutive elements along dim d; a warp's
    lanes form a `threads[0] x threads[1]` grid (the last dim fastest) and
    the warps a `warps[0] x warps[1]` grid; this covers
    `size * threads * warps` elements per dim, repeated until the tile is
    covered (elements past the tile's end are empty slots). A thread's
    elements are ordered by repetition, then within its block, the last
    dim fastest. Loads and stores of consecutive elements along the last
    dim are vector accesses.

    ```mlir
    // A [64, 128] bf16 tile in 4 warps: 16-byte pieces, 16 lanes per row.
    tensor<64x128xbf16, #tile.blocked<size = [1, 8], threads = [2, 16],
                                      warps = [4, 1]>>
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$size,
                        ArrayRefParameter<"int64_t">:$threads,
                        ArrayRefParameter<"int64_t">:$warps);
  let assemblyFormat = [{
    `<` `size` `=` `[` $size `]` `,` `threads` `=` `[` $threads `]` `,`
        `warps` `=` `[` $warps `]` `>`
  }];
  let genVerifyDecl = 1;
}

def Tile_MmaLayout : Tile_Layout<"MmaLayout", "mma"> {
  let summary = "The accumulator layout of mma.sync m16n8 tiles";
  let description = [{
    Warps own consecutive blocks of 16 rows (repeated down the tile), and
    within a block each 16 x 8 tile is the accumulator of one
    `mma.sync.m16n8k16`: lane `l` holds rows `l / 4` and `l / 4 + 8`,
    columns `2 (l % 4)` and `2 (l % 4) + 1`. A thread's elements are
    ordered by row block, then 8-column tile, then those four. A 16-bit
    [M, K] tile in this layout is also the A operand of an m16n8k16 mma:
    the scores of one product feed the next without leaving registers.

    ```mlir
    tensor<64x64xf32, #tile.mma<warps = 4>>
    ```
  }];
  let parameters = (ins "int64_t":$warps);
  let assemblyFormat = "`<` `warps` `=` $warps `>`";
}

def Tile_SliceLayout : Tile_Layout<"SliceLayout", "slice"> {
  let summary = "A 1-d tile laid out as one dim of a 2-d layout";
  let description = [{
    The elements a thread holds of a 2-d tile in `parent` along the dim
    other than `dim`: the operand of a broadcast along `dim`, or the
    result of a sum along it. Threads that differ only along `dim` hold
    the same elements.

    ```mlir
    // cum[t] for the rows of a [64, 64] accumulator.
    tensor<64xf32, #tile.slice<dim = 1, parent = #tile.mma<warps = 4>>>
    ```
  }];
  let parameters = (ins "int64_t":$dim, "::mlir::Attribute":$parent);
  let assemblyFormat = "`<` `dim` `=` $dim `,` `parent` `=` $parent `>`";
}

def Tile_SharedLayout : Tile_Layout<"SharedLayout", "shared"> {
  let summary = "A tile staged in shared memory, rows padded";
  let description = [{
    The tile is stored row-major in the program's shared memory with each
    row padded by `pad` elements, so that the rows a warp reads at once
    fall in distinct banks. Tiles are staged there for tile.dot operands
    and for conversions between register layouts.

    ```mlir
    tensor<64x128xbf16, #tile.shared<pad = 8>>
    ```
  }];
  let parameters = (ins "int64_t":$pad);
  let assemblyFormat = "`<` `pad` `=` $pad `>`";
}

#endif // TILE_LAYOUTS_TD
