//===- Artifact.h - the smc GPU artifact, parsed ----------------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// An artifact (format version 1, see runtime/ARTIFACT.md) is one file: a
/// text header of directives (modules, kernels, entries with their inputs,
/// outputs, buffers and launches) up to a `data` line, then the modules'
/// cubin/PTX bytes. parseArtifact validates everything that can be checked
/// without a GPU and reports "FILE:LINE: message".
///
//===----------------------------------------------------------------------===//

#ifndef SMC_RUNTIME_ARTIFACT_H
#define SMC_RUNTIME_ARTIFACT_H

#include "runtime/Expr.h"
#include "runtime/RefDirective.h"

#include "reference/InputKind.h"
#include "reference/Status.h"
#include "reference/Tensor.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smc::rt {

/// The artifact format version this runtime reads.
constexpr int kArtifactVersion = 1;

/// How a module's bytes are to be loaded.
enum class ModuleFormat { Cubin, Ptx };

/// "cubin" or "ptx".
const char *moduleFormatName(ModuleFormat format);

/// `module NAME FORMAT SIZE`: one cubin or PTX image in the data section.
struct ModuleDecl {
  std::string name;
  ModuleFormat format = ModuleFormat::Cubin;
  uint64_t size = 0;   ///< Bytes in the data section.
  uint64_t offset = 0; ///< Where they start in Artifact::data.
  int line = 0;
};

/// `kernel NAME MODULE SYMBOL shared EXPR`: a function of a module.
struct KernelDecl {
  std::string name;
  size_t module = 0; ///< Index into Artifact::modules.
  std::string symbol;
  Expr sharedBytes; ///< Dynamic shared memory per block.
  int line = 0;
};

/// Whether a named tensor of an entry is an input, output or buffer.
enum class TensorRole { Input, Output, Buffer };

/// "input", "output" or "buffer".
const char *tensorRoleName(TensorRole role);

/// `input`, `output` or `buffer`: a named, typed tensor of an entry.
struct TensorDecl {
  std::string name;
  TensorRole role = TensorRole::Input;
  ref::DType dtype = ref::DType::F32;
  ref::InputKind kind = ref::InputKind::Normal; ///< Inputs only.
  std::vector<Expr> dims;
  int line = 0;

  /// The rank (number of dims).
  size_t rank() const { return dims.size(); }
};

/// A tensor of an entry: its role and index among that role's tensors.
struct TensorRef {
  TensorRole role = TensorRole::Input;
  size_t index = 0;
};

/// How one `args` item is passed to the kernel.
enum class ArgKind {
  Ptr,    ///< `ptr:NAME`: one device pointer.
  Memref, ///< `memref:NAME`: allocated, aligned, offset, sizes, strides.
  I64,    ///< `i64:EXPR`: one int64.
  I32,    ///< `i32:EXPR`: one int32.
};

/// One item of a launch's `args`.
struct LaunchArg {
  ArgKind kind = ArgKind::Ptr;
  TensorRef tensor; ///< Ptr and Memref.
  Expr value;       ///< I64 and I32.
  std::string text; ///< As written, e.g. "memref:x".
};

/// `launch KERNEL grid X Y Z block X Y Z args ...`.
struct LaunchDecl {
  size_t kernel = 0; ///< Index into Artifact::kernels.
  std::array<Expr, 3> grid;
  std::array<Expr, 3> block;
  std::vector<LaunchArg> args;
  int line = 0;
};

/// Where a symbol's value is read: dim `dim` of input `input`.
struct SymbolSource {
  int input = -1; ///< -1: the symbol cannot be bound this way.
  int dim = -1;
};

/// `entry NAME` ... `end`: one callable function of the artifact.
struct EntryDecl {
  std::string name;
  std::vector<TensorDecl> inputs, outputs, buffers;
  std::vector<LaunchDecl> launches;
  std::optional<RefDirective> reference;
  int referenceLine = 0;
  int line = 0;
  /// The first input dim that is exactly `b` (binds b).
  SymbolSource batchSource;
  /// The first input dim that is exactly `T` (binds T).
  SymbolSource lengthSource;
  /// The input of kind `offsets` (binds S), or -1.
  int offsetsInput = -1;

  /// The tensors of `role`.
  const std::vector<TensorDecl> &tensors(TensorRole role) const;
  /// The declaration `ref` points at.
  const TensorDecl &tensor(TensorRef ref) const;
  /// Finds a tensor by name among inputs, outputs and buffers.
  std::optional<TensorRef> find(const std::string &name) const;
  /// True if some expression of the entry uses `symbol`.
  bool uses(Symbol symbol) const;
};

/// A parsed, validated artifact.
struct Artifact {
  std::string path; ///< For messages.
  int version = kArtifactVersion;
  std::string target; ///< e.g. "sm_90a"; empty when not given.
  std::vector<ModuleDecl> modules;
  std::vector<KernelDecl> kernels;
  std::vector<EntryDecl> entries;
  std::vector<uint8_t> data; ///< The data section.

  /// The bytes of module `index`.
  const uint8_t *moduleBytes(size_t index) const {
    return data.data() + modules[index].offset;
  }
  /// Finds an entry by name; an empty name picks the only entry. Errors
  /// list the entries.
  Status selectEntry(const std::string &name, const EntryDecl *&entry) const;
};

/// Parses an artifact image of `size` bytes; `path` names it in messages.
Status parseArtifact(const uint8_t *bytes, size_t size, const std::string &path,
                     Artifact &out);

/// Reads and parses the artifact file at `path`.
Status readArtifact(const std::string &path, Artifact &out);

/// Parses a target such as "sm_90", "sm_90a" or "sm_100f" into its compute
/// capability and suffix ('\0', 'a' or 'f').
Status parseTarget(const std::string &target, int &major, int &minor,
                   char &suffix);

/// Checks that a module of `format` built for `target` can run on a device
/// of compute capability major.minor; an empty target always passes.
Status checkTargetCompatible(const std::string &target, ModuleFormat format,
                             int major, int minor);

} // namespace smc::rt

#endif // SMC_RUNTIME_ARTIFACT_H
