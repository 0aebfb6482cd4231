//===- ExprTest.cpp - integer expressions over b, T and S -----------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/Expr.h"

#include <gtest/gtest.h>

using namespace smc::rt;

namespace {

int64_t eval(const std::string &text, SymbolValues symbols = {}) {
  Expr expr;
  Status st = Expr::parse(text, expr);
  EXPECT_TRUE(st.ok()) << st.message();
  int64_t value = -999;
  st = expr.evaluate(symbols, value);
  EXPECT_TRUE(st.ok()) << st.message();
  return value;
}

std::string parseError(const std::string &text) {
  Expr expr;
  Status st = Expr::parse(text, expr);
  EXPECT_FALSE(st.ok()) << text;
  return st.message();
}

TEST(Expr, Constants) {
  EXPECT_EQ(eval("0"), 0);
  EXPECT_EQ(eval("80"), 80);
  EXPECT_EQ(eval("9223372036854775807"), INT64_MAX);
}

TEST(Expr, PrecedenceAndLeftToRight) {
  EXPECT_EQ(eval("2+3*4"), 14);
  EXPECT_EQ(eval("2*3+4"), 10);
  EXPECT_EQ(eval("10-3-2"), 5);
  EXPECT_EQ(eval("10-2*3+1"), 5);
  EXPECT_EQ(eval("2*3*4-1"), 23);
  EXPECT_EQ(eval("1-10"), -9);
}

TEST(Expr, Symbols) {
  SymbolValues s;
  s.b = 2;
  s.T = 64;
  s.S = 3;
  EXPECT_EQ(eval("b", s), 2);
  EXPECT_EQ(eval("S*80", s), 240);
  EXPECT_EQ(eval("S+1", s), 4);
  EXPECT_EQ(eval("b*T*80", s), 2 * 64 * 80);
  EXPECT_EQ(eval("T+255-1*b", s), 64 + 255 - 2);
}

TEST(Expr, Queries) {
  Expr e;
  ASSERT_TRUE(Expr::parse("S*80", e).ok());
  EXPECT_TRUE(e.uses(Symbol::Sequences));
  EXPECT_FALSE(e.uses(Symbol::Batch));
  EXPECT_FALSE(e.isSymbol(Symbol::Sequences));
  EXPECT_FALSE(e.constantValue());
  EXPECT_EQ(e.text(), "S*80");
  ASSERT_TRUE(Expr::parse("T", e).ok());
  EXPECT_TRUE(e.isSymbol(Symbol::Length));
  ASSERT_TRUE(Expr::parse("4*8+1", e).ok());
  EXPECT_EQ(e.constantValue(), 33);
  EXPECT_EQ(Expr::constant(7).text(), "7");
  EXPECT_EQ(Expr().constantValue(), 0);
}

TEST(Expr, DivisionAndParentheses) {
  SymbolValues s;
  s.b = 2;
  s.T = 1000;
  EXPECT_EQ(eval("(T+255)/256", s), 4);
  EXPECT_EQ(eval("T+255/256", s), 1000);
  EXPECT_EQ(eval("b*((T+63)/64)*80", s), 2 * 16 * 80);
  EXPECT_EQ(eval("7/2*2"), 6);
  EXPECT_EQ(eval("(1-8)/2"), -4); // Floor division.
  EXPECT_EQ(eval("((3))"), 3);
  Expr e;
  ASSERT_TRUE(Expr::parse("(T)", e).ok());
  EXPECT_TRUE(e.isSymbol(Symbol::Length));
  ASSERT_TRUE(Expr::parse("T/S", e).ok());
  int64_t value;
  s.S = 0;
  Status st = e.evaluate(s, value);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "expression 'T/S' divides by zero (b=2, T=1000, S=0)");
}

TEST(Expr, MinAndMax) {
  SymbolValues s;
  s.b = 2;
  s.T = 1000;
  EXPECT_EQ(eval("min(T,64)", s), 64);
  EXPECT_EQ(eval("max(T,64)", s), 1000);
  EXPECT_EQ(eval("max(min((1024+b*80-1)/(b*80),(T+63)/64),1)", s), 7);
  EXPECT_EQ(eval("2*max(1-8,0)+min(b,T)*3", s), 6);
  EXPECT_EQ(parseError("min(T)"),
            "invalid expression 'min(T)': expected ',' at position 6");
  EXPECT_EQ(parseError("max(T,1"),
            "invalid expression 'max(T,1': expected ')' at position 8");
}

TEST(Expr, ParseErrors) {
  EXPECT_EQ(parseError(""), "invalid expression '': empty");
  EXPECT_EQ(parseError("T+"),
            "invalid expression 'T+': expected a term at the end");
  EXPECT_EQ(parseError("x"),
            "invalid expression 'x': unexpected 'x' at position 1 (terms "
            "are integers, b, T, S, min(x,y), max(x,y) or a parenthesized "
            "expression)");
  EXPECT_EQ(parseError("T%2"),
            "invalid expression 'T%2': unexpected '%' at position 2 "
            "(operators are +, -, * and /)");
  EXPECT_EQ(parseError("-1"),
            "invalid expression '-1': unexpected '-' at position 1 (terms "
            "are integers, b, T, S, min(x,y), max(x,y) or a parenthesized "
            "expression)");
  EXPECT_EQ(parseError("(T+1"),
            "invalid expression '(T+1': expected ')' at position 5");
  EXPECT_EQ(parseError("T)"),
            "invalid expression 'T)': unexpected ')' at position 2 "
            "(operators are +, -, * and /)");
  EXPECT_EQ(parseError("99999999999999999999"),
            "invalid expression '99999999999999999999': integer too large");
  EXPECT_EQ(parseError("bT"),
            "invalid expression 'bT': unexpected 'T' at position 2 "
            "(operators are +, -, * and /)");
}

TEST(Expr, EvaluationErrors) {
  Expr e;
  ASSERT_TRUE(Expr::parse("b*T", e).ok());
  int64_t value;
  SymbolValues s;
  s.b = 2;
  Status st = e.evaluate(s, value);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "expression 'b*T': symbol 'T' is not bound");
  s.T = INT64_MAX / 2 + 1;
  st = e.evaluate(s, value);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "expression 'b*T' overflows int64 (b=2, "
                          "T=4611686018427387904)");
}

TEST(Expr, EvaluateDims) {
  std::vector<Expr> dims(3);
  ASSERT_TRUE(Expr::parse("b", dims[0]).ok());
  ASSERT_TRUE(Expr::parse("T-5", dims[1]).ok());
  ASSERT_TRUE(Expr::parse("80", dims[2]).ok());
  EXPECT_EQ(dimsToString(dims), "[b,T-5,80]");
  SymbolValues s;
  s.b = 2;
  s.T = 8;
  std::vector<int64_t> shape;
  ASSERT_TRUE(evaluateDims(dims, s, "input 'x'", shape).ok());
  EXPECT_EQ(shape, (std::vector<int64_t>{2, 3, 80}));
  s.T = 4;
  Status st = evaluateDims(dims, s, "input 'x'", shape);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "input 'x': dim 1 ('T-5') is negative (-1) for "
                          "b=2, T=4");
}

} // namespace

namespace {

std::string repeat(const std::string &piece, int count) {
  std::string text;
  for (int i = 0; i < count; ++i)
    text += piece;
  return text;
}

// A corrupt artifact must not exhaust the stack of the recursive parser or
// evaluator: trees more than 64 nodes deep, or more than 64 levels of
// parentheses, are refused, at any input size.
TEST(Expr, DepthIsBounded) {
  EXPECT_EQ(eval(repeat("(", 64) + "7" + repeat(")", 64)), 7);
  EXPECT_EQ(eval("1" + repeat("+1", 63)), 64);
  EXPECT_EQ(eval(repeat("max(1,", 63) + "2" + repeat(")", 63)), 2);
  EXPECT_NE(parseError(repeat("(", 65) + "7" + repeat(")", 65))
                .find("parentheses nested more than 64 deep"),
            std::string::npos);
  EXPECT_NE(parseError("1" + repeat("+1", 64))
                .find("nested more than 64 operators deep"),
            std::string::npos);
  EXPECT_NE(parseError(repeat("(", 200000) + "1")
                .find("parentheses nested more than 64 deep"),
            std::string::npos);
  EXPECT_NE(parseError("1" + repeat("*2", 200000))
                .find("nested more than 64 operators deep"),
            std::string::npos);
  EXPECT_NE(parseError(repeat("min(1,", 200000) + "1")
                .find("parentheses nested more than 64 deep"),
            std::string::npos);
}

} // namespace
