//===- fixtures.cu - test kernels for the runtime, with smc's ABI ---------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
//
// Naive hand-written kernels that take their tensors as expanded MLIR memref
// descriptors (allocated, aligned, offset, sizes, strides), like the kernels
// `smc compile` generates. They exist only to test the runtime, the runner
// and the Python module on a GPU independently of the compiler: O(T^2)
// loops, never used for performance. make_fixtures.py builds artifacts
// from them.
//
//===----------------------------------------------------------------------===//

#include <cuda_bf16.h>
#include <stdint.h>

#define MEMREF1(T, n) T *n##_a, T *n, int64_t n##_o, int64_t n##_d0, int64_t n##_s0
#define MEMREF3(T, n)                                                          \
  T *n##_a, T *n, int64_t n##_o, int64_t n##_d0, int64_t n##_d1,              \
      int64_t n##_d2, int64_t n##_s0, int64_t n##_s1, int64_t n##_s2
#define MEMREF4(T, n)                                                          \
  T *n##_a, T *n, int64_t n##_o, int64_t n##_d0, int64_t n##_d1,              \
      int64_t n##_d2, int64_t n##_d3, int64_t n##_s0, int64_t n##_s1,         \
      int64_t n##_s2, int64_t n##_s3
#define AT4(n, i, j, k, l)                                                     \
  n[n##_o + (i) * n##_s0 + (j) * n##_s1 + (k) * n##_s2 + (l) * n##_s3]
#define AT3(n, i, j, k) n[n##_o + (i) * n##_s0 + (j) * n##_s1 + (k) * n##_s2]

/// Y[b,t,h,:] = sum_{start <= s <= t} (C[b,t,g,:] . B[b,s,g,:]) X[b,s,h,:].
/// Grid (b*T, h), block p.
__device__ void contract(MEMREF4(const float, C), MEMREF4(const float, B),
                         MEMREF4(const float, X), MEMREF4(float, Y),
                         const int64_t *cu, int64_t S) {
  int64_t T = X_d1, h = X_d2, p = X_d3, g = C_d2, n = C_d3;
  int64_t b = blockIdx.x / T, t = blockIdx.x % T, head = blockIdx.y;
  int64_t pi = threadIdx.x, grp = head / (h / g);
  if (pi >= p)
    return;
  int64_t start = 0;
  for (int64_t i = 0; cu && i < S; ++i)
    if (cu[i] <= t && t < cu[i + 1])
      start = cu[i];
  double acc = 0;
  for (int64_t s = start; s <= t; ++s) {
    double dot = 0;
    for (int64_t k = 0; k < n; ++k)
      dot += double(AT4(C, b, t, grp, k)) * double(AT4(B, b, s, grp, k));
    acc += dot * double(AT4(X, b, s, head, pi));
  }
  AT4(Y, b, t, head, pi) = float(acc);
}

extern "C" __global__ void contract_causal(MEMREF4(const float, C),
                                           MEMREF4(const float, B),
                                           MEMREF4(const float, X),
                                           MEMREF4(float, Y)) {
  contract(C_a, C, C_o, C_d0, C_d1, C_d2, C_d3, C_s0, C_s1, C_s2, C_s3, B_a,
           B, B_o, B_d0, B_d1, B_d2, B_d3, B_s0, B_s1, B_s2, B_s3, X_a, X,
           X_o, X_d0, X_d1, X_d2, X_d3, X_s0, X_s1, X_s2, X_s3, Y_a, Y, Y_o,
           Y_d0, Y_d1, Y_d2, Y_d3, Y_s0, Y_s1, Y_s2, Y_s3, nullptr, 0);
}

/// The same over packed sequences: cu holds S+1 offsets (b == 1).
extern "C" __global__ void
contract_causal_varlen(MEMREF4(const float, C), MEMREF4(const float, B),
                       MEMREF4(const float, X), MEMREF4(float, Y),
                       const int64_t *cu, int64_t S) {
  contract(C_a, C, C_o, C_d0, C_d1, C_d2, C_d3, C_s0, C_s1, C_s2, C_s3, B_a,
           B, B_o, B_d0, B_d1, B_d2, B_d3, B_s0, B_s1, B_s2, B_s3, X_a, X,
           X_o, X_d0, X_d1, X_d2, X_d3, X_s0, X_s1, X_s2, X_s3, Y_a, Y, Y_o,
           Y_d0, Y_d1, Y_d2, Y_d3, Y_s0, Y_s1, Y_s2, Y_s3, cu, S);
}

/// dtp[i] = softplus?(dt[i] + dt_bias[i % h]) over the b*T*h elements.
/// Grid ceil(total / blockDim.x).
extern "C" __global__ void ssd_dt(MEMREF3(const float, dt),
                                  const float *dt_bias, float *dtp,
                                  int64_t total, int32_t softplus) {
  int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= total)
    return;
  int64_t h = dt_d2, T = dt_d1;
  float d = AT3(dt, i / (T * h), (i / h) % T, i % h) + dt_bias[i % h];
  if (softplus)
    d = d > 20.f ? d : log1pf(expf(d));
  dtp[i] = d;
}

/// y[b,t,h,:] = sum_{s<=t} exp(sum_{k=s+1..t} dtp[k] A[h]) (C[t].B[s])
///              x[s,:] dtp[s]  +  D[h] x[t,:].
/// Grid (b*T, h), block p; C[t] is staged in dynamic shared memory.
extern "C" __global__ void ssd_y(MEMREF4(const __nv_bfloat16, x),
                                 const float *dtp, const float *A,
                                 MEMREF4(const __nv_bfloat16, B),
                                 MEMREF4(const __nv_bfloat16, C),
                                 const float *D,
                                 MEMREF4(__nv_bfloat16, y)) {
  extern __shared__ float ct[];
  int64_t T = x_d1, h = x_d2, p = x_d3, g = C_d2, n = C_d3;
  int64_t b = blockIdx.x / T, t = blockIdx.x % T, head = blockIdx.y;
  int64_t pi = threadIdx.x, grp = head / (h / g);
  for (int64_t k = pi; k < n; k += blockDim.x)
    ct[k] = __bfloat162float(AT4(C, b, t, grp, k));
  __syncthreads();
  if (pi >= p)
    return;
  float a = A[head];
  double acc = 0, decay = 1;
  for (int64_t s = t; s >= 0; --s) {
    float d = dtp[(b * T + s) * h + head];
    double dot = 0;
    for (int64_t k = 0; k < n; ++k)
      dot += double(ct[k]) * double(__bfloat162float(AT4(B, b, s, grp, k)));
    acc += decay * dot * double(__bfloat162float(AT4(x, b, s, head, pi))) * d;
    decay *= exp(double(d) * double(a));
  }
  acc += double(D[head]) * double(__bfloat162float(AT4(x, b, t, head, pi)));
  AT4(y, b, t, head, pi) = __float2bfloat16(float(acc));
}

/// final[b,h,:,:] = sum_s exp(sum_{k=s+1..T-1} dtp[k] A[h]) (x[s] dtp[s])
///                  B[s]^T. Grid (b, h), block p*n; the decays are staged
/// in dynamic shared memory (T floats).
extern "C" __global__ void ssd_final(MEMREF4(const __nv_bfloat16, x),
                                     const float *dtp, const float *A,
                                     MEMREF4(const __nv_bfloat16, B),
                                     MEMREF4(float, final_state)) {
  extern __shared__ float dts[];
  int64_t T = x_d1, h = x_d2, p = x_d3, g = B_d2, n = B_d3;
  int64_t b = blockIdx.x, head = blockIdx.y, grp = head / (h / g);
  for (int64_t s = threadIdx.x; s < T; s += blockDim.x)
    dts[s] = dtp[(b * T + s) * h + head];
  __syncthreads();
  int64_t pi = threadIdx.x / n, ni = threadIdx.x % n;
  if (pi >= p)
    return;
  float a = A[head];
  double acc = 0, decay = 1;
  for (int64_t s = T - 1; s >= 0; --s) {
    acc += decay * double(__bfloat162float(AT4(x, b, s, head, pi))) *
           double(dts[s]) * double(__bfloat162float(AT4(B, b, s, grp, ni)));
    decay *= exp(double(dts[s]) * double(a));
  }
  AT4(final_state, b, head, pi, ni) = float(acc);
}
