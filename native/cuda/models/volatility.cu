#include "../../models/volatility.hpp"
#include "../model_simulation.cuh"

AG_CUDA_MODEL(Volatility)
