#include "program_parser.hpp"

#include <string>
#include <vector>

#include "../program/validate.hpp"
#include "argument_error.hpp"
#include "js_values.hpp"

namespace ag::addon {
namespace {

// Longest name the addon accepts for a model, parameter, setting or output.
constexpr std::size_t kMaxNameLength = 256;

std::string name_value(const Napi::Value& value, const std::string& what) {
  const std::string name = string_value(value, what);
  if (name.empty() || name.size() > kMaxNameLength) throw_range_error(what + " must be a name of 1 to 256 characters");
  return name;
}

Napi::Array array_value(const Napi::Value& value, const std::string& what, uint32_t max) {
  if (!value.IsArray()) throw_type_error(what + " must be an array, got " + describe(value));
  const Napi::Array array = value.As<Napi::Array>();
  if (array.Length() > max) throw_range_error(what + " holds at most " + std::to_string(max) + " entries, got " + std::to_string(array.Length()));
  return array;
}

template <class T>
std::vector<T> typed_array(const Napi::Value& value, napi_typedarray_type type, const char* type_name, const std::string& what,
                           std::size_t max) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw_type_error(what + " must be " + type_name + ", got " + describe(value));
  }
  const Napi::TypedArray array = value.As<Napi::TypedArray>();
  if (array.ElementLength() > max) {
    throw_range_error(what + " holds at most " + std::to_string(max) + " entries, got " + std::to_string(array.ElementLength()));
  }
  const T* data = reinterpret_cast<const T*>(static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset());
  return std::vector<T>(data, data + array.ElementLength());
}

std::vector<int32_t> int32_array(const Napi::Value& value, const std::string& what, std::size_t max) {
  return typed_array<int32_t>(value, napi_int32_array, "an Int32Array", what, max);
}

Constraint constraint_value(const Napi::Value& value, const std::string& what) {
  const std::string name = string_value(value, what);
  if (name == "real") return Constraint::real;
  if (name == "positive") return Constraint::positive;
  if (name == "unit") return Constraint::unit;
  throw_range_error(what + " must be 'real', 'positive' or 'unit', got '" + name + "'");
}

std::vector<ProgramParameter> parse_parameters(const Napi::Value& value) {
  const Napi::Array array = array_value(value, "program.parameters", kMaxProgramParameters);
  std::vector<ProgramParameter> parameters;
  for (uint32_t j = 0; j < array.Length(); ++j) {
    const std::string where = "program.parameters[" + std::to_string(j) + "]";
    const Napi::Object entry = object_value(array.Get(j), where);
    parameters.push_back(ProgramParameter{name_value(entry.Get("name"), where + ".name"),
                                          constraint_value(entry.Get("constraint"), where + ".constraint"),
                                          finite_number(entry.Get("reference"), where + ".reference")});
  }
  return parameters;
}

std::vector<ProgramSetting> parse_settings(const Napi::Value& value) {
  const Napi::Array array = array_value(value, "program.settings", kMaxSettings);
  std::vector<ProgramSetting> settings;
  for (uint32_t s = 0; s < array.Length(); ++s) {
    const std::string where = "program.settings[" + std::to_string(s) + "]";
    const Napi::Object entry = object_value(array.Get(s), where);
    const Napi::Value integer = entry.Get("integer");
    if (!integer.IsBoolean()) throw_type_error(where + ".integer must be a boolean, got " + describe(integer));
    settings.push_back(ProgramSetting{name_value(entry.Get("name"), where + ".name"), finite_number(entry.Get("default"), where + ".default"),
                                      finite_number(entry.Get("min"), where + ".min"), finite_number(entry.Get("max"), where + ".max"),
                                      integer.As<Napi::Boolean>().Value()});
  }
  return settings;
}

std::vector<std::string> parse_outputs(const Napi::Value& value) {
  const Napi::Array array = array_value(value, "program.outputs", kMaxProgramOutputs);
  std::vector<std::string> outputs;
  for (uint32_t o = 0; o < array.Length(); ++o) outputs.push_back(name_value(array.Get(o), "program.outputs[" + std::to_string(o) + "]"));
  return outputs;
}

std::vector<Instruction> parse_code(const Napi::Value& value, const char* block) {
  const std::string what = std::string("program.") + block;
  const std::vector<int32_t> words = int32_array(value, what, static_cast<std::size_t>(kMaxProgramInstructions) * 5);
  if (words.size() % 5 != 0) throw_range_error(what + " must hold 5 words per instruction, got " + std::to_string(words.size()) + " words");
  std::vector<Instruction> code(words.size() / 5);
  for (std::size_t i = 0; i < code.size(); ++i) {
    const int32_t* w = words.data() + 5 * i;
    code[i] = Instruction{static_cast<Op>(w[0]), w[1], w[2], w[3], w[4]};
  }
  return code;
}

}  // namespace

std::shared_ptr<const Program> parse_program(const Napi::Value& value) {
  const Napi::Object object = object_value(value, "program");
  auto program = std::make_shared<Program>();
  program->name = name_value(object.Get("name"), "program.name");
  program->parameters = parse_parameters(object.Get("parameters"));
  program->settings = parse_settings(object.Get("settings"));
  program->outputs = parse_outputs(object.Get("outputs"));
  program->fields = int32_array(object.Get("fields"), "program.fields", kMaxProgramFields);
  program->states = int32_array(object.Get("states"), "program.states", kMaxProgramStates);
  program->registers = int32_array(object.Get("registers"), "program.registers", kMaxProgramRegisters);
  program->constants = typed_array<double>(object.Get("constants"), napi_float64_array, "a Float64Array", "program.constants",
                                           kMaxProgramConstants);
  program->init = parse_code(object.Get("init"), "init");
  program->step = parse_code(object.Get("step"), "step");
  try {
    validate_program(*program);
  } catch (const ProgramError& error) {
    throw_range_error(std::string("malformed model program '") + program->name + "': " + error.what());
  }
  return program;
}

}  // namespace ag::addon
