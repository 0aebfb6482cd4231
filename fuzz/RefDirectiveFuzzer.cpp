//===- RefDirectiveFuzzer.cpp - libFuzzer target: reference directives ----===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
//
// Any text, split into fields at spaces as the artifact reader splits a
// line, through parseRefDirective; a parsed directive is printed and its
// inputs listed.
//
//===----------------------------------------------------------------------===//

#include "runtime/RefDirective.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using namespace smc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<std::string> fields(1);
  for (size_t i = 0; i < size; ++i) {
    char c = char(data[i]);
    if (c == ' ' || c == '\n' || c == '\t') {
      if (!fields.back().empty())
        fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (fields.back().empty())
    fields.pop_back();
  rt::RefDirective directive;
  if (!rt::parseRefDirective(fields, directive).ok())
    return 0;
  (void)directive.toString();
  (void)directive.referencedInputs();
  return 0;
}
