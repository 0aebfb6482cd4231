/*===- smc_runtime.h - C API of the smc GPU runtime ---------------*- C -*-===*\
|*                                                                            *|
|* Part of the smc project.                                                   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * Load an smc artifact onto a GPU and run its entries on caller-owned device
 * memory. Every function returns an smc_status; on failure
 * smc_last_error() holds a readable message for the calling thread. Nothing
 * aborts. The CUDA driver is loaded at run time (libcuda.so.1, or
 * $SMC_CUDA_DRIVER_LIB). Built into libsmc_runtime.so; the Python module
 * runtime/python/smc_runtime.py wraps it with ctypes.
 */

#ifndef SMC_RUNTIME_C_API_H
#define SMC_RUNTIME_C_API_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SMC_RUNTIME_API __attribute__((visibility("default")))
#else
#define SMC_RUNTIME_API
#endif

/* Status codes. */
enum smc_status {
  SMC_OK = 0,
  /* The caller's arguments: counts, dtypes, shapes, strides, names. */
  SMC_ERROR_INVALID_ARGUMENT = 1,
  /* The artifact file: unreadable or malformed. */
  SMC_ERROR_ARTIFACT = 2,
  /* The driver or the GPU: driver missing, module load, launch, memory. */
  SMC_ERROR_CUDA = 3,
};

/* Element types (the order of the reference library's DType). */
enum smc_dtype {
  SMC_DTYPE_F32 = 0,
  SMC_DTYPE_F16 = 1,
  SMC_DTYPE_BF16 = 2,
  SMC_DTYPE_F64 = 3,
  SMC_DTYPE_I32 = 4,
  SMC_DTYPE_I64 = 5,
};

/* Pass as device_ordinal to load an artifact's description without a GPU:
 * queries and argument checks work, smc_run fails. */
#define SMC_NO_DEVICE (-1)

/* A loaded artifact. */
typedef struct smc_executable smc_executable;

/* A tensor in device memory (or, for smc_output_shape and smc_check, only a
 * description: data may be NULL). strides are in elements; NULL means
 * contiguous row-major. data must be 16-byte aligned: the kernels move rows
 * with 16-byte vector accesses (allocations from cuMemAlloc or PyTorch are). */
typedef struct smc_tensor {
  void *data;
  int dtype; /* enum smc_dtype */
  int rank;
  const int64_t *shape;
  const int64_t *strides;
} smc_tensor;

/* The message of the calling thread's last failure ("" if none). */
SMC_RUNTIME_API const char *smc_last_error(void);

/* Reads the artifact at path and loads it onto device device_ordinal (or
 * SMC_NO_DEVICE). */
SMC_RUNTIME_API int smc_executable_load(const char *path, int device_ordinal,
                                        smc_executable **out);

/* Frees an executable (NULL is allowed). */
SMC_RUNTIME_API void smc_executable_free(smc_executable *exe);

/* The number of entries and the name of entry index (valid while exe
 * lives). */
SMC_RUNTIME_API int smc_entry_count(const smc_executable *exe, int *count);
SMC_RUNTIME_API int smc_entry_name(const smc_executable *exe, int index,
                                   const char **name);

/* Entries are named by `entry`; NULL or "" picks the only entry. */

/* The number of inputs and outputs of an entry. */
SMC_RUNTIME_API int smc_entry_arity(const smc_executable *exe,
                                    const char *entry, int *n_inputs,
                                    int *n_outputs);

/* Input (is_output == 0) or output number index: its name, dtype and
 * declared rank. */
SMC_RUNTIME_API int smc_entry_tensor(const smc_executable *exe,
                                     const char *entry, int is_output,
                                     int index, const char **name, int *dtype,
                                     int *rank);

/* The shape of output `output` for inputs of the given shapes (data and
 * strides ignored); shape receives *rank values (capacity >= the rank). */
SMC_RUNTIME_API int smc_output_shape(const smc_executable *exe,
                                     const char *entry, int n_inputs,
                                     const smc_tensor *inputs, int output,
                                     int *rank, int64_t *shape, int capacity);

/* Checks inputs and outputs as smc_run does, without running. With
 * outputs == NULL and n_outputs == 0 only the inputs are checked. */
SMC_RUNTIME_API int smc_check(const smc_executable *exe, const char *entry,
                              int n_inputs, const smc_tensor *inputs,
                              int n_outputs, const smc_tensor *outputs);

/* Runs an entry on `stream` (a CUstream; NULL: the legacy default stream).
 * Asynchronous: synchronize the stream before reading outputs, which the
 * caller allocates with the shapes of smc_output_shape. */
SMC_RUNTIME_API int smc_run(smc_executable *exe, const char *entry,
                            int n_inputs, const smc_tensor *inputs,
                            int n_outputs, const smc_tensor *outputs,
                            void *stream);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SMC_RUNTIME_C_API_H */
