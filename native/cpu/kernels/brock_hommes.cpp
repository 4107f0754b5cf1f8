#include "../../models/brock_hommes.hpp"
#include "../model_kernels.hpp"

AG_CPU_MODEL_KERNELS(BrockHommes)
