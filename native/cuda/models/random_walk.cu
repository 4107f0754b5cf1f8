// The CUDA kernels of RandomWalk (see model_runner.cuh).
#include "../model_runner.cuh"

template struct ag::cuda::ModelRunner<ag::RandomWalk>;
