//===- SmaBase.td - sma dialect, types and attributes ------*- tablegen -*-===//
//
// The `sma` dialect: structured masked attention, Y = (L o C B^T) X.
//
//===----------------------------------------------------------------------===//

#ifndef SMA_BASE_TD
#define SMA_BASE_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpBase.td"

def Sma_Dialect : Dialect {
  let name = "sma";
  let cppNamespace = "::smc::sma";
  let summary = "Structured masked attention: one mixer, three dual forms";
  let description = [{
    The `sma` dialect describes sequence mixers of the form
    `Y = (L o C B^T) X` (structured masked attention, the family unified by
    Mamba-2's state space duality). A model is a function whose body builds a
    mask (`sma.mask.*` ops producing a `!sma.mask`) and applies it with
    `sma.contract`, or uses the Mamba-2 front op `sma.ssd`.

    Layout is batch-major: `X, Y : [b, T, h, p]`, `B, C : [b, T, g, n]` with
    `h % g == 0`, states `[S, h, p, n]` (S = b, or the number of packed
    sequences when `cu_seqlens` is given).

    ```mlir
    %m = sma.mask.causal
    %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%b : tensor<2x64x1x16xf32>)
           X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
    ```
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

def Sma_MaskType : TypeDef<Sma_Dialect, "Mask"> {
  let mnemonic = "mask";
  let summary = "A structured mask L[t, s] over the positions of a sequence";
  let description = [{
    The value of a mask op. It has no runtime storage of its own: its
    structure (causal, semiseparable, Toeplitz, banded, data dependent) is
    reported by the defining op through `MaskOpInterface`, and its entries are
    generated where a form needs them.

    ```mlir
    %m = sma.mask.window 64
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

def Sma_FormKind : I32EnumAttr<"FormKind", "dual form of a contraction", [
    I32EnumAttrCase<"linear", 0>,
    I32EnumAttrCase<"quadratic", 1>,
    I32EnumAttrCase<"chunked", 2>]> {
  let cppNamespace = "::smc::sma";
  let genSpecializedAttr = 0;
}

def Sma_FormKindAttr : EnumAttr<Sma_Dialect, Sma_FormKind, "form_kind"> {
  let summary = "Which dual form: linear, quadratic or chunked";
  let description = [{
    The kind of a dual form on its own, without a chunk size: the enum that
    `#sma.form` carries.

    ```mlir
    #sma.form_kind<quadratic>
    ```
  }];
  let assemblyFormat = "`<` $value `>`";
}

def Sma_FormAttr : AttrDef<Sma_Dialect, "Form"> {
  let mnemonic = "form";
  let summary = "The dual form of a contraction, with its chunk size";
  let description = [{
    `linear` is the recurrent scan over T, `quadratic` the masked attention
    matrix, `chunked` the four-step SSD algorithm with chunk size `chunk`.
    A chunk of 0 (or none written) on `chunked` lets form selection choose it.
    Set by `sma-select-form`, or by the user to force a form.

    ```mlir
    {form = #sma.form<chunked, 256>}
    {form = #sma.form<linear>}
    ```
  }];
  let parameters = (ins "FormKind":$kind,
                        DefaultValuedParameter<"int64_t", "0">:$chunk);
  let assemblyFormat = "`<` $kind (`,` $chunk^)? `>`";
  let genVerifyDecl = 1;
}

#endif // SMA_BASE_TD
