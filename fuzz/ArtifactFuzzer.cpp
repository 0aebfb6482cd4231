//===- ArtifactFuzzer.cpp - libFuzzer target: the artifact reader ---------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
//
// Any bytes through parseArtifact, then what a run does with a parsed
// artifact before the driver: pick each entry, bind the symbols from its
// declared input shapes and infer its output shapes.
//
//===----------------------------------------------------------------------===//

#include "runtime/Artifact.h"
#include "runtime/Binding.h"

#include <cstddef>
#include <cstdint>

using namespace smc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  rt::Artifact artifact;
  if (!rt::parseArtifact(data, size, "fuzz.smca", artifact).ok())
    return 0;
  rt::SymbolValues symbols;
  symbols.b = 2;
  symbols.T = 7;
  symbols.S = 2;
  for (const rt::EntryDecl &entry : artifact.entries) {
    const rt::EntryDecl *picked = nullptr;
    (void)artifact.selectEntry(entry.name, picked);
    std::vector<ref::Shape> inputs, outputs;
    bool bound = true;
    for (const rt::TensorDecl &t : entry.inputs) {
      ref::Shape shape;
      bound &= rt::declaredShape(t, symbols, shape).ok();
      inputs.push_back(shape);
    }
    if (bound)
      (void)rt::inferOutputShapes(entry, inputs, outputs);
    if (entry.reference)
      (void)entry.reference->toString();
  }
  return 0;
}
