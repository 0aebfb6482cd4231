//===- RefDirective.cpp - an entry's float64 reference model --------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/RefDirective.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <set>

using namespace smc;
using namespace smc::rt;

namespace {

/// A recursive-descent parser over one MASK string.
class MaskParser {
public:
  explicit MaskParser(std::string_view text) : text(text) {}

  Status parse(MaskExpr &out) {
    SMC_REF_RETURN_IF_ERROR(parseMask(out));
    if (pos != text.size())
      return fail(fmt::format("unexpected '{}' after the mask", rest()));
    return Status::success();
  }

private:
  Status fail(const std::string &why) const {
    return Status::error(fmt::format("mask '{}': {}", text, why));
  }

  std::string_view rest() const { return text.substr(pos); }

  std::string_view identifier() {
    size_t start = pos;
    while (pos < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[pos])) ||
            text[pos] == '_'))
      ++pos;
    return text.substr(start, pos - start);
  }

  /// The text up to the next ',' or ')' (an argument).
  std::string_view argument() {
    size_t start = pos;
    while (pos < text.size() && text[pos] != ',' && text[pos] != ')')
      ++pos;
    return text.substr(start, pos - start);
  }

  Status expect(char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return Status::success();
    }
    return fail(fmt::format("expected '{}' at position {}", c, pos + 1));
  }

  Status parseMask(MaskExpr &out) {
    std::string_view name = identifier();
    if (name == "causal") {
      out.kind = MaskExpr::Kind::Causal;
      return Status::success();
    }
    if (name == "custom")
      return fail("custom masks are not supported by the runner's reference "
                  "(only causal, fixed, decay, window, mul and transpose)");
    if (name != "fixed" && name != "decay" && name != "window" &&
        name != "mul" && name != "transpose")
      return fail(fmt::format("unknown mask '{}'; expected causal, "
                              "fixed(g,...), decay(INPUT), window(W), "
                              "mul(M,M) or transpose(M)",
                              name));
    SMC_REF_RETURN_IF_ERROR(expect('('));
    if (name == "fixed") {
      out.kind = MaskExpr::Kind::Fixed;
      do {
        std::string_view number = argument();
        std::string copy(number);
        char *end = nullptr;
        errno = 0;
        double value = std::strtod(copy.c_str(), &end);
        if (copy.empty() || *end != '\0' || errno != 0 || !std::isfinite(value))
          return fail(fmt::format("fixed: '{}' is not a number", number));
        out.gammas.push_back(value);
      } while (pos < text.size() && text[pos] == ',' && ++pos);
    } else if (name == "decay") {
      out.kind = MaskExpr::Kind::Decay;
      out.input = std::string(argument());
      if (out.input.empty())
        return fail("decay: expected an input name");
    } else if (name == "window") {
      out.kind = MaskExpr::Kind::Window;
      std::string number(argument());
      char *end = nullptr;
      errno = 0;
      long long width = std::strtoll(number.c_str(), &end, 10);
      if (number.empty() || *end != '\0' || errno != 0 || width < 1)
        return fail(fmt::format("window: '{}' is not a width >= 1", number));
      out.width = width;
    } else {
      // Products and transposes nest; the parser, the mask built from it and
      // its destruction all recurse, so the nesting is bounded.
      if (++depth > kMaxNesting)
        return fail(fmt::format("mul and transpose nested more than {} deep",
                                kMaxNesting));
      bool mul = name == "mul";
      out.kind = mul ? MaskExpr::Kind::Mul : MaskExpr::Kind::Transpose;
      out.operands.resize(mul ? 2 : 1);
      SMC_REF_RETURN_IF_ERROR(parseMask(out.operands[0]));
      if (mul) {
        SMC_REF_RETURN_IF_ERROR(expect(','));
        SMC_REF_RETURN_IF_ERROR(parseMask(out.operands[1]));
      }
      --depth;
    }
    return expect(')');
  }

  static constexpr int kMaxNesting = 64;

  std::string_view text;
  size_t pos = 0;
  int depth = 0;
};

bool parseNumber(const std::string &text, double &value) {
  if (text == "inf") {
    value = std::numeric_limits<double>::infinity();
    return true;
  }
  char *end = nullptr;
  errno = 0;
  value = std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0' && errno == 0 && std::isfinite(value);
}

} // namespace

std::string MaskExpr::toString() const {
  switch (kind) {
  case Kind::Causal:
    return "causal";
  case Kind::Fixed: {
    std::string text = "fixed(";
    for (size_t i = 0; i < gammas.size(); ++i)
      text += fmt::format("{}{}", i ? "," : "", gammas[i]);
    return text + ")";
  }
  case Kind::Decay:
    return "decay(" + input + ")";
  case Kind::Window:
    return fmt::format("window({})", width);
  case Kind::Mul:
    return "mul(" + operands[0].toString() + "," + operands[1].toString() + ")";
  case Kind::Transpose:
    return "transpose(" + operands[0].toString() + ")";
  }
  return "?";
}

void MaskExpr::collectInputs(std::vector<std::string> &names) const {
  if (kind == Kind::Decay)
    names.push_back(input);
  for (const MaskExpr &operand : operands)
    operand.collectInputs(names);
}

Status rt::parseMaskExpr(std::string_view text, MaskExpr &out) {
  MaskExpr mask;
  SMC_REF_RETURN_IF_ERROR(MaskParser(text).parse(mask));
  out = std::move(mask);
  return Status::success();
}

std::string RefDirective::input(const std::string &role) const {
  auto it = inputs.find(role);
  return it == inputs.end() ? "" : it->second;
}

std::string RefDirective::output(const std::string &role) const {
  auto it = outputs.find(role);
  return it == outputs.end() ? "" : it->second;
}

std::string RefDirective::toString() const {
  bool ssd = model == RefModel::Ssd;
  std::string text = ssd ? "ssd" : "contract";
  for (const auto &[key, name] : inputs)
    text += " " + key + "=" + name;
  if (ssd) {
    text += fmt::format(" softplus={}", softplus ? 1 : 0);
    if (lo != 0.0 || !std::isinf(hi))
      text += fmt::format(" lo={} hi={}", lo, hi);
  } else if (mask) {
    text += " mask=" + mask->toString();
  }
  for (const char *key : {"y", "final"})
    if (!output(key).empty())
      text += fmt::format(" {}={}", key, output(key));
  if (!gradOf.empty())
    text += " grad=" + gradOf;
  return text;
}

std::vector<std::pair<std::string, std::string>>
RefDirective::referencedInputs() const {
  std::vector<std::pair<std::string, std::string>> names(inputs.begin(),
                                                         inputs.end());
  if (mask) {
    std::vector<std::string> maskInputs;
    mask->collectInputs(maskInputs);
    for (const std::string &name : maskInputs)
      names.emplace_back("mask", name);
  }
  return names;
}

Status rt::parseRefDirective(const std::vector<std::string> &fields,
                             RefDirective &out) {
  if (fields.empty())
    return Status::error("reference: expected a model (ssd or contract) and "
                         "KEY=VALUE fields");
  RefDirective directive;
  std::set<std::string> required, inputKeys;
  if (fields[0] == "ssd") {
    directive.model = RefModel::Ssd;
    required = {"x", "dt", "A", "B", "C", "y"};
    inputKeys = {"x", "dt", "A", "B", "C", "D", "z", "dt_bias", "init", "seqs"};
  } else if (fields[0] == "contract") {
    directive.model = RefModel::Contract;
    required = {"C", "B", "X", "mask", "y"};
    inputKeys = {"C", "B", "X", "init", "seqs"};
  } else {
    return Status::error(fmt::format(
        "reference: unknown model '{}'; expected ssd or contract", fields[0]));
  }
  bool ssd = directive.model == RefModel::Ssd;
  std::set<std::string> seen;
  for (size_t i = 1; i < fields.size(); ++i) {
    const std::string &field = fields[i];
    size_t eq = field.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == field.size())
      return Status::error(
          fmt::format("reference: field '{}' is not KEY=VALUE", field));
    std::string key = field.substr(0, eq), value = field.substr(eq + 1);
    if (!seen.insert(key).second)
      return Status::error(
          fmt::format("reference: key '{}' is given twice", key));
    if (inputKeys.count(key)) {
      directive.inputs[key] = value;
    } else if (key == "y" || key == "final") {
      directive.outputs[key] = value;
    } else if (key == "grad") {
      directive.gradOf = value;
    } else if (ssd && key == "softplus") {
      if (value != "0" && value != "1")
        return Status::error(
            fmt::format("reference: softplus must be 0 or 1, got '{}'", value));
      directive.softplus = value == "1";
    } else if (ssd && (key == "lo" || key == "hi")) {
      double number = 0;
      if (!parseNumber(value, number))
        return Status::error(fmt::format(
            "reference: {} must be a number or inf, got '{}'", key, value));
      (key == "lo" ? directive.lo : directive.hi) = number;
    } else if (!ssd && key == "mask") {
      MaskExpr mask;
      SMC_REF_RETURN_IF_ERROR(
          parseMaskExpr(value, mask).withContext("reference"));
      directive.mask = std::move(mask);
    } else {
      std::string keys;
      for (const std::string &k : inputKeys)
        keys += k + ", ";
      keys += ssd ? "softplus, lo, hi, y, final, grad" : "mask, y, final, grad";
      return Status::error(
          fmt::format("reference {}: unknown key '{}'; expected one of {}",
                      fields[0], key, keys));
    }
  }
  for (const std::string &key : required)
    if (!seen.count(key))
      return Status::error(
          fmt::format("reference {}: missing the {}= field", fields[0], key));
  if (directive.lo > directive.hi)
    return Status::error(fmt::format("reference ssd: lo {} exceeds hi {}",
                                     directive.lo, directive.hi));
  out = std::move(directive);
  return Status::success();
}
