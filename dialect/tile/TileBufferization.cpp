//===- TileBufferization.cpp - bufferization of tile.program --------------===//
//
// tile.program is in destination-passing style: its inputs are read, its
// outputs written in place. Its body already works on memrefs, so
// bufferizing it means binding the block arguments to the operands' buffers
// and inlining the body where the op was.
//
//===----------------------------------------------------------------------===//

#include "dialect/tile/TileOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace smc::tile;

namespace {

struct ProgramOpInterface
    : DstBufferizableOpInterfaceExternalModel<ProgramOpInterface, ProgramOp> {
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto program = cast<ProgramOp>(op);
    Block &body = program.getBody().front();
    SmallVector<Value> buffers;
    for (auto [operand, arg] :
         llvm::zip(program->getOperands(), body.getArguments())) {
      FailureOr<Value> buffer = getBuffer(rewriter, operand, options, state);
      if (failed(buffer))
        return failure();
      Value b = *buffer;
      if (b.getType() != arg.getType()) {
        if (!memref::CastOp::areCastCompatible(b.getType(), arg.getType()))
          return op->emitError() << "cannot bind a buffer of type "
                                 << b.getType() << " to a tile program "
                                 << "operand of type " << arg.getType();
        b = memref::CastOp::create(rewriter, op->getLoc(), arg.getType(), b);
      }
      buffers.push_back(b);
    }
    SmallVector<Value> results(
        ArrayRef<Value>(buffers).take_back(program.getOutputs().size()));
    rewriter.eraseOp(body.getTerminator());
    rewriter.inlineBlockBefore(&body, op, buffers);
    replaceOpWithBufferizedValues(rewriter, op, results);
    return success();
  }
};

} // namespace

void smc::tile::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TileDialect *) {
    ProgramOp::attachInterface<ProgramOpInterface>(*ctx);
  });
}
