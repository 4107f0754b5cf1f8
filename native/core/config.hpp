// Compilation-target macros shared by every header that both g++ and nvcc compile.
#pragma once

#if defined(__CUDACC__)
#define AG_HD __host__ __device__
#define AG_INLINE __forceinline__
#else
#define AG_HD
#define AG_INLINE inline __attribute__((always_inline))
#endif

// Fully unrolls the loop over tangents that follows, so that an agent loop around it stays a
// single straight-line body the compiler can vectorise.
#if defined(__CUDACC__)
#define AG_UNROLL_TANGENTS _Pragma("unroll")
#else
#define AG_UNROLL_TANGENTS _Pragma("GCC unroll 16")
#endif

#if defined(__CUDA_ARCH__)
#define AG_DEVICE_CODE 1
#else
#define AG_DEVICE_CODE 0
#endif
