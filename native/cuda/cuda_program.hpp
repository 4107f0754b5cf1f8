// The entry points of the CUDA backend for model programs (defineModel; docs/program-format.md),
// defined in program.cu: the per-agent interpreter (native/program/interpreter.hpp), one thread
// block per replicate.
#pragma once

#include <cstddef>

#include "../models/simulation.hpp"

namespace ag::cuda {

// Device memory a program request needs: the replicates of one launch's workspace (fields,
// snapshots, every thread's registers), the outputs, the parameter table, the graph and the program.
std::size_t program_device_bytes(const SimulationRequest& request);

// Runs a program request (request.program, validated) on the current device into the host buffers.
void simulate_program(const SimulationRequest& request, const SimulationBuffers& host_buffers);

}  // namespace ag::cuda
