// The CUDA kernels of Sir (see model_runner.cuh).
#include "../model_runner.cuh"

template struct ag::cuda::ModelRunner<ag::Sir>;
