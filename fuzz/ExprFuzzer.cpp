//===- ExprFuzzer.cpp - libFuzzer target: shape expressions ---------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
//
// Any text through Expr::parse, and every parsed expression evaluated with
// symbols bound from the input's first bytes (overflow and division by zero
// must be errors, never undefined behaviour).
//
//===----------------------------------------------------------------------===//

#include "runtime/Expr.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

using namespace smc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int64_t values[3] = {2, 64, 3};
  if (size >= sizeof(values)) {
    std::memcpy(values, data, sizeof(values));
    data += sizeof(values);
    size -= sizeof(values);
  }
  rt::Expr expr;
  if (!rt::Expr::parse(std::string_view(reinterpret_cast<const char *>(data),
                                        size),
                       expr)
           .ok())
    return 0;
  rt::SymbolValues symbols;
  symbols.b = values[0];
  symbols.T = values[1];
  symbols.S = values[2];
  int64_t value = 0;
  (void)expr.evaluate(symbols, value);
  (void)expr.evaluate(rt::SymbolValues(), value);
  (void)expr.constantValue();
  (void)expr.text();
  return 0;
}
