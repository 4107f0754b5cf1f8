#include "../../models/network_sir.hpp"
#include "../model_simulation.cuh"

AG_CUDA_MODEL(NetworkSir)
