// The list of models every backend instantiates. Adding a model: write its header, add it here.
#pragma once

#include <cstring>
#include <type_traits>
#include <utility>

#include "../core/config.hpp"
#include "bass_diffusion.hpp"
#include "bernoulli_sum.hpp"
#include "brock_hommes.hpp"
#include "gaussian_location.hpp"
#include "gaussian_shift.hpp"
#include "network_sir.hpp"
#include "random_walk.hpp"
#include "sir.hpp"
#include "volatility.hpp"

namespace ag {

template <class... Models>
struct ModelList {};

template <class... Models>
constexpr int list_length(ModelList<Models...>) {
  return static_cast<int>(sizeof...(Models));
}

using RegisteredModels = ModelList<RandomWalk, Volatility, Sir, NetworkSir, BrockHommes, BassDiffusion, BernoulliSum,
                                   GaussianShift, GaussianLocation>;

template <class Model>
struct ModelTag {
  using type = Model;
};

template <class Model>
AG_HD constexpr int parameter_count() { return static_cast<int>(sizeof(Model::kParameters) / sizeof(Model::kParameters[0])); }
template <class Model>
AG_HD constexpr int setting_count() { return static_cast<int>(sizeof(Model::kSettings) / sizeof(Model::kSettings[0])); }
template <class Model>
AG_HD constexpr int output_count() { return static_cast<int>(sizeof(Model::kOutputs) / sizeof(Model::kOutputs[0])); }

// Whether a model reads a contact graph (team.graph()); it then declares kUsesGraph = true.
template <class Model, class = void>
struct UsesGraph {
  static constexpr bool value = false;
};
template <class Model>
struct UsesGraph<Model, decltype(void(Model::kUsesGraph))> {
  static constexpr bool value = Model::kUsesGraph;
};
template <class Model>
constexpr bool uses_graph() { return UsesGraph<Model>::value; }

// Whether a model makes no discrete draws and no thresholds, so that every estimator mode but score
// runs the same code; it then declares kContinuous = true (and its kernels refuse a discrete draw).
template <class Model, class = void>
struct IsContinuous {
  static constexpr bool value = false;
};
template <class Model>
struct IsContinuous<Model, decltype(void(Model::kContinuous))> {
  static constexpr bool value = Model::kContinuous;
};
template <class Model>
constexpr bool is_continuous() { return IsContinuous<Model>::value; }

// Settings 0 and 1 of every model are `agents` and `steps`.
constexpr int kAgentsSetting = 0;
constexpr int kStepsSetting = 1;

// Calls f(ModelTag<M>{}) for the model named `name`; false when there is none.
template <class F, class... Models>
bool visit_model(const char* name, F&& f, ModelList<Models...>) {
  if constexpr (sizeof...(Models) == 0) return (void)name, (void)f, false;
  bool found = false;
  ((!found && std::strcmp(Models::kName, name) == 0 ? (f(ModelTag<Models>{}), found = true) : false), ...);
  return found;
}
template <class F>
bool visit_model(const char* name, F&& f) {
  return visit_model(name, std::forward<F>(f), RegisteredModels{});
}

// Whether Model is in the list.
template <class Model, class... Models>
constexpr bool listed(ModelList<Models...>) {
  return (std::is_same<Model, Models>::value || ...);
}

// Whether every model of the list is in exactly one of the lists A and B, and they hold no other.
template <class A, class B, class... Models>
constexpr bool partitions(ModelList<Models...>) {
  return ((listed<Models>(A{}) != listed<Models>(B{})) && ...) &&
         list_length(A{}) + list_length(B{}) == static_cast<int>(sizeof...(Models));
}

template <class F, class... Models>
void for_each_model(F&& f, ModelList<Models...>) {
  (f(ModelTag<Models>{}), ...);
}
template <class F>
void for_each_model(F&& f) {
  for_each_model(std::forward<F>(f), RegisteredModels{});
}

}  // namespace ag
