// Requests split into pieces of their replicates (native/models/request_pieces.hpp), as the CUDA
// backend splits a request over several devices (`devices: 'all'`): the pieces must give bitwise
// the numbers of the whole request. Three comparisons, each against the whole request run at once:
//   cpu-pieces    the pieces one after another on the CPU backend, into the rows of one buffer
//                 (every machine: the split itself and the random streams of first_replicate)
//   cuda-pieces   the CUDA backend with devices {0, 0, 0}: three pieces on three host threads,
//                 all on device 0 (the multi-device code path on a machine with one GPU)
//   cuda-devices  the CUDA backend on every visible device against device 0 alone (two or more GPUs)
#pragma once

#include <string>
#include <vector>

#include "agreement.hpp"

namespace ag::gpucheck {

// Group "devices": a model with tangents and an uneven split, a model in score mode with a
// parameter point per replicate (the table's rows and log_prob split too), the SIR model at
// 200,000 agents whose few replicates span many blocks (a piece must keep the whole request's
// blocks per replicate), and a model program.
std::vector<Case> split_cases();

CaseResult check_pieces_on_cpu(const Case& c);
CaseResult check_pieces_on_one_device(const Case& c);
CaseResult check_all_devices(const Case& c, int device_count);

// The same request timed on each visible device alone and on all of them at once.
struct DeviceTiming {
  int device_count = 0;
  std::string request;                // the timed request's name
  std::vector<double> device_seconds;  // device d alone: median of 3 calls after a warm-up
  double all_seconds = 0;             // every device at once: median of 3 calls
  double speedup = 0;                 // device 0 alone over all at once
  std::string error;
};

DeviceTiming time_devices(int device_count);

std::string device_timing_line(const DeviceTiming& timing);

}  // namespace ag::gpucheck
