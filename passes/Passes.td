//===- Passes.td - smc passes ------------------------------*- tablegen -*-===//

#ifndef SMC_PASSES_TD
#define SMC_PASSES_TD

include "mlir/Pass/PassBase.td"

def DecomposeSsd : Pass<"sma-decompose-ssd", "mlir::func::FuncOp"> {
  let summary = "Rewrites sma.ssd into a decay mask, sma.contract and "
                "elementwise prologue/epilogue";
  let description = [{
    Expands the Mamba-2 front op into the core ops:
    `dt' = clamp(softplus(dt + dt_bias), lo, hi)`, `X = x * dt'`,
    `a = dt' * A` as `sma.mask.decay`, then `sma.contract`, then
    `y += D * x` and `y *= silu(z)`, with the elementwise parts as
    `linalg.generic` ops computed in f32.

    ```mlir
    // Before
    %y = sma.ssd x(%x : ...) dt(%dt : ...) A(%A : ...) B(%B : ...) C(%C : ...)
        {dt_softplus} -> tensor<2x64x4x8xf32>
    // After
    %a = linalg.generic ...            // dt' * A
    %X = linalg.generic ...            // x * dt'
    %m = sma.mask.decay %a : tensor<2x64x4xf32>
    %y = sma.contract C(...) B(...) X(%X : ...) mask(%m) -> ...
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::math::MathDialect"];
}

def SelectForm : Pass<"sma-select-form", "mlir::func::FuncOp"> {
  let summary = "Chooses the dual form and chunk size of every sma.contract";
  let description = [{
    Reads only the mask structure interface, the shapes and the target's
    parameters (peak matmul rate, memory bandwidth, multiprocessor count),
    models the time of each legal form and sets `form` on each
    `sma.contract` and `sma.ssd`. A form already on the op, or one forced by
    option, is kept; a forced illegal form is an error naming the mask and
    why. Dynamic sizes are modelled with the `batch` and `seq-len` hints.

    ```mlir
    // smc-opt --sma-select-form="target=h200 seq-len=2048"
    %y = sma.contract ... mask(%m) {form = #sma.form<chunked, 128>} -> ...
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"h200\"",
           "Target whose parameters the cost model uses (h200, h100, a100, cpu)">,
    Option<"forceForm", "force-form", "std::string", /*default=*/"\"\"",
           "Force this form on every op: linear, quadratic or chunked">,
    Option<"chunk", "chunk", "int64_t", /*default=*/"0",
           "Force this chunk size for chunked forms (0: choose)">,
    Option<"batchHint", "batch", "int64_t", /*default=*/"1",
           "Batch size assumed where it is dynamic">,
    Option<"seqLenHint", "seq-len", "int64_t", /*default=*/"2048",
           "Sequence length assumed where it is dynamic">,
  ];
}

def ExpandForms : Pass<"sma-expand-forms", "mlir::ModuleOp"> {
  let summary = "Expands each sma.contract into the explicit algorithm of its form";
  let description = [{
    Rewrites every `sma.contract` (which must carry a `form`) into loops over
    memrefs: the linear form as a scan over T; the quadratic form as masked
    `C B^T` scores times X; the chunked form as the four SSD steps (diagonal
    blocks, chunk states, the recurrence over chunk states, and the
    state-to-output term). All decay and state arithmetic is f32 in log
    space; packed sequences are walked one by one. Mask ops are erased once
    unused. An elementwise `linalg.generic` producing X (the Mamba-2
    `x * dt'`) is not materialized: loads of X evaluate its body; likewise
    the elementwise only user of Y (the Mamba-2 `(y + D x) * silu(z)`) is
    evaluated by the stores of Y. In the linear form and the tensor-core
    chunked form, which read each element a bounded number of times, the
    elementwise chains under X and under the mask's operands (the Mamba-2
    `softplus(dt + dt_bias)` and `dt' * A`) are evaluated in place too.
    With `gpu`, the independent loops become `gpu.launch` grids. The chunked
    form with bf16 B and C and p, n and the chunk multiples of 16 (chunk <=
    128) runs its matmul-shaped work on tensor cores (`nvvm.mma.sync`
    m16n8k16, bf16 operands, f32 accumulators) on tiles staged in dynamic
    shared memory: a cumsum kernel for the log-decays, a state scan over
    segments of chunks in parallel with the state in the mma accumulators,
    a combine kernel carrying the state across segments, and an output
    kernel. The quadratic form with bf16 B and C, p and n multiples of 16,
    no initial state, and a causal or non-decaying mask runs on tensor
    cores too: a block per (sequence, tile of 64 positions, head) walks the
    source tiles back from the diagonal, C B^T and the masked scores times
    X as two mma products with the scores in registers between them.
    Every other case gets scalar kernels (a thread or warp per row
    of the state, a thread or warp per output position).

    ```mlir
    %y = sma.contract ... {form = #sma.form<linear>} -> tensor<1x16x2x4xf32>
    // becomes
    %xb = bufferization.to_buffer %x : ...
    scf.for %seq = ... { scf.for %h = ... { scf.for %t = ... { ... } } }
    %y = bufferization.to_tensor %yb restrict writable : ...
    ```
  }];
  let dependentDialects = ["mlir::scf::SCFDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::bufferization::BufferizationDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::math::MathDialect",
                           "mlir::vector::VectorDialect",
                           "mlir::gpu::GPUDialect",
                           "mlir::LLVM::LLVMDialect",
                           "mlir::NVVM::NVVMDialect",
                           "mlir::nvgpu::NVGPUDialect"];
  let options = [
    Option<"gpu", "gpu", "bool", /*default=*/"false",
           "Emit each form as gpu.launch kernels on device buffers instead "
           "of host loops">,
  ];
}

def ElementwiseToGpu : Pass<"sma-elementwise-to-gpu", "mlir::func::FuncOp"> {
  let summary = "Runs elementwise linalg.generic ops on buffers as GPU kernels";
  let description = [{
    Each all-parallel `linalg.generic` on memrefs whose single output is
    indexed by the identity map (the Mamba-2 prologue and epilogue after
    bufferization) becomes a `gpu.launch` with one thread per output element,
    256 threads a block. Other generics are left alone.

    ```mlir
    linalg.generic {...} ins(%dt, %bias : memref<?x?x8xbf16>, memref<8xf32>)
                         outs(%out : memref<?x?x8xf32>) { ... }
    // becomes
    gpu.launch blocks(...) in (%n_blocks, ...) threads(...) in (%c256, ...) {
      // delinearize the thread's index, load, compute, store
    }
    ```
  }];
  let dependentDialects = ["mlir::gpu::GPUDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect"];
}

def DecomposeForms : Pass<"sma-decompose-forms", "mlir::ModuleOp"> {
  let summary = "Writes each sma.contract as the tile program of its form";
  let description = [{
    Rewrites every `sma.contract` (which must carry a `form`) into a
    `tile.program`: grids of tile loads, matmuls, masks, scans and stores
    that compute the form's algorithm (docs/forms.md). The linear form is a
    scan over positions with the state as a tile; the quadratic form walks
    tiles of sources for each tile of outputs; the chunked form is a
    cumsum of the log-decays, a scan of chunk states over segments of
    chunks, a combine of the segments and an output grid. Masks enter only
    through `MaskOpInterface`: per-position log-decays and factors become
    `tile.map` bodies. Tile sizes and warps per grid come from the target
    (`gpu`): the program is otherwise the same for every target.

    ```mlir
    %y = sma.contract ... {form = #sma.form<linear>} -> tensor<?x?x4x8xf32>
    // becomes
    %y = tile.program ins(%c, %b, %x : ...) outs(%init : ...) -> ... {
    ^bb0(%C: memref<...>, %B: memref<...>, %X: memref<...>, %Y: memref<...>):
      tile.grid (%seq, %head, %part) in (%S, %c4, %c1) {
        %h = scf.for %t = ... iter_args(%h = %zero) -> (tensor<8x16xf32>) {
          ...
        }
      }
    }
    ```
  }];
  let dependentDialects = ["smc::tile::TileDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::math::MathDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::vector::VectorDialect"];
  let options = [
    Option<"gpu", "gpu", "bool", /*default=*/"false",
           "Choose tile sizes and warps for GPU kernels instead of CPU loops">,
  ];
}

def FuseElementwise : Pass<"sma-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Evaluates elementwise producers and consumers of tile "
                "programs inside them";
  let description = [{
    A generic is pointwise when it has one tensor result into an init its
    body does not read, only parallel loops, the identity output map, input
    maps that read loop dims in increasing order (`(b, t, h, p) -> (b, t,
    h)`, `-> (h)`), and a body of ops without memory effects (no
    `linalg.index`).

    Producers: a `tile.program` input computed by a pointwise generic, whose
    buffer the program only reads with `tile.load`, is replaced by the
    generic's inputs (an input the program already has is reused), and each
    load of it by loads of those inputs at the same box seen through their
    maps (tile dims an input lacks are dropped; none left gives a scalar
    load) and the generic's body: inlined for a scalar load, else a
    `tile.map` over the full tiles, with lower-rank tiles broadcast and
    scalars passed as such. Chains fuse link by link, each link at its own
    rank (`softplus(dt + dt_bias)` on a row of the tile, then broadcast into
    `x * dt'`). Where the load has bounds the map zeroes the positions past
    them, as the load would, unless that dim's bound is the tile's size or
    every input has that dim and the body folds zeros to zero. Generics
    left unused are erased.

    Consumers: a program result whose only user is a pointwise generic
    reading it through the identity map, whose output `tensor.empty` the
    program only writes with `tile.store`, and whose generic's other inputs
    are defined before the program, becomes that generic's result: the
    program writes a new output of the generic's type (its init, or a new
    `tensor.empty` where the init comes after the program), reads the other
    inputs, and each store stores the generic's body on the stored tile and
    loads of the other inputs at the same box.

    Nothing else changes; IR that does not match is left as it is.

    ```mlir
    // Before: %X = linalg.generic {x * dt'} ...; tile.program ins(%X) ...
    //           %t = tile.load %Xm[...] dims [1, 3] ... -> tensor<64x64xf32>
    // After:  tile.program ins(%x, %dt') ...
    //           %xt = tile.load %xm[...] dims [1, 3] ... -> tensor<64x64xbf16>
    //           %d = tile.load %dtm[...] dims [1] ... -> tensor<64xf32>
    //           %db = tile.broadcast %d dims [1] ...
    //           %t = tile.map (%xt, %db) ... { arith.extf, arith.mulf }
    ```
  }];
  let dependentDialects = ["smc::tile::TileDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::tensor::TensorDialect"];
}

def TilesToLinalg : Pass<"sma-tiles-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lowers tile programs to linalg and loops for the CPU";
  let description = [{
    The CPU lowering of the tile level, run after `sma-decompose-forms` and
    before one-shot bufferization. Grids become `scf.for` nests (`num_warps`
    is ignored). A tile load becomes a `linalg.copy` of the memref window cut
    at the bounds into a fresh tile, zeroed first where a bound may cut it
    (elements past a bound are never read); a store copies the in-bound part
    into the window. `tile.dot` becomes a `linalg.generic` over (m, k, n),
    whose innermost loop is contiguous and parallel (a transposed b is
    transposed into an f32 tile first; the `tril_*` hints are ignored);
    `tile.cumsum` a loop; `tile.sum`, `tile.map`, `tile.range`,
    `tile.broadcast` and elementwise `arith`/`math` ops on tiles
    `linalg.generic` ops, which elementwise fusion then merges into one loop
    per chain. Exponentials, logarithms and tanh inside tile programs become
    polynomials (within 2 ulp in f32), so that no loop calls libm per
    element. `tile.program` stays: its bufferization inlines its body.

    After it: one-shot bufferization (function boundaries with identity
    layouts), buffer-loop-hoisting (every tile is a static buffer allocated
    once, outside the loops), the buffer deallocation pipeline (whose
    canonicalization removes the self-copies of stores) and the lowering to
    LLVM.

    ```mlir
    %d = tile.dot %a, %b, %acc : tensor<16x8xf32>, tensor<8x4xf32> -> tensor<16x4xf32>
    // becomes
    %d = linalg.generic {iterator_types = ["parallel", "reduction", "parallel"]}
        ins(%a, %b : ...) outs(%acc : tensor<16x4xf32>) { ... }
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::bufferization::BufferizationDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect"];
}

#endif // SMC_PASSES_TD
