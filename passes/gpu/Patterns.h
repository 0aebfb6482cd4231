//===- Patterns.h - lowering tile programs to GPU kernels -------*- C++ -*-===//
//
// The conversion patterns of sma-tiles-to-gpu, one file per family: grids
// become gpu.launch kernels; tiles in register layouts become one vector of
// slots per thread; tiles in #tile.shared become views of the kernel's
// dynamic shared memory.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_PASSES_GPU_PATTERNS_H
#define SMC_PASSES_GPU_PATTERNS_H

#include "passes/gpu/Layouts.h"

#include "mlir/Transforms/DialectConversion.h"

namespace smc::kernels {

/// Tiles to what a thread holds: a vector of its slots for register
/// layouts, a workgroup memref for #tile.shared; other types unchanged.
class TileTypeConverter : public mlir::TypeConverter {
public:
  TileTypeConverter();
};

/// The workgroup memref standing for a tile staged in shared memory at
/// `offset` bytes of the kernel's dynamic shared memory.
mlir::Value sharedView(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::MemRefType type, int64_t offset);

/// Slots [offset, offset + width) of a thread's slot vector, and `v` with
/// them replaced by `piece` (vector shuffles, which lower directly).
mlir::Value extractSlots(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                         int64_t offset, int64_t width);
mlir::Value insertSlots(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value piece, mlir::Value v, int64_t offset);
/// The pieces' slots one after another.
mlir::Value concatSlots(mlir::OpBuilder &b, mlir::Location loc,
                        llvm::ArrayRef<mlir::Value> pieces);
/// A 1-d vector of rows x cols elements as a rows x cols vector, and back.
mlir::Value toMatrix(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                     int64_t rows, int64_t cols);
mlir::Value fromMatrix(mlir::OpBuilder &b, mlir::Location loc, mlir::Value m);

/// tile.grid -> gpu.launch.
void populateGridToLaunchPatterns(TileTypeConverter &converter,
                                  mlir::RewritePatternSet &patterns);
/// tile.load, tile.store, scalar stores, tile.convert_layout.
void populateMemoryToGpuPatterns(TileTypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);
/// Elementwise ops, tile.map, tile.range, tile.broadcast, splats,
/// constants, tile.cumsum and tile.sum.
void populateComputeToGpuPatterns(TileTypeConverter &converter,
                                  mlir::RewritePatternSet &patterns);
/// tile.dot: nvgpu.mma.sync with ldmatrix for 16-bit operands, FMA on f32.
void populateDotToGpuPatterns(TileTypeConverter &converter,
                              mlir::RewritePatternSet &patterns);

/// Orders each kernel's straight-line code so that chains of side-effect
/// free ops run next to what consumes them (a store, a product): each such
/// op moves to just before its first use in its block, while loads stay
/// where they are and so are all issued first. Registers then hold a piece
/// of a chain rather than whole tiles between ops.
void scheduleKernels(mlir::Operation *root);

/// Inserts the barriers that order the shared-memory writes and reads of
/// each kernel: before a read of a tile written since the last barrier,
/// and before a write of a tile read since then; never inside control flow
/// that depends on the thread.
void insertSharedMemoryBarriers(mlir::Operation *root);

} // namespace smc::kernels

#endif // SMC_PASSES_GPU_PATTERNS_H
