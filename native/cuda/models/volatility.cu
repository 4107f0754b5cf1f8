// The CUDA kernels of Volatility (see model_runner.cuh).
#include "../model_runner.cuh"

template struct ag::cuda::ModelRunner<ag::Volatility>;
