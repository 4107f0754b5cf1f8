#include "../../models/network_sir.hpp"
#include "../model_kernels.hpp"

AG_CPU_MODEL_KERNELS(NetworkSir)
