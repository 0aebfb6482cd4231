//===- DotToGpu.cpp - tile.dot as tensor-core or FMA code -----------------===//
//
// 16-bit operands: nvgpu.mma.sync m16n8k16, a warp per 16 rows of the
// accumulator (#tile.mma). A comes from registers (a 16-bit tile in the
// accumulator layout is an A operand) or from shared memory, B from shared
// memory; fragments are read by nvgpu.ldmatrix, transposed where the
// reduction dim is not the contiguous one, at the lanes' addresses that
// nvgpu's MMAUtils gives. Blocks a lower-triangular operand or result
// does not need are skipped per warp.
//
// f32 operands: each thread accumulates its own elements of the
// accumulator layout with FMAs, reading rows of A and columns of B from
// shared memory.
//
//===----------------------------------------------------------------------===//

#include "passes/gpu/Patterns.h"

#include "dialect/tile/TileOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/NVGPU/Utils/MMAUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace smc;
using namespace smc::kernels;

namespace {

Value constIndex(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value addIndex(OpBuilder &b, Location loc, Value v, int64_t c) {
  return c ? arith::AddIOp::create(b, loc, v, constIndex(b, loc, c)).getResult()
           : v;
}

/// A 16 x 16 region of 16-bit operand fragments (rows r, columns k of the
/// fragment) read from shared memory by one ldmatrix.x4. The region's
/// element (r, k) is at smem[row0 + r][col0 + k], or at
/// smem[col0 + k][row0 + r] when `transposed`. Returns its four 8 x 8
/// matrices as registers, ordered by their corner: (0, 0), (8, 0), (0, 8),
/// (8, 8).
SmallVector<Value> loadFragments(OpBuilder &b, Location loc, Value smem,
                                 Value row0, Value col0, bool transposed,
                                 Value lane) {
  Type elem = cast<MemRefType>(smem.getType()).getElementType();
  nvgpu::WarpMatrixInfo info{VectorType::get({16, 16}, elem),
                             nvgpu::MatMulOperandRole::A};
  nvgpu::LdMatrixParams params = *nvgpu::getLdMatrixParams(info, transposed);
  AffineMap laneMap = *nvgpu::getLaneIdToLdMatrixMatrixCoord(b, loc, params);
  // The address this lane gives ldmatrix.
  Value r = affine::AffineApplyOp::create(b, loc, laneMap.getSubMap({0}), lane);
  Value k = affine::AffineApplyOp::create(b, loc, laneMap.getSubMap({1}), lane);
  r = arith::AddIOp::create(b, loc, row0, r);
  k = arith::AddIOp::create(b, loc, col0, k);
  SmallVector<Value> at =
      transposed ? SmallVector<Value>{k, r} : SmallVector<Value>{r, k};
  Value tiles = nvgpu::LdMatrixOp::create(b, loc, VectorType::get({4, 2}, elem),
                                          smem, at, transposed,
                                          /*numTiles=*/4);
  // Matrix i is the one lanes 8i .. 8i + 7 address; its corner is the
  // smallest coordinate they give.
  Builder cb(b.getContext());
  SmallVector<Value> regs(4);
  for (int64_t i = 0; i < 4; ++i) {
    int64_t minRow = 16, minCol = 16;
    for (int64_t l = 8 * i; l < 8 * i + 8; ++l) {
      SmallVector<Attribute> c;
      (void)laneMap.constantFold({cb.getIndexAttr(l)}, c);
      minRow = std::min<int64_t>(minRow, cast<IntegerAttr>(c[0]).getInt());
      minCol = std::min<int64_t>(minCol, cast<IntegerAttr>(c[1]).getInt());
    }
    regs[minRow / 8 + 2 * (minCol / 8)] =
        vector::ExtractOp::create(b, loc, tiles, i);
  }
  return regs;
}

Value stack(OpBuilder &b, Location loc, ArrayRef<Value> regs) {
  auto regType = cast<VectorType>(regs[0].getType());
  auto type = VectorType::get({static_cast<int64_t>(regs.size()), 2},
                              regType.getElementType());
  Value v = arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
  for (auto [i, r] : llvm::enumerate(regs))
    v = vector::InsertOp::create(b, loc, r, v, static_cast<int64_t>(i));
  return v;
}

/// d = a . b + c on one m16n8k16 tile (a: 4x2, b: 2x2, c and d: 2x2
/// f32). nvgpu.mma.sync, except for bf16 operands, which nvgpu's lowering
/// to NVVM does not take in LLVM 22: those go to nvvm.mma.sync directly,
/// with the 32-bit registers the PTX instruction reads.
Value mmaSync(OpBuilder &b, Location loc, Value a, Value bm, Value c) {
  Type elem = cast<VectorType>(a.getType()).getElementType();
  if (!elem.isBF16())
    return nvgpu::MmaSyncOp::create(b, loc, a, bm, c,
                                    ArrayRef<int64_t>{16, 8, 16});
  auto registers = [&](Value v) {
    SmallVector<Value> regs;
    int64_t rows = cast<VectorType>(v.getType()).getDimSize(0);
    for (int64_t r = 0; r < rows; ++r) {
      Value pair = vector::ExtractOp::create(b, loc, v, r);
      Value bits = vector::BitCastOp::create(
          b, loc, VectorType::get({1}, b.getI32Type()), pair);
      regs.push_back(vector::ExtractOp::create(b, loc, bits, 0));
    }
    return regs;
  };
  SmallVector<Value> acc;
  for (int64_t r = 0; r < 2; ++r)
    for (int64_t i = 0; i < 2; ++i)
      acc.push_back(
          vector::ExtractOp::create(b, loc, c, ArrayRef<int64_t>{r, i}));
  Type f32 = b.getF32Type();
  auto result =
      LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
  auto op = NVVM::MmaOp::create(
      b, loc, result, registers(a), registers(bm), acc,
      ArrayRef<int64_t>{16, 8, 16}, std::nullopt, std::nullopt,
      std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16, NVVM::MMATypes::bf16},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  Value d = arith::ConstantOp::create(
      b, loc, b.getZeroAttr(VectorType::get({2, 2}, f32)));
  for (int64_t i = 0; i < 4; ++i)
    d = vector::InsertOp::create(
        b, loc, LLVM::ExtractValueOp::create(b, loc, op.getRes(), i), d,
        ArrayRef<int64_t>{i / 2, i % 2});
  return d;
}

/// `then` where `cond` holds, else `fallback`; both the same vector type.
Value selectBlock(OpBuilder &b, Location loc, Value cond,
                  function_ref<Value(OpBuilder &, Location)> then,
                  Value fallback) {
  auto op = scf::IfOp::create(
      b, loc, cond,
      [&](OpBuilder &nb, Location l) {
        scf::YieldOp::create(nb, l, then(nb, l));
      },
      [&](OpBuilder &nb, Location l) {
        scf::YieldOp::create(nb, l, fallback);
      });
  return op.getResult(0);
}

struct DotToMma : OpConversionPattern<tile::DotOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tile::DotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto accType = op.getType();
    auto mma = dyn_cast<tile::MmaLayoutAttr>(accType.getEncoding());
    Type elem = op.getA().getType().getElementType();
    if (!mma || elem.getIntOrFloatBitWidth() != 16)
      return rewriter.notifyMatchFailure(op, "not a 16-bit mma product");
    bool aInRegisters = isa<VectorType>(adaptor.getA().getType());
    if (!isa<MemRefType>(adaptor.getB().getType()) ||
        (aInRegisters && op.getTransposeA()))
      return rewriter.notifyMatchFailure(op, "operands not staged");
    Location loc = op.getLoc();
    int64_t warps = mma.getWarps();
    int64_t m = accType.getDimSize(0), n = accType.getDimSize(1);
    int64_t k = op.getA().getType().getDimSize(op.getTransposeA() ? 0 : 1);
    if (m % (16 * warps) || n % 16 || k % 16)
      return rewriter.notifyMatchFailure(op, "needs 16-multiples");
    int64_t mreps = m / (16 * warps), ntiles = n / 8;
    ThreadIds ids = getThreadIds(rewriter, loc);
    Value warpRow = arith::MulIOp::create(rewriter, loc, ids.warp,
                                          constIndex(rewriter, loc, 16));
    Value acc = adaptor.getAcc();
    auto slot = [&](int64_t mr, int64_t nt) { return (mr * ntiles + nt) * 4; };
    auto getAcc = [&](OpBuilder &b, Value acc, int64_t mr, int64_t nt) {
      return toMatrix(b, loc, extractSlots(b, loc, acc, slot(mr, nt), 4), 2, 2);
    };
    auto setAcc = [&](OpBuilder &b, Value acc, Value t, int64_t mr,
                      int64_t nt) {
      return insertSlots(b, loc, fromMatrix(b, loc, t), acc, slot(mr, nt));
    };

    for (int64_t mr = 0; mr < mreps; ++mr) {
      Value row0 = addIndex(rewriter, loc, warpRow, 16 * warps * mr);
      Value rowEnd = addIndex(rewriter, loc, row0, 16);
      for (int64_t kk = 0; kk < k / 16; ++kk) {
        // The A fragments of rows row0.., reduction 16 kk..
        auto aFragments = [&](OpBuilder &b) -> Value {
          if (aInRegisters) {
            int64_t first = (mr * (k / 8) + 2 * kk) * 4;
            return toMatrix(
                b, loc, extractSlots(b, loc, adaptor.getA(), first, 8), 4, 2);
          }
          return stack(b, loc,
                       loadFragments(b, loc, adaptor.getA(), row0,
                                     constIndex(b, loc, 16 * kk),
                                     op.getTransposeA(), ids.lane));
        };
        // B fragments two n-tiles at a time; the whole k-step is skipped
        // where A is zero (past the diagonal of a lower-triangular A).
        auto step = [&](OpBuilder &b, Location, Value acc) -> Value {
          Value a = aFragments(b);
          for (int64_t nt = 0; nt < ntiles; nt += 2) {
            SmallVector<Value> f = loadFragments(
                b, loc, adaptor.getB(), constIndex(b, loc, 8 * nt),
                constIndex(b, loc, 16 * kk), !op.getTransposeB(), ids.lane);
            // Rows of the region are n, columns k: n-tile nt is (0, 0) and
            // (0, 8); nt + 1 is (8, 0) and (8, 8).
            Value bFrag[2] = {stack(b, loc, {f[0], f[2]}),
                              stack(b, loc, {f[1], f[3]})};
            for (int64_t i = 0; i < 2; ++i) {
              auto product = [&](OpBuilder &nb, Location) -> Value {
                Value c = getAcc(nb, acc, mr, nt + i);
                Value d = mmaSync(nb, loc, a, bFrag[i], c);
                return setAcc(nb, acc, d, mr, nt + i);
              };
              if (!op.getTrilResult()) {
                acc = product(b, loc);
                continue;
              }
              // Columns past the warp's last row are not needed.
              Value needed = arith::CmpIOp::create(
                  b, loc, arith::CmpIPredicate::ult,
                  constIndex(b, loc, 8 * (nt + i)), rowEnd);
              acc = selectBlock(b, loc, needed, product, acc);
            }
          }
          return acc;
        };
        if (op.getTrilA()) {
          Value needed =
              arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ult,
                                    constIndex(rewriter, loc, 16 * kk), rowEnd);
          acc = selectBlock(
              rewriter, loc, needed,
              [&](OpBuilder &b, Location l) { return step(b, l, acc); }, acc);
        } else {
          acc = step(rewriter, loc, acc);
        }
      }
    }
    rewriter.replaceOp(op, acc);
    return success();
  }
};

/// f32 operands: FMAs into the thread's accumulator slots, A and B read
/// from shared memory one reduction step at a time.
struct DotToFma : OpConversionPattern<tile::DotOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tile::DotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    std::optional<RegisterLayout> layout = RegisterLayout::get(op.getType());
    if (!layout || !op.getA().getType().getElementType().isF32() ||
        !isa<MemRefType>(adaptor.getA().getType()) ||
        !isa<MemRefType>(adaptor.getB().getType()))
      return rewriter.notifyMatchFailure(op, "not an f32 product from shared");
    Location loc = op.getLoc();
    ThreadIds ids = getThreadIds(rewriter, loc);
    Value row0 = layout->threadOffset(rewriter, loc, ids, 0);
    Value col0 = layout->threadOffset(rewriter, loc, ids, 1);
    int64_t k = op.getA().getType().getDimSize(op.getTransposeA() ? 0 : 1);
    bool ta = op.getTransposeA(), tb = op.getTransposeB();
    Value a = adaptor.getA(), bm = adaptor.getB();
    auto loop = scf::ForOp::create(
        rewriter, loc, constIndex(rewriter, loc, 0),
        constIndex(rewriter, loc, k), constIndex(rewriter, loc, 1),
        ValueRange{adaptor.getAcc()},
        [&](OpBuilder &b, Location l, Value kv, ValueRange carried) {
          Value acc = carried[0];
          // Each distinct row of A and column of B once.
          DenseMap<int64_t, Value> rows, cols;
          auto read = [&](DenseMap<int64_t, Value> &cache, Value mem,
                          Value base, int64_t off, bool kFirst) {
            auto it = cache.find(off);
            if (it != cache.end())
              return it->second;
            Value i = addIndex(b, l, base, off);
            Value v =
                kFirst ? memref::LoadOp::create(b, l, mem, ValueRange{kv, i})
                       : memref::LoadOp::create(b, l, mem, ValueRange{i, kv});
            return cache[off] = v;
          };
          for (int64_t e = 0; e < layout->numSlots(); ++e) {
            Value x = read(rows, a, row0, layout->slotOffset(e, 0), ta);
            Value y = read(cols, bm, col0, layout->slotOffset(e, 1), !tb);
            Value c = vector::ExtractOp::create(b, l, acc, e);
            Value d = math::FmaOp::create(b, l, x, y, c);
            acc = vector::InsertOp::create(b, l, d, acc, e);
          }
          scf::YieldOp::create(b, l, acc);
        });
    rewriter.replaceOp(op, loop.getResult(0));
    return success();
  }
};

} // namespace

void smc::kernels::populateDotToGpuPatterns(TileTypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<DotToMma, DotToFma>(converter, patterns.getContext());
}
