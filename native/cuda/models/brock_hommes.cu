// The CUDA kernels of BrockHommes (see model_runner.cuh).
#include "../model_runner.cuh"

template struct ag::cuda::ModelRunner<ag::BrockHommes>;
