//===- TestArtifacts.h - artifacts shared by the runtime tests --*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_RUNTIME_UNITTESTS_TESTARTIFACTS_H
#define SMC_RUNTIME_UNITTESTS_TESTARTIFACTS_H

#include "runtime/Artifact.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace smc::rt::test {

/// A valid artifact: two modules, two kernels (one with a dynamic shared
/// size), an SSD entry with packed sequences and a second entry. The data
/// section is "CUBIN" (m0) then "ptx\n" (m1).
inline const char *kValidArtifact = R"(smc-artifact 1
# a comment line
target sm_90a

module m0 cubin 5          # trailing comment
module m1 ptx 4
kernel k0 m0 chunk_state shared 65536
kernel k1 m1 chunk_scan shared T*4
entry mamba2
input x bf16 normal b T 4 8
input dt f32 dt_raw b T 4
input A f32 a_log 4
input B bf16 normal b T 1 16
input C bf16 normal b T 1 16
input cu_seqlens i64 offsets S+1
output y bf16 b T 4 8
output final_state f32 S 4 8 16
buffer states f32 b T 4 8 16
launch k0 grid S*4 1 1 block 128 1 1 args memref:x ptr:dt ptr:states i64:T i32:S
launch k1 grid b*T 4 1 block 64 1 1 args memref:states memref:y ptr:final_state
reference ssd x=x dt=dt A=A B=B C=C softplus=1 seqs=cu_seqlens y=y final=final_state
end
entry second
input q f32 unit b T 2
output o f32 b T 2
launch k1 grid 1 1 1 block 32 1 1 args ptr:q ptr:o
end
data
CUBINptx
)";

/// A small valid artifact; tests replace or insert lines to break it.
/// Lines: 1 smc-artifact, 2 module, 3 kernel, 4 entry, 5 input, 6 output,
/// 7 launch, 8 end, 9 data.
inline const char *kBaseArtifact = R"(smc-artifact 1
module m0 ptx 0
kernel k0 m0 f
entry e
input x f32 normal b T 4
output y f32 b T 4
launch k0 grid b 1 1 block 32 1 1 args ptr:x ptr:y
end
data
)";

inline std::vector<std::string> splitLines(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

inline std::string joinLines(const std::vector<std::string> &lines) {
  std::string text;
  for (const std::string &line : lines)
    text += line + "\n";
  return text;
}

/// kBaseArtifact with line `lineNo` (1-based) replaced by `text`.
inline std::string replaceLine(int lineNo, const std::string &text) {
  std::vector<std::string> lines = splitLines(kBaseArtifact);
  lines[size_t(lineNo - 1)] = text;
  return joinLines(lines);
}

/// kBaseArtifact with `text` inserted before line `lineNo`, so it becomes
/// line `lineNo`.
inline std::string insertLine(int lineNo, const std::string &text) {
  std::vector<std::string> lines = splitLines(kBaseArtifact);
  lines.insert(lines.begin() + (lineNo - 1), text);
  return joinLines(lines);
}

inline Status parseText(const std::string &text, Artifact &artifact) {
  return parseArtifact(reinterpret_cast<const uint8_t *>(text.data()),
                       text.size(), "t.smca", artifact);
}

/// Parses `text`, which must fail, and returns the message.
inline std::string parseError(const std::string &text) {
  Artifact artifact;
  Status st = parseText(text, artifact);
  EXPECT_FALSE(st.ok()) << "parsed unexpectedly:\n" << text;
  return st.message();
}

} // namespace smc::rt::test

#endif // SMC_RUNTIME_UNITTESTS_TESTARTIFACTS_H
