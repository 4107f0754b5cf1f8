#include "../../models/volatility.hpp"
#include "../model_kernels.hpp"

AG_CPU_MODEL_KERNELS(Volatility)
