#include "../../models/sir.hpp"
#include "../model_kernels.hpp"

AG_CPU_MODEL_KERNELS(Sir)
