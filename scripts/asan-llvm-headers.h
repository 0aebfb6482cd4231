/* Included first in every file of the ASan build (scripts/sanitize.sh).
 * Debian's LLVM and MLIR are not built with ASan, but LLVM's headers poison
 * allocator memory whenever the file including them is (llvm/Support/
 * Compiler.h): inline allocator code then mixes instrumented copies from
 * our objects with uninstrumented ones from the libraries, and ASan reports
 * use-after-poison inside MLIR itself (seen in MLIRContext's constructor).
 * As no-ops, ASan checks every access of our code against real heap, stack
 * and global bounds, without the allocators' finer poisoning. */
#include <sanitizer/asan_interface.h>
#define __asan_poison_memory_region(addr, size) ((void)(addr), (void)(size))
#define __asan_unpoison_memory_region(addr, size) ((void)(addr), (void)(size))
