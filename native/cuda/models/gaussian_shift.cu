// The CUDA kernels of GaussianShift (see model_runner.cuh).
#include "../model_runner.cuh"

template struct ag::cuda::ModelRunner<ag::GaussianShift>;
