// The CUDA kernels of NetworkSir (see model_runner.cuh).
#include "../model_runner.cuh"

template struct ag::cuda::ModelRunner<ag::NetworkSir>;
