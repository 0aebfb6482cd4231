//===- BindingTest.cpp - symbols and argument checks of one run -----------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/Binding.h"

#include "runtime/unittests/TestArtifacts.h"

#include <gtest/gtest.h>

using namespace smc;
using namespace smc::rt;
using namespace smc::rt::test;

namespace {

/// The mamba2 entry of kValidArtifact with b=2, T=64 and 3 sequences:
/// inputs x [b,T,4,8] bf16, dt [b,T,4] f32, A [4] f32, B and C [b,T,1,16]
/// bf16, cu_seqlens [S+1] i64; outputs y [b,T,4,8] bf16, final_state
/// [S,4,8,16] f32.
class BindingTest : public ::testing::Test {
protected:
  void SetUp() override {
    Status st = parseText(kValidArtifact, artifact);
    ASSERT_TRUE(st.ok()) << st.message();
    entry = &artifact.entries[0];
    nextPtr = 0x7f0000000000;
    using ref::DType;
    inputs = {tensor(DType::BF16, {2, 64, 4, 8}),
              tensor(DType::F32, {2, 64, 4}),
              tensor(DType::F32, {4}),
              tensor(DType::BF16, {2, 64, 1, 16}),
              tensor(DType::BF16, {2, 64, 1, 16}),
              tensor(DType::I64, {4})};
    outputs = {tensor(DType::BF16, {2, 64, 4, 8}),
               tensor(DType::F32, {3, 4, 8, 16})};
  }

  DeviceTensor tensor(ref::DType dtype, ref::Shape shape) {
    DeviceTensor t;
    t.ptr = nextPtr;
    nextPtr += 1 << 20;
    t.dtype = dtype;
    t.shape = std::move(shape);
    return t;
  }

  std::string runError() {
    SymbolValues symbols;
    Status st = validateRun(*entry, inputs, outputs, symbols);
    EXPECT_FALSE(st.ok());
    return st.message();
  }

  Artifact artifact;
  const EntryDecl *entry = nullptr;
  std::vector<DeviceTensor> inputs, outputs;
  CUdeviceptr nextPtr = 0;
};

TEST_F(BindingTest, BindsSymbols) {
  SymbolValues symbols;
  Status st = validateRun(*entry, inputs, outputs, symbols);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(symbols.b, 2);
  EXPECT_EQ(symbols.T, 64);
  EXPECT_EQ(symbols.S, 3);
  EXPECT_EQ(symbols.toString(), "b=2, T=64, S=3");
}

TEST_F(BindingTest, SWithoutOffsetsIsB) {
  const EntryDecl &second = artifact.entries[1];
  SymbolValues symbols;
  ASSERT_TRUE(bindSymbols(second, {{5, 7, 2}}, symbols).ok());
  EXPECT_EQ(symbols.b, 5);
  EXPECT_EQ(symbols.T, 7);
  EXPECT_EQ(symbols.S, 5);
}

TEST_F(BindingTest, OutputShapes) {
  std::vector<ref::Shape> shapes, out;
  for (const DeviceTensor &t : inputs)
    shapes.push_back(t.shape);
  Status st = inferOutputShapes(*entry, shapes, out);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], (ref::Shape{2, 64, 4, 8}));
  EXPECT_EQ(out[1], (ref::Shape{3, 4, 8, 16}));

  shapes[1] = {2, 65, 4};
  st = inferOutputShapes(*entry, shapes, out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "input 'dt': expected [2,64,4], got [2,65,4] (dims [b,T,4] with "
            "b=2, T=64 from input 'x', S=3 from input 'cu_seqlens')");
  shapes.pop_back();
  st = inferOutputShapes(*entry, shapes, out);
  EXPECT_EQ(st.message(), "entry 'mamba2' takes 6 inputs (x, dt, A, B, C, "
                          "cu_seqlens), got 5");
}

TEST_F(BindingTest, WrongCounts) {
  inputs.pop_back();
  EXPECT_EQ(runError(), "entry 'mamba2' takes 6 inputs (x, dt, A, B, C, "
                        "cu_seqlens), got 5");
  SetUp();
  outputs.pop_back();
  EXPECT_EQ(runError(),
            "entry 'mamba2' takes 2 outputs (y, final_state), got 1");
}

TEST_F(BindingTest, DtypeMismatch) {
  inputs[0].dtype = ref::DType::F32;
  EXPECT_EQ(runError(), "input 'x': expected bf16, got f32");
  SetUp();
  outputs[1].dtype = ref::DType::F16;
  EXPECT_EQ(runError(), "output 'final_state': expected f32, got f16");
}

TEST_F(BindingTest, ShapeMismatch) {
  inputs[1].shape = {2, 64, 5};
  EXPECT_EQ(runError(),
            "input 'dt': expected [2,64,4], got [2,64,5] (dims [b,T,4] with "
            "b=2, T=64 from input 'x', S=3 from input 'cu_seqlens')");
  SetUp();
  inputs[2].shape = {4, 1};
  EXPECT_EQ(runError(), "input 'A': expected [4], got [4,1] (rank 1, not 2) "
                        "(dims [4] with b=2, T=64 from input 'x', S=3 from "
                        "input 'cu_seqlens')");
  SetUp();
  outputs[1].shape = {2, 4, 8, 16};
  EXPECT_EQ(runError(),
            "output 'final_state': expected [3,4,8,16], got [2,4,8,16] (dims "
            "[S,4,8,16] with b=2, T=64 from input 'x', S=3 from input "
            "'cu_seqlens')");
}

TEST_F(BindingTest, SymbolsDisagreeBetweenInputs) {
  // x binds T=64; B says T=32.
  inputs[3].shape = {2, 32, 1, 16};
  EXPECT_EQ(runError(),
            "input 'B': expected [2,64,1,16], got [2,32,1,16] (dims "
            "[b,T,1,16] with b=2, T=64 from input 'x', S=3 from input "
            "'cu_seqlens')");
  SetUp();
  inputs[0].shape = {2, 64};
  EXPECT_EQ(runError(),
            "input 'x': expected rank 4 ([b,T,4,8]), got rank 2 ([2,64])");
  SetUp();
  inputs[5].shape = {0};
  EXPECT_EQ(runError(), "input 'cu_seqlens': offsets must be a rank-1 tensor "
                        "of S+1 >= 1 elements, got [0]");
}

TEST_F(BindingTest, Strides) {
  inputs[0].strides = {2048, 32, 8, 1};
  SymbolValues symbols;
  EXPECT_TRUE(validateRun(*entry, inputs, outputs, symbols).ok());
  inputs[0].strides = {2048, 32, 1, 4};
  EXPECT_EQ(runError(), "input 'x': strides [2048,32,1,4] are not contiguous "
                        "row-major; expected [2048,32,8,1]");
  inputs[0].strides = {1, 2};
  EXPECT_EQ(runError(), "input 'x': 2 strides for rank 4");
  SetUp();
  // Strides of size-1 dims do not matter.
  inputs[3].strides = {1024, 16, 999, 1};
  EXPECT_TRUE(validateRun(*entry, inputs, outputs, symbols).ok());
  outputs[0].strides = {2048, 1, 256, 32};
  EXPECT_EQ(runError(), "output 'y': strides [2048,1,256,32] are not "
                        "contiguous row-major; expected [2048,32,8,1]");
}

TEST_F(BindingTest, Pointers) {
  inputs[2].ptr = 0;
  EXPECT_EQ(runError(), "input 'A': null data pointer");
  SetUp();
  inputs[0].ptr += 1;
  EXPECT_EQ(runError(), "input 'x': data pointer 0x7f0000000001 is not "
                        "16-byte aligned (the kernels use 16-byte vector "
                        "accesses)");
  // Element-aligned is not enough: rows are moved 16 bytes at a time.
  SetUp();
  inputs[0].ptr += 8;
  EXPECT_EQ(runError(), "input 'x': data pointer 0x7f0000000008 is not "
                        "16-byte aligned (the kernels use 16-byte vector "
                        "accesses)");
}

TEST(Binding, ContiguousStrides) {
  EXPECT_EQ(contiguousStrides({2, 3, 4}), (std::vector<int64_t>{12, 4, 1}));
  EXPECT_EQ(contiguousStrides({}), (std::vector<int64_t>{}));
  EXPECT_EQ(contiguousStrides({5}), (std::vector<int64_t>{1}));
}

} // namespace
