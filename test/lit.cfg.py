# -*- Python -*-
# lit configuration of the smc regression tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "SMC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.smc_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in", "Inputs", "cases.txt", "run.sh", "test_python.py", "custom-check.sh"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%examples", os.path.join(config.smc_src_root, "examples")))

# Strict FileCheck everywhere.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope --allow-unused-prefixes=false"

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.smc_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["smc-opt", "smc"], tool_dirs)
llvm_config.add_tool_substitutions(["FileCheck", "not", "count", "mlir-runner"], [config.llvm_tools_dir])
# Where mlir-runner finds the runner utils (printMemrefF32, ...):
# -shared-libs=%mlir_lib_dir/libmlir_c_runner_utils.so,...
config.substitutions.append(("%mlir_lib_dir", config.llvm_lib_dir))

# Hardware tiers: none (IR), ptxas (cubin), cuda-device (execution).
if config.ptxas and os.path.exists(config.ptxas):
    config.available_features.add("ptxas")
    # The NVVM serializer finds ptxas through CUDA_HOME.
    config.environment["CUDA_HOME"] = os.path.dirname(os.path.dirname(config.ptxas))
if os.path.exists(os.path.join(config.smc_tools_dir, "smc-runner")):
    config.available_features.add("smc-runner")
    llvm_config.add_tool_substitutions(["smc-runner"], [config.smc_tools_dir])
if os.path.exists("/dev/nvidia0") or os.environ.get("SMC_CUDA_DEVICE"):
    config.available_features.add("cuda-device")
