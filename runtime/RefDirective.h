//===- RefDirective.h - an entry's float64 reference model ------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The `reference` directive of an artifact entry says which float64
/// reference computes the entry (reference/Ssd.h or reference/Contract.h)
/// and which of the entry's inputs and outputs play which role, so a runner
/// can check a GPU run without the compiler. One line, whitespace-separated
/// KEY=VALUE fields (no spaces inside a value):
///
///   reference ssd x=x dt=dt A=A B=B C=C [D=D] [z=z] [dt_bias=dt_bias]
///                 [softplus=0|1] [lo=F] [hi=F|inf] [init=IN] [seqs=IN]
///                 y=OUT [final=OUT]
///   reference contract C=C B=B X=X mask=MASK [init=IN] [seqs=IN]
///                      y=OUT [final=OUT]
///
///   MASK := causal | fixed(g1,g2,...) | decay(IN) | window(W)
///         | mul(MASK,MASK) | transpose(MASK)
///
/// Either may end with grad=ENTRY: the entry is then the backward of that
/// model, whose forward is ENTRY (smc compile --grad). y= and final= name
/// ENTRY's outputs, which are also inputs here; d_OUT inputs are their
/// gradients and the d_IN outputs the gradients of the model's inputs.
///
/// transpose(M) is M with its positions swapped, L(t, s) = M(s, t)
/// (MaskSpec::transpose), e.g. the anti-causal mask of a backward pass.
///
/// Custom masks (arbitrary regions) cannot be written here; a runner reports
/// them as unsupported.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_RUNTIME_REFDIRECTIVE_H
#define SMC_RUNTIME_REFDIRECTIVE_H

#include "reference/Status.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smc::rt {

using ref::Status;

/// A mask tree as written in a `reference contract` directive.
struct MaskExpr {
  enum class Kind { Causal, Fixed, Decay, Window, Mul, Transpose };
  Kind kind = Kind::Causal;
  std::vector<double> gammas; ///< Fixed: one per head.
  std::string input;          ///< Decay: the log-decay input's name.
  int64_t width = 0;          ///< Window: the width (>= 1).
  /// Mul: two operands; Transpose: one, the transposed mask.
  std::vector<MaskExpr> operands;

  /// The expression as written, e.g. "mul(decay(a),transpose(window(4)))".
  std::string toString() const;
  /// Appends the names of the inputs the mask reads (decay operands).
  void collectInputs(std::vector<std::string> &names) const;
};

/// Parses a MASK. Errors read "mask 'mul(causal)': ...".
Status parseMaskExpr(std::string_view text, MaskExpr &out);

/// Which reference computes the entry.
enum class RefModel { Ssd, Contract };

/// A parsed `reference` directive.
struct RefDirective {
  RefModel model = RefModel::Ssd;
  /// Tensor role (x, dt, A, B, C, D, z, dt_bias, X, init, seqs) -> the
  /// entry input's name.
  std::map<std::string, std::string> inputs;
  /// Output role (y, final) -> the entry output's name.
  std::map<std::string, std::string> outputs;
  bool softplus = false;                               ///< ssd only.
  double lo = 0.0;                                     ///< ssd only.
  double hi = std::numeric_limits<double>::infinity(); ///< ssd only.
  std::optional<MaskExpr> mask;                        ///< contract only.
  /// The forward entry when this entry is the model's backward, else "".
  std::string gradOf;

  /// The input playing `role`, or "" when absent.
  std::string input(const std::string &role) const;
  /// The output playing `role`, or "" when absent.
  std::string output(const std::string &role) const;
  /// The directive as written after `reference`, keys in a fixed order.
  std::string toString() const;
  /// Every input name the directive refers to, with the key naming it
  /// ("x", ..., or "mask" for decay operands), in a stable order.
  std::vector<std::pair<std::string, std::string>> referencedInputs() const;
};

/// Parses the fields after the `reference` keyword (fields[0] is the model
/// name). Errors name the offending field.
Status parseRefDirective(const std::vector<std::string> &fields,
                         RefDirective &out);

} // namespace smc::rt

#endif // SMC_RUNTIME_REFDIRECTIVE_H
