//===- ArtifactTest.cpp - parsing and validating artifacts ----------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/Artifact.h"
#include "runtime/LaunchArgs.h"

#include "runtime/unittests/TestArtifacts.h"

#include <gtest/gtest.h>

using namespace smc;
using namespace smc::rt;
using namespace smc::rt::test;

namespace {

TEST(Artifact, ParsesValidArtifact) {
  Artifact a;
  Status st = parseText(kValidArtifact, a);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(a.path, "t.smca");
  EXPECT_EQ(a.target, "sm_90a");

  ASSERT_EQ(a.modules.size(), 2u);
  EXPECT_EQ(a.modules[0].name, "m0");
  EXPECT_EQ(a.modules[0].format, ModuleFormat::Cubin);
  EXPECT_EQ(a.modules[0].size, 5u);
  EXPECT_EQ(a.modules[0].line, 5);
  EXPECT_EQ(a.modules[1].format, ModuleFormat::Ptx);
  EXPECT_EQ(a.modules[1].offset, 5u);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(a.moduleBytes(0)), 5),
            "CUBIN");
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(a.moduleBytes(1)), 4),
            "ptx\n");

  ASSERT_EQ(a.kernels.size(), 2u);
  EXPECT_EQ(a.kernels[0].symbol, "chunk_state");
  EXPECT_EQ(a.kernels[0].module, 0u);
  EXPECT_EQ(a.kernels[0].sharedBytes.constantValue(), 65536);
  EXPECT_EQ(a.kernels[1].module, 1u);
  EXPECT_EQ(a.kernels[1].sharedBytes.text(), "T*4");

  ASSERT_EQ(a.entries.size(), 2u);
  const EntryDecl &e = a.entries[0];
  EXPECT_EQ(e.name, "mamba2");
  EXPECT_EQ(e.line, 9);
  ASSERT_EQ(e.inputs.size(), 6u);
  EXPECT_EQ(e.inputs[0].dtype, ref::DType::BF16);
  EXPECT_EQ(e.inputs[1].kind, ref::InputKind::DtRaw);
  EXPECT_EQ(e.inputs[2].kind, ref::InputKind::ALog);
  EXPECT_EQ(dimsToString(e.inputs[0].dims), "[b,T,4,8]");
  EXPECT_EQ(e.batchSource.input, 0);
  EXPECT_EQ(e.batchSource.dim, 0);
  EXPECT_EQ(e.lengthSource.input, 0);
  EXPECT_EQ(e.lengthSource.dim, 1);
  EXPECT_EQ(e.offsetsInput, 5);
  ASSERT_EQ(e.outputs.size(), 2u);
  EXPECT_EQ(dimsToString(e.outputs[1].dims), "[S,4,8,16]");
  ASSERT_EQ(e.buffers.size(), 1u);
  EXPECT_EQ(e.buffers[0].role, TensorRole::Buffer);

  ASSERT_EQ(e.launches.size(), 2u);
  const LaunchDecl &l0 = e.launches[0];
  EXPECT_EQ(l0.kernel, 0u);
  EXPECT_EQ(l0.line, 19);
  EXPECT_EQ(l0.grid[0].text(), "S*4");
  ASSERT_EQ(l0.args.size(), 5u);
  EXPECT_EQ(l0.args[0].kind, ArgKind::Memref);
  EXPECT_EQ(l0.args[0].tensor.role, TensorRole::Input);
  EXPECT_EQ(l0.args[2].tensor.role, TensorRole::Buffer);
  EXPECT_EQ(l0.args[3].kind, ArgKind::I64);
  EXPECT_EQ(l0.args[4].kind, ArgKind::I32);
  EXPECT_EQ(l0.args[4].text, "i32:S");
  // memref:x is 3 + 2*4 params; then ptr, ptr, i64, i32.
  std::vector<size_t> sizes(11, 8);
  sizes.insert(sizes.end(), {8, 8, 8, 4});
  EXPECT_EQ(launchParamSizes(e, l0), sizes);
  EXPECT_EQ(e.launches[1].args[2].tensor.role, TensorRole::Output);

  ASSERT_TRUE(e.reference);
  EXPECT_EQ(e.reference->model, RefModel::Ssd);
  EXPECT_TRUE(e.reference->softplus);
  EXPECT_EQ(e.reference->input("seqs"), "cu_seqlens");
  EXPECT_EQ(e.reference->output("final"), "final_state");
  EXPECT_EQ(e.referenceLine, 21);
  EXPECT_TRUE(e.uses(Symbol::Sequences));

  const EntryDecl &second = a.entries[1];
  EXPECT_FALSE(second.reference);
  EXPECT_EQ(second.offsetsInput, -1);
  EXPECT_FALSE(second.uses(Symbol::Sequences));

  const EntryDecl *picked = nullptr;
  ASSERT_TRUE(a.selectEntry("second", picked).ok());
  EXPECT_EQ(picked, &a.entries[1]);
  st = a.selectEntry("", picked);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "t.smca: the artifact has 2 entries (mamba2, second); name one");
  st = a.selectEntry("nope", picked);
  EXPECT_EQ(st.message(),
            "t.smca: no entry named 'nope'; entries: mamba2, second");
}

TEST(Artifact, BaseArtifactParses) {
  Artifact a;
  Status st = parseText(kBaseArtifact, a);
  ASSERT_TRUE(st.ok()) << st.message();
  const EntryDecl *e = nullptr;
  ASSERT_TRUE(a.selectEntry("", e).ok());
  EXPECT_EQ(e->name, "e");
  EXPECT_TRUE(a.target.empty());
  EXPECT_TRUE(a.data.empty());
}

TEST(Artifact, CrLfAndDataWithoutTrailingNewline) {
  std::string text = "smc-artifact 1\r\nmodule m0 ptx 3\r\nkernel k0 m0 f\r\n"
                     "entry e\r\noutput y f32 4\r\n"
                     "launch k0 grid 1 1 1 block 1 1 1 args ptr:y\r\nend\r\n"
                     "data\nabc";
  Artifact a;
  Status st = parseText(text, a);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(a.data.size(), 3u);
  EXPECT_TRUE(a.entries[0].inputs.empty());
}

TEST(Artifact, DirectiveErrors) {
  EXPECT_EQ(parseError(replaceLine(3, "kernal k0 m0 f")),
            "t.smca:3: unknown directive 'kernal'; expected target, module, "
            "kernel, entry, input, output, buffer, launch, reference, end or "
            "data");
  EXPECT_EQ(parseError(insertLine(2, "input z f32 normal 4")),
            "t.smca:2: 'input' outside an entry (open one with 'entry NAME')");
  EXPECT_EQ(parseError(insertLine(5, "module m1 ptx 0")),
            "t.smca:5: 'module' inside entry 'e' (line 4); close it with "
            "'end' first");
  EXPECT_EQ(parseError(insertLine(2, "smc-artifact 1")),
            "t.smca:2: 'smc-artifact' given twice");
  EXPECT_EQ(parseError(insertLine(2, "target sm_9")),
            "t.smca:2: invalid target 'sm_9'; expected sm_XY with an "
            "optional 'a' or 'f' suffix, e.g. sm_90a");
  EXPECT_EQ(parseError(insertLine(5, "bogus")),
            "t.smca:5: unknown directive 'bogus'; expected target, module, "
            "kernel, entry, input, output, buffer, launch, reference, end or "
            "data");
}

TEST(Artifact, FieldCountErrors) {
  EXPECT_EQ(parseError(replaceLine(2, "module m0 ptx")),
            "t.smca:2: 'module' expects NAME FORMAT SIZE (3 fields), got 2");
  EXPECT_EQ(parseError(replaceLine(3, "kernel k0 m0")),
            "t.smca:3: 'kernel' expects NAME MODULE SYMBOL [shared BYTES] (3 "
            "or 5 fields), got 2");
  EXPECT_EQ(parseError(replaceLine(4, "entry")),
            "t.smca:4: 'entry' expects NAME (1 field), got 0");
  EXPECT_EQ(parseError(replaceLine(5, "input x f32")),
            "t.smca:5: 'input' expects NAME DTYPE KIND DIMS... (at least 3 "
            "fields), got 2");
  EXPECT_EQ(parseError(replaceLine(8, "end now")),
            "t.smca:8: 'end' expects nothing (0 fields), got 1");
  EXPECT_EQ(parseError(replaceLine(7, "launch k0 grid b 1 1 block 32 1")),
            "t.smca:7: 'launch' expects KERNEL grid X Y Z block X Y Z [args "
            "ARG...]");
  EXPECT_EQ(parseError(replaceLine(7, "launch k0 grid b 1 1 block 32 1 1 "
                                      "ptr:x")),
            "t.smca:7: 'launch' expects KERNEL grid X Y Z block X Y Z [args "
            "ARG...]");
  EXPECT_EQ(parseError(replaceLine(3, "kernel k0 m0 f dynamic 0")),
            "t.smca:3: kernel 'k0': expected 'shared' after the symbol, got "
            "'dynamic'");
}

TEST(Artifact, UnknownNames) {
  EXPECT_EQ(parseError(replaceLine(5, "input x f8 normal b T 4")),
            "t.smca:5: input 'x': unknown dtype 'f8'; expected f32, f16, "
            "bf16, f64, i32 or i64");
  EXPECT_EQ(parseError(replaceLine(6, "output y float b T 4")),
            "t.smca:6: output 'y': unknown dtype 'float'; expected f32, f16, "
            "bf16, f64, i32 or i64");
  EXPECT_EQ(parseError(replaceLine(5, "input x f32 gaussian b T 4")),
            "t.smca:5: input 'x': unknown input kind 'gaussian'; expected "
            "normal, dt_raw, dt_positive, dt_bias, dt_bias_raw, a_log, "
            "log_decay, unit or offsets");
  EXPECT_EQ(parseError(replaceLine(2, "module m0 fatbin 0")),
            "t.smca:2: unknown module format 'fatbin'; expected cubin or ptx");
  EXPECT_EQ(parseError(replaceLine(2, "module m0 ptx -3")),
            "t.smca:2: module 'm0': size '-3' is not a byte count");
  EXPECT_EQ(parseError(replaceLine(3, "kernel k0 m9 f")),
            "t.smca:3: kernel 'k0': unknown module 'm9'");
  // A launch naming an unknown kernel.
  EXPECT_EQ(parseError(replaceLine(7, "launch k9 grid b 1 1 block 32 1 1 "
                                      "args ptr:x ptr:y")),
            "t.smca:7: launch: unknown kernel 'k9'");
  // Arguments naming unknown tensors, or of unknown kinds.
  EXPECT_EQ(parseError(replaceLine(7, "launch k0 grid b 1 1 block 32 1 1 "
                                      "args ptr:x memref:tmp")),
            "t.smca:7: argument 'memref:tmp': entry 'e' has no input, output "
            "or buffer named 'tmp' (declare it before the launch)");
  EXPECT_EQ(parseError(replaceLine(7, "launch k0 grid b 1 1 block 32 1 1 "
                                      "args f32:x")),
            "t.smca:7: argument 'f32:x': unknown kind 'f32'; expected ptr, "
            "memref, i64 or i32");
  EXPECT_EQ(parseError(replaceLine(7, "launch k0 grid b 1 1 block 32 1 1 "
                                      "args x")),
            "t.smca:7: argument 'x': expected KIND:VALUE with KIND ptr, "
            "memref, i64 or i32");
  EXPECT_EQ(parseError(replaceLine(7, "launch k0 grid b 1 1 block 32 1 1 "
                                      "args i64:T%2")),
            "t.smca:7: argument 'i64:T%2': invalid expression 'T%2': "
            "unexpected '%' at position 2 (operators are +, -, * and /)");
  EXPECT_EQ(parseError(replaceLine(5, "input x f32 normal b T 4x")),
            "t.smca:5: input 'x': dim 2: invalid expression '4x': unexpected "
            "'x' at position 2 (operators are +, -, * and /)");
  EXPECT_EQ(parseError(replaceLine(7, "launch k0 grid b 1 q block 32 1 1")),
            "t.smca:7: launch k0: grid z: invalid expression 'q': unexpected "
            "'q' at position 1 (terms are integers, b, T, S, min(x,y), "
            "max(x,y) or a parenthesized expression)");
  EXPECT_EQ(parseError(replaceLine(5, "input 9x f32 normal b T 4")),
            "t.smca:5: invalid input name '9x' (letters, digits, '_', '.', "
            "'$'; not starting with a digit)");
}

TEST(Artifact, DuplicateNames) {
  EXPECT_EQ(parseError(insertLine(3, "module m0 ptx 0")),
            "t.smca:3: duplicate module 'm0'");
  EXPECT_EQ(parseError(insertLine(4, "kernel k0 m0 g")),
            "t.smca:4: duplicate kernel 'k0'");
  EXPECT_EQ(parseError(insertLine(6, "buffer x f32 4")),
            "t.smca:6: duplicate name 'x' in entry 'e' (an input at line 5)");
  EXPECT_EQ(parseError(insertLine(7, "input y f32 normal 4")),
            "t.smca:7: duplicate name 'y' in entry 'e' (an output at line 6)");
  std::string twice = kBaseArtifact;
  twice.insert(twice.find("data\n"),
               "entry e\noutput y f32 4\nlaunch k0 grid 1 1 1 block 1 1 1\n"
               "end\n");
  EXPECT_EQ(parseError(twice), "t.smca:9: duplicate entry 'e'");
}

TEST(Artifact, StructureErrors) {
  // Missing `end`: at `data`, and at the end of the file.
  EXPECT_EQ(parseError(replaceLine(8, "")),
            "t.smca:9: entry 'e' (line 4) has no 'end' before 'data'");
  std::string noEnd = "smc-artifact 1\nmodule m0 ptx 0\nentry e\n";
  EXPECT_EQ(parseError(noEnd), "t.smca:3: entry 'e' has no 'end'");
  EXPECT_EQ(parseError("smc-artifact 1\nmodule m0 ptx 0\n"),
            "t.smca: missing the 'data' line that ends the header");
  EXPECT_EQ(parseError("smc-artifact 1\nmodule m0 ptx 0\ndata\n"),
            "t.smca: the artifact declares no entry");
  EXPECT_EQ(parseError(""),
            "t.smca: not an smc artifact: expected 'smc-artifact 1' as the "
            "first directive (the file is empty)");
  EXPECT_EQ(parseError("\x7f"
                       "ELF\x02\x01\x01\n"),
            "t.smca:1: not an smc artifact: expected 'smc-artifact 1' as the "
            "first directive");
  EXPECT_EQ(parseError(replaceLine(1, "smc-artifact 2")),
            "t.smca:1: unsupported artifact version '2'; this runtime reads "
            "version 1");
  EXPECT_EQ(parseError(replaceLine(9, "data 5")),
            "t.smca:9: 'data' expects nothing (0 fields), got 1");
  // Entries without outputs or launches.
  EXPECT_EQ(parseError(replaceLine(7, "")),
            "t.smca:8: entry 'e' (line 4) has no launches");
  std::string noOutputs = replaceLine(6, "buffer y f32 b T 4");
  EXPECT_EQ(parseError(noOutputs),
            "t.smca:8: entry 'e' (line 4) has no outputs");
}

TEST(Artifact, DataSizeMismatch) {
  std::string more = std::string(kBaseArtifact) + "xyz";
  EXPECT_EQ(parseError(more),
            "t.smca: the modules' sizes add up to 0 bytes (m0 0), but the "
            "data section holds 3 bytes");
  std::string text = replaceLine(2, "module m0 cubin 10");
  text = text.substr(0, text.find("module")) + "module m1 ptx 2\n" +
         text.substr(text.find("module")) + "abc";
  EXPECT_EQ(parseError(text),
            "t.smca: the modules' sizes add up to 12 bytes (m1 2, m0 10), "
            "but the data section holds 3 bytes");
}

TEST(Artifact, SymbolBindingErrors) {
  // No input dim is `b`, so b cannot be bound.
  EXPECT_EQ(parseError(replaceLine(5, "input x f32 normal 2 T 4")),
            "t.smca:6: output 'y' uses 'b', but entry 'e' cannot bind it: b "
            "and T come from the first input dim that is exactly 'b' or 'T', "
            "S from an offsets input (else S = b)");
  // Any input dim binds: a static batch of 1 and T in second place.
  Artifact bound;
  std::string staticBatch = replaceLine(5, "input x f32 normal 1 T 4");
  staticBatch.insert(staticBatch.find("output"), "input s f32 normal 3 b\n");
  Status st = parseText(staticBatch, bound);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(bound.entries[0].lengthSource.input, 0);
  EXPECT_EQ(bound.entries[0].lengthSource.dim, 1);
  EXPECT_EQ(bound.entries[0].batchSource.input, 1);
  EXPECT_EQ(bound.entries[0].batchSource.dim, 1);
  std::string staticShapes = replaceLine(5, "input x f32 normal 2 8 4");
  staticShapes = staticShapes.replace(staticShapes.find("output y f32 b T 4"),
                                      18, "output y f32 2 8 4");
  staticShapes = staticShapes.replace(staticShapes.find("grid b"), 6, "grid S");
  EXPECT_EQ(parseError(staticShapes),
            "t.smca:7: launch grid uses 'S', but entry 'e' cannot bind it: b "
            "and T come from the first input dim that is exactly 'b' or 'T', "
            "S from an offsets input (else S = b)");
  // Offsets inputs are rank-1 integers, one per entry.
  EXPECT_EQ(parseError(insertLine(6, "input cu f32 offsets S+1")),
            "t.smca:6: input 'cu': an offsets input must be a rank-1 i32 or "
            "i64 tensor (like S+1)");
  std::string two = insertLine(6, "input cu i32 offsets S+1");
  two = two.replace(two.find("output"), 0, "input cu2 i64 offsets S+1\n");
  EXPECT_EQ(parseError(two),
            "t.smca:7: input 'cu2': a second offsets input (the first is "
            "'cu')");
  // With an offsets input S is bound even without `b T`.
  std::string packed = "smc-artifact 1\nmodule m0 ptx 0\nkernel k0 m0 f\n"
                       "entry e\ninput cu i32 offsets S+1\n"
                       "output y f32 S 4\n"
                       "launch k0 grid S 1 1 block 1 1 1 args ptr:cu ptr:y\n"
                       "end\ndata\n";
  Artifact a;
  st = parseText(packed, a);
  EXPECT_TRUE(st.ok()) << st.message();
  // A kernel's shared size counts at each launch of it.
  std::string shared = replaceLine(3, "kernel k0 m0 f shared S*4");
  shared = shared.replace(shared.find("input x f32 normal b T 4"), 24,
                          "input x f32 normal 2 8 4");
  shared = shared.replace(shared.find("b T 4"), 5, "2 8 4");
  shared = shared.replace(shared.find("grid b"), 6, "grid 1");
  EXPECT_EQ(parseError(shared),
            "t.smca:7: the shared size of kernel 'k0' (line 3) uses 'S', but "
            "entry 'e' cannot bind it: b and T come from the first input dim "
            "that is exactly 'b' or 'T', S from an offsets input (else S = "
            "b)");
}

/// A forward entry `f` and its backward `b` (reference ... grad=f).
std::string backwardArtifact(const std::string &reference) {
  return "smc-artifact 1\nmodule m0 ptx 0\nkernel k0 m0 f\n"
         "entry f\ninput x f32 normal b T 4\noutput y f32 b T 4\n"
         "launch k0 grid b 1 1 block 32 1 1 args ptr:x ptr:y\nend\n"
         "entry b\ninput x f32 normal b T 4\ninput y f32 normal b T 4\n"
         "input d_y f32 normal b T 4\noutput d_x f32 b T 4\n"
         "launch k0 grid b 1 1 block 32 1 1 args ptr:d_y ptr:d_x\n" +
         reference + "\nend\ndata\n";
}

TEST(Artifact, BackwardReference) {
  Artifact a;
  Status st = parseText(
      backwardArtifact("reference contract C=x B=x X=x mask=causal y=y "
                       "grad=f"),
      a);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(a.entries[1].reference->gradOf, "f");
  // y= names the forward's output, read here as an input with d_y.
  EXPECT_EQ(parseError(backwardArtifact(
                "reference contract C=x B=x X=x mask=causal y=o grad=f")),
            "t.smca:15: reference: y=o needs an input 'o' in entry 'b'");
  EXPECT_EQ(parseError(backwardArtifact(
                "reference contract C=x B=x X=x mask=causal y=y grad=g")),
            "t.smca:15: reference: grad=g names no entry of the artifact");
  EXPECT_EQ(parseError(backwardArtifact(
                "reference contract C=x B=x X=x mask=causal y=y grad=b")),
            "t.smca:15: reference: grad=b names the entry itself");
}

TEST(Artifact, ReferenceErrors) {
  EXPECT_EQ(parseError(insertLine(8, "reference contract C=x B=x X=x "
                                     "mask=causal y=nope")),
            "t.smca:8: reference: y=nope needs an output 'nope' in entry 'e'");
  EXPECT_EQ(parseError(insertLine(8, "reference contract C=x B=x X=y "
                                     "mask=causal y=y")),
            "t.smca:8: reference: X=y names no input of entry 'e'");
  EXPECT_EQ(parseError(insertLine(8, "reference contract C=x B=x X=x "
                                     "mask=mul(causal,decay(a)) y=y")),
            "t.smca:8: reference: mask=mul(causal,decay(a)) names no input "
            "of entry 'e'");
  EXPECT_EQ(parseError(insertLine(8, "reference contract C=x B=x X=x y=y")),
            "t.smca:8: reference contract: missing the mask= field");
  EXPECT_EQ(parseError(insertLine(8, "reference ssd x=x")),
            "t.smca:8: reference ssd: missing the A= field");
  EXPECT_EQ(parseError(insertLine(8, "reference lstm x=x")),
            "t.smca:8: reference: unknown model 'lstm'; expected ssd or "
            "contract");
  std::string twice = insertLine(8, "reference contract C=x B=x X=x "
                                    "mask=causal y=y");
  twice = twice.replace(twice.find("end\n"), 0,
                        "reference contract C=x B=x X=x mask=causal y=y\n");
  EXPECT_EQ(parseError(twice),
            "t.smca:9: entry 'e' already has a reference (line 8)");
  Artifact a;
  Status st = parseText(insertLine(8, "reference contract C=x B=x X=x "
                                      "mask=mul(causal,window(3)) y=y"),
                        a);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(a.entries[0].reference->mask->toString(), "mul(causal,window(3))");
}

TEST(Artifact, ReadFileErrors) {
  Artifact a;
  Status st = readArtifact("/nonexistent/dir/a.smca", a);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "/nonexistent/dir/a.smca: cannot open: No such file or directory");
  st = readArtifact(std::string(SMC_RUNTIME_TEST_DIR) + "/ssd.smca", a);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(a.entries[0].name, "ssd");
}

TEST(Artifact, Targets) {
  int major, minor;
  char suffix;
  ASSERT_TRUE(parseTarget("sm_90a", major, minor, suffix).ok());
  EXPECT_EQ(major, 9);
  EXPECT_EQ(minor, 0);
  EXPECT_EQ(suffix, 'a');
  ASSERT_TRUE(parseTarget("sm_100f", major, minor, suffix).ok());
  EXPECT_EQ(major, 10);
  EXPECT_FALSE(parseTarget("sm90", major, minor, suffix).ok());
  EXPECT_FALSE(parseTarget("sm_9x", major, minor, suffix).ok());

  EXPECT_TRUE(checkTargetCompatible("", ModuleFormat::Cubin, 8, 0).ok());
  EXPECT_TRUE(checkTargetCompatible("sm_90a", ModuleFormat::Cubin, 9, 0).ok());
  EXPECT_TRUE(checkTargetCompatible("sm_80", ModuleFormat::Cubin, 8, 6).ok());
  EXPECT_TRUE(checkTargetCompatible("sm_80", ModuleFormat::Ptx, 9, 0).ok());
  EXPECT_FALSE(checkTargetCompatible("sm_80", ModuleFormat::Cubin, 9, 0).ok());
  EXPECT_FALSE(checkTargetCompatible("sm_90a", ModuleFormat::Ptx, 10, 0).ok());
  Status st = checkTargetCompatible("sm_90a", ModuleFormat::Cubin, 8, 9);
  EXPECT_EQ(st.message(), "the artifact targets sm_90a (cubin), which cannot "
                          "run on a device of compute capability 8.9 (sm_89)");
}

} // namespace
