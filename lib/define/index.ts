export { defineModel, isModelFactory } from './factory.js';
export { describeProgram } from './describe.js';
export type { Agent, DrawOptions, Helper, ModelContext, ModelFactory, ModelSettings, ModelSpec, Neighbours, ParameterSpec, SettingSpec } from './types.js';
