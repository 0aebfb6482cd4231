//===- ExpandChunkedMma.cpp - the chunked form on tensor cores ------------===//
//
// The chunked (SSD) form as GPU kernels whose matmul-shaped work runs on
// tensor cores: mma.sync m16n8k16 with bf16 operands and f32 accumulators.
//
//   cumsum  (decaying masks only) a warp per (sequence, chunk, head): the
//           chunk-local running sums cum_i of the mask's log-decays, by a
//           shuffle scan, into a [b, T, h] buffer;
//   states  a block per (sequence, head, segment of chunks) walking the
//           segment's chunks in order from a zero state, a warp per 16 rows
//           p, the state in the mma accumulators:
//           H_k = e^{A_k} H_{k-1} + X_k^T B~_k, B~_j = e^{cum_last - cum_j}
//           B_j, the state before each chunk written out in bf16, and the
//           segment's end state;
//   combine a thread per state element walking the segments in order: the
//           true state before each segment, and the final state;
//   output  a block per (sequence, chunk, head), a warp per 16 positions:
//           Y = diag(e^{cum}) C . H^T + ((C . B^T) o L) . X, with H the
//           segment's state plus the decayed state before it; the masked
//           scores kept in registers between the two products (the
//           accumulator layout of one mma is the operand layout of the next).
//
// Operands are staged in shared memory as bf16 rows padded by 8 elements,
// with 16-byte stores, so the 8 rows a fragment load touches fall in
// distinct banks. Tiles whose reduction dimension is contiguous are read
// one 32-bit register at a time; X and B~, whose reduction dimension is the
// chunk position, are staged as they are in memory and read transposed by
// ldmatrix. Tiles above the diagonal of the causal mask are skipped per
// warp.
//
//===----------------------------------------------------------------------===//

#include "passes/ExpandCommon.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <numeric>

using namespace mlir;
using namespace smc::expand;

namespace {

/// Padding of each shared-memory row, in elements.
constexpr int64_t kPad = 8;
/// Elements one thread moves per global load when staging bf16 rows (16 B).
constexpr int64_t kSeg = 8;
/// The state scan splits sequences into segments until it has about this
/// many blocks (a few per SM) to run in parallel. Segments cost a combine
/// kernel and a fix-up in the output kernel, so batches with this many
/// (sequence, head) slices are not split.
constexpr int64_t kScanBlocks = 512;

//===----------------------------------------------------------------------===//
// Shared memory
//===----------------------------------------------------------------------===//

/// Arrays carved one after another (128-byte aligned) out of a kernel's
/// dynamic shared memory.
class SharedLayout {
public:
  unsigned add(ArrayRef<int64_t> shape, Type elem) {
    int64_t size = elem.getIntOrFloatBitWidth() / 8;
    for (int64_t d : shape)
      size *= d;
    offsets.push_back(bytes);
    arrays.push_back({SmallVector<int64_t>(shape), elem});
    bytes = llvm::alignTo(bytes + size, 128);
    return arrays.size() - 1;
  }
  int64_t size() const { return bytes; }

  /// Typed views of every array; call at the top of the kernel body.
  SmallVector<Value> views(Emitter &b) const {
    auto workgroup = gpu::AddressSpaceAttr::get(b.getContext(),
                                                gpu::AddressSpace::Workgroup);
    Value base = gpu::DynamicSharedMemoryOp::create(
        b, MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                           MemRefLayoutAttrInterface{}, workgroup));
    SmallVector<Value> out;
    for (auto [array, offset] : llvm::zip(arrays, offsets)) {
      auto type = MemRefType::get(array.first, array.second,
                                  MemRefLayoutAttrInterface{}, workgroup);
      out.push_back(
          memref::ViewOp::create(b, type, base, cIdx(b, offset), ValueRange{}));
    }
    return out;
  }

private:
  SmallVector<std::pair<SmallVector<int64_t>, Type>> arrays;
  SmallVector<int64_t> offsets;
  int64_t bytes = 0;
};

//===----------------------------------------------------------------------===//
// Fragments
//===----------------------------------------------------------------------===//

Type bf16(Emitter &b) { return b.getBF16Type(); }

/// The lane's coordinates in an mma tile: group g = lane / 4 (a row of A, a
/// column of B) and t = lane % 4 (a pair of the reduction dimension).
struct Lane {
  Value g, t2; // g and 2 t.
  Value id;    // The lane, 0 .. 31.
};

Lane laneOf(Emitter &b, Value lane) {
  return {arith::DivUIOp::create(b, lane, cIdx(b, 4)),
          arith::MulIOp::create(b, arith::RemUIOp::create(b, lane, cIdx(b, 4)),
                                cIdx(b, 2)),
          lane};
}

/// A thread of a block of warps that each own 16 rows: its lane in a tile,
/// the same with g moved to the warp's rows (16 * warp + g), and the warp's
/// first row.
struct WarpLane {
  Lane l, rows;
  Value first;
};

Value addI(Emitter &b, Value x, int64_t c) {
  return c ? arith::AddIOp::create(b, x, cIdx(b, c)).getResult() : x;
}

WarpLane warpLaneOf(Emitter &b, Value tid) {
  Value lane = arith::RemUIOp::create(b, tid, cIdx(b, 32));
  Value warp = arith::DivUIOp::create(b, tid, cIdx(b, 32));
  Lane l = laneOf(b, lane);
  Value first = arith::MulIOp::create(b, warp, cIdx(b, 16));
  return {l, Lane{arith::AddIOp::create(b, l.g, first), l.t2, l.id}, first};
}

/// Two bf16 as the i32 register of a fragment (the first in the low half).
Value asRegister(Emitter &b, Value pair) {
  Value bits =
      vector::BitCastOp::create(b, VectorType::get({1}, b.getI32Type()), pair);
  return vector::ExtractOp::create(b, bits, 0);
}

/// smem[row, col : col + 2] (bf16) as one register.
Value loadPair(Emitter &b, Value smem, Value row, Value col) {
  return asRegister(b, vector::LoadOp::create(b, VectorType::get({2}, bf16(b)),
                                              smem, ValueRange{row, col}, false,
                                              llvm::MaybeAlign(4)));
}

/// Two f32 rounded to bf16, as one register.
Value packPair(Emitter &b, Value lo, Value hi) {
  Value pair = vector::FromElementsOp::create(
      b, VectorType::get({2}, bf16(b)),
      ValueRange{arith::TruncFOp::create(b, bf16(b), lo),
                 arith::TruncFOp::create(b, bf16(b), hi)});
  return asRegister(b, pair);
}

/// The A fragment (16 x 16, row-major) at rows r0.., columns k0.. of an
/// [M][K] array: rows g and g + 8, columns 2t and 2t + 8.
SmallVector<Value> fragA(Emitter &b, Value smem, const Lane &l, int64_t r0,
                         int64_t k0) {
  Value r = addI(b, l.g, r0), k = addI(b, l.t2, k0);
  return {loadPair(b, smem, r, k), loadPair(b, smem, addI(b, r, 8), k),
          loadPair(b, smem, r, addI(b, k, 8)),
          loadPair(b, smem, addI(b, r, 8), addI(b, k, 8))};
}

/// The B fragment (16 x 8, column-major) at columns n0.., reduction k0.. of
/// an [N][K] array: column g, reduction 2t and 2t + 8.
SmallVector<Value> fragB(Emitter &b, Value smem, const Lane &l, int64_t n0,
                         int64_t k0) {
  Value n = addI(b, l.g, n0), k = addI(b, l.t2, k0);
  return {loadPair(b, smem, n, k), loadPair(b, smem, n, addI(b, k, 8))};
}

/// Four 8 x 8 bf16 matrices of a [K][M] shared array, transposed, by one
/// ldmatrix: lane i gives the address of row i % 8 of matrix i / 8, which
/// starts at (k0 + dk, m0 + dm) for `at(i / 8)` = (dk, dm); each returned
/// register holds the lane's pair of one matrix's transpose.
SmallVector<Value>
ldmatrixT(Emitter &b, Value smem, const Lane &l, Value k0, Value m0,
          function_ref<std::pair<int64_t, int64_t>(int64_t)> at) {
  Value mi = arith::DivUIOp::create(b, l.id, cIdx(b, 8));
  Value ri = arith::RemUIOp::create(b, l.id, cIdx(b, 8));
  // (dk, dm) of matrix mi, selected without branches.
  Value dk = cIdx(b, at(0).first), dm = cIdx(b, at(0).second);
  for (int64_t m = 1; m < 4; ++m) {
    Value is =
        arith::CmpIOp::create(b, arith::CmpIPredicate::eq, mi, cIdx(b, m));
    dk = arith::SelectOp::create(b, is, cIdx(b, at(m).first), dk);
    dm = arith::SelectOp::create(b, is, cIdx(b, at(m).second), dm);
  }
  Value row = arith::AddIOp::create(b, arith::AddIOp::create(b, k0, dk), ri);
  Value col = arith::AddIOp::create(b, m0, dm);
  Value tiles = nvgpu::LdMatrixOp::create(b, VectorType::get({4, 2}, bf16(b)),
                                          smem, ValueRange{row, col},
                                          /*transpose=*/true, /*numTiles=*/4);
  SmallVector<Value> regs;
  for (int64_t i = 0; i < 4; ++i)
    regs.push_back(asRegister(b, vector::ExtractOp::create(b, tiles, i)));
  return regs;
}

/// The A fragment (16 x 16) at rows m0.., reduction k0.. of the transpose
/// of a [K][M] array (M contiguous): a0 .. a3 are the matrices at
/// (k, m) offsets (0, 0), (0, 8), (8, 0), (8, 8).
SmallVector<Value> fragAT(Emitter &b, Value smem, const Lane &l, Value m0,
                          int64_t k0) {
  return ldmatrixT(b, smem, l, cIdx(b, k0), m0, [](int64_t m) {
    return std::make_pair(8 * (m / 2), 8 * (m % 2));
  });
}

/// The B fragments (16 x 8) of columns n0.. and n0 + 8.., reduction k0..,
/// of a [K][N] array (N contiguous): b0, b1 of the first tile, then of the
/// second.
SmallVector<Value> fragBT2(Emitter &b, Value smem, const Lane &l, int64_t n0,
                           int64_t k0) {
  return ldmatrixT(b, smem, l, cIdx(b, k0), cIdx(b, n0), [](int64_t m) {
    return std::make_pair(8 * (m % 2), 8 * (m / 2));
  });
}

/// d = a . b + c on one 16 x 8 x 16 tile. The accumulator's four values are
/// (row g, column 2t), (g, 2t + 1), (g + 8, 2t), (g + 8, 2t + 1).
SmallVector<Value> mma(Emitter &b, ArrayRef<Value> a, ArrayRef<Value> bf,
                       ArrayRef<Value> c) {
  Type f32 = b.getF32Type();
  auto result =
      LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
  auto op = NVVM::MmaOp::create(
      b, result, a, bf, c, ArrayRef<int64_t>{16, 8, 16}, std::nullopt,
      std::nullopt,
      std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16, NVVM::MMATypes::bf16},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  SmallVector<Value> d;
  for (int64_t i = 0; i < 4; ++i)
    d.push_back(LLVM::ExtractValueOp::create(b, op.getRes(), i));
  return d;
}

SmallVector<Value> zeroAcc(Emitter &b) {
  return SmallVector<Value>(4, cF32(b, 0));
}

/// Accumulator tiles as one list of values (loop-carried or yielded), and
/// back.
SmallVector<Value> flatten(ArrayRef<SmallVector<Value>> tiles) {
  SmallVector<Value> flat;
  for (const SmallVector<Value> &t : tiles)
    flat.append(t.begin(), t.end());
  return flat;
}

SmallVector<SmallVector<Value>> accTiles(ValueRange flat, int64_t count) {
  SmallVector<SmallVector<Value>> tiles;
  for (int64_t i = 0; i < count; ++i)
    tiles.push_back(llvm::to_vector(flat.slice(4 * i, 4)));
  return tiles;
}

//===----------------------------------------------------------------------===//
// Staging tiles
//===----------------------------------------------------------------------===//

/// The chunk of a block: (sequence, chunk, head) from the block id, with its
/// slice, first position and length (0 when past the sequence's end).
struct ChunkAt {
  Slice s;
  Value chunk, c0, qc;
  Value total; ///< The chunk's total log-decay, where a kernel needs it.
};

/// Moves tiles from global to shared memory: items 0 .. total of each tile
/// are spread over the threads (thread `tid` takes tid, tid + threads, ...,
/// unrolled), and every load of every tile is issued before the first
/// store, so a thread waits for memory once. Loads see a clamped index;
/// stores past `total` are skipped.
class Stager {
public:
  using Load = function_ref<SmallVector<Value>(Emitter &, Value)>;
  /// Stores item `idx` of the chunk `a` from what its load returned.
  using Store = std::function<void(Emitter &, const ChunkAt &a, Value idx,
                                   ValueRange loaded)>;
  Stager(Value tid, int64_t threads) : tid(tid), threads(threads) {}

  void add(Emitter &b, int64_t total, Load load, Store store) {
    for (int64_t i = 0; i < total; i += threads) {
      Value idx = addI(b, tid, i);
      if (i + threads > total)
        idx = arith::MinUIOp::create(b, idx, cIdx(b, total - 1));
      items.push_back({i, total, load(b, idx), store});
    }
  }

  /// What the loads returned, in order.
  SmallVector<Value> values() const {
    SmallVector<Value> out;
    for (const Item &item : items)
      out.append(item.values.begin(), item.values.end());
    return out;
  }

  /// Stores what was loaded, or `values` in its place (loads made in an
  /// earlier loop iteration by a Stager of the same plan). Conversions
  /// happen here, so loads stay in flight until the tiles are stored.
  void flush(Emitter &b, const ChunkAt &a, ValueRange values = {}) {
    size_t next = 0;
    for (const Item &item : items) {
      ValueRange loaded = item.values;
      if (!values.empty())
        loaded = values.slice(next, item.values.size());
      next += item.values.size();
      Value idx = addI(b, tid, item.offset);
      if (item.offset + threads <= item.total) {
        item.store(b, a, idx, loaded);
        continue;
      }
      when(b, ult(b, idx, cIdx(b, item.total)),
           [&](Emitter &b) { item.store(b, a, idx, loaded); });
    }
  }

private:
  struct Item {
    int64_t offset, total;
    SmallVector<Value> values;
    Store store;
  };
  Value tid;
  int64_t threads;
  SmallVector<Item> items;
};

VectorType segType(Emitter &b, Type elem, int64_t n = kSeg) {
  return VectorType::get({n}, elem);
}

/// `v` where `valid` holds, else zeros.
Value orZero(Emitter &b, Value valid, Value v) {
  return arith::SelectOp::create(
      b, valid, v, arith::ConstantOp::create(b, b.getZeroAttr(v.getType())));
}

/// f32 values rounded to bf16.
Value toBf16(Emitter &b, Value v) { return castFloat(b, v, bf16(b)); }

/// mem[idx..., k : k + kSeg] in its element type.
Value loadSegment(Emitter &b, Value mem, ValueRange idx) {
  Type elem = cast<MemRefType>(mem.getType()).getElementType();
  return vector::LoadOp::create(b, segType(b, elem), mem, idx, false,
                                llvm::MaybeAlign(16));
}

Value toF32(Emitter &b, Value v) { return castFloat(b, v, b.getF32Type()); }

/// smem[row, col : col + kSeg] = v (bf16).
void storeSegment(Emitter &b, Value v, Value smem, Value row, Value col) {
  vector::StoreOp::create(b, v, smem, ValueRange{row, col}, false,
                          llvm::MaybeAlign(16));
}

/// Splits a staging index over rows of `segs` segments: (row, first column).
/// Consecutive threads take consecutive segments of a row: coalesced loads
/// and conflict-free row stores.
std::pair<Value, Value> rowSeg(Emitter &b, Value idx, int64_t segs) {
  return {arith::DivUIOp::create(b, idx, cIdx(b, segs)),
          arith::MulIOp::create(
              b, arith::RemUIOp::create(b, idx, cIdx(b, segs)), cIdx(b, kSeg))};
}

/// Chunk `chunk` of slice `s`.
ChunkAt chunkOf(Emitter &b, const Contraction &c, const Slice &s, Value chunk) {
  ChunkAt a;
  a.s = s;
  a.chunk = chunk;
  Value offset = arith::MulIOp::create(b, chunk, cIdx(b, c.chunk));
  a.c0 = arith::AddIOp::create(b, s.start, offset);
  Value left = arith::SubIOp::create(
      b, arith::MaxUIOp::create(b, s.len, offset), offset);
  a.qc = arith::MinUIOp::create(b, left, cIdx(b, c.chunk));
  return a;
}

ChunkAt chunkAt(Emitter &b, const Contraction &c, Value block,
                Value maxChunks) {
  Value heads = cIdx(b, c.heads);
  Value head = arith::RemUIOp::create(b, block, heads);
  Value rest = arith::DivUIOp::create(b, block, heads);
  Value chunk = arith::RemUIOp::create(b, rest, maxChunks);
  Value seq = arith::DivUIOp::create(b, rest, maxChunks);
  return chunkOf(b, c, sliceAt(b, c, seq, head), chunk);
}

Value isPositive(Emitter &b, Value v) {
  return arith::CmpIOp::create(b, arith::CmpIPredicate::ne, v, cIdx(b, 0));
}

/// The position of row j of the chunk, clamped to the chunk's last row so
/// loads stay in bounds (stores zero what was loaded for rows j >= qc).
Value rowPos(Emitter &b, const ChunkAt &a, Value j) {
  Value last = arith::SubIOp::create(b, a.qc, cIdx(b, 1));
  return arith::AddIOp::create(b, a.c0, arith::MinUIOp::create(b, j, last));
}

using ChunkBody = function_ref<void(Emitter &, ArrayRef<Value> smem, Value tid,
                                    const ChunkAt &)>;

/// Launches `threads` threads per block of (sequence, chunk, head), with
/// the arrays of `layout` (if any) in shared memory; `body` runs in the
/// blocks whose chunk holds positions, so whole blocks leave together.
void launchPerChunk(Emitter &b, const Contraction &c, Value blocks,
                    Value maxChunks, int64_t threads,
                    const SharedLayout *layout, ChunkBody body) {
  launch(
      b, blocks, cIdx(b, threads),
      [&](Emitter &b, Value block, Value tid) {
        SmallVector<Value> smem;
        if (layout)
          smem = layout->views(b);
        ChunkAt a = chunkAt(b, c, block, maxChunks);
        when(b, isPositive(b, a.qc),
             [&](Emitter &b) { body(b, smem, tid, a); });
      },
      layout ? layout->size() : 0);
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// cum[batch, c0 + j, head] = sum_{i <= j} logDecay(c0 + i) within each
/// chunk: a warp per (sequence, chunk, head), 32 positions per scan step.
void emitCumsum(Emitter &b, const Contraction &c, Value cum, Value blocks,
                Value maxChunks) {
  // Whole warps leave together, so the shuffles stay converged.
  launchPerChunk(
      b, c, blocks, maxChunks, 32, nullptr,
      [&](Emitter &b, ArrayRef<Value>, Value lane, const ChunkAt &a) {
        Value carry = cF32(b, 0);
        for (int64_t seg = 0; seg < c.chunk; seg += 32) {
          Value j = addI(b, lane, seg);
          Value inside = ult(b, j, a.qc);
          Value pos = arith::AddIOp::create(b, a.c0, j);
          Value v = ifElse(
              b, inside, {b.getF32Type()},
              [&](Emitter &b) -> SmallVector<Value> {
                return {logDecayAt(b, c, a.s, pos)};
              },
              [&](Emitter &b) -> SmallVector<Value> {
                return {cF32(b, 0)};
              })[0];
          for (int32_t off = 1; off < 32; off *= 2) {
            auto up =
                gpu::ShuffleOp::create(b, v, off, 32, gpu::ShuffleMode::UP);
            v = arith::SelectOp::create(b, up.getValid(),
                                        add(b, v, up.getShuffleResult()), v);
          }
          v = add(b, v, carry);
          when(b, inside, [&](Emitter &b) {
            memref::StoreOp::create(b, v, cum,
                                    ValueRange{a.s.batch, pos, a.s.head});
          });
          carry = gpu::ShuffleOp::create(b, v, 31, 32, gpu::ShuffleMode::IDX)
                      .getShuffleResult();
        }
      });
}

/// cum at the chunk's last position (the chunk's total log-decay).
Value chunkTotal(Emitter &b, Value cum, const ChunkAt &a) {
  Value last = arith::SubIOp::create(b, arith::AddIOp::create(b, a.c0, a.qc),
                                     cIdx(b, 1));
  return memref::LoadOp::create(b, cum, ValueRange{a.s.batch, last, a.s.head});
}

/// Stages X[c0 .. c0 + Q) of the chunk's head as [Q][p + pad] (read
/// transposed by ldmatrix where it is the reduction's other side).
void stageX(Emitter &b, const Contraction &c, const ChunkAt &a, Stager &st,
            Value xs) {
  int64_t segs = c.headDim / kSeg;
  st.add(
      b, c.chunk * segs,
      [&](Emitter &b, Value idx) {
        auto [j, k] = rowSeg(b, idx, segs);
        Value pos = rowPos(b, a, j);
        return loadXOperands(b, c, {a.s.batch, pos, a.s.head, k}, kSeg);
      },
      [&c, xs, segs](Emitter &b, const ChunkAt &a, Value idx,
                     ValueRange loaded) {
        auto [j, k] = rowSeg(b, idx, segs);
        Value v = toBf16(b, finishX(b, c, loaded, kSeg));
        storeSegment(b, orZero(b, ult(b, j, a.qc), v), xs, j, k);
      });
}

/// Stages rows c0 .. c0 + Q of `src` (C or B, [b, T, g, n]) in the chunk's
/// group as [Q][n + pad]. With `cum`, row j is weighted by e^{total - cum_j}
/// (B~; the chunk's total log-decay comes with the chunk at the store).
void stageRows(Emitter &b, const Contraction &c, const ChunkAt &a, Stager &st,
               Value src, Value dst, Value cum = {}) {
  int64_t segs = c.stateDim / kSeg;
  st.add(
      b, c.chunk * segs,
      [&](Emitter &b, Value idx) -> SmallVector<Value> {
        auto [j, k] = rowSeg(b, idx, segs);
        Value pos = rowPos(b, a, j);
        Value v = loadSegment(b, src, {a.s.batch, pos, a.s.group, k});
        if (!cum)
          return {v};
        return {v, memref::LoadOp::create(
                       b, cum, ValueRange{a.s.batch, pos, a.s.head})};
      },
      [dst, segs](Emitter &b, const ChunkAt &a, Value idx, ValueRange loaded) {
        auto [j, k] = rowSeg(b, idx, segs);
        Value v = loaded[0];
        if (loaded.size() > 1) {
          Value w = exp(b, sub(b, a.total, loaded[1]));
          v = mul(
              b, toF32(b, v),
              vector::BroadcastOp::create(b, segType(b, b.getF32Type()), w));
        }
        storeSegment(b, orZero(b, ult(b, j, a.qc), toBf16(b, v)), dst, j, k);
      });
}

/// Stages the chunk's running log-decays cum[c0 .. c0 + Q) as [Q] (zero
/// past the sequence's end).
void stageCum(Emitter &b, const Contraction &c, const ChunkAt &a, Stager &st,
              Value cum, Value dst) {
  st.add(
      b, c.chunk,
      [&](Emitter &b, Value j) -> SmallVector<Value> {
        Value pos = rowPos(b, a, j);
        return {memref::LoadOp::create(b, cum,
                                       ValueRange{a.s.batch, pos, a.s.head})};
      },
      [dst](Emitter &b, const ChunkAt &a, Value j, ValueRange loaded) {
        memref::StoreOp::create(b, orZero(b, ult(b, j, a.qc), loaded[0]), dst,
                                ValueRange{j});
      });
}

/// Stages a chunk's operands of the state update: X and
/// B~_j = e^{cum_last - cum_j} B_j, as [Q][p + pad] and [Q][n + pad] (the
/// chunk's total log-decay comes with the chunk at the store).
void stageStateTiles(Emitter &b, const Contraction &c, const ChunkAt &a,
                     Value cum, Stager &st, Value xs, Value bs) {
  stageX(b, c, a, st, xs);
  stageRows(b, c, a, st, c.B, bs, cum);
}

/// The split of each sequence's chunks into segments that the state scan
/// walks in parallel: a block per (sequence, head, segment) starts from a
/// zero state, and a combine kernel then carries the true state across the
/// segments. A sequential walk over all chunks leaves most of the GPU idle
/// when sequences are few and long (b = 1: one block per head).
struct Segments {
  Value count;  ///< Segments per sequence (at most).
  Value length; ///< Chunks per segment.
  /// e^{sum of the chunk totals from the segment's start to the chunk's
  /// start}, [S, h, chunks] f32 (null without decays).
  Value decay;
  Value end;   ///< Each segment's state from zero, [S, h, K, p, n] f32.
  Value total; ///< Each segment's log-decay, [S, h, K] f32 (null w/o decays).
  Value start; ///< The state before each segment, [S, h, K, p, n] bf16.
};

/// The states within each segment, a block per (sequence, head, segment)
/// walking the segment's chunks in order and a warp per 16 rows p:
///   prev[k] = H_{k-1} (bf16),  H_k = e^{A_k} H_{k-1} + X_k^T B~_k,
/// from H = 0 at the segment's start, with H held in the mma accumulators,
/// so the tensor cores add each chunk's state onto the decayed state;
/// B~_j = e^{cum_last - cum_j} B_j.
void emitStateScan(Emitter &b, const Contraction &c, Value cum, Value prev,
                   const Segments &seg) {
  int64_t q = c.chunk, p = c.headDim, n = c.stateDim;
  int64_t threads = 32 * (p / 16);
  SharedLayout layout;
  unsigned xsId = layout.add({q, p + kPad}, bf16(b));
  unsigned bsId = layout.add({q, n + kPad}, bf16(b));
  Value blocks = arith::MulIOp::create(
      b, arith::MulIOp::create(b, numSequences(b, c), seg.count),
      cIdx(b, c.heads));
  launch(
      b, blocks, cIdx(b, threads),
      [&](Emitter &b, Value block, Value tid) {
        SmallVector<Value> smem = layout.views(b);
        Value xs = smem[xsId], bs = smem[bsId];
        Value heads = cIdx(b, c.heads);
        Value rest = arith::DivUIOp::create(b, block, heads);
        Value segment = arith::RemUIOp::create(b, rest, seg.count);
        Slice s = sliceAt(b, c, arith::DivUIOp::create(b, rest, seg.count),
                          arith::RemUIOp::create(b, block, heads));
        // The warp's rows of the A array (rows p of the state).
        WarpLane wl = warpLaneOf(b, tid);
        Lane l = wl.l, lw = wl.rows;
        // Element v of accumulator tile nt: (row, column) of the state.
        auto at = [&](Emitter &b, int64_t nt, int64_t v) {
          return std::make_pair(addI(b, lw.g, 8 * (v / 2)),
                                addI(b, l.t2, 8 * nt + v % 2));
        };
        Value chunks = arith::CeilDivUIOp::create(b, s.len, cIdx(b, q));
        Value first = arith::MinUIOp::create(
            b, arith::MulIOp::create(b, segment, seg.length), chunks);
        Value end = arith::MinUIOp::create(
            b, arith::AddIOp::create(b, first, seg.length), chunks);
        Value lastChunk = arith::SubIOp::create(b, end, cIdx(b, 1));
        Value leader =
            arith::CmpIOp::create(b, arith::CmpIPredicate::eq, tid, cIdx(b, 0));
        SmallVector<Value> h(n / 2, cF32(b, 0));
        size_t stateValues = h.size();
        if (cum)
          h.push_back(cF32(b, 0)); // The segment's running log-decay.
        SmallVector<Type> hTypes(h.size(), b.getF32Type());
        when(b, ult(b, first, end), [&](Emitter &b) {
          // Chunk k's tiles are loaded during chunk k - 1 (software
          // pipelining): the loads of the next chunk are in flight while
          // the tensor cores work on this one.
          Stager plan(tid, threads);
          stageStateTiles(b, c, chunkOf(b, c, s, first), cum, plan, xs, bs);
          SmallVector<Value> init(h);
          SmallVector<Value> staged = plan.values();
          init.append(staged);
          auto loop = scf::ForOp::create(
              b, first, end, cIdx(b, 1), init,
              [&](OpBuilder &nb, Location loc, Value ck, ValueRange carried) {
                Emitter b(loc, nb);
                SmallVector<Value> h(carried.take_front(hTypes.size()));
                ChunkAt a = chunkOf(b, c, s, ck);
                if (cum) {
                  a.total = chunkTotal(b, cum, a);
                  Value run = h.back();
                  when(b, leader, [&](Emitter &b) {
                    memref::StoreOp::create(b, exp(b, run), seg.decay,
                                            ValueRange{s.seq, s.head, ck});
                  });
                  h.back() = add(b, run, a.total);
                }
                // The state before the chunk, for the output kernel.
                for (int64_t nt = 0; nt < n / 8; ++nt)
                  for (int64_t v = 0; v < 4; v += 2) {
                    auto [row, col] = at(b, nt, v);
                    Value pair = vector::FromElementsOp::create(
                        b, VectorType::get({2}, b.getF32Type()),
                        ValueRange{h[4 * nt + v], h[4 * nt + v + 1]});
                    vector::StoreOp::create(
                        b,
                        arith::TruncFOp::create(
                            b, VectorType::get({2}, bf16(b)), pair),
                        prev, ValueRange{s.seq, s.head, ck, row, col}, false,
                        llvm::MaybeAlign(4));
                  }
                plan.flush(b, a, carried.drop_front(hTypes.size()));
                gpu::BarrierOp::create(b);

                // Prefetch the next chunk (the last one again at the end:
                // loaded, never stored).
                Value next = arith::MinUIOp::create(
                    b, arith::AddIOp::create(b, ck, cIdx(b, 1)), lastChunk);
                Stager ahead(tid, threads);
                stageStateTiles(b, c, chunkOf(b, c, s, next), cum, ahead, xs,
                                bs);

                if (cum) {
                  Value e = expm1(b, a.total);
                  for (Value &v :
                       MutableArrayRef<Value>(h).take_front(stateValues))
                    v = add(b, v, mul(b, e, v));
                }
                for (int64_t kt = 0; kt < q; kt += 16) {
                  SmallVector<Value> fa = fragAT(b, xs, l, wl.first, kt);
                  for (int64_t nt = 0; nt < n / 8; nt += 2) {
                    SmallVector<Value> fb = fragBT2(b, bs, l, 8 * nt, kt);
                    for (int64_t i = 0; i < 2; ++i) {
                      SmallVector<Value> d =
                          mma(b, fa, ArrayRef<Value>(fb).slice(2 * i, 2),
                              ArrayRef<Value>(h).slice(4 * (nt + i), 4));
                      std::copy(d.begin(), d.end(), h.begin() + 4 * (nt + i));
                    }
                  }
                }
                // The next chunk's stores overwrite the tiles.
                gpu::BarrierOp::create(b);
                SmallVector<Value> yield(h);
                SmallVector<Value> prefetched = ahead.values();
                yield.append(prefetched);
                scf::YieldOp::create(b, yield);
              });
          SmallVector<Value> out(loop.getResults().take_front(hTypes.size()));
          // The segment's state from zero and its total log-decay, for the
          // combine kernel.
          for (int64_t nt = 0; nt < n / 8; ++nt)
            for (int64_t v = 0; v < 4; ++v) {
              auto [row, col] = at(b, nt, v);
              memref::StoreOp::create(
                  b, out[4 * nt + v], seg.end,
                  ValueRange{s.seq, s.head, segment, row, col});
            }
          if (cum)
            when(b, leader, [&](Emitter &b) {
              memref::StoreOp::create(b, out.back(), seg.total,
                                      ValueRange{s.seq, s.head, segment});
            });
        });
      },
      layout.size());
}

/// The state before each segment, by a walk over the segments in order:
///   start[0] = init (or 0),  start[k+1] = end[k] + e^{total_k} start[k],
/// and the final state after the last one; a thread per state element.
void emitSegmentCombine(Emitter &b, const Contraction &c, const Segments &seg) {
  int64_t q = c.chunk, p = c.headDim, n = c.stateDim;
  constexpr int64_t threads = 256;
  int64_t parts = p * n / threads; // p and n are multiples of 16.
  Value blocks =
      arith::MulIOp::create(b, numSequences(b, c), cIdx(b, c.heads * parts));
  launch(b, blocks, cIdx(b, threads), [&](Emitter &b, Value block, Value tid) {
    Value rest = arith::DivUIOp::create(b, block, cIdx(b, parts));
    Value e = arith::AddIOp::create(
        b,
        arith::MulIOp::create(b,
                              arith::RemUIOp::create(b, block, cIdx(b, parts)),
                              cIdx(b, threads)),
        tid);
    Value row = arith::DivUIOp::create(b, e, cIdx(b, n));
    Value col = arith::RemUIOp::create(b, e, cIdx(b, n));
    Slice s = sliceAt(b, c, arith::DivUIOp::create(b, rest, cIdx(b, c.heads)),
                      arith::RemUIOp::create(b, rest, cIdx(b, c.heads)));
    Value chunks = arith::CeilDivUIOp::create(b, s.len, cIdx(b, q));
    Value segments = arith::CeilDivUIOp::create(b, chunks, seg.length);
    Value h =
        c.init ? loadF32(b, c.init, {s.seq, s.head, row, col}) : cF32(b, 0);
    h = forRangeCarry(
        b, cIdx(b, 0), segments, {h},
        [&](Emitter &b, Value k, ValueRange carried) -> SmallVector<Value> {
          Value h = carried[0];
          SmallVector<Value> at = {s.seq, s.head, k, row, col};
          storeF32(b, h, seg.start, at);
          if (seg.total)
            h = decayBy(b,
                        memref::LoadOp::create(b, seg.total,
                                               ValueRange{s.seq, s.head, k}),
                        h);
          return {add(b, memref::LoadOp::create(b, seg.end, at), h)};
        })[0];
    if (c.final)
      storeF32(b, h, c.final, {s.seq, s.head, row, col});
  });
}

/// Y += G . X for one tile of Q sources, G[i, j] = weight(C_i . B_j): a
/// warp's 16 rows of C (A fragments `fc`, over n) against the staged rows
/// of B ([Q][n + pad]) and X ([Q][p + pad]). `weight` gets accumulator
/// element v of a score tile, its source row j and the score, and returns
/// the masked score (0 outside the mask); `needed(col)` says whether the
/// columns from `col` on (8 or 16 of them) can be nonzero, else they are
/// skipped.
void accumulateMaskedScores(
    Emitter &b, const Contraction &c, const Lane &l,
    ArrayRef<SmallVector<Value>> fc, Value bs, Value xs,
    function_ref<Value(Emitter &, int64_t)> needed,
    function_ref<Value(Emitter &, int64_t, Value, Value)> weight,
    SmallVectorImpl<SmallVector<Value>> &acc) {
  int64_t q = c.chunk, p = c.headDim, n = c.stateDim;
  SmallVector<Type> four(4, b.getF32Type());
  SmallVector<SmallVector<Value>> g;
  for (int64_t jt = 0; jt < q / 8; ++jt) {
    g.push_back(ifElse(
        b, needed(b, 8 * jt), four,
        [&](Emitter &b) -> SmallVector<Value> {
          SmallVector<Value> t = zeroAcc(b);
          for (int64_t kk = 0; kk < n / 16; ++kk)
            t = mma(b, fc[kk], fragB(b, bs, l, 8 * jt, 16 * kk), t);
          for (int64_t v = 0; v < 4; ++v)
            t[v] = weight(b, v, addI(b, l.t2, 8 * jt + v % 2), t[v]);
          return t;
        },
        [&](Emitter &b) -> SmallVector<Value> { return zeroAcc(b); }));
  }

  // Two score tiles form one A fragment.
  for (int64_t kt = 0; kt < q / 16; ++kt) {
    Value isNeeded = needed(b, 16 * kt);
    SmallVector<Value> flat = flatten(acc);
    SmallVector<Type> types(flat.size(), b.getF32Type());
    SmallVector<Value> next = ifElse(
        b, isNeeded, types,
        [&](Emitter &b) -> SmallVector<Value> {
          auto &lo = g[2 * kt], &hi = g[2 * kt + 1];
          SmallVector<Value> fa = {
              packPair(b, lo[0], lo[1]), packPair(b, lo[2], lo[3]),
              packPair(b, hi[0], hi[1]), packPair(b, hi[2], hi[3])};
          SmallVector<Value> out;
          for (int64_t nt = 0; nt < p / 8; nt += 2) {
            SmallVector<Value> fb = fragBT2(b, xs, l, 8 * nt, 16 * kt);
            for (int64_t i = 0; i < 2; ++i) {
              SmallVector<Value> d =
                  mma(b, fa, ArrayRef<Value>(fb).slice(2 * i, 2), acc[nt + i]);
              out.append(d.begin(), d.end());
            }
          }
          return out;
        },
        [&](Emitter &b) -> SmallVector<Value> { return flat; });
    SmallVector<SmallVector<Value>> tiles = accTiles(next, p / 8);
    acc.assign(tiles.begin(), tiles.end());
  }
}

/// Stores a warp's accumulated outputs: rows rowI[0], rowI[1] of the chunk
/// `a` where they are inside it, through the epilogue.
void storeOutputRows(Emitter &b, const Contraction &c, const ChunkAt &a,
                     const Lane &l, ArrayRef<Value> rowI,
                     ArrayRef<SmallVector<Value>> acc) {
  for (int r = 0; r < 2; ++r)
    when(b, ult(b, rowI[r], a.qc), [&](Emitter &b) {
      Value pos = arith::AddIOp::create(b, a.c0, rowI[r]);
      for (int64_t nt = 0; nt < c.headDim / 8; ++nt)
        storeYVector(b, c,
                     vector::FromElementsOp::create(
                         b, VectorType::get({2}, b.getF32Type()),
                         ValueRange{acc[nt][2 * r], acc[nt][2 * r + 1]}),
                     {a.s.batch, pos, a.s.head, addI(b, l.t2, 8 * nt)});
    });
}

/// The shared arrays of a masked-score product: C and B rows
/// ([Q][n + pad]) and X rows ([Q][p + pad]).
struct ScoreArrays {
  unsigned c, b, x;
};

ScoreArrays addScoreArrays(Emitter &b, SharedLayout &layout,
                           const Contraction &c) {
  // Braced initializers are evaluated in order: C, B, X.
  return {layout.add({c.chunk, c.stateDim + kPad}, bf16(b)),
          layout.add({c.chunk, c.stateDim + kPad}, bf16(b)),
          layout.add({c.chunk, c.headDim + kPad}, bf16(b))};
}

/// The outputs of each chunk, a warp per 16 positions.
void emitOutput(Emitter &b, const Contraction &c, Value cum, Value states,
                const Segments &seg, Value blocks, Value maxChunks) {
  int64_t q = c.chunk, p = c.headDim, n = c.stateDim;
  int64_t threads = 32 * (q / 16);
  SharedLayout layout;
  ScoreArrays ids = addScoreArrays(b, layout, c);
  unsigned hsId = layout.add({p, n + kPad}, bf16(b));
  unsigned cumId = layout.add({q}, b.getF32Type());
  launchPerChunk(
      b, c, blocks, maxChunks, threads, &layout,
      [&](Emitter &b, ArrayRef<Value> smem, Value tid, const ChunkAt &a) {
        Value cs = smem[ids.c], bs = smem[ids.b], xs = smem[ids.x],
              hs = smem[hsId], cumS = smem[cumId];
        // Stage C and B rows, X transposed, the state before the chunk
        // and the chunk's running log-decays.
        int64_t segs = n / kSeg;
        Stager st(tid, threads);
        stageRows(b, c, a, st, c.C, cs);
        stageRows(b, c, a, st, c.B, bs);
        stageX(b, c, a, st, xs);
        // The state before the chunk: the segment's own, plus the state
        // before the segment decayed to the chunk. (Loaded in the first
        // segment too, where it is the initial state or zero: a branch
        // around the loads would hold them in twice the registers.)
        Value segment = arith::DivUIOp::create(b, a.chunk, seg.length);
        st.add(
            b, p * segs,
            [&](Emitter &b, Value idx) -> SmallVector<Value> {
              auto [r, k] = rowSeg(b, idx, segs);
              SmallVector<Value> out = {
                  loadSegment(b, states, {a.s.seq, a.s.head, a.chunk, r, k}),
                  loadSegment(b, seg.start,
                              {a.s.seq, a.s.head, segment, r, k})};
              if (seg.decay)
                out.push_back(memref::LoadOp::create(
                    b, seg.decay, ValueRange{a.s.seq, a.s.head, a.chunk}));
              return out;
            },
            [hs, segs](Emitter &b, const ChunkAt &, Value idx,
                       ValueRange loaded) {
              auto [r, k] = rowSeg(b, idx, segs);
              Value before = toF32(b, loaded[1]);
              if (loaded.size() > 2)
                before = mul(b, before,
                             vector::BroadcastOp::create(
                                 b, segType(b, b.getF32Type()), loaded[2]));
              Value h = add(b, toF32(b, loaded[0]), before);
              storeSegment(b, toBf16(b, h), hs, r, k);
            });
        if (cum)
          stageCum(b, c, a, st, cum, cumS);
        st.flush(b, a);
        gpu::BarrierOp::create(b);

        WarpLane wl = warpLaneOf(b, tid);
        Lane l = wl.l, lw = wl.rows;
        Value i0 = wl.first;
        // The warp's rows i = i0 + g and i0 + g + 8, and their decays
        // from the chunk's start.
        Value rowI[2] = {lw.g, addI(b, lw.g, 8)};
        Value cumI[2], decI[2];
        for (int r = 0; r < 2; ++r) {
          cumI[r] = cum ? memref::LoadOp::create(b, cumS, ValueRange{rowI[r]})
                              .getResult()
                        : Value();
          decI[r] = cum ? exp(b, cumI[r]) : Value();
        }

        // C rows as A fragments, reused by both products.
        SmallVector<SmallVector<Value>> fc;
        for (int64_t kk = 0; kk < n; kk += 16)
          fc.push_back(fragA(b, cs, lw, 0, kk));

        // The state term: diag(e^{cum_i}) C_i . H^T.
        SmallVector<SmallVector<Value>> acc(p / 8, zeroAcc(b));
        for (int64_t kk = 0; kk < n / 16; ++kk)
          for (int64_t nt = 0; nt < p / 8; ++nt)
            acc[nt] = mma(b, fc[kk], fragB(b, hs, l, 8 * nt, 16 * kk), acc[nt]);
        if (cum)
          for (int64_t nt = 0; nt < p / 8; ++nt)
            for (int64_t v = 0; v < 4; ++v)
              acc[nt][v] = mul(b, acc[nt][v], decI[v / 2]);

        // Y += G . X with the masked scores G[i, j] = (C_i . B_j) L[i, j];
        // tiles right of the warp's last row are zero.
        Value rowEnd = addI(b, i0, 16);
        accumulateMaskedScores(
            b, c, l, fc, bs, xs,
            [&](Emitter &b, int64_t col) {
              return ult(b, cIdx(b, col), rowEnd);
            },
            [&](Emitter &b, int64_t v, Value j, Value score) {
              Value i = rowI[v / 2];
              Value below =
                  arith::CmpIOp::create(b, arith::CmpIPredicate::ule, j, i);
              Value w = score;
              if (cum) {
                Value cj = memref::LoadOp::create(b, cumS, ValueRange{j});
                w = mul(b, w, exp(b, sub(b, cumI[v / 2], cj)));
              }
              return arith::SelectOp::create(b, below, w, cF32(b, 0))
                  .getResult();
            },
            acc);

        storeOutputRows(b, c, a, l, rowI, acc);
      });
}

/// Positions per tile of the quadratic form on tensor cores.
constexpr int64_t kQuadraticTile = 64;

/// The quadratic form's outputs, a block per (sequence, tile of Q
/// positions, head) and a warp per 16 positions, walking the tiles of
/// sources from the diagonal backwards (causal masks, down to the band's
/// edge) or all of them:
///   Y_t = sum_s F(t, s) e^{a_{s+1} + ... + a_t} (C_t . B_s) X_s.
/// The decay from a source s of an earlier tile sigma to a position t is
/// cum_t + (the totals of the tiles between) + (total_sigma - cum_s), each
/// a sum within one tile: no long f32 cumsum is differenced.
void emitQuadratic(Emitter &b, const Contraction &c, Value cum, Value blocks,
                   Value maxTiles) {
  int64_t q = c.chunk, p = c.headDim, n = c.stateDim;
  int64_t threads = 32 * (q / 16);
  bool causal = c.mask.isCausal();
  bool structured = c.mask.isSemiseparable(); // F(t, s) is just [s <= t].
  std::optional<int64_t> band = c.mask.getBandwidth();
  Type f32 = b.getF32Type();
  SharedLayout layout;
  ScoreArrays ids = addScoreArrays(b, layout, c);
  unsigned cumTId = layout.add({q}, f32);
  unsigned cumSId = layout.add({q}, f32);
  launchPerChunk(
      b, c, blocks, maxTiles, threads, &layout,
      [&](Emitter &b, ArrayRef<Value> smem, Value tid, const ChunkAt &a) {
        Value cs = smem[ids.c], bs = smem[ids.b], xs = smem[ids.x],
              cumT = smem[cumTId], cumS = smem[cumSId];
        // The tile's C rows and running log-decays, staged once.
        Stager st(tid, threads);
        stageRows(b, c, a, st, c.C, cs);
        if (cum)
          stageCum(b, c, a, st, cum, cumT);
        st.flush(b, a);
        gpu::BarrierOp::create(b);

        WarpLane wl = warpLaneOf(b, tid);
        Lane l = wl.l, lw = wl.rows;
        Value rowI[2] = {lw.g, addI(b, lw.g, 8)};
        Value cumI[2];
        for (int r = 0; r < 2; ++r)
          cumI[r] = cum ? memref::LoadOp::create(b, cumT, ValueRange{rowI[r]})
                              .getResult()
                        : Value();
        SmallVector<SmallVector<Value>> fc;
        for (int64_t kk = 0; kk < n; kk += 16)
          fc.push_back(fragA(b, cs, lw, 0, kk));

        // The source tiles: from the diagonal back to the first one (or
        // the one holding the band's edge for the tile's first row), or
        // every tile of the sequence.
        Value count;
        if (causal) {
          Value lowest = cIdx(b, 0);
          if (band) {
            Value first = arith::MulIOp::create(b, a.chunk, cIdx(b, q));
            Value reach = cIdx(b, *band - 1);
            lowest = arith::DivUIOp::create(
                b,
                arith::SubIOp::create(
                    b, arith::MaxUIOp::create(b, first, reach), reach),
                cIdx(b, q));
          }
          count = arith::AddIOp::create(
              b, arith::SubIOp::create(b, a.chunk, lowest), cIdx(b, 1));
        } else {
          count = arith::CeilDivUIOp::create(b, a.s.len, cIdx(b, q));
        }
        SmallVector<Value> init =
            flatten(SmallVector<SmallVector<Value>>(p / 8, zeroAcc(b)));
        if (cum)
          init.push_back(cF32(b, 0)); // Totals of the tiles passed.
        auto loop = scf::ForOp::create(
            b, cIdx(b, 0), count, cIdx(b, 1), init,
            [&](OpBuilder &nb, Location loc, Value k, ValueRange carried) {
              Emitter b(loc, nb);
              SmallVector<SmallVector<Value>> acc = accTiles(carried, p / 8);
              Value passed = cum ? carried.back() : Value();
              Value sigma =
                  causal ? arith::SubIOp::create(b, a.chunk, k).getResult() : k;
              ChunkAt src = chunkOf(b, c, a.s, sigma);
              // The previous tile's reads end before its tiles are
              // overwritten.
              gpu::BarrierOp::create(b);
              Stager ss(tid, threads);
              stageRows(b, c, src, ss, c.B, bs);
              stageX(b, c, src, ss, xs);
              if (cum)
                stageCum(b, c, src, ss, cum, cumS);
              ss.flush(b, src);
              gpu::BarrierOp::create(b);

              Value diag = arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
                                                 sigma, a.chunk);
              Value offDiag = arith::XOrIOp::create(
                  b, diag, arith::ConstantIntOp::create(b, 1, 1));
              Value total = cum ? chunkTotal(b, cum, src) : Value();
              Value rowEnd = addI(b, wl.first, 16);
              accumulateMaskedScores(
                  b, c, l, fc, bs, xs,
                  [&](Emitter &b, int64_t col) -> Value {
                    if (!causal)
                      return arith::ConstantIntOp::create(b, 1, 1);
                    return arith::OrIOp::create(b, offDiag,
                                                ult(b, cIdx(b, col), rowEnd));
                  },
                  [&](Emitter &b, int64_t v, Value j, Value score) -> Value {
                    Value i = rowI[v / 2];
                    Value w = score;
                    if (cum) {
                      Value cj = memref::LoadOp::create(b, cumS, ValueRange{j});
                      Value within = sub(b, cumI[v / 2], cj);
                      Value across = add(b, add(b, cumI[v / 2], passed),
                                         sub(b, total, cj));
                      w = mul(b, w,
                              exp(b, arith::SelectOp::create(b, diag, within,
                                                             across)));
                    }
                    if (!structured)
                      w = mul(b, w,
                              factorAt(b, c, a.s, rowPos(b, a, i),
                                       rowPos(b, src, j)));
                    if (!causal)
                      return w;
                    Value keep = arith::OrIOp::create(
                        b, offDiag,
                        arith::CmpIOp::create(b, arith::CmpIPredicate::ule, j,
                                              i));
                    return arith::SelectOp::create(b, keep, w, cF32(b, 0));
                  },
                  acc);
              SmallVector<Value> yield = flatten(acc);
              if (cum)
                yield.push_back(arith::SelectOp::create(b, diag, passed,
                                                        add(b, passed, total)));
              scf::YieldOp::create(b, yield);
            });
        storeOutputRows(b, c, a, l, rowI, accTiles(loop.getResults(), p / 8));
      });
}

/// bf16 B and C, and p and n whole mma tiles: what both tensor-core forms
/// need.
bool mmaOperands(const Contraction &c) {
  auto elem = [](Value v) {
    return cast<MemRefType>(v.getType()).getElementType();
  };
  return elem(c.B).isBF16() && elem(c.C).isBF16() && c.headDim % 16 == 0 &&
         c.stateDim % 16 == 0;
}

/// A grid of a block per (sequence, tile of c.chunk positions, head), and
/// the tile-local running log-decays (null without decays).
struct TileGrid {
  Value maxTiles, blocks, cum;
};

TileGrid tileGrid(Emitter &b, const Contraction &c) {
  TileGrid g;
  Value seqLen = memref::DimOp::create(b, c.X, 1);
  Value batch = memref::DimOp::create(b, c.X, 0);
  g.maxTiles = arith::CeilDivUIOp::create(b, seqLen, cIdx(b, c.chunk));
  g.blocks = arith::MulIOp::create(
      b, arith::MulIOp::create(b, numSequences(b, c), g.maxTiles),
      cIdx(b, c.heads));
  if (c.mask.hasLogDecay()) {
    g.cum = memref::AllocOp::create(
        b,
        MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic, c.heads},
                        b.getF32Type()),
        ValueRange{batch, seqLen});
    emitCumsum(b, c, g.cum, g.blocks, g.maxTiles);
  }
  return g;
}
} // namespace

bool smc::expand::chunkedOnTensorCores(const Contraction &c) {
  return mmaOperands(c) && c.chunk % 16 == 0 && c.chunk <= 128;
}

void smc::expand::expandChunkedMma(Emitter &b, const Contraction &c) {
  int64_t p = c.headDim, n = c.stateDim;
  TileGrid grid = tileGrid(b, c);
  Value maxChunks = grid.maxTiles, blocks = grid.blocks, cum = grid.cum;
  // The state before each chunk within its segment, [S, h, chunks, p, n]
  // in bf16 (the operand type of the output kernel's C . H^T).
  Value sequences = numSequences(b, c);
  auto buffer = [&](ArrayRef<int64_t> shape, Type elem, ValueRange sizes) {
    return memref::AllocOp::create(b, MemRefType::get(shape, elem), sizes)
        .getResult();
  };
  constexpr int64_t dyn = ShapedType::kDynamic;
  Type f32 = b.getF32Type();
  Value states =
      buffer({dyn, c.heads, dyn, p, n}, bf16(b), {sequences, maxChunks});
  // Enough segments for about kScanBlocks blocks of the scan.
  Segments seg;
  Value slices = arith::MaxUIOp::create(
      b, arith::MulIOp::create(b, sequences, cIdx(b, c.heads)), cIdx(b, 1));
  seg.count = arith::MaxUIOp::create(
      b,
      arith::MinUIOp::create(
          b, arith::CeilDivUIOp::create(b, cIdx(b, kScanBlocks), slices),
          maxChunks),
      cIdx(b, 1));
  seg.length = arith::MaxUIOp::create(
      b, arith::CeilDivUIOp::create(b, maxChunks, seg.count), cIdx(b, 1));
  if (cum) {
    seg.decay = buffer({dyn, c.heads, dyn}, f32, {sequences, maxChunks});
    seg.total = buffer({dyn, c.heads, dyn}, f32, {sequences, seg.count});
  }
  seg.end = buffer({dyn, c.heads, dyn, p, n}, f32, {sequences, seg.count});
  seg.start =
      buffer({dyn, c.heads, dyn, p, n}, bf16(b), {sequences, seg.count});
  emitStateScan(b, c, cum, states, seg);
  emitSegmentCombine(b, c, seg);
  emitOutput(b, c, cum, states, seg, blocks, maxChunks);
  for (Value buf : {seg.decay, seg.total, seg.end, seg.start})
    if (buf)
      memref::DeallocOp::create(b, buf);
  memref::DeallocOp::create(b, states);
  if (cum)
    memref::DeallocOp::create(b, cum);
}

bool smc::expand::quadraticOnTensorCores(const Contraction &c) {
  // The initial state's term and decays without causality stay scalar.
  return mmaOperands(c) && !c.init &&
         (c.mask.isCausal() || !c.mask.hasLogDecay());
}

void smc::expand::expandQuadraticMma(Emitter &b, const Contraction &c) {
  Contraction tiled = c;
  tiled.chunk = kQuadraticTile; // Tiles play the chunks' part.
  TileGrid grid = tileGrid(b, tiled);
  emitQuadratic(b, tiled, grid.cum, grid.blocks, grid.maxTiles);
  if (grid.cum)
    memref::DeallocOp::create(b, grid.cum);
}
