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
#if defined(__CUDA_ARCH__)
#define AG_UNROLL_TANGENTS _Pragma("unroll")
#elif defined(__CUDACC__)
#define AG_UNROLL_TANGENTS  // host pass of nvcc: runs no agent loops
#else
#define AG_UNROLL_TANGENTS _Pragma("GCC unroll 16")
#endif

// Inlines every call inside the function (host compilers): a replicate's whole time loop becomes
// one function, so values that agent loops capture by reference are known not to alias agent
// state, and their loop-invariant parts are hoisted out of the loops.
#if defined(__CUDACC__)
#define AG_FLATTEN
#else
#define AG_FLATTEN __attribute__((flatten))
#endif

#if defined(__CUDA_ARCH__)
#define AG_DEVICE_CODE 1
#else
#define AG_DEVICE_CODE 0
#endif
