//===- TileOps.cpp - the tile dialect: verifiers and assembly -------------===//

#include "dialect/tile/TileOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace smc::tile;

#include "dialect/tile/TileDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/tile/TileAttrs.cpp.inc"

namespace {

/// Short names for layouts in printed IR (`#mma`, `#blocked`, ...), as
/// Triton prints its encodings: tile types at the GPU level stay readable.
struct TileAsmInterface : public OpAsmDialectInterface {
  using OpAsmDialectInterface::OpAsmDialectInterface;
  AliasResult getAlias(Attribute attr, raw_ostream &os) const override {
    if (isa<BlockedLayoutAttr>(attr))
      os << "blocked";
    else if (isa<MmaLayoutAttr>(attr))
      os << "mma";
    else if (isa<SliceLayoutAttr>(attr))
      os << "slice";
    else if (isa<SharedLayoutAttr>(attr))
      os << "shared";
    else
      return AliasResult::NoAlias;
    return AliasResult::OverridableAlias;
  }
};

} // namespace

void TileDialect::initialize() {
  addInterfaces<TileAsmInterface>();
  addOperations<
#define GET_OP_LIST
#include "dialect/tile/TileOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialect/tile/TileAttrs.cpp.inc"
      >();
}

LogicalResult
BlockedLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                          ArrayRef<int64_t> size, ArrayRef<int64_t> threads,
                          ArrayRef<int64_t> warps) {
  if (size.size() != threads.size() || size.size() != warps.size() ||
      size.empty() || size.size() > 2)
    return emitError() << "size, threads and warps need one entry per dim "
                          "(1 or 2 dims)";
  int64_t lanes = 1;
  for (auto [s, t, w] : llvm::zip(size, threads, warps)) {
    if (s < 1 || t < 1 || w < 1)
      return emitError() << "sizes, threads and warps must be positive";
    lanes *= t;
  }
  if (lanes != 32)
    return emitError() << "threads must make a warp of 32 lanes, got " << lanes;
  return success();
}

#define GET_OP_CLASSES
#include "dialect/tile/TileOps.cpp.inc"

namespace {

/// Checks that `dims` picks `rank` increasing dimensions of a memref of rank
/// `memRank`, and that `bounds` is empty or has one value per tile dim.
LogicalResult verifyBox(Operation *op, MemRefType mem, size_t numIndices,
                        ArrayRef<int64_t> dims, size_t numBounds,
                        int64_t rank) {
  if (static_cast<int64_t>(numIndices) != mem.getRank())
    return op->emitOpError()
           << "expected " << mem.getRank()
           << " indices (the memref's rank), got " << numIndices;
  if (static_cast<int64_t>(dims.size()) != rank)
    return op->emitOpError() << "expected " << rank
                             << " dims (the tile's rank), got " << dims.size();
  for (auto [i, d] : llvm::enumerate(dims)) {
    if (d < 0 || d >= mem.getRank())
      return op->emitOpError() << "dims[" << i << "] = " << d
                               << " is not a dimension of the memref (rank "
                               << mem.getRank() << ")";
    if (i > 0 && d <= dims[i - 1])
      return op->emitOpError()
             << "dims must increase, got " << d << " after " << dims[i - 1];
  }
  if (numBounds != 0 && static_cast<int64_t>(numBounds) != rank)
    return op->emitOpError() << "expected no bounds or " << rank
                             << " (one per tile dim), got " << numBounds;
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// tile.program
//===----------------------------------------------------------------------===//

void ProgramOp::build(OpBuilder &b, OperationState &state, ValueRange inputs,
                      ValueRange outputs) {
  state.addOperands(inputs);
  state.addOperands(outputs);
  state.addAttribute(
      getOperandSegmentSizesAttrName(state.name),
      b.getDenseI32ArrayAttr({static_cast<int32_t>(inputs.size()),
                              static_cast<int32_t>(outputs.size())}));
  state.addTypes(outputs.getTypes());
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (Value v : llvm::concat<const Value>(inputs, outputs)) {
    auto type = cast<RankedTensorType>(v.getType());
    block->addArgument(MemRefType::get(type.getShape(), type.getElementType()),
                       state.location);
  }
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(block);
  EndOp::create(b, state.location);
}

LogicalResult ProgramOp::verify() {
  if (getResults().size() != getOutputs().size())
    return emitOpError() << "expected one result per output, got "
                         << getResults().size() << " results and "
                         << getOutputs().size() << " outputs";
  for (auto [i, out, res] :
       llvm::enumerate(getOutputs().getTypes(), getResults().getTypes()))
    if (out != res)
      return emitOpError() << "result " << i << " has type " << res
                           << ", but its output has type " << out;
  Block &block = getBody().front();
  size_t expected = getInputs().size() + getOutputs().size();
  if (block.getNumArguments() != expected)
    return emitOpError() << "expected " << expected
                         << " block arguments (one memref per operand), got "
                         << block.getNumArguments();
  for (auto [i, operand, arg] :
       llvm::enumerate(getOperands(), block.getArguments())) {
    auto tensor = cast<RankedTensorType>(operand.getType());
    auto mem = dyn_cast<MemRefType>(arg.getType());
    if (!mem || mem.getShape() != tensor.getShape() ||
        mem.getElementType() != tensor.getElementType())
      return emitOpError() << "block argument " << i << " must be a memref of "
                           << "shape and element type of " << tensor << ", got "
                           << arg.getType();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// tile.grid
//===----------------------------------------------------------------------===//

void GridOp::build(
    OpBuilder &b, OperationState &state, ValueRange sizes, int64_t numWarps,
    function_ref<void(OpBuilder &, Location, ValueRange)> bodyBuilder) {
  state.addOperands(sizes);
  if (numWarps > 0)
    state.addAttribute(getNumWarpsAttrName(state.name),
                       b.getI64IntegerAttr(numWarps));
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (size_t i = 0; i < sizes.size(); ++i)
    block->addArgument(b.getIndexType(), state.location);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(block);
  if (bodyBuilder)
    bodyBuilder(b, state.location, block->getArguments());
  EndOp::create(b, state.location);
}

void GridOp::print(OpAsmPrinter &p) {
  p << " (";
  llvm::interleaveComma(getCoordinates(), p,
                        [&](BlockArgument a) { p.printOperand(a); });
  p << ") in (" << getSizes() << ")";
  p.printOptionalAttrDictWithKeyword((*this)->getAttrs());
  p << ' ';
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/false);
}

ParseResult GridOp::parse(OpAsmParser &parser, OperationState &state) {
  SmallVector<OpAsmParser::Argument> coords;
  SmallVector<OpAsmParser::UnresolvedOperand> sizes;
  Type index = parser.getBuilder().getIndexType();
  if (parser.parseArgumentList(coords, OpAsmParser::Delimiter::Paren) ||
      parser.parseKeyword("in") ||
      parser.parseOperandList(sizes, OpAsmParser::Delimiter::Paren) ||
      parser.resolveOperands(sizes, index, state.operands) ||
      parser.parseOptionalAttrDictWithKeyword(state.attributes))
    return failure();
  if (coords.size() != sizes.size())
    return parser.emitError(parser.getNameLoc())
           << "expected one size per coordinate, got " << coords.size()
           << " coordinates and " << sizes.size() << " sizes";
  for (auto &c : coords)
    c.type = index;
  Region *body = state.addRegion();
  if (parser.parseRegion(*body, coords))
    return failure();
  GridOp::ensureTerminator(*body, parser.getBuilder(), state.location);
  return success();
}

LogicalResult GridOp::verifyRegions() {
  Block &block = getBody().front();
  if (block.getNumArguments() != getSizes().size())
    return emitOpError() << "expected one coordinate per size, got "
                         << block.getNumArguments() << " for "
                         << getSizes().size() << " sizes";
  for (BlockArgument a : block.getArguments())
    if (!a.getType().isIndex())
      return emitOpError() << "coordinates must be index, got " << a.getType();
  if (auto warps = getNumWarps(); warps && *warps < 1)
    return emitOpError() << "num_warps must be at least 1, got " << *warps;
  return success();
}

//===----------------------------------------------------------------------===//
// tile.load / tile.store
//===----------------------------------------------------------------------===//

LogicalResult LoadOp::verify() {
  auto mem = cast<MemRefType>(getSource().getType());
  Type type = getResult().getType();
  auto tile = dyn_cast<RankedTensorType>(type);
  int64_t rank = tile ? tile.getRank() : 0;
  if (failed(verifyBox(*this, mem, getIndices().size(), getDims(),
                       getBounds().size(), rank)))
    return failure();
  Type elem = tile ? tile.getElementType() : type;
  if (elem != mem.getElementType())
    return emitOpError() << "result element type " << elem
                         << " differs from the memref's "
                         << mem.getElementType();
  if (tile && !tile.hasStaticShape())
    return emitOpError() << "a tile must have a static shape, got " << type;
  return success();
}

LogicalResult StoreOp::verify() {
  auto mem = cast<MemRefType>(getDest().getType());
  auto tile = cast<RankedTensorType>(getValue().getType());
  if (failed(verifyBox(*this, mem, getIndices().size(), getDims(),
                       getBounds().size(), tile.getRank())))
    return failure();
  if (tile.getElementType() != mem.getElementType())
    return emitOpError() << "tile element type " << tile.getElementType()
                         << " differs from the memref's "
                         << mem.getElementType();
  return success();
}

//===----------------------------------------------------------------------===//
// Computation
//===----------------------------------------------------------------------===//

LogicalResult RangeOp::verify() {
  if (getResult().getType().getDimSize(0) < 1)
    return emitOpError("expected at least one element");
  return success();
}

LogicalResult BroadcastOp::verify() {
  auto src = getSource().getType(), dst = getResult().getType();
  if (src.getElementType() != dst.getElementType())
    return emitOpError() << "element types differ: " << src.getElementType()
                         << " and " << dst.getElementType();
  if (dst.getRank() != src.getRank() + static_cast<int64_t>(getDims().size()))
    return emitOpError() << "result rank " << dst.getRank()
                         << " must be the source's rank " << src.getRank()
                         << " plus the " << getDims().size() << " new dims";
  SmallVector<int64_t> kept;
  for (int64_t d = 0; d < dst.getRank(); ++d)
    if (!llvm::is_contained(getDims(), d))
      kept.push_back(dst.getDimSize(d));
  for (int64_t d : getDims())
    if (d < 0 || d >= dst.getRank())
      return emitOpError() << "new dim " << d << " is not a result dim";
  if (ArrayRef<int64_t>(kept) != src.getShape())
    return emitOpError() << "the result's other dims must be the source's "
                            "shape";
  return success();
}

LogicalResult DotOp::verify() {
  auto a = getA().getType(), b = getB().getType(), acc = getAcc().getType();
  if (a.getRank() != 2 || b.getRank() != 2 || acc.getRank() != 2)
    return emitOpError("operands must be 2-d tiles");
  int64_t m = a.getDimSize(getTransposeA() ? 1 : 0);
  int64_t k = a.getDimSize(getTransposeA() ? 0 : 1);
  int64_t kb = b.getDimSize(getTransposeB() ? 1 : 0);
  int64_t n = b.getDimSize(getTransposeB() ? 0 : 1);
  if (k != kb)
    return emitOpError() << "reduction sizes differ: " << k << " (a) and " << kb
                         << " (b)";
  if (acc.getDimSize(0) != m || acc.getDimSize(1) != n)
    return emitOpError() << "accumulator must be " << m << "x" << n << ", got "
                         << acc.getDimSize(0) << "x" << acc.getDimSize(1);
  if (!isa<FloatType>(a.getElementType()) ||
      !isa<FloatType>(b.getElementType()))
    return emitOpError("operands must be float tiles");
  if (a.getElementType() != b.getElementType())
    return emitOpError() << "operand element types differ: "
                         << a.getElementType() << " and " << b.getElementType();
  if (!acc.getElementType().isF32())
    return emitOpError() << "the accumulator must be f32, got "
                         << acc.getElementType();
  return success();
}

LogicalResult SumOp::verify() {
  int64_t dim = getDim();
  if (dim != 0 && dim != 1)
    return emitOpError() << "dim must be 0 or 1, got " << dim;
  int64_t kept = getInput().getType().getDimSize(1 - dim);
  if (getResult().getType().getDimSize(0) != kept)
    return emitOpError() << "expected a result of " << kept << " elements, got "
                         << getResult().getType().getDimSize(0);
  return success();
}

LogicalResult MapOp::verifyRegions() {
  auto result = cast<RankedTensorType>(getResult().getType());
  Block &block = getBody().front();
  if (block.getNumArguments() != getInputs().size())
    return emitOpError() << "expected one block argument per input ("
                         << getInputs().size() << "), got "
                         << block.getNumArguments();
  for (auto [i, in, arg] : llvm::enumerate(getInputs(), block.getArguments())) {
    Type elem = in.getType();
    if (auto tile = dyn_cast<RankedTensorType>(elem)) {
      if (tile.getShape() != result.getShape())
        return emitOpError() << "input " << i << " has shape " << tile
                             << ", but the result is " << result;
      elem = tile.getElementType();
    }
    if (arg.getType() != elem)
      return emitOpError() << "block argument " << i << " must be " << elem
                           << ", got " << arg.getType();
  }
  auto yield = dyn_cast<YieldOp>(block.getTerminator());
  if (!yield)
    return emitOpError("region: expected a 'tile.yield' terminator");
  if (yield.getValue().getType() != result.getElementType())
    return emitOpError() << "yields " << yield.getValue().getType()
                         << ", but the result's elements are "
                         << result.getElementType();
  return success();
}
