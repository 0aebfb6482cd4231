# Runs a command and checks its exit code and output (stdout + stderr):
#   cmake -DARGS="prog|arg|..." -DEXPECT_RC=2 -DEXPECT_REGEX="..."
#         [-DDRIVER_LIB=path] [-DFAULT=name] -P expect.cmake
# ARGS separates arguments with '|'. DRIVER_LIB sets SMC_CUDA_DRIVER_LIB,
# FAULT the fake driver's SMC_FAKE_CUDA_FAULT.
string(REPLACE "|" ";" command "${ARGS}")
if(DEFINED DRIVER_LIB)
  set(ENV{SMC_CUDA_DRIVER_LIB} "${DRIVER_LIB}")
endif()
if(DEFINED FAULT)
  set(ENV{SMC_FAKE_CUDA_FAULT} "${FAULT}")
endif()
execute_process(COMMAND ${command}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(NOT rc STREQUAL EXPECT_RC)
  message(FATAL_ERROR "expected exit code ${EXPECT_RC}, got ${rc}; output:\n${all}")
endif()
if(NOT all MATCHES "${EXPECT_REGEX}")
  message(FATAL_ERROR "output does not match '${EXPECT_REGEX}':\n${all}")
endif()
message(STATUS "ok: exit code ${rc}; output:\n${all}")
