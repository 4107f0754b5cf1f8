// The CUDA kernels of BernoulliSum (see model_runner.cuh).
#include "../model_runner.cuh"

template struct ag::cuda::ModelRunner<ag::BernoulliSum>;
