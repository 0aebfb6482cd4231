//===- Expr.h - integer expressions over b, T and S -------------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Every integer field of an artifact (dims, grid and block sizes, scalar
/// kernel arguments, shared memory bytes) is a small expression over the
/// run's symbols: b (batch), T (sequence length) and S (number of
/// sequences). The grammar is
///
///   expr := term (('+' | '-' | '*' | '/') term)*
///   term := integer | 'b' | 'T' | 'S' | '(' expr ')'
///         | ('min' | 'max') '(' expr ',' expr ')'
///
/// evaluated left to right with '*' and '/' binding tighter than '+' and
/// '-'; '/' is floor division, so a ceil-division reads (T+255)/256. '/',
/// parentheses, min and max extend the format's original + - * grammar. No
/// spaces or unary minus: an expression is one header field.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_RUNTIME_EXPR_H
#define SMC_RUNTIME_EXPR_H

#include "reference/Status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smc::rt {

using ref::Status;

/// The symbols an expression may use.
enum class Symbol { Batch, Length, Sequences };

/// The symbol's spelling in an artifact: "b", "T" or "S".
const char *symbolName(Symbol symbol);

/// The values of the symbols for one run; a symbol may be unbound.
struct SymbolValues {
  std::optional<int64_t> b; ///< Batch.
  std::optional<int64_t> T; ///< Sequence length.
  std::optional<int64_t> S; ///< Number of sequences.

  /// The value of `symbol`, if bound.
  std::optional<int64_t> get(Symbol symbol) const;
  /// The bound symbols as "b=2, T=64, S=2" ("no symbols bound" if none).
  std::string toString() const;
};

/// A parsed expression: a signed sum of products of terms.
class Expr {
public:
  /// The constant 0.
  Expr() = default;

  /// Parses `text`. Errors read "invalid expression 'T+': ...".
  static Status parse(std::string_view text, Expr &out);

  /// An expression with the constant value `value` (>= 0).
  static Expr constant(int64_t value);

  /// Evaluates the expression. Fails on an unbound symbol, int64 overflow
  /// or division by zero.
  Status evaluate(const SymbolValues &symbols, int64_t &value) const;

  /// True if `symbol` occurs anywhere in the expression.
  bool uses(Symbol symbol) const;

  /// True if the expression is exactly the bare symbol `symbol`.
  bool isSymbol(Symbol symbol) const;

  /// The value when the expression uses no symbol.
  std::optional<int64_t> constantValue() const;

  /// The source text ("0" for a default-constructed expression).
  const std::string &text() const { return source; }

private:
  /// A node of the expression tree; children are indices into `nodes`.
  struct Node {
    enum class Kind { Integer, Symbol, Add, Sub, Mul, Div, Min, Max };
    Kind kind = Kind::Integer;
    int64_t value = 0;             ///< Integer.
    Symbol symbol = Symbol::Batch; ///< Symbol.
    int lhs = -1, rhs = -1;        ///< Operators.
  };
  class Parser;

  Status evaluateNode(int node, const SymbolValues &symbols,
                      int64_t &value) const;

  std::vector<Node> nodes; ///< Empty: the constant 0.
  int root = -1;
  std::string source = "0";
};

/// Evaluates each expression of `dims` into `shape`. Errors name `what`
/// and the dim, and reject negative sizes.
Status evaluateDims(const std::vector<Expr> &dims, const SymbolValues &symbols,
                    const std::string &what, std::vector<int64_t> &shape);

/// Formats expressions as "[b,T,80,64]".
std::string dimsToString(const std::vector<Expr> &dims);

} // namespace smc::rt

#endif // SMC_RUNTIME_EXPR_H
