// The CUDA kernels of GaussianLocation (see model_runner.cuh).
#include "../model_runner.cuh"

template struct ag::cuda::ModelRunner<ag::GaussianLocation>;
