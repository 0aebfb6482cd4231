//===- RefDirectiveTest.cpp - the `reference` directive -------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/RefDirective.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace smc::rt;

namespace {

std::string maskError(const std::string &text) {
  MaskExpr mask;
  Status st = parseMaskExpr(text, mask);
  EXPECT_FALSE(st.ok()) << text;
  return st.message();
}

std::string directiveError(const std::vector<std::string> &fields) {
  RefDirective d;
  Status st = parseRefDirective(fields, d);
  EXPECT_FALSE(st.ok());
  return st.message();
}

TEST(RefDirective, Masks) {
  MaskExpr m;
  ASSERT_TRUE(parseMaskExpr("causal", m).ok());
  EXPECT_EQ(m.kind, MaskExpr::Kind::Causal);
  ASSERT_TRUE(parseMaskExpr("fixed(0.5,0.25,1e-1)", m).ok());
  EXPECT_EQ(m.kind, MaskExpr::Kind::Fixed);
  EXPECT_EQ(m.gammas, (std::vector<double>{0.5, 0.25, 0.1}));
  ASSERT_TRUE(
      parseMaskExpr("mul(decay(a),mul(window(16),fixed(0.9)))", m).ok());
  EXPECT_EQ(m.kind, MaskExpr::Kind::Mul);
  EXPECT_EQ(m.operands[0].input, "a");
  EXPECT_EQ(m.operands[1].operands[0].width, 16);
  EXPECT_EQ(m.toString(), "mul(decay(a),mul(window(16),fixed(0.9)))");
  std::vector<std::string> inputs;
  m.collectInputs(inputs);
  EXPECT_EQ(inputs, (std::vector<std::string>{"a"}));
}

TEST(RefDirective, MaskErrors) {
  EXPECT_EQ(maskError("custom"),
            "mask 'custom': custom masks are not supported by the runner's "
            "reference (only causal, fixed, decay, window and mul)");
  EXPECT_EQ(maskError("alibi(2)"),
            "mask 'alibi(2)': unknown mask 'alibi'; expected causal, "
            "fixed(g,...), decay(INPUT), window(W) or mul(M,M)");
  EXPECT_EQ(maskError("mul(causal)"),
            "mask 'mul(causal)': expected ',' at position 11");
  EXPECT_EQ(maskError("window(0)"),
            "mask 'window(0)': window: '0' is not a width >= 1");
  EXPECT_EQ(maskError("fixed(0.5,x)"),
            "mask 'fixed(0.5,x)': fixed: 'x' is not a number");
  EXPECT_EQ(maskError("decay()"),
            "mask 'decay()': decay: expected an input name");
  EXPECT_EQ(maskError("causal)"),
            "mask 'causal)': unexpected ')' after the mask");
  EXPECT_EQ(maskError("fixed(0.5"),
            "mask 'fixed(0.5': expected ')' at position 10");
}

// Products nest at most 64 deep: the parser, the mask built from it and its
// destruction recurse, and a corrupt artifact must not exhaust the stack.
TEST(RefDirective, MaskNestingIsBounded) {
  std::string nested;
  for (int i = 0; i < 64; ++i)
    nested += "mul(causal,";
  nested += "causal";
  for (int i = 0; i < 64; ++i)
    nested += ")";
  MaskExpr mask;
  Status st = parseMaskExpr(nested, mask);
  EXPECT_TRUE(st.ok()) << st.message();
  std::string deep;
  for (int i = 0; i < 200000; ++i)
    deep += "mul(causal,";
  st = parseMaskExpr(deep + "causal", mask);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("mul nested more than 64 deep"),
            std::string::npos);
}

TEST(RefDirective, Ssd) {
  RefDirective d;
  Status st =
      parseRefDirective({"ssd", "x=x", "dt=dt", "A=A", "B=B", "C=C", "D=D",
                         "z=z", "dt_bias=bias", "softplus=1", "lo=0.001",
                         "hi=inf", "init=h0", "seqs=cu", "y=y", "final=hT"},
                        d);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(d.model, RefModel::Ssd);
  EXPECT_EQ(d.input("dt_bias"), "bias");
  EXPECT_EQ(d.input("init"), "h0");
  EXPECT_EQ(d.input("nothing"), "");
  EXPECT_EQ(d.output("final"), "hT");
  EXPECT_TRUE(d.softplus);
  EXPECT_EQ(d.lo, 0.001);
  EXPECT_TRUE(std::isinf(d.hi));
  EXPECT_EQ(d.referencedInputs().size(), 10u);
  EXPECT_EQ(d.toString(), "ssd A=A B=B C=C D=D dt=dt dt_bias=bias init=h0 "
                          "seqs=cu x=x z=z softplus=1 lo=0.001 hi=inf y=y "
                          "final=hT");
}

TEST(RefDirective, Contract) {
  RefDirective d;
  Status st = parseRefDirective({"contract", "C=q", "B=k", "X=v",
                                 "mask=mul(decay(a),fixed(0.5,0.25))", "y=o"},
                                d);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(d.model, RefModel::Contract);
  ASSERT_TRUE(d.mask);
  EXPECT_EQ(d.mask->toString(), "mul(decay(a),fixed(0.5,0.25))");
  auto inputs = d.referencedInputs();
  ASSERT_EQ(inputs.size(), 4u);
  EXPECT_EQ(inputs.back(), (std::pair<std::string, std::string>{"mask", "a"}));
  EXPECT_EQ(d.toString(),
            "contract B=k C=q X=v mask=mul(decay(a),fixed(0.5,0.25)) y=o");
}

TEST(RefDirective, Errors) {
  EXPECT_EQ(directiveError({}), "reference: expected a model (ssd or "
                                "contract) and KEY=VALUE fields");
  EXPECT_EQ(directiveError({"ssd", "x"}),
            "reference: field 'x' is not KEY=VALUE");
  EXPECT_EQ(directiveError({"ssd", "x=a", "x=b"}),
            "reference: key 'x' is given twice");
  EXPECT_EQ(directiveError({"contract", "C=c", "B=b", "X=x", "mask=causal",
                            "y=y", "softplus=1"}),
            "reference contract: unknown key 'softplus'; expected one of B, "
            "C, X, init, seqs, mask, y, final");
  EXPECT_EQ(directiveError({"ssd", "x=x", "dt=dt", "A=A", "B=B", "C=C", "y=y",
                            "softplus=yes"}),
            "reference: softplus must be 0 or 1, got 'yes'");
  EXPECT_EQ(directiveError(
                {"ssd", "x=x", "dt=dt", "A=A", "B=B", "C=C", "y=y", "lo=abc"}),
            "reference: lo must be a number or inf, got 'abc'");
  EXPECT_EQ(directiveError({"ssd", "x=x", "dt=dt", "A=A", "B=B", "C=C", "y=y",
                            "lo=2", "hi=1"}),
            "reference ssd: lo 2 exceeds hi 1");
  EXPECT_EQ(
      directiveError({"contract", "C=c", "B=b", "X=x", "mask=custom", "y=y"}),
      "reference: mask 'custom': custom masks are not supported by the "
      "runner's reference (only causal, fixed, decay, window and mul)");
}

} // namespace
