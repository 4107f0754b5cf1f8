// The CUDA kernels of BassDiffusion (see model_runner.cuh).
#include "../model_runner.cuh"

template struct ag::cuda::ModelRunner<ag::BassDiffusion>;
