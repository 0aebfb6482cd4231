//===- RefModel.cpp - a model evaluated in float64 ------------------------===//

#include "tools/smc/RefModel.h"

#include "reference/ContractGrad.h"

#include "dialect/sma/SmaOps.h"
#include "reference/Contract.h"
#include "reference/Ssd.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <fmt/core.h>
#include <map>
#include <memory>

using namespace mlir;
using namespace smc;
using ref::Status;

namespace {

std::string opName(Operation *op) { return op->getName().getStringRef().str(); }

//===----------------------------------------------------------------------===//
// A custom mask region, compiled once into a flat float64 program.
//===----------------------------------------------------------------------===//

class RegionProgram {
public:
  /// Fails with a message naming the first unsupported op.
  static Status compile(Block &block, std::shared_ptr<RegionProgram> &out) {
    auto prog = std::make_shared<RegionProgram>();
    for (BlockArgument arg : block.getArguments())
      prog->slotOf[arg.getAsOpaquePointer()] = prog->numSlots++;
    for (Operation &op : block) {
      if (auto yield = dyn_cast<sma::YieldOp>(op)) {
        prog->result = prog->slot(yield.getValue());
        break;
      }
      Inst inst{&op, {}, prog->numSlots++};
      for (Value v : op.getOperands())
        inst.args.push_back(prog->slot(v));
      if (op.getNumResults() != 1 || !isSupported(&op))
        return Status::error(fmt::format(
            "sma.mask.custom: op '{}' in the region is not supported by the "
            "float64 reference",
            opName(&op)));
      if (auto c = dyn_cast<arith::ConstantOp>(op)) {
        if (auto f = dyn_cast<FloatAttr>(c.getValue()))
          inst.constant = f.getValueAsDouble();
        else if (auto i = dyn_cast<IntegerAttr>(c.getValue()))
          inst.constant = double(i.getValue().getSExtValue());
        else
          return Status::error("sma.mask.custom: unsupported constant");
      }
      prog->slotOf[op.getResult(0).getAsOpaquePointer()] = inst.out;
      prog->insts.push_back(std::move(inst));
    }
    out = prog;
    return Status::success();
  }

  /// Runs the program on the block arguments.
  double eval(const std::vector<double> &args) const {
    std::vector<double> v(numSlots);
    std::copy(args.begin(), args.end(), v.begin());
    for (const Inst &inst : insts)
      v[inst.out] = apply(inst, v);
    return v[result];
  }

private:
  struct Inst {
    Operation *op;
    std::vector<int> args;
    int out;
    double constant = 0;
  };

  int slot(Value v) { return slotOf.at(v.getAsOpaquePointer()); }

  static bool isSupported(Operation *op) {
    return isa<arith::ConstantOp, arith::AddFOp, arith::SubFOp, arith::MulFOp,
               arith::DivFOp, arith::NegFOp, arith::MaximumFOp,
               arith::MinimumFOp, arith::AddIOp, arith::SubIOp, arith::MulIOp,
               arith::IndexCastOp, arith::SIToFPOp, arith::UIToFPOp,
               arith::ExtFOp, arith::TruncFOp, arith::CmpFOp, arith::CmpIOp,
               arith::SelectOp, arith::MaxNumFOp, arith::MinNumFOp,
               arith::RemFOp, math::ExpOp, math::Exp2Op, math::ExpM1Op,
               math::LogOp, math::Log2Op, math::Log1pOp, math::SqrtOp,
               math::TanhOp, math::AbsFOp, math::PowFOp>(op) ||
           isIntegerDivision(op) || isMoreMath(op);
  }

  /// The rest of the math dialect and the integer min/max and logic ops.
  static bool isMoreMath(Operation *op) {
    return isa<math::CosOp, math::SinOp, math::TanOp, math::AcosOp,
               math::AsinOp, math::AtanOp, math::Atan2Op, math::CoshOp,
               math::SinhOp, math::AcoshOp, math::AsinhOp, math::AtanhOp,
               math::ErfOp, math::ErfcOp, math::FloorOp, math::CeilOp,
               math::RoundOp, math::RoundEvenOp, math::TruncOp, math::CbrtOp,
               math::Log10Op, math::RsqrtOp, math::IPowIOp, math::FPowIOp,
               math::CopySignOp, math::FmaOp, math::AbsIOp, arith::MaxSIOp,
               arith::MinSIOp, arith::AndIOp, arith::OrIOp, arith::XOrIOp,
               arith::FPToSIOp>(op);
  }

  static double applyMoreMath(Operation *op, double a, double b, double c) {
    if (isa<math::CosOp>(op))
      return std::cos(a);
    if (isa<math::SinOp>(op))
      return std::sin(a);
    if (isa<math::TanOp>(op))
      return std::tan(a);
    if (isa<math::AcosOp>(op))
      return std::acos(a);
    if (isa<math::AsinOp>(op))
      return std::asin(a);
    if (isa<math::AtanOp>(op))
      return std::atan(a);
    if (isa<math::Atan2Op>(op))
      return std::atan2(a, b);
    if (isa<math::CoshOp>(op))
      return std::cosh(a);
    if (isa<math::SinhOp>(op))
      return std::sinh(a);
    if (isa<math::AcoshOp>(op))
      return std::acosh(a);
    if (isa<math::AsinhOp>(op))
      return std::asinh(a);
    if (isa<math::AtanhOp>(op))
      return std::atanh(a);
    if (isa<math::ErfOp>(op))
      return std::erf(a);
    if (isa<math::ErfcOp>(op))
      return std::erfc(a);
    if (isa<math::FloorOp>(op))
      return std::floor(a);
    if (isa<math::CeilOp>(op))
      return std::ceil(a);
    if (isa<math::RoundOp>(op))
      return std::round(a);
    if (isa<math::RoundEvenOp>(op))
      return std::nearbyint(a); // The default rounding: to nearest, even.
    if (isa<math::TruncOp, arith::FPToSIOp>(op))
      return std::trunc(a);
    if (isa<math::CbrtOp>(op))
      return std::cbrt(a);
    if (isa<math::Log10Op>(op))
      return std::log10(a);
    if (isa<math::RsqrtOp>(op))
      return 1.0 / std::sqrt(a);
    if (isa<math::IPowIOp, math::FPowIOp>(op))
      return std::pow(a, b);
    if (isa<math::CopySignOp>(op))
      return std::copysign(a, b);
    if (isa<math::FmaOp>(op))
      return a * b + c;
    if (isa<math::AbsIOp>(op))
      return std::fabs(a);
    if (isa<arith::MaxSIOp>(op))
      return std::max(a, b);
    if (isa<arith::MinSIOp>(op))
      return std::min(a, b);
    // Logic on i1 and small integers (values are exact in a double).
    auto x = static_cast<int64_t>(a), y = static_cast<int64_t>(b);
    if (isa<arith::AndIOp>(op))
      return static_cast<double>(x & y);
    if (isa<arith::OrIOp>(op))
      return static_cast<double>(x | y);
    return static_cast<double>(x ^ y); // arith::XOrIOp
  }

  static bool isIntegerDivision(Operation *op) {
    return isa<arith::DivSIOp, arith::DivUIOp, arith::RemSIOp, arith::RemUIOp,
               arith::CeilDivSIOp, arith::CeilDivUIOp, arith::FloorDivSIOp>(op);
  }

  /// An integer division as the sma dialect defines it in a mask region
  /// (sma.mask.custom): by zero it is 0; a signed one by -1 is the negation
  /// (division) or 0 (remainder).
  static double divide(Operation *op, double a, double b) {
    if (b == 0.0)
      return 0.0;
    auto x = static_cast<int64_t>(a), y = static_cast<int64_t>(b);
    if (isa<arith::DivUIOp, arith::RemUIOp, arith::CeilDivUIOp>(op)) {
      Type type = op->getResult(0).getType();
      unsigned width = type.isIndex() ? 64 : type.getIntOrFloatBitWidth();
      uint64_t mask = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
      uint64_t ux = static_cast<uint64_t>(x) & mask,
               uy = static_cast<uint64_t>(y) & mask;
      if (isa<arith::DivUIOp>(op))
        return static_cast<double>(ux / uy);
      if (isa<arith::RemUIOp>(op))
        return static_cast<double>(ux % uy);
      return static_cast<double>(ux / uy + (ux % uy != 0));
    }
    if (y == -1)
      return isa<arith::RemSIOp>(op) ? 0.0 : -a;
    int64_t q = x / y, r = x % y;
    if (isa<arith::RemSIOp>(op))
      return static_cast<double>(r);
    if (isa<arith::CeilDivSIOp>(op))
      q += r != 0 && ((r > 0) == (y > 0));
    if (isa<arith::FloorDivSIOp>(op))
      q -= r != 0 && ((r < 0) != (y < 0));
    return static_cast<double>(q);
  }

  static double apply(const Inst &inst, const std::vector<double> &v) {
    auto a = [&](int i) { return v[inst.args[i]]; };
    Operation *op = inst.op;
    if (isa<arith::ConstantOp>(op))
      return inst.constant;
    if (isa<arith::AddFOp, arith::AddIOp>(op))
      return a(0) + a(1);
    if (isa<arith::SubFOp, arith::SubIOp>(op))
      return a(0) - a(1);
    if (isa<arith::MulFOp, arith::MulIOp>(op))
      return a(0) * a(1);
    if (isa<arith::DivFOp>(op))
      return a(0) / a(1);
    if (isIntegerDivision(op))
      return divide(op, a(0), a(1));
    if (isMoreMath(op)) {
      size_t n = inst.args.size();
      return applyMoreMath(op, a(0), n > 1 ? a(1) : 0.0, n > 2 ? a(2) : 0.0);
    }
    if (isa<arith::NegFOp>(op))
      return -a(0);
    if (isa<arith::MaxNumFOp>(op))
      return std::fmax(a(0), a(1));
    if (isa<arith::MinNumFOp>(op))
      return std::fmin(a(0), a(1));
    if (isa<arith::RemFOp>(op))
      return std::fmod(a(0), a(1));
    if (isa<math::Exp2Op>(op))
      return std::exp2(a(0));
    if (isa<math::ExpM1Op>(op))
      return std::expm1(a(0));
    if (isa<math::Log2Op>(op))
      return std::log2(a(0));
    if (isa<math::Log1pOp>(op))
      return std::log1p(a(0));
    if (isa<arith::MaximumFOp>(op))
      return std::fmax(a(0), a(1));
    if (isa<arith::MinimumFOp>(op))
      return std::fmin(a(0), a(1));
    if (isa<arith::IndexCastOp, arith::SIToFPOp, arith::UIToFPOp, arith::ExtFOp,
            arith::TruncFOp>(op))
      return a(0);
    if (auto c = dyn_cast<arith::CmpFOp>(op))
      return compareF(c.getPredicate(), a(0), a(1));
    if (auto c = dyn_cast<arith::CmpIOp>(op))
      return compareI(c.getPredicate(), a(0), a(1));
    if (isa<arith::SelectOp>(op))
      return a(0) != 0 ? a(1) : a(2);
    if (isa<math::ExpOp>(op))
      return std::exp(a(0));
    if (isa<math::LogOp>(op))
      return std::log(a(0));
    if (isa<math::SqrtOp>(op))
      return std::sqrt(a(0));
    if (isa<math::TanhOp>(op))
      return std::tanh(a(0));
    if (isa<math::AbsFOp>(op))
      return std::fabs(a(0));
    if (isa<math::PowFOp>(op))
      return std::pow(a(0), a(1));
    return std::nan("");
  }

  static double compareF(arith::CmpFPredicate p, double x, double y) {
    using P = arith::CmpFPredicate;
    switch (p) {
    case P::OEQ:
    case P::UEQ:
      return x == y;
    case P::ONE:
    case P::UNE:
      return x != y;
    case P::OLT:
    case P::ULT:
      return x < y;
    case P::OLE:
    case P::ULE:
      return x <= y;
    case P::OGT:
    case P::UGT:
      return x > y;
    case P::OGE:
    case P::UGE:
      return x >= y;
    case P::AlwaysTrue:
      return 1;
    default:
      return 0;
    }
  }

  static double compareI(arith::CmpIPredicate p, double x, double y) {
    using P = arith::CmpIPredicate;
    switch (p) {
    case P::eq:
      return x == y;
    case P::ne:
      return x != y;
    case P::slt:
    case P::ult:
      return x < y;
    case P::sle:
    case P::ule:
      return x <= y;
    case P::sgt:
    case P::ugt:
      return x > y;
    case P::sge:
    case P::uge:
      return x >= y;
    }
    return 0;
  }

  std::map<const void *, int> slotOf;
  std::vector<Inst> insts;
  int numSlots = 0;
  int result = 0;
};

//===----------------------------------------------------------------------===//
// The evaluator
//===----------------------------------------------------------------------===//

class Evaluator {
public:
  explicit Evaluator(const std::vector<int64_t> *rows) : rows(rows) {}

  Status run(func::FuncOp entry, const std::vector<ref::Tensor> &inputs,
             std::vector<ref::Tensor> &outputs) {
    for (BlockArgument arg : entry.getArguments())
      tensors[key(arg)] =
          std::make_shared<ref::Tensor>(inputs[arg.getArgNumber()]);
    for (Operation &op : entry.getBody().front()) {
      if (auto ret = dyn_cast<func::ReturnOp>(op)) {
        for (Value v : ret.getOperands())
          outputs.push_back(*tensors.at(key(v)));
        return Status::success();
      }
      SMC_REF_RETURN_IF_ERROR(evalOp(&op));
    }
    return Status::error("the entry function has no return");
  }

  /// The gradients of a model of one sma.contract (and its masks) for
  /// `dOutputs` (one per result): one per float input, in order, computed
  /// with the reference's own backward of the quadratic definition.
  Status runGrad(func::FuncOp entry, const std::vector<ref::Tensor> &inputs,
                 const std::vector<ref::Tensor> &dOutputs,
                 std::vector<ref::Tensor> &grads) {
    for (BlockArgument arg : entry.getArguments())
      tensors[key(arg)] =
          std::make_shared<ref::Tensor>(inputs[arg.getArgNumber()]);
    Operation *target = nullptr; // The one sma.contract or sma.ssd.
    func::ReturnOp ret;
    for (Operation &op : entry.getBody().front()) {
      if (auto r = dyn_cast<func::ReturnOp>(op)) {
        ret = r;
        continue;
      }
      if (isa<sma::ContractOp, sma::SsdOp>(op)) {
        if (target)
          return Status::error("the reference's gradients cover models of one "
                               "sma.contract or sma.ssd");
        target = &op;
        continue;
      }
      if (!isa<sma::MaskOpInterface>(op))
        return Status::error(fmt::format(
            "the reference's gradients cover models of mask ops and one "
            "sma.contract or sma.ssd, not '{}'",
            opName(&op)));
      SMC_REF_RETURN_IF_ERROR(evalOp(&op));
    }
    if (!target || !ret)
      return Status::error("the model has no sma.contract or sma.ssd to "
                           "differentiate");
    Value y = target->getResult(0);
    Value final = target->getNumResults() > 1 ? target->getResult(1) : Value();
    const ref::Tensor *dY = nullptr, *dF = nullptr;
    ref::Tensor zeroY;
    for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
      if (v == y)
        dY = &dOutputs[i];
      else if (final && v == final)
        dF = &dOutputs[i];
      else
        return Status::error("every result must be the contraction's output "
                             "or final state, once");
    }
    if (!dY) {
      // y has the shape of x (sma.ssd) or X (sma.contract).
      auto s = dyn_cast<sma::SsdOp>(target);
      zeroY = ref::Tensor(
          tensor(s ? s.getX() : cast<sma::ContractOp>(target).getX()).shape());
      dY = &zeroY;
    }
    // Each operand's gradient goes to the input it is; an input in several
    // places gets their sum.
    std::map<const void *, ref::Tensor> byInput;
    auto add = [&](Value v, const ref::Tensor &t) {
      if (!v)
        return;
      auto [it, fresh] = byInput.try_emplace(key(v), t);
      if (!fresh)
        for (int64_t i = 0; i < t.numel(); ++i)
          it->second[i] += t[i];
    };
    std::vector<int64_t> cu;
    if (auto s = dyn_cast<sma::SsdOp>(target)) {
      ref::SsdGrads g;
      SMC_REF_RETURN_IF_ERROR(
          ref::computeSsdGrad(ssdProblemOf(s, cu), *dY, dF, g)
              .withContext("sma.ssd gradient"));
      add(s.getX(), g.dx);
      add(s.getDt(), g.ddt);
      add(s.getA(), g.dA);
      add(s.getB(), g.dB);
      add(s.getC(), g.dC);
      if (g.dD)
        add(s.getD(), *g.dD);
      if (g.dz)
        add(s.getZ(), *g.dz);
      if (g.dDtBias)
        add(s.getDtBias(), *g.dDtBias);
      if (g.dInitState)
        add(s.getInitState(), *g.dInitState);
    } else {
      auto contract = cast<sma::ContractOp>(target);
      ref::ContractGrads g;
      SMC_REF_RETURN_IF_ERROR(
          ref::computeContractGrad(problemOf(contract, cu), *dY, dF, g)
              .withContext("sma.contract gradient"));
      add(contract.getC(), g.dC);
      add(contract.getB(), g.dB);
      add(contract.getX(), g.dX);
      if (contract.getInitState())
        add(contract.getInitState(), *g.dInitState);
      size_t leaf = 0;
      for (sma::MaskAtom atom : sma::maskAtoms(contract.getMaskOp()))
        if (auto d = dyn_cast<sma::DecayMaskOp>(atom.op.getOperation()))
          add(d.getLogDecay(), g.dDecayLogs.at(leaf++));
    }
    for (BlockArgument arg : entry.getArguments()) {
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      if (!type || !isa<FloatType>(type.getElementType()))
        continue;
      auto it = byInput.find(key(arg));
      grads.push_back(it != byInput.end()
                          ? it->second
                          : ref::Tensor(inputs[arg.getArgNumber()].shape()));
    }
    return Status::success();
  }

private:
  static const void *key(Value v) { return v.getAsOpaquePointer(); }

  const ref::Tensor &tensor(Value v) { return *tensors.at(key(v)); }

  /// Rows are sampled only where nothing but the return reads the output.
  const std::vector<int64_t> *rowsFor(Value y) {
    for (Operation *user : y.getUsers())
      if (!isa<func::ReturnOp>(user))
        return nullptr;
    return rows;
  }

  std::vector<int64_t> offsets(Value cu) {
    std::vector<int64_t> out;
    const ref::Tensor &t = tensor(cu);
    for (int64_t i = 0; i < t.numel(); ++i)
      out.push_back(int64_t(t[i]));
    return out;
  }

  Status evalOp(Operation *op) {
    if (auto m = dyn_cast<sma::CausalMaskOp>(op))
      return setMask(m, ref::MaskSpec::causal());
    if (auto m = dyn_cast<sma::FixedDecayMaskOp>(op))
      return setMask(m, ref::MaskSpec::fixedDecay(std::vector<double>(
                            m.getGamma().begin(), m.getGamma().end())));
    if (auto m = dyn_cast<sma::DecayMaskOp>(op))
      return setMask(m, ref::MaskSpec::decay(tensor(m.getLogDecay())));
    if (auto m = dyn_cast<sma::WindowMaskOp>(op))
      return setMask(m, ref::MaskSpec::window(m.getWidth()));
    if (auto m = dyn_cast<sma::MulMaskOp>(op))
      return setMask(m, ref::MaskSpec::mul(*masks.at(key(m.getLhs())),
                                           *masks.at(key(m.getRhs()))));
    if (auto m = dyn_cast<sma::TransposeMaskOp>(op))
      return setMask(m, ref::MaskSpec::transpose(*masks.at(key(m.getSource()))));
    if (auto m = dyn_cast<sma::CustomMaskOp>(op))
      return evalCustom(m);
    if (auto c = dyn_cast<sma::ContractOp>(op))
      return evalContract(c);
    if (auto s = dyn_cast<sma::SsdOp>(op))
      return evalSsd(s);
    return Status::error(fmt::format(
        "op '{}' is not supported by the float64 reference (it evaluates sma "
        "ops only)",
        opName(op)));
  }

  Status setMask(sma::MaskOpInterface m, ref::MaskSpec spec) {
    masks[key(m->getResult(0))] = std::make_shared<ref::MaskSpec>(spec);
    return Status::success();
  }

  Status evalCustom(sma::CustomMaskOp m) {
    std::shared_ptr<RegionProgram> prog;
    SMC_REF_RETURN_IF_ERROR(RegionProgram::compile(m.getBody().front(), prog));
    std::vector<std::shared_ptr<ref::Tensor>> operands;
    for (Value in : m.getInputs())
      operands.push_back(tensors.at(key(in)));
    auto fn = [prog, operands](const ref::MaskPoint &p) {
      std::vector<double> args = {double(p.tRel), double(p.sRel),
                                  double(p.head)};
      for (const auto &t : operands) {
        args.push_back(t->at({p.batch, p.tAbs, p.head}));
        args.push_back(t->at({p.batch, p.sAbs, p.head}));
      }
      return prog->eval(args);
    };
    return setMask(m, ref::MaskSpec::custom(fn, m.getCausal()));
  }

  /// The reference problem of `c`, its cu_seqlens held in `cu`.
  ref::ContractProblem problemOf(sma::ContractOp c, std::vector<int64_t> &cu) {
    ref::ContractProblem problem;
    problem.C = &tensor(c.getC());
    problem.B = &tensor(c.getB());
    problem.X = &tensor(c.getX());
    problem.mask = masks.at(key(c.getMask())).get();
    if (c.getInitState())
      problem.initState = &tensor(c.getInitState());
    if (c.getCuSeqlens()) {
      cu = offsets(c.getCuSeqlens());
      problem.cuSeqlens = &cu;
    }
    return problem;
  }

  Status evalContract(sma::ContractOp c) {
    std::vector<int64_t> cu;
    ref::ContractProblem problem = problemOf(c, cu);
    problem.wantFinalState = static_cast<bool>(c.getFinalState());
    ref::ContractResult result;
    SMC_REF_RETURN_IF_ERROR(
        ref::computeContract(problem, result, rowsFor(c.getY()))
            .withContext("sma.contract"));
    return store(c.getY(), c.getFinalState(), result);
  }

  /// The reference problem of `s`, its cu_seqlens held in `cu`.
  ref::SsdProblem ssdProblemOf(sma::SsdOp s, std::vector<int64_t> &cu) {
    ref::SsdProblem problem;
    problem.x = &tensor(s.getX());
    problem.dt = &tensor(s.getDt());
    problem.A = &tensor(s.getA());
    problem.B = &tensor(s.getB());
    problem.C = &tensor(s.getC());
    if (s.getD())
      problem.D = &tensor(s.getD());
    if (s.getZ())
      problem.z = &tensor(s.getZ());
    if (s.getDtBias())
      problem.dtBias = &tensor(s.getDtBias());
    problem.dtSoftplus = s.getDtSoftplus();
    if (auto limit = s.getDtLimit()) {
      problem.dtLimitLo = (*limit)[0];
      problem.dtLimitHi = (*limit)[1];
    }
    if (s.getInitState())
      problem.initState = &tensor(s.getInitState());
    if (s.getCuSeqlens()) {
      cu = offsets(s.getCuSeqlens());
      problem.cuSeqlens = &cu;
    }
    return problem;
  }

  Status evalSsd(sma::SsdOp s) {
    std::vector<int64_t> cu;
    ref::SsdProblem problem = ssdProblemOf(s, cu);
    problem.wantFinalState = static_cast<bool>(s.getFinalState());
    ref::SsdResult result;
    SMC_REF_RETURN_IF_ERROR(ref::computeSsd(problem, result, rowsFor(s.getY()))
                                .withContext("sma.ssd"));
    return store(s.getY(), s.getFinalState(), result);
  }

  Status store(Value y, Value final, ref::ContractResult &result) {
    tensors[key(y)] = std::make_shared<ref::Tensor>(std::move(result.y));
    if (final)
      tensors[key(final)] =
          std::make_shared<ref::Tensor>(std::move(*result.finalState));
    return Status::success();
  }

  const std::vector<int64_t> *rows;
  std::map<const void *, std::shared_ptr<ref::Tensor>> tensors;
  std::map<const void *, std::shared_ptr<ref::MaskSpec>> masks;
};

} // namespace

Status smc::evaluateReference(func::FuncOp entry,
                              const std::vector<ref::Tensor> &inputs,
                              std::vector<ref::Tensor> &outputs,
                              const std::vector<int64_t> *rows) {
  return Evaluator(rows).run(entry, inputs, outputs);
}

Status smc::evaluateReferenceGrad(func::FuncOp entry,
                                  const std::vector<ref::Tensor> &inputs,
                                  const std::vector<ref::Tensor> &dOutputs,
                                  std::vector<ref::Tensor> &grads) {
  return Evaluator(nullptr).runGrad(entry, inputs, dOutputs, grads);
}

double smc::referenceCost(func::FuncOp entry,
                          const std::vector<ref::Tensor> &inputs) {
  // Per contraction: b * h * T^2 * (n + p) multiply-adds, from X's and B's
  // shapes (the same for sma.ssd's x and B).
  double cost = 0;
  std::map<const void *, const ref::Tensor *> args;
  for (BlockArgument a : entry.getArguments())
    args[a.getAsOpaquePointer()] = &inputs[a.getArgNumber()];
  auto shapeOf = [&](Value v) -> const ref::Tensor * {
    auto it = args.find(v.getAsOpaquePointer());
    return it == args.end() ? nullptr : it->second;
  };
  entry.walk([&](Operation *op) {
    Value x, b;
    if (auto c = dyn_cast<sma::ContractOp>(op))
      x = c.getX(), b = c.getB();
    else if (auto s = dyn_cast<sma::SsdOp>(op))
      x = s.getX(), b = s.getB();
    else
      return;
    auto xt = dyn_cast<RankedTensorType>(x.getType());
    auto bt = dyn_cast<RankedTensorType>(b.getType());
    const ref::Tensor *xv = shapeOf(x);
    double batch = xv ? xv->dim(0) : 1, len = xv ? xv->dim(1) : 1;
    cost += batch * xt.getDimSize(2) * len * len *
            double(xt.getDimSize(3) + bt.getDimSize(3));
  });
  return cost;
}
