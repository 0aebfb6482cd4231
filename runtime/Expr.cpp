//===- Expr.cpp - integer expressions over b, T and S ---------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/Expr.h"

#include <fmt/format.h>

using namespace smc;
using namespace smc::rt;

const char *rt::symbolName(Symbol symbol) {
  switch (symbol) {
  case Symbol::Batch:
    return "b";
  case Symbol::Length:
    return "T";
  case Symbol::Sequences:
    return "S";
  }
  return "?";
}

std::optional<int64_t> SymbolValues::get(Symbol symbol) const {
  switch (symbol) {
  case Symbol::Batch:
    return b;
  case Symbol::Length:
    return T;
  case Symbol::Sequences:
    return S;
  }
  return std::nullopt;
}

std::string SymbolValues::toString() const {
  std::string text;
  for (Symbol s : {Symbol::Batch, Symbol::Length, Symbol::Sequences}) {
    if (std::optional<int64_t> value = get(s))
      text += fmt::format("{}{}={}", text.empty() ? "" : ", ", symbolName(s),
                          *value);
  }
  return text.empty() ? "no symbols bound" : text;
}

/// Recursive descent over one expression:
///   sum := product (('+' | '-') product)*
///   product := term (('*' | '/') term)*
///   term := integer | 'b' | 'T' | 'S' | '(' sum ')'
///         | ('min' | 'max') '(' sum ',' sum ')'
/// The tree is at most kMaxDepth deep (operators chain to the left, and
/// parentheses nest), so that neither this parser nor the evaluator, both
/// recursive, can exhaust the stack on a corrupt artifact.
class Expr::Parser {
public:
  Parser(std::string_view text, Expr &expr) : text(text), expr(expr) {}

  Status parse() {
    SMC_REF_RETURN_IF_ERROR(parseSum(expr.root));
    if (pos < text.size())
      return fail(fmt::format("unexpected '{}' at position {} (operators "
                              "are +, -, * and /)",
                              text[pos], pos + 1));
    return Status::success();
  }

private:
  Status fail(const std::string &why) const {
    return Status::error(fmt::format("invalid expression '{}': {}", text, why));
  }

  static constexpr int kMaxDepth = 64;

  int add(Node node, int depth = 1) {
    expr.nodes.push_back(node);
    depths.push_back(depth);
    return int(expr.nodes.size()) - 1;
  }

  /// A binary node over `lhs` and `rhs`, unless the tree gets too deep.
  Status binary(Node::Kind kind, int lhs, int rhs, int &node) {
    int depth = 1 + std::max(depths[size_t(lhs)], depths[size_t(rhs)]);
    if (depth > kMaxDepth)
      return fail(fmt::format("nested more than {} operators deep", kMaxDepth));
    Node binaryNode;
    binaryNode.kind = kind;
    binaryNode.lhs = lhs;
    binaryNode.rhs = rhs;
    node = add(binaryNode, depth);
    return Status::success();
  }

  /// Parentheses and min/max open a level; the depth check of `binary` only
  /// sees the nodes built, so a deep "((((...1" is refused here.
  Status enter() {
    if (++open > kMaxDepth)
      return fail(
          fmt::format("parentheses nested more than {} deep", kMaxDepth));
    return Status::success();
  }

  Status parseSum(int &node) {
    SMC_REF_RETURN_IF_ERROR(parseProduct(node));
    while (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      Node::Kind kind = text[pos++] == '+' ? Node::Kind::Add : Node::Kind::Sub;
      int rhs;
      SMC_REF_RETURN_IF_ERROR(parseProduct(rhs));
      SMC_REF_RETURN_IF_ERROR(binary(kind, node, rhs, node));
    }
    return Status::success();
  }

  Status parseProduct(int &node) {
    SMC_REF_RETURN_IF_ERROR(parseTerm(node));
    while (pos < text.size() && (text[pos] == '*' || text[pos] == '/')) {
      Node::Kind kind = text[pos++] == '*' ? Node::Kind::Mul : Node::Kind::Div;
      int rhs;
      SMC_REF_RETURN_IF_ERROR(parseTerm(rhs));
      SMC_REF_RETURN_IF_ERROR(binary(kind, node, rhs, node));
    }
    return Status::success();
  }

  Status parseTerm(int &node) {
    if (pos >= text.size())
      return fail("expected a term at the end");
    char c = text[pos];
    Node term;
    if (c >= '0' && c <= '9') {
      uint64_t value = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        value = value * 10 + uint64_t(text[pos] - '0');
        if (value > uint64_t(INT64_MAX))
          return fail("integer too large");
        ++pos;
      }
      term.value = int64_t(value);
    } else if (c == 'b' || c == 'T' || c == 'S') {
      term.kind = Node::Kind::Symbol;
      term.symbol = c == 'b'   ? Symbol::Batch
                    : c == 'T' ? Symbol::Length
                               : Symbol::Sequences;
      ++pos;
    } else if (text.substr(pos, 4) == "min(" || text.substr(pos, 4) == "max(") {
      Node::Kind kind =
          text[pos + 1] == 'i' ? Node::Kind::Min : Node::Kind::Max;
      pos += 4;
      SMC_REF_RETURN_IF_ERROR(enter());
      int lhs, rhs;
      SMC_REF_RETURN_IF_ERROR(parseSum(lhs));
      if (pos >= text.size() || text[pos] != ',')
        return fail(fmt::format("expected ',' at position {}", pos + 1));
      ++pos;
      SMC_REF_RETURN_IF_ERROR(parseSum(rhs));
      if (pos >= text.size() || text[pos] != ')')
        return fail(fmt::format("expected ')' at position {}", pos + 1));
      ++pos;
      --open;
      return binary(kind, lhs, rhs, node);
    } else if (c == '(') {
      ++pos;
      SMC_REF_RETURN_IF_ERROR(enter());
      SMC_REF_RETURN_IF_ERROR(parseSum(node));
      if (pos >= text.size() || text[pos] != ')')
        return fail(fmt::format("expected ')' at position {}", pos + 1));
      ++pos;
      --open;
      return Status::success();
    } else {
      return fail(fmt::format("unexpected '{}' at position {} (terms are "
                              "integers, b, T, S, min(x,y), max(x,y) or "
                              "a parenthesized expression)",
                              c, pos + 1));
    }
    node = add(term);
    return Status::success();
  }

  std::string_view text;
  Expr &expr;
  size_t pos = 0;
  std::vector<int> depths; ///< Per node: the depth of its subtree.
  int open = 0;            ///< Parentheses and min/max levels now open.
};

Status Expr::parse(std::string_view text, Expr &out) {
  Expr expr;
  expr.source = std::string(text);
  if (text.empty())
    return Status::error("invalid expression '': empty");
  SMC_REF_RETURN_IF_ERROR(Parser(text, expr).parse());
  out = std::move(expr);
  return Status::success();
}

Expr Expr::constant(int64_t value) {
  Expr expr;
  Node node;
  node.value = value;
  expr.nodes.push_back(node);
  expr.root = 0;
  expr.source = std::to_string(value);
  return expr;
}

Status Expr::evaluateNode(int index, const SymbolValues &symbols,
                          int64_t &value) const {
  const Node &node = nodes[size_t(index)];
  switch (node.kind) {
  case Node::Kind::Integer:
    value = node.value;
    return Status::success();
  case Node::Kind::Symbol: {
    std::optional<int64_t> bound = symbols.get(node.symbol);
    if (!bound)
      return Status::error(fmt::format("expression '{}': symbol '{}' is not "
                                       "bound",
                                       source, symbolName(node.symbol)));
    value = *bound;
    return Status::success();
  }
  default:
    break;
  }
  int64_t lhs = 0, rhs = 0;
  SMC_REF_RETURN_IF_ERROR(evaluateNode(node.lhs, symbols, lhs));
  SMC_REF_RETURN_IF_ERROR(evaluateNode(node.rhs, symbols, rhs));
  bool overflow = false;
  switch (node.kind) {
  case Node::Kind::Add:
    overflow = __builtin_add_overflow(lhs, rhs, &value);
    break;
  case Node::Kind::Sub:
    overflow = __builtin_sub_overflow(lhs, rhs, &value);
    break;
  case Node::Kind::Mul:
    overflow = __builtin_mul_overflow(lhs, rhs, &value);
    break;
  case Node::Kind::Min:
    value = std::min(lhs, rhs);
    break;
  case Node::Kind::Max:
    value = std::max(lhs, rhs);
    break;
  default: // Div: floor division.
    if (rhs == 0)
      return Status::error(fmt::format("expression '{}' divides by zero ({})",
                                       source, symbols.toString()));
    overflow = lhs == INT64_MIN && rhs == -1;
    if (!overflow) {
      value = lhs / rhs;
      if (lhs % rhs != 0 && ((lhs < 0) != (rhs < 0)))
        --value;
    }
    break;
  }
  if (overflow)
    return Status::error(fmt::format("expression '{}' overflows int64 ({})",
                                     source, symbols.toString()));
  return Status::success();
}

Status Expr::evaluate(const SymbolValues &symbols, int64_t &value) const {
  if (root < 0) {
    value = 0;
    return Status::success();
  }
  return evaluateNode(root, symbols, value);
}

bool Expr::uses(Symbol symbol) const {
  for (const Node &node : nodes)
    if (node.kind == Node::Kind::Symbol && node.symbol == symbol)
      return true;
  return false;
}

bool Expr::isSymbol(Symbol symbol) const {
  return root >= 0 && nodes[size_t(root)].kind == Node::Kind::Symbol &&
         nodes[size_t(root)].symbol == symbol;
}

std::optional<int64_t> Expr::constantValue() const {
  for (Symbol s : {Symbol::Batch, Symbol::Length, Symbol::Sequences})
    if (uses(s))
      return std::nullopt;
  int64_t value = 0;
  if (!evaluate(SymbolValues(), value).ok())
    return std::nullopt;
  return value;
}

Status rt::evaluateDims(const std::vector<Expr> &dims,
                        const SymbolValues &symbols, const std::string &what,
                        std::vector<int64_t> &shape) {
  shape.clear();
  for (size_t i = 0; i < dims.size(); ++i) {
    int64_t value = 0;
    SMC_REF_RETURN_IF_ERROR(
        dims[i]
            .evaluate(symbols, value)
            .withContext(fmt::format("{}: dim {}", what, i)));
    if (value < 0)
      return Status::error(
          fmt::format("{}: dim {} ('{}') is negative ({}) for {}", what, i,
                      dims[i].text(), value, symbols.toString()));
    shape.push_back(value);
  }
  return Status::success();
}

std::string rt::dimsToString(const std::vector<Expr> &dims) {
  std::string text = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    text += (i ? "," : "") + dims[i].text();
  return text + "]";
}
