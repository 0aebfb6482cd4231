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

TEST(RefDirective, TransposedMasks) {
  MaskExpr m;
  ASSERT_TRUE(parseMaskExpr("transpose(decay(a))", m).ok());
  EXPECT_EQ(m.kind, MaskExpr::Kind::Transpose);
  ASSERT_EQ(m.operands.size(), 1u);
  EXPECT_EQ(m.operands[0].kind, MaskExpr::Kind::Decay);
  EXPECT_EQ(m.operands[0].input, "a");
  EXPECT_EQ(m.toString(), "transpose(decay(a))");

  const char *text =
      "mul(transpose(mul(decay(a),window(8))),transpose(transpose(decay(b))))";
  ASSERT_TRUE(parseMaskExpr(text, m).ok());
  EXPECT_EQ(m.kind, MaskExpr::Kind::Mul);
  const MaskExpr &lhs = m.operands[0], &rhs = m.operands[1];
  EXPECT_EQ(lhs.kind, MaskExpr::Kind::Transpose);
  EXPECT_EQ(lhs.operands[0].kind, MaskExpr::Kind::Mul);
  EXPECT_EQ(lhs.operands[0].operands[1].width, 8);
  EXPECT_EQ(rhs.kind, MaskExpr::Kind::Transpose);
  EXPECT_EQ(rhs.operands[0].kind, MaskExpr::Kind::Transpose);
  EXPECT_EQ(rhs.operands[0].operands[0].input, "b");
  EXPECT_EQ(m.toString(), text);
  std::vector<std::string> inputs;
  m.collectInputs(inputs);
  EXPECT_EQ(inputs, (std::vector<std::string>{"a", "b"}));

  EXPECT_EQ(maskError("transpose(causal,causal)"),
            "mask 'transpose(causal,causal)': expected ')' at position 17");
  EXPECT_EQ(maskError("transpose()"),
            "mask 'transpose()': unknown mask ''; expected causal, "
            "fixed(g,...), decay(INPUT), window(W), mul(M,M) or "
            "transpose(M)");
  EXPECT_EQ(maskError("transpose"),
            "mask 'transpose': expected '(' at position 10");
  EXPECT_EQ(maskError("transpose(custom)"),
            "mask 'transpose(custom)': custom masks are not supported by the "
            "runner's reference (only causal, fixed, decay, window, mul and "
            "transpose)");
}

TEST(RefDirective, MaskErrors) {
  EXPECT_EQ(maskError("custom"),
            "mask 'custom': custom masks are not supported by the runner's "
            "reference (only causal, fixed, decay, window, mul and "
            "transpose)");
  EXPECT_EQ(maskError("alibi(2)"),
            "mask 'alibi(2)': unknown mask 'alibi'; expected causal, "
            "fixed(g,...), decay(INPUT), window(W), mul(M,M) or "
            "transpose(M)");
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

// Products and transposes nest at most 64 deep together: the parser, the
// mask built from it and its destruction recurse, and a corrupt artifact
// must not exhaust the stack.
TEST(RefDirective, MaskNestingIsBounded) {
  std::string nested;
  for (int i = 0; i < 64; ++i)
    nested += i % 2 ? "mul(causal," : "transpose(";
  nested += "causal";
  for (int i = 0; i < 64; ++i)
    nested += ")";
  MaskExpr mask;
  Status st = parseMaskExpr(nested, mask);
  EXPECT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(mask.toString(), nested);
  // One more level, of either kind, is too deep.
  for (const char *outer : {"transpose(", "mul(causal,"}) {
    st = parseMaskExpr(outer + nested + ")", mask);
    ASSERT_FALSE(st.ok()) << outer;
    EXPECT_NE(st.message().find("mul and transpose nested more than 64 deep"),
              std::string::npos)
        << st.message();
  }
  for (const char *level : {"mul(causal,", "transpose("}) {
    std::string deep;
    for (int i = 0; i < 200000; ++i)
      deep += level;
    st = parseMaskExpr(deep + "causal", mask);
    ASSERT_FALSE(st.ok()) << level;
    EXPECT_NE(st.message().find("mul and transpose nested more than 64 deep"),
              std::string::npos);
  }
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

  // The backward's anti-causal contraction, with states.
  st = parseRefDirective({"contract", "C=k", "B=q", "X=dy",
                          "mask=transpose(decay(a))", "init=dF", "y=dx",
                          "final=dh0"},
                         d);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_TRUE(d.mask);
  EXPECT_EQ(d.mask->kind, MaskExpr::Kind::Transpose);
  EXPECT_EQ(d.toString(), "contract B=q C=k X=dy init=dF "
                          "mask=transpose(decay(a)) y=dx final=dh0");
  inputs = d.referencedInputs();
  EXPECT_EQ(inputs.back(), (std::pair<std::string, std::string>{"mask", "a"}));
}

TEST(RefDirective, Backward) {
  RefDirective d;
  Status st = parseRefDirective({"contract", "C=C", "B=B", "X=X",
                                 "mask=decay(a)", "y=y", "grad=f_fwd"},
                                d);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(d.gradOf, "f_fwd");
  EXPECT_EQ(d.toString(), "contract B=B C=C X=X mask=decay(a) y=y grad=f_fwd");
  st = parseRefDirective({"ssd", "x=x", "dt=dt", "A=A", "B=B", "C=C", "y=y",
                          "grad=m_fwd"},
                         d);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(d.gradOf, "m_fwd");
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
            "C, X, init, seqs, mask, y, final, grad");
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
      "runner's reference (only causal, fixed, decay, window, mul and "
      "transpose)");
}

} // namespace
