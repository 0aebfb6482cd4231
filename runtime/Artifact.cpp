//===- Artifact.cpp - the smc GPU artifact, parsed ------------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/Artifact.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

using namespace smc;
using namespace smc::rt;

const char *rt::moduleFormatName(ModuleFormat format) {
  return format == ModuleFormat::Cubin ? "cubin" : "ptx";
}

const char *rt::tensorRoleName(TensorRole role) {
  switch (role) {
  case TensorRole::Input:
    return "input";
  case TensorRole::Output:
    return "output";
  case TensorRole::Buffer:
    return "buffer";
  }
  return "?";
}

const std::vector<TensorDecl> &EntryDecl::tensors(TensorRole role) const {
  switch (role) {
  case TensorRole::Input:
    return inputs;
  case TensorRole::Output:
    return outputs;
  case TensorRole::Buffer:
    break;
  }
  return buffers;
}

const TensorDecl &EntryDecl::tensor(TensorRef ref) const {
  return tensors(ref.role)[ref.index];
}

std::optional<TensorRef> EntryDecl::find(const std::string &name) const {
  for (TensorRole role :
       {TensorRole::Input, TensorRole::Output, TensorRole::Buffer}) {
    const std::vector<TensorDecl> &list = tensors(role);
    for (size_t i = 0; i < list.size(); ++i)
      if (list[i].name == name)
        return TensorRef{role, i};
  }
  return std::nullopt;
}

bool EntryDecl::uses(Symbol symbol) const {
  for (const auto *list : {&inputs, &outputs, &buffers})
    for (const TensorDecl &t : *list)
      for (const Expr &e : t.dims)
        if (e.uses(symbol))
          return true;
  for (const LaunchDecl &l : launches) {
    for (const Expr &e : l.grid)
      if (e.uses(symbol))
        return true;
    for (const Expr &e : l.block)
      if (e.uses(symbol))
        return true;
    for (const LaunchArg &a : l.args)
      if ((a.kind == ArgKind::I64 || a.kind == ArgKind::I32) &&
          a.value.uses(symbol))
        return true;
  }
  return false;
}

Status Artifact::selectEntry(const std::string &name,
                             const EntryDecl *&entry) const {
  std::string names;
  for (const EntryDecl &e : entries)
    names += (names.empty() ? "" : ", ") + e.name;
  if (name.empty()) {
    if (entries.size() == 1) {
      entry = &entries[0];
      return Status::success();
    }
    return Status::error(
        fmt::format("{}: the artifact has {} entries ({}); name one", path,
                    entries.size(), names));
  }
  for (const EntryDecl &e : entries) {
    if (e.name == name) {
      entry = &e;
      return Status::success();
    }
  }
  return Status::error(
      fmt::format("{}: no entry named '{}'; entries: {}", path, name, names));
}

namespace {

/// Splits a header line into whitespace-separated fields, dropping a
/// '#' comment.
std::vector<std::string> splitFields(std::string_view line) {
  size_t hash = line.find('#');
  if (hash != std::string_view::npos)
    line = line.substr(0, hash);
  std::vector<std::string> fields;
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() &&
           std::isspace(static_cast<unsigned char>(line[pos])))
      ++pos;
    size_t start = pos;
    while (pos < line.size() &&
           !std::isspace(static_cast<unsigned char>(line[pos])))
      ++pos;
    if (pos > start)
      fields.emplace_back(line.substr(start, pos - start));
  }
  return fields;
}

bool isName(const std::string &name) {
  if (name.empty() ||
      !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_'))
    return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
          c == '$'))
      return false;
  return true;
}

/// The parser's state: the artifact being built and the open entry.
class Parser {
public:
  Parser(const std::string &path, Artifact &artifact)
      : path(path), artifact(artifact) {}

  /// Parses every header line; `dataStart` receives the offset just past
  /// the `data` line.
  Status parseHeader(const uint8_t *bytes, size_t size, size_t &dataStart);

private:
  Status error(int lineNo, const std::string &message) const {
    return Status::error(fmt::format("{}:{}: {}", path, lineNo, message));
  }

  Status fieldCount(const std::vector<std::string> &f, size_t want,
                    const char *usage) const {
    if (f.size() == want)
      return Status::success();
    return error(line, fmt::format("'{}' expects {} ({} field{}), got {}", f[0],
                                   usage, want - 1, want == 2 ? "" : "s",
                                   f.size() - 1));
  }

  Status parseName(const std::string &name, const char *what) const {
    if (isName(name))
      return Status::success();
    return error(line, fmt::format("invalid {} name '{}' (letters, digits, "
                                   "'_', '.', '$'; not starting with a digit)",
                                   what, name));
  }

  Status parseExpr(const std::string &text, const std::string &what,
                   Expr &out) const {
    Status st = Expr::parse(text, out);
    if (!st.ok())
      return error(line, what + ": " + st.message());
    return Status::success();
  }

  Status directive(const std::vector<std::string> &f);
  Status moduleDirective(const std::vector<std::string> &f);
  Status kernelDirective(const std::vector<std::string> &f);
  Status tensorDirective(const std::vector<std::string> &f, TensorRole role);
  Status launchDirective(const std::vector<std::string> &f);
  Status launchArg(const std::string &text, LaunchArg &arg) const;
  Status referenceDirective(const std::vector<std::string> &f);
  Status endEntry();
  Status checkSymbolsBound(const EntryDecl &entry) const;

  const std::string &path;
  Artifact &artifact;
  int line = 0;
  bool sawVersion = false;
  bool sawTarget = false;
  bool inEntry = false;
  EntryDecl entry;
  std::map<std::string, size_t> moduleIndex, kernelIndex;
  std::set<std::string> entryNames;
};

Status Parser::parseHeader(const uint8_t *bytes, size_t size,
                           size_t &dataStart) {
  size_t pos = 0;
  while (pos < size) {
    const void *nl = std::memchr(bytes + pos, '\n', size - pos);
    size_t end = nl ? size_t(static_cast<const uint8_t *>(nl) - bytes) : size;
    std::string_view text(reinterpret_cast<const char *>(bytes) + pos,
                          end - pos);
    if (!text.empty() && text.back() == '\r')
      text.remove_suffix(1);
    ++line;
    pos = nl ? end + 1 : size;
    std::vector<std::string> f = splitFields(text);
    if (f.empty())
      continue;
    if (!sawVersion) {
      if (f[0] != "smc-artifact")
        return error(line, "not an smc artifact: expected 'smc-artifact 1' "
                           "as the first directive");
      SMC_REF_RETURN_IF_ERROR(fieldCount(f, 2, "VERSION"));
      if (f[1] != std::to_string(kArtifactVersion))
        return error(line, fmt::format("unsupported artifact version '{}'; "
                                       "this runtime reads version {}",
                                       f[1], kArtifactVersion));
      sawVersion = true;
      continue;
    }
    if (f[0] == "data") {
      SMC_REF_RETURN_IF_ERROR(fieldCount(f, 1, "nothing"));
      if (inEntry)
        return error(line, fmt::format("entry '{}' (line {}) has no 'end' "
                                       "before 'data'",
                                       entry.name, entry.line));
      dataStart = pos;
      return Status::success();
    }
    SMC_REF_RETURN_IF_ERROR(directive(f));
  }
  if (!sawVersion)
    return Status::error(fmt::format(
        "{}: not an smc artifact: expected 'smc-artifact 1' as the first "
        "directive (the file is empty)",
        path));
  if (inEntry)
    return error(entry.line,
                 fmt::format("entry '{}' has no 'end'", entry.name));
  return Status::error(
      fmt::format("{}: missing the 'data' line that ends the header", path));
}

Status Parser::directive(const std::vector<std::string> &f) {
  const std::string &d = f[0];
  static const std::set<std::string> entryOnly = {
      "input", "output", "buffer", "launch", "reference", "end"};
  if (entryOnly.count(d) && !inEntry)
    return error(line, fmt::format("'{}' outside an entry (open one with "
                                   "'entry NAME')",
                                   d));
  if ((d == "smc-artifact" || d == "target" || d == "module" || d == "kernel" ||
       d == "entry") &&
      inEntry)
    return error(line, fmt::format("'{}' inside entry '{}' (line {}); close "
                                   "it with 'end' first",
                                   d, entry.name, entry.line));
  if (d == "smc-artifact")
    return error(line, "'smc-artifact' given twice");
  if (d == "target") {
    SMC_REF_RETURN_IF_ERROR(fieldCount(f, 2, "an architecture like sm_90a"));
    if (sawTarget)
      return error(line, "'target' given twice");
    int major, minor;
    char suffix;
    if (Status st = parseTarget(f[1], major, minor, suffix); !st.ok())
      return error(line, st.message());
    sawTarget = true;
    artifact.target = f[1];
    return Status::success();
  }
  if (d == "module")
    return moduleDirective(f);
  if (d == "kernel")
    return kernelDirective(f);
  if (d == "entry") {
    SMC_REF_RETURN_IF_ERROR(fieldCount(f, 2, "NAME"));
    SMC_REF_RETURN_IF_ERROR(parseName(f[1], "entry"));
    if (!entryNames.insert(f[1]).second)
      return error(line, fmt::format("duplicate entry '{}'", f[1]));
    inEntry = true;
    entry = EntryDecl();
    entry.name = f[1];
    entry.line = line;
    return Status::success();
  }
  if (d == "input")
    return tensorDirective(f, TensorRole::Input);
  if (d == "output")
    return tensorDirective(f, TensorRole::Output);
  if (d == "buffer")
    return tensorDirective(f, TensorRole::Buffer);
  if (d == "launch")
    return launchDirective(f);
  if (d == "reference")
    return referenceDirective(f);
  if (d == "end") {
    SMC_REF_RETURN_IF_ERROR(fieldCount(f, 1, "nothing"));
    return endEntry();
  }
  return error(line,
               fmt::format("unknown directive '{}'; expected target, module, "
                           "kernel, entry, input, output, buffer, launch, "
                           "reference, end or data",
                           d));
}

Status Parser::moduleDirective(const std::vector<std::string> &f) {
  SMC_REF_RETURN_IF_ERROR(fieldCount(f, 4, "NAME FORMAT SIZE"));
  SMC_REF_RETURN_IF_ERROR(parseName(f[1], "module"));
  if (moduleIndex.count(f[1]))
    return error(line, fmt::format("duplicate module '{}'", f[1]));
  ModuleDecl module;
  module.name = f[1];
  module.line = line;
  if (f[2] == "cubin")
    module.format = ModuleFormat::Cubin;
  else if (f[2] == "ptx")
    module.format = ModuleFormat::Ptx;
  else
    return error(line, fmt::format("unknown module format '{}'; expected "
                                   "cubin or ptx",
                                   f[2]));
  const std::string &size = f[3];
  char *end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(size.c_str(), &end, 10);
  if (size.empty() || !std::isdigit(static_cast<unsigned char>(size[0])) ||
      *end != '\0' || errno != 0)
    return error(line, fmt::format("module '{}': size '{}' is not a byte "
                                   "count",
                                   f[1], size));
  module.size = value;
  moduleIndex[module.name] = artifact.modules.size();
  artifact.modules.push_back(module);
  return Status::success();
}

Status Parser::kernelDirective(const std::vector<std::string> &f) {
  if (f.size() != 4 && f.size() != 6)
    return error(line, fmt::format("'kernel' expects NAME MODULE SYMBOL "
                                   "[shared BYTES] (3 or 5 fields), got {}",
                                   f.size() - 1));
  SMC_REF_RETURN_IF_ERROR(parseName(f[1], "kernel"));
  if (kernelIndex.count(f[1]))
    return error(line, fmt::format("duplicate kernel '{}'", f[1]));
  auto module = moduleIndex.find(f[2]);
  if (module == moduleIndex.end())
    return error(line,
                 fmt::format("kernel '{}': unknown module '{}'", f[1], f[2]));
  KernelDecl kernel;
  kernel.name = f[1];
  kernel.module = module->second;
  SMC_REF_RETURN_IF_ERROR(parseName(f[3], "symbol"));
  kernel.symbol = f[3];
  kernel.line = line;
  if (f.size() == 6) {
    if (f[4] != "shared")
      return error(line, fmt::format("kernel '{}': expected 'shared' after "
                                     "the symbol, got '{}'",
                                     f[1], f[4]));
    SMC_REF_RETURN_IF_ERROR(parseExpr(
        f[5], fmt::format("kernel '{}': shared", f[1]), kernel.sharedBytes));
  }
  kernelIndex[kernel.name] = artifact.kernels.size();
  artifact.kernels.push_back(kernel);
  return Status::success();
}

Status Parser::tensorDirective(const std::vector<std::string> &f,
                               TensorRole role) {
  bool input = role == TensorRole::Input;
  size_t fixed = input ? 4 : 3;
  if (f.size() < fixed)
    return error(line, fmt::format("'{}' expects NAME DTYPE {}DIMS... (at "
                                   "least {} fields), got {}",
                                   f[0], input ? "KIND " : "", fixed - 1,
                                   f.size() - 1));
  SMC_REF_RETURN_IF_ERROR(parseName(f[1], tensorRoleName(role)));
  if (std::optional<TensorRef> other = entry.find(f[1]))
    return error(line,
                 fmt::format("duplicate name '{}' in entry '{}' (an {} "
                             "at line {})",
                             f[1], entry.name, tensorRoleName(other->role),
                             entry.tensor(*other).line));
  TensorDecl tensor;
  tensor.name = f[1];
  tensor.role = role;
  tensor.line = line;
  if (!ref::parseDType(f[2], tensor.dtype).ok())
    return error(line, fmt::format("{} '{}': unknown dtype '{}'; expected "
                                   "f32, f16, bf16, f64, i32 or i64",
                                   f[0], f[1], f[2]));
  if (input) {
    if (!ref::parseInputKind(f[3], tensor.kind).ok())
      return error(line,
                   fmt::format("input '{}': unknown input kind '{}'; "
                               "expected normal, dt_raw, dt_positive, "
                               "dt_bias, dt_bias_raw, a_log, log_decay, unit "
                               "or offsets",
                               f[1], f[3]));
  }
  for (size_t i = fixed; i < f.size(); ++i) {
    Expr dim;
    SMC_REF_RETURN_IF_ERROR(parseExpr(
        f[i], fmt::format("{} '{}': dim {}", f[0], f[1], i - fixed), dim));
    tensor.dims.push_back(dim);
  }
  if (input && tensor.kind == ref::InputKind::Offsets) {
    if (entry.offsetsInput >= 0)
      return error(line,
                   fmt::format("input '{}': a second offsets input "
                               "(the first is '{}')",
                               f[1], entry.inputs[entry.offsetsInput].name));
    if (tensor.rank() != 1 ||
        (tensor.dtype != ref::DType::I32 && tensor.dtype != ref::DType::I64))
      return error(line, fmt::format("input '{}': an offsets input must be a "
                                     "rank-1 i32 or i64 tensor (like S+1)",
                                     f[1]));
    entry.offsetsInput = int(entry.inputs.size());
  }
  for (size_t d = 0; input && d < tensor.rank(); ++d) {
    for (auto [symbol, source] :
         {std::pair{Symbol::Batch, &entry.batchSource},
          std::pair{Symbol::Length, &entry.lengthSource}}) {
      if (source->input < 0 && tensor.dims[d].isSymbol(symbol))
        *source = SymbolSource{int(entry.inputs.size()), int(d)};
    }
  }
  std::vector<TensorDecl> &list = role == TensorRole::Input    ? entry.inputs
                                  : role == TensorRole::Output ? entry.outputs
                                                               : entry.buffers;
  list.push_back(tensor);
  return Status::success();
}

Status Parser::launchArg(const std::string &text, LaunchArg &arg) const {
  arg.text = text;
  size_t colon = text.find(':');
  if (colon == std::string::npos)
    return error(line, fmt::format("argument '{}': expected KIND:VALUE with "
                                   "KIND ptr, memref, i64 or i32",
                                   text));
  std::string kind = text.substr(0, colon), value = text.substr(colon + 1);
  if (kind == "ptr" || kind == "memref") {
    arg.kind = kind == "ptr" ? ArgKind::Ptr : ArgKind::Memref;
    std::optional<TensorRef> ref = entry.find(value);
    if (!ref)
      return error(line, fmt::format("argument '{}': entry '{}' has no "
                                     "input, output or buffer named '{}' "
                                     "(declare it before the launch)",
                                     text, entry.name, value));
    arg.tensor = *ref;
    return Status::success();
  }
  if (kind == "i64" || kind == "i32") {
    arg.kind = kind == "i64" ? ArgKind::I64 : ArgKind::I32;
    return parseExpr(value, fmt::format("argument '{}'", text), arg.value);
  }
  return error(line, fmt::format("argument '{}': unknown kind '{}'; expected "
                                 "ptr, memref, i64 or i32",
                                 text, kind));
}

Status Parser::launchDirective(const std::vector<std::string> &f) {
  if (f.size() < 10 || f[2] != "grid" || f[6] != "block" ||
      (f.size() > 10 && f[10] != "args"))
    return error(line, "'launch' expects KERNEL grid X Y Z block X Y Z "
                       "[args ARG...]");
  auto kernel = kernelIndex.find(f[1]);
  if (kernel == kernelIndex.end())
    return error(line, fmt::format("launch: unknown kernel '{}'", f[1]));
  LaunchDecl launch;
  launch.kernel = kernel->second;
  launch.line = line;
  static const char *axes[] = {"x", "y", "z"};
  for (int i = 0; i < 3; ++i) {
    SMC_REF_RETURN_IF_ERROR(
        parseExpr(f[3 + i], fmt::format("launch {}: grid {}", f[1], axes[i]),
                  launch.grid[i]));
    SMC_REF_RETURN_IF_ERROR(
        parseExpr(f[7 + i], fmt::format("launch {}: block {}", f[1], axes[i]),
                  launch.block[i]));
  }
  for (size_t i = 11; i < f.size(); ++i) {
    LaunchArg arg;
    SMC_REF_RETURN_IF_ERROR(launchArg(f[i], arg));
    launch.args.push_back(arg);
  }
  entry.launches.push_back(launch);
  return Status::success();
}

Status Parser::referenceDirective(const std::vector<std::string> &f) {
  if (entry.reference)
    return error(line, fmt::format("entry '{}' already has a reference (line "
                                   "{})",
                                   entry.name, entry.referenceLine));
  RefDirective directive;
  std::vector<std::string> fields(f.begin() + 1, f.end());
  if (Status st = parseRefDirective(fields, directive); !st.ok())
    return error(line, st.message());
  entry.reference = std::move(directive);
  entry.referenceLine = line;
  return Status::success();
}

Status Parser::checkSymbolsBound(const EntryDecl &e) const {
  bool canBindB = e.batchSource.input >= 0;
  bool canBindT = e.lengthSource.input >= 0;
  bool canBindS = e.offsetsInput >= 0 || canBindB;
  auto check = [&](const Expr &expr, int at, const std::string &what) {
    for (Symbol s : {Symbol::Batch, Symbol::Length, Symbol::Sequences}) {
      bool bound = s == Symbol::Batch    ? canBindB
                   : s == Symbol::Length ? canBindT
                                         : canBindS;
      if (expr.uses(s) && !bound)
        return error(
            at,
            fmt::format("{} uses '{}', but entry '{}' cannot bind it: b and "
                        "T come from the first input dim that is exactly 'b' "
                        "or 'T', S from an offsets input (else S = b)",
                        what, symbolName(s), e.name));
    }
    return Status::success();
  };
  for (const auto *list : {&e.inputs, &e.outputs, &e.buffers})
    for (const TensorDecl &t : *list)
      for (const Expr &dim : t.dims)
        SMC_REF_RETURN_IF_ERROR(
            check(dim, t.line,
                  fmt::format("{} '{}'", tensorRoleName(t.role), t.name)));
  for (const LaunchDecl &l : e.launches) {
    for (int i = 0; i < 3; ++i) {
      SMC_REF_RETURN_IF_ERROR(check(l.grid[i], l.line, "launch grid"));
      SMC_REF_RETURN_IF_ERROR(check(l.block[i], l.line, "launch block"));
    }
    for (const LaunchArg &a : l.args)
      if (a.kind == ArgKind::I64 || a.kind == ArgKind::I32)
        SMC_REF_RETURN_IF_ERROR(
            check(a.value, l.line, fmt::format("argument '{}'", a.text)));
    const KernelDecl &k = artifact.kernels[l.kernel];
    SMC_REF_RETURN_IF_ERROR(
        check(k.sharedBytes, l.line,
              fmt::format("the shared size of kernel '{}' (line {})", k.name,
                          k.line)));
  }
  return Status::success();
}

Status Parser::endEntry() {
  if (entry.outputs.empty())
    return error(line, fmt::format("entry '{}' (line {}) has no outputs",
                                   entry.name, entry.line));
  if (entry.launches.empty())
    return error(line, fmt::format("entry '{}' (line {}) has no launches",
                                   entry.name, entry.line));
  if (entry.reference) {
    const RefDirective &r = *entry.reference;
    for (const auto &[key, name] : r.referencedInputs()) {
      std::optional<TensorRef> t = entry.find(name);
      if (!t || t->role != TensorRole::Input)
        return error(entry.referenceLine,
                     fmt::format("reference: {}={} names no input of entry "
                                 "'{}'",
                                 key, key == "mask" ? r.mask->toString() : name,
                                 entry.name));
    }
    // A backward's y= and final= name the forward's outputs, which it
    // reads as inputs next to their gradients d_OUT.
    bool grad = !r.gradOf.empty();
    for (const auto &[key, name] : r.outputs) {
      for (const std::string &n :
           grad ? std::vector<std::string>{name, "d_" + name}
                : std::vector<std::string>{name}) {
        std::optional<TensorRef> t = entry.find(n);
        if (!t || t->role != (grad ? TensorRole::Input : TensorRole::Output))
          return error(entry.referenceLine,
                       fmt::format("reference: {}={} needs {} '{}' in entry "
                                   "'{}'",
                                   key, name, grad ? "an input" : "an output",
                                   n, entry.name));
      }
    }
    if (grad && r.gradOf == entry.name)
      return error(entry.referenceLine,
                   fmt::format("reference: grad={} names the entry itself",
                               r.gradOf));
  }
  SMC_REF_RETURN_IF_ERROR(checkSymbolsBound(entry));
  artifact.entries.push_back(std::move(entry));
  entry = EntryDecl();
  inEntry = false;
  return Status::success();
}

} // namespace

Status rt::parseTarget(const std::string &target, int &major, int &minor,
                       char &suffix) {
  auto fail = [&] {
    return Status::error(fmt::format("invalid target '{}'; expected sm_XY "
                                     "with an optional 'a' or 'f' suffix, "
                                     "e.g. sm_90a",
                                     target));
  };
  if (target.size() < 5 || target.compare(0, 3, "sm_") != 0)
    return fail();
  std::string digits = target.substr(3);
  suffix = '\0';
  if (digits.back() == 'a' || digits.back() == 'f') {
    suffix = digits.back();
    digits.pop_back();
  }
  if (digits.size() < 2 || digits.size() > 3)
    return fail();
  for (char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return fail();
  int value = std::stoi(digits);
  major = value / 10;
  minor = value % 10;
  return Status::success();
}

Status rt::checkTargetCompatible(const std::string &target, ModuleFormat format,
                                 int major, int minor) {
  if (target.empty())
    return Status::success();
  int tMajor, tMinor;
  char suffix;
  SMC_REF_RETURN_IF_ERROR(parseTarget(target, tMajor, tMinor, suffix));
  bool ok;
  if (suffix == 'a')
    ok = major == tMajor && minor == tMinor;
  else if (suffix == 'f' || format == ModuleFormat::Cubin)
    ok = major == tMajor && minor >= tMinor;
  else
    ok = major * 10 + minor >= tMajor * 10 + tMinor;
  if (ok)
    return Status::success();
  return Status::error(fmt::format(
      "the artifact targets {} ({}), which cannot run on a device of compute "
      "capability {}.{} (sm_{}{})",
      target, moduleFormatName(format), major, minor, major, minor));
}

Status rt::parseArtifact(const uint8_t *bytes, size_t size,
                         const std::string &path, Artifact &out) {
  Artifact artifact;
  artifact.path = path;
  Parser parser(path, artifact);
  size_t dataStart = 0;
  SMC_REF_RETURN_IF_ERROR(parser.parseHeader(bytes, size, dataStart));
  if (artifact.entries.empty())
    return Status::error(
        fmt::format("{}: the artifact declares no entry", path));
  for (const EntryDecl &e : artifact.entries)
    if (e.reference && !e.reference->gradOf.empty() &&
        std::none_of(artifact.entries.begin(), artifact.entries.end(),
                     [&](const EntryDecl &f) {
                       return f.name == e.reference->gradOf;
                     }))
      return Status::error(fmt::format(
          "{}:{}: reference: grad={} names no entry of the artifact", path,
          e.referenceLine, e.reference->gradOf));
  uint64_t total = 0;
  for (ModuleDecl &module : artifact.modules) {
    module.offset = total;
    total += module.size;
  }
  uint64_t available = size - dataStart;
  if (total != available) {
    std::string sizes;
    for (const ModuleDecl &m : artifact.modules)
      sizes +=
          fmt::format("{}{} {}", sizes.empty() ? "" : ", ", m.name, m.size);
    return Status::error(fmt::format(
        "{}: the modules' sizes add up to {} bytes ({}), but the data "
        "section holds {} bytes",
        path, total, sizes.empty() ? "no modules" : sizes, available));
  }
  artifact.data.assign(bytes + dataStart, bytes + size);
  out = std::move(artifact);
  return Status::success();
}

Status rt::readArtifact(const std::string &path, Artifact &out) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return Status::error(
        fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                             std::istreambuf_iterator<char>());
  if (file.bad())
    return Status::error(fmt::format("{}: read error", path));
  return parseArtifact(bytes.data(), bytes.size(), path, out);
}
