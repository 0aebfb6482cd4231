//===- Layouts.h - which thread holds which element of a tile ---*- C++ -*-===//
//
// The GPU lowering's view of the register layouts of dialect/tile
// (#tile.blocked, #tile.mma, #tile.slice): a thread holds a fixed number of
// slots of a tile, and the coordinate of slot e along dim d is a part that
// depends on the thread (lane and warp) plus a constant part that depends
// on e. Loads, stores, elementwise ops, broadcasts and reductions are all
// written against this one description.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_PASSES_GPU_LAYOUTS_H
#define SMC_PASSES_GPU_LAYOUTS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>

namespace smc::kernels {

/// The lane (0..31) and warp of the running thread.
struct ThreadIds {
  mlir::Value lane, warp;
};

/// gpu.thread_id split into lane and warp.
ThreadIds getThreadIds(mlir::OpBuilder &b, mlir::Location loc);

/// One tile in a register layout.
class RegisterLayout {
public:
  /// The layout of `type`'s encoding; nullopt when it has none or is
  /// #tile.shared.
  static std::optional<RegisterLayout> get(mlir::RankedTensorType type);

  mlir::RankedTensorType type() const { return tileType; }
  int64_t rank() const { return tileType.getRank(); }
  int64_t dimSize(int64_t d) const { return tileType.getDimSize(d); }
  /// Slots per thread: the elements it holds, plus empty slots where a
  /// layout covers more than the tile.
  int64_t numSlots() const { return offsets.size(); }
  /// The constant part of slot e's coordinate along dim d.
  int64_t slotOffset(int64_t e, int64_t d) const { return offsets[e][d]; }
  /// The part of every slot's coordinate along dim d that the thread adds.
  mlir::Value threadOffset(mlir::OpBuilder &b, mlir::Location loc,
                           ThreadIds ids, int64_t d) const;
  /// Whether some thread's slot can fall past the tile's end along d, so
  /// accesses must check the coordinate.
  bool mayOverhang(int64_t d) const { return overhang[d]; }
  /// Whether the running thread holds the copy of its elements that stores
  /// write (threads of a slice layout that differ only along the sliced
  /// dim hold the same elements).
  mlir::Value isOwner(mlir::OpBuilder &b, mlir::Location loc,
                      ThreadIds ids) const;
  /// The number of slots from e on whose coordinates are consecutive along
  /// the last dim (and equal along the others): a vector access.
  int64_t contiguousSlots(int64_t e) const;

  /// For a 2-d layout: the slots of its slice along `dim` (the layout of a
  /// 1-d tile broadcast along `dim`), and the slot of that slice holding
  /// the kept coordinate of slot e.
  int64_t sliceSlot(int64_t e, int64_t dim) const;

private:
  /// Thread offset along one dim: ((lane / laneDiv) % laneMod) * laneMul +
  /// ((warp / warpDiv) % warpMod) * warpMul, or an MMAUtils lane map.
  struct ThreadPart {
    int64_t laneDiv = 1, laneMod = 0, laneMul = 0; // laneMod 0: none.
    int64_t warpDiv = 1, warpMod = 0, warpMul = 0;
  };
  mlir::RankedTensorType tileType;
  llvm::SmallVector<llvm::SmallVector<int64_t, 2>> offsets;
  llvm::SmallVector<ThreadPart, 2> parts;
  llvm::SmallVector<bool, 2> overhang;
  /// The MMA accumulator's lane map (lane, value) -> (row, col), from
  /// nvgpu's MMAUtils, when the layout is #tile.mma.
  bool mma = false;
  /// For a slice layout: threads whose part along this dim of the parent
  /// is nonzero hold replicas.
  std::optional<int64_t> slicedDim;
  llvm::SmallVector<ThreadPart, 2> parentParts;
  bool parentMma = false;

  static ThreadPart mmaPart(int64_t d);
  static mlir::Value evaluate(mlir::OpBuilder &b, mlir::Location loc,
                              ThreadIds ids, const ThreadPart &part);
};

/// The blocked layout a tile of `shape` with `elemBits`-bit elements gets
/// by default in a program of `warps` warps: 16-byte pieces along the last
/// dim, lanes along the last dim first, warps along the first.
mlir::Attribute defaultBlockedLayout(mlir::MLIRContext *ctx,
                                     llvm::ArrayRef<int64_t> shape,
                                     int64_t elemBits, int64_t warps);

/// The blocked layout of a 1-d tile scanned by one warp: element i in lane
/// i % 32.
mlir::Attribute scanLayout(mlir::MLIRContext *ctx);

/// `type` with encoding `layout`.
mlir::RankedTensorType withLayout(mlir::RankedTensorType type,
                                  mlir::Attribute layout);

} // namespace smc::kernels

#endif // SMC_PASSES_GPU_LAYOUTS_H
