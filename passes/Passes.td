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

def DeriveBackward : Pass<"sma-derive-backward", "mlir::ModuleOp"> {
  let summary = "Derives the backward of a model in the sma dialect";
  let description = [{
    For a model function `@f` (mask ops, `sma.contract`s and `sma.ssd`s), adds
    `@f_fwd`, which computes `@f`'s results and also returns what the
    backward reads (the output `Y` of each contraction whose log-decays need
    a gradient, and its final state where that has one), and `@f_bwd`,
    whose arguments are `@f`'s inputs, those saved values and a gradient
    for each result, and whose results are the gradients of `@f`'s float
    inputs, in order. Per contraction, with `dY` and `dF` the gradients of
    its output and final state (DESIGN.md §2):

        dX, dH0 = contract(C: B, B: C, X: dY, transpose(L), init: dF)
        dC = sum_groups(contract(C: dY, B: X, X: expand_groups(B), L,
                                 init: transpose_state(H0)))
        dB = sum_groups(contract(C: X, B: dY, X: expand_groups(C),
                                 transpose(L), init: transpose_state(dF)))
        da = decay_grad(dY, Y, X, dX, F, dF)   for each sma.mask.decay

    An `sma.ssd` is differentiated as what `sma-decompose-ssd` makes of it
    (in `@f_fwd` too, which saves its contraction's f32 output): the
    epilogue `y = (Y + D x) silu(z)` and the front `X = x dt'`,
    `a = dt' A`, `dt' = clamp(softplus(dt + dt_bias))` get their chain
    rules around the contraction's backward; the gradients of the per-head
    `A`, `D` and `dt_bias` are sums over positions (`sma.dot_rows`,
    `sma.sum_positions`), and a clamped `dt'` passes no gradient.

    Gradients of a value used more than once add up. The backward's
    contractions carry no form: `sma-select-form` chooses theirs with the
    same cost model. A gradient that cannot be derived is an error naming
    the op and the operand, never a zero: the operands of
    `sma.mask.custom` (its region is not differentiated), decays of an
    anti-causal model, and any other op (run it before
    `sma-decompose-ssd`). Fixed decays are constants and get no gradient.

    ```mlir
    // smc-opt --sma-derive-backward
    func.func @f(%c: ..., %b: ..., %x: ...) -> tensor<...>
    func.func @f_fwd(%c: ..., %b: ..., %x: ...) -> tensor<...>
    func.func @f_bwd(%c: ..., %b: ..., %x: ..., %dy: ...)
        -> (tensor<...>, tensor<...>, tensor<...>)   // dC, dB, dX
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::math::MathDialect"];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"\"",
           "The function to differentiate (default: every public function)">,
  ];
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
    (`gpu`): the program is otherwise the same for every target. An
    anti-causal mask (`sma.mask.transpose`) runs every form right to left.
    The backward's building blocks (`sma.expand_groups`, `sma.sum_groups`,
    `sma.transpose_state`, `sma.decay_grad`, `sma.dot_rows`,
    `sma.sum_positions`) become small tile programs of their own.

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

def ElementwiseToTiles : Pass<"sma-elementwise-to-tiles", "mlir::func::FuncOp"> {
  let summary = "Gives each elementwise op left outside tile programs one "
                "of its own";
  let description = [{
    An elementwise `linalg.generic` on tensors that no tile program absorbed
    (its result is returned, or read twice) gets a tile program that copies
    its result tile by tile (a program per row of the last dim and tile of
    up to 256 elements); `sma-fuse-elementwise`, run next, pulls the generic into
    that program's loads. Every elementwise op thus reaches the CPU and the
    GPU through the tile level.

    ```mlir
    %z = linalg.generic {...} ins(%y, %d : ...) outs(%e : ...) {...}
    // becomes
    %z = linalg.generic {...}
    %c = tile.program ins(%z : ...) outs(%e2 : ...) -> ... {
      tile.grid (...) { tile.store (tile.load %Z[...]) ... }
    }
    ```
  }];
  let dependentDialects = ["smc::tile::TileDialect",
                           "mlir::tensor::TensorDialect"];
}

def TilesToLinalg : Pass<"sma-tiles-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lowers tile programs to linalg and loops for the CPU";
  let description = [{
    The CPU lowering of the tile level, run after `sma-decompose-forms` and
    before one-shot bufferization. Grids become `scf.for` nests (`num_warps`
    is ignored; a dimension of size 1 has the coordinate 0, folded into the
    index arithmetic). A tile load becomes a `linalg.copy` of the memref
    window cut at the bounds into a fresh tile, zeroed first where a bound
    may cut it (elements past a bound are never read); a store copies the
    in-bound part into the window. A whole tile is stored by an identity
    `linalg.generic` into which fusion pulls the tile's producer, which then
    writes the window itself. `tile.dot` becomes a loop over the result's
    rows, each row a vector held across the reduction
    (`row += a[m, k] * b[k, :]` with `vector.fma`; a transposed b is
    transposed into an f32 tile first; `tril_a` ends the reduction at
    k = m; a splat accumulator is not read). `tile.cumsum` becomes a loop;
    `tile.sum`, `tile.map`, `tile.range`, `tile.broadcast` and elementwise
    `arith`/`math` ops on tiles `linalg.generic` ops, which elementwise
    fusion then merges into one loop per chain. A generic that reduces
    along its innermost loop (a row sum) is tiled to one row per iteration
    and vectorized (`linalg::vectorize`, a `vector.reduction` per row).
    Exponentials, logarithms and tanh inside tile programs become
    polynomials (within 2 ulp in f32), so that no loop calls libm per
    element. `tile.program` stays: its bufferization inlines its body.

    After it: one-shot bufferization (function boundaries with identity
    layouts), buffer-loop-hoisting (every tile is a static buffer allocated
    once, outside the loops), the buffer deallocation pipeline (whose
    canonicalization removes the self-copies of stores) and the lowering to
    LLVM (vector ops through `convert-vector-to-llvm`, sums reassociated).

    ```mlir
    %d = tile.dot %a, %b, %acc : tensor<16x8xf32>, tensor<8x4xf32> -> tensor<16x4xf32>
    // becomes
    %d = scf.for %m = %c0 to %c16 step %c1 iter_args(%t = %acc) -> (tensor<16x4xf32>) {
      %row = vector.transfer_read %t[%m, %c0], %pad : tensor<16x4xf32>, vector<4xf32>
      %sum = scf.for %k = %c0 to %c8 step %c1 iter_args(%r = %row) -> (vector<4xf32>) {
        %x = tensor.extract %a[%m, %k] : tensor<16x8xf32>
        %y = vector.transfer_read %b[%k, %c0], %pad : tensor<8x4xf32>, vector<4xf32>
        %f = vector.fma %xs, %y, %r : vector<4xf32>   // %xs: %x broadcast
        scf.yield %f : vector<4xf32>
      }
      %w = vector.transfer_write %sum, %t[%m, %c0] : vector<4xf32>, tensor<16x4xf32>
      scf.yield %w : tensor<16x4xf32>
    }
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::bufferization::BufferizationDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::vector::VectorDialect"];
}

def AssignLayouts : Pass<"sma-assign-layouts", "mlir::ModuleOp"> {
  let summary = "Chooses how the GPU's threads hold every tile";
  let description = [{
    Gives every tile value inside a `tile.grid` a layout encoding
    (dialect/tile/TileLayouts.td): tiles joined by elementwise ops, loops and
    accumulators share one; a `tile.dot` accumulator is `#tile.mma`, a
    `tile.cumsum` the one-warp scan layout, other 2-d tiles
    `#tile.blocked` with 16-byte pieces, 1-d tiles the `#tile.slice` their
    broadcasts and sums need. Where a use needs another layout, loads,
    splats, constants and ranges are recomputed in it; `tile.dot` operands
    are staged in `#tile.shared` (placed so that a block's loads are all
    issued before its first store); other values move through shared
    memory. Each staged tile gets an offset in its program's shared memory
    (`tile.shared_bytes` on the grid).

    ```mlir
    %s = tile.dot %c, %b, %z {transpose_b} : tensor<64x128xbf16>, ...
    // becomes
    %cs = tile.convert_layout %c {offset = 0 : i64}
        : tensor<64x128xbf16, #tile.blocked<...>>
        -> tensor<64x128xbf16, #tile.shared<pad = 8>>
    %s = tile.dot %cs, %bs, %z {transpose_b} : ...
        -> tensor<64x64xf32, #tile.mma<warps = 4>>
    ```
  }];
  let dependentDialects = ["smc::tile::TileDialect"];
}

def PipelineLoads : Pass<"sma-pipeline-loads", "mlir::ModuleOp"> {
  let summary = "Issues the loads of a loop's next iteration early (GPU)";
  let description = [{
    In a loop of a `tile.grid` that feeds `tile.dot`s and runs at least once
    (it is guarded by `scf.if (lb < ub)`), every tile load whose address
    depends only on the induction variable and values from outside the
    loop is issued one iteration ahead: before the loop for the first
    iteration, and in each iteration right after that iteration's tile has
    been consumed, for the next one (the last iteration reloads its own
    tiles). The loaded tiles are carried in registers, so their latency
    overlaps the products. Runs after `sma-assign-layouts`.

    ```mlir
    scf.for %k = %lb to %ub step %c1 iter_args(%h = %h0) -> (...) {
      %x = tile.load %X[...%k...] ...
      %xs = tile.convert_layout %x ...
      %h2 = tile.dot %xs, ...
    }
    // becomes
    %x0 = tile.load %X[...%lb...] ...
    scf.for %k = %lb to %ub step %c1 iter_args(%h = %h0, %x = %x0) -> (...) {
      %xs = tile.convert_layout %x ...
      %next = tile.load %X[...min(%k + 1, %ub - 1)...] ...
      %h2 = tile.dot %xs, ...
      scf.yield %h2, %next
    }
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def TilesToGpu : Pass<"sma-tiles-to-gpu", "mlir::ModuleOp"> {
  let summary = "Lowers laid-out tile programs to GPU kernels";
  let description = [{
    Each `tile.grid` becomes a `gpu.launch` (a block per grid point);
    a tile in a register layout becomes the vector of the slots each
    thread holds, a tile in `#tile.shared` a view of the kernel's dynamic
    shared memory. Loads and stores move a thread's slots with vector
    accesses; `tile.dot` on 16-bit operands is `nvgpu.mma.sync` fed by
    `nvgpu.ldmatrix` (lane addresses from nvgpu's MMAUtils), on f32 FMAs;
    sums and scans use warp shuffles. Barriers are inserted where a staged
    tile is read after being written, or written after being read.

    ```mlir
    tile.grid (%i) in (%n) attributes {num_warps = 4} { ... }
    // becomes
    gpu.launch blocks(%bx, ...) in (%gx = %n, ...) threads(%tx, ...) in
        (%sx = %c128, ...) { ... gpu.terminator }
    ```
  }];
  let dependentDialects = ["mlir::affine::AffineDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::gpu::GPUDialect",
                           "mlir::LLVM::LLVMDialect",
                           "mlir::math::MathDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::NVVM::NVVMDialect",
                           "mlir::nvgpu::NVGPUDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::vector::VectorDialect"];
}

def GpuModulesToBinaries : Pass<"sma-gpu-modules-to-binaries",
                                "mlir::ModuleOp"> {
  let summary = "Serializes the gpu.modules of a module in parallel";
  let description = [{
    Upstream's `gpu-module-to-binary`, with the modules serialized on the
    context's thread pool: each `gpu.module` is translated to LLVM IR,
    compiled to PTX by LLVM's NVPTX backend and, for `format=bin`, to cubin
    by ptxas, independently of the others. Serializing dominates the
    compile time of a model (63% for the Mamba-2 mixer), and a model has
    one module per kernel, so the compile time divides by the number of
    cores. The modules become `gpu.binary` ops in their original order.

    ```mlir
    gpu.module @k0 [#nvvm.target<chip = "sm_90">] { ... }
    gpu.module @k1 [#nvvm.target<chip = "sm_90">] { ... }
    // becomes
    gpu.binary @k0 [#gpu.object<#nvvm.target<chip = "sm_90">, bin = "...">]
    gpu.binary @k1 [#gpu.object<#nvvm.target<chip = "sm_90">, bin = "...">]
    ```
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"bin\"",
           "What each module becomes: isa (PTX), bin (cubin) or fatbin">,
  ];
  let dependentDialects = ["mlir::gpu::GPUDialect"];
}

#endif // SMC_PASSES_TD
