//===- LaunchArgsTest.cpp - kernel parameters and launch sizes ------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/LaunchArgs.h"

#include "runtime/unittests/TestArtifacts.h"

#include <gtest/gtest.h>

using namespace smc;
using namespace smc::rt;
using namespace smc::rt::test;

namespace {

class LaunchArgsTest : public ::testing::Test {
protected:
  void SetUp() override {
    Status st = parseText(kValidArtifact, artifact);
    ASSERT_TRUE(st.ok()) << st.message();
    entry = &artifact.entries[0];
    symbols.b = 2;
    symbols.T = 64;
    symbols.S = 3;
    bound.inputs = {0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0x6000};
    bound.inputShapes = {{2, 64, 4, 8},  {2, 64, 4},     {4},
                         {2, 64, 1, 16}, {2, 64, 1, 16}, {4}};
    bound.outputs = {0x7000, 0x8000};
    bound.outputShapes = {{2, 64, 4, 8}, {3, 4, 8, 16}};
    bound.buffers = {0x9000};
    bound.bufferShapes = {{2, 64, 4, 8, 16}};
  }

  Artifact artifact;
  const EntryDecl *entry = nullptr;
  SymbolValues symbols;
  BoundTensors bound;
};

TEST_F(LaunchArgsTest, MemrefPtrAndScalars) {
  std::vector<KernelParam> params;
  Status st = buildLaunchParams(artifact, *entry, 0, symbols, bound, params);
  ASSERT_TRUE(st.ok()) << st.message();
  // memref:x = ptr, ptr, 0, 4 dims, 4 strides; ptr:dt; ptr:states; i64:T;
  // i32:S.
  std::vector<int64_t> values = {0x1000, 0x1000, 0, 2,      64,     4,  8, 2048,
                                 32,     8,      1, 0x2000, 0x9000, 64, 3};
  ASSERT_EQ(params.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i)
    EXPECT_EQ(params[i].value, values[i]) << "param " << i;
  EXPECT_EQ(params[0].kind, KernelParam::Kind::Pointer);
  EXPECT_EQ(params[2].kind, KernelParam::Kind::I64);
  EXPECT_EQ(params[13].kind, KernelParam::Kind::I64);
  EXPECT_EQ(params[14].kind, KernelParam::Kind::I32);
  EXPECT_EQ(params[14].size(), 4u);
  std::vector<size_t> sizes;
  for (const KernelParam &p : params)
    sizes.push_back(p.size());
  EXPECT_EQ(sizes, launchParamSizes(*entry, entry->launches[0]));
}

TEST_F(LaunchArgsTest, MemrefOfRank5Buffer) {
  std::vector<KernelParam> params;
  ASSERT_TRUE(
      buildLaunchParams(artifact, *entry, 1, symbols, bound, params).ok());
  // memref:states (rank 5: 13 params), memref:y (rank 4: 11), ptr.
  ASSERT_EQ(params.size(), 13u + 11u + 1u);
  EXPECT_EQ(params[0].value, 0x9000);
  EXPECT_EQ(params[12].value, 1);              // Innermost stride.
  EXPECT_EQ(params[8].value, 64 * 4 * 8 * 16); // Outermost stride.
  EXPECT_EQ(params[13].value, 0x7000);
  EXPECT_EQ(params[24].value, 0x8000);
}

TEST_F(LaunchArgsTest, LaunchConfig) {
  LaunchConfig config;
  Status st = evaluateLaunchConfig(artifact, *entry, 0, symbols, config);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(config.grid, (std::array<unsigned, 3>{12, 1, 1}));
  EXPECT_EQ(config.block, (std::array<unsigned, 3>{128, 1, 1}));
  EXPECT_EQ(config.sharedBytes, 65536u);
  EXPECT_FALSE(config.empty());
  ASSERT_TRUE(evaluateLaunchConfig(artifact, *entry, 1, symbols, config).ok());
  EXPECT_EQ(config.grid, (std::array<unsigned, 3>{128, 4, 1}));
  EXPECT_EQ(config.sharedBytes, 256u); // T*4.
}

TEST_F(LaunchArgsTest, GridErrors) {
  LaunchConfig config;
  symbols.S = 0; // No chunks: a launch with no work, skipped.
  Status st = evaluateLaunchConfig(artifact, *entry, 0, symbols, config);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_TRUE(config.empty());
  symbols.S = -1;
  st = evaluateLaunchConfig(artifact, *entry, 0, symbols, config);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "entry 'mamba2', launch 0 (line 19, kernel 'k0', symbol "
            "'chunk_state'): grid [-4,1,1] (S*4 1 1 with b=2, T=64, S=-1) has "
            "a negative dim");
  symbols.S = 3;
  symbols.T = 70000;
  symbols.b = 1;
  st = evaluateLaunchConfig(artifact, *entry, 1, symbols, config);
  ASSERT_TRUE(st.ok()) << st.message(); // Grid x may be large.
  std::vector<KernelParam> params;
  symbols.S = int64_t(1) << 33;
  st = buildLaunchParams(artifact, *entry, 0, symbols, bound, params);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "entry 'mamba2', launch 0 (line 19, kernel 'k0', symbol "
            "'chunk_state'): argument 'i32:S' = 8589934592 does not fit in "
            "i32 (b=1, T=70000, S=8589934592)");
}

TEST_F(LaunchArgsTest, BlockLimits) {
  Artifact a;
  std::string text = replaceLine(7, "launch k0 grid b 1 1 block 64 32 1 args "
                                    "ptr:x ptr:y");
  ASSERT_TRUE(parseText(text, a).ok());
  LaunchConfig config;
  Status st = evaluateLaunchConfig(a, a.entries[0], 0, symbols, config);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "entry 'e', launch 0 (line 7, kernel 'k0', symbol 'f'): block "
            "[64,32,1] (64 32 1 with b=2, T=64, S=3) has more than 1024 "
            "threads");
}

} // namespace
