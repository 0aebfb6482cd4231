//===- Info.cpp - smc-runner info: describe an artifact -------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/smc-runner/Commands.h"

#include <fmt/core.h>

using namespace smc;
using namespace smc::runner;

namespace {

void printTensor(const rt::TensorDecl &t) {
  std::string line = fmt::format(
      "    {:<7} {:<14} {:<5} {:<18} {}", rt::tensorRoleName(t.role), t.name,
      ref::dtypeName(t.dtype), rt::dimsToString(t.dims),
      t.role == rt::TensorRole::Input ? ref::inputKindName(t.kind) : "");
  while (!line.empty() && line.back() == ' ')
    line.pop_back();
  fmt::print("{}\n", line);
}

} // namespace

int runner::runInfo(const Options &options) {
  // Every entry is shown, or only the one --entry names.
  auto artifact = std::make_shared<rt::Artifact>();
  if (Status st = rt::readArtifact(options.artifact, *artifact); !st.ok())
    return reportError(st.message());
  const rt::Artifact &a = *artifact;
  const rt::EntryDecl *entry = nullptr;
  if (!options.entry.empty())
    if (Status st = a.selectEntry(options.entry, entry); !st.ok())
      return reportError(st.message());
  fmt::print("artifact {}: version {}, target {}, {} bytes of modules\n",
             a.path, a.version, a.target.empty() ? "(any)" : a.target,
             a.data.size());
  for (const rt::ModuleDecl &m : a.modules)
    fmt::print("  module {}: {}, {} bytes\n", m.name,
               rt::moduleFormatName(m.format), m.size);
  for (const rt::KernelDecl &k : a.kernels)
    fmt::print("  kernel {}: {} in {}, {} bytes dynamic shared\n", k.name,
               k.symbol, a.modules[k.module].name, k.sharedBytes.text());
  for (const rt::EntryDecl &e : a.entries) {
    if (!options.entry.empty() && e.name != options.entry)
      continue;
    fmt::print("  entry {}: {} inputs, {} outputs, {} buffers, {} launches\n",
               e.name, e.inputs.size(), e.outputs.size(), e.buffers.size(),
               e.launches.size());
    for (const auto *list : {&e.inputs, &e.outputs, &e.buffers})
      for (const rt::TensorDecl &t : *list)
        printTensor(t);
    for (const rt::LaunchDecl &l : e.launches) {
      std::string args;
      for (const rt::LaunchArg &arg : l.args)
        args += " " + arg.text;
      fmt::print("    launch  {} grid {} {} {} block {} {} {} args{}\n",
                 a.kernels[l.kernel].name, l.grid[0].text(), l.grid[1].text(),
                 l.grid[2].text(), l.block[0].text(), l.block[1].text(),
                 l.block[2].text(), args);
    }
    if (e.reference)
      fmt::print("    reference {}\n", e.reference->toString());
    else
      fmt::print("    no reference (cannot --check)\n");
  }
  return kExitOk;
}
