//===- Status.h - success-or-error result for the reference -----*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A tiny status type. The reference library never throws or aborts on bad
/// input: every fallible entry point returns a Status carrying a readable
/// message.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_STATUS_H
#define SMC_REFERENCE_STATUS_H

#include <string>
#include <utility>

namespace smc::ref {

/// Success, or an error with a human-readable message.
class [[nodiscard]] Status {
public:
  /// Constructs a success value.
  Status() = default;

  /// Returns a success value.
  static Status success() { return Status(); }

  /// Returns an error carrying `message` (never empty).
  static Status error(std::string message) {
    Status status;
    status.failed = true;
    status.text = message.empty() ? "unknown error" : std::move(message);
    return status;
  }

  /// True on success.
  bool ok() const { return !failed; }

  /// The error message; empty on success.
  const std::string &message() const { return text; }

  /// Returns this status with "`prefix`: " prepended to an error message;
  /// success stays success.
  Status withContext(const std::string &prefix) const {
    if (ok())
      return *this;
    return error(prefix + ": " + text);
  }

private:
  bool failed = false;
  std::string text;
};

} // namespace smc::ref

/// Returns early from the enclosing function when `expr` yields an error.
#define SMC_REF_RETURN_IF_ERROR(expr)                                          \
  do {                                                                         \
    ::smc::ref::Status smcRefStatus = (expr);                                  \
    if (!smcRefStatus.ok())                                                    \
      return smcRefStatus;                                                     \
  } while (false)

#endif // SMC_REFERENCE_STATUS_H
