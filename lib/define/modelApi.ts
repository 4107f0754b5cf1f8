// The model object `m`: its members (params, settings, state, agents, t), its agent loops and
// sums, draws, neighbour sums and outputs.
import type { AssignmentExpression, CallExpression, Expression, Function as FunctionNode, Identifier, MemberExpression, Node, ObjectExpression, Property, UpdateExpression } from 'acorn';

import type { FunctionLowering } from './context.js';
import { agentField, lowerNumber, lowerValue } from './expressions.js';
import { DUAL, isAgent, isDual, perAgent, REAL, widest } from './kinds.js';
import { Op } from './opcodes.js';
import { Scope, type NumberValue, type Value } from './scope.js';
import { lowerBody } from './statements.js';
import { findNode } from './syntax.js';

export type Namespace = 'params' | 'settings' | 'state' | 'helpers';

const namespaces: readonly string[] = ['params', 'settings', 'state', 'helpers'];
const functions = ['forEachAgent', 'sum', 'neighbours', 'uniform', 'normal', 'commonNormal', 'bernoulli', 'above', 'categorical', 'output'];
const members = [...namespaces, 'agents', 't', ...functions];

/** The largest draw site: site | category << 12 must stay below 2^16. */
export const MAX_SITE = 4095;
/** The most values one m.sum may total (accumulators of a sum loop). */
const MAX_ACCUMULATORS = 8;

/** Whether `node` names the model object. */
export function isModelName(scope: Scope, node: Node): boolean {
  if (node.type !== 'Identifier') return false;
  const binding = scope.lookup((node as Identifier).name);
  return binding?.type === 'const' && binding.value.type === 'model';
}

/** Which of m.params, m.settings, m.state, m.helpers `node` is, if any. */
export function modelNamespace(scope: Scope, node: Node): Namespace | undefined {
  if (node.type !== 'MemberExpression') return undefined;
  const member = node as MemberExpression;
  if (member.computed || member.property.type !== 'Identifier' || !isModelName(scope, member.object)) return undefined;
  const name = member.property.name;
  return namespaces.includes(name) ? (name as Namespace) : undefined;
}

function listOf(names: readonly string[], none: string): string {
  return names.length > 0 ? names.join(', ') : none;
}

function parameterIndex(ctx: FunctionLowering, name: string, node: MemberExpression): number {
  const index = ctx.spec.parameters.findIndex((p) => p.name === name);
  if (index < 0) {
    ctx.fail(node.property, TypeError, `m.params.${name} is not a parameter of ${ctx.spec.name}; parameters are ${ctx.spec.parameters.map((p) => p.name).join(', ')}`);
  }
  return index;
}

export function settingIndex(ctx: FunctionLowering, name: string, node: MemberExpression): number {
  const index = ctx.spec.settings.findIndex((s) => s.name === name);
  if (index < 0) {
    ctx.fail(node.property, TypeError, `m.settings.${name} is not a setting of ${ctx.spec.name}; settings are ${ctx.spec.settings.map((s) => s.name).join(', ')}`);
  }
  return index;
}

export function stateIndex(ctx: FunctionLowering, name: string, node: MemberExpression): number {
  const index = ctx.spec.states.indexOf(name);
  if (index < 0) {
    ctx.fail(node.property, TypeError, `m.state.${name} is not a state variable of ${ctx.spec.name}; state variables are ${listOf(ctx.spec.states, `none (declare state: ['${name}'])`)}`);
  }
  return index;
}

/** m.params.x, m.settings.x, m.state.x as values. */
export function readNamespace(ctx: FunctionLowering, namespace: Namespace, name: string, node: MemberExpression): NumberValue {
  switch (namespace) {
    case 'params':
      return ctx.compute(Op.PARAM, DUAL, true, parameterIndex(ctx, name, node));
    case 'settings':
      return ctx.compute(Op.SETTING, REAL, false, settingIndex(ctx, name, node));
    case 'state': {
      const state = stateIndex(ctx, name, node);
      return ctx.compute(Op.STATE_GET, ctx.kinds.states[state]!, true, state);
    }
    case 'helpers':
      return ctx.fail(node, TypeError, `m.helpers.${name} is a function: call it`);
  }
}

/** m.agents, m.t, and misuses of the other members. */
export function lowerModelRead(ctx: FunctionLowering, name: string, node: MemberExpression): NumberValue {
  if (name === 'agents') return ctx.compute(Op.AGENT_COUNT, REAL, false);
  if (name === 't') return ctx.compute(Op.STEP, REAL, false);
  if (namespaces.includes(name)) return ctx.fail(node, TypeError, `m.${name} can only be used as m.${name}.name`);
  if (functions.includes(name)) return ctx.fail(node, TypeError, `m.${name} is a function: call it`);
  return unknownMember(ctx, name, node);
}

function unknownMember(ctx: FunctionLowering, name: string, node: MemberExpression): never {
  return ctx.fail(node.property, TypeError, `m.${name} is not part of the model; it has ${members.map((m) => `m.${m}`).join(', ')}`);
}

export function lowerModelCall(ctx: FunctionLowering, scope: Scope, name: string, args: Expression[], node: CallExpression): Value | undefined {
  switch (name) {
    case 'forEachAgent':
      return lowerForEachAgent(ctx, scope, args, node);
    case 'sum':
      return lowerSum(ctx, scope, args, node);
    case 'output':
      return lowerOutput(ctx, scope, args, node);
    case 'uniform':
    case 'normal':
    case 'commonNormal':
    case 'bernoulli':
    case 'categorical':
    case 'above':
      return lowerDraw(ctx, scope, name, args, node);
    case 'neighbours':
      return ctx.fail(node, TypeError, 'm.neighbours(a) can only be used as m.neighbours(a).sum((b) => b.field)');
    default:
      if (namespaces.includes(name) || name === 'agents' || name === 't') return ctx.fail(node, TypeError, `m.${name} is not a function`);
      return unknownMember(ctx, name, node.callee as MemberExpression);
  }
}

function refuseInsideAgentLoop(ctx: FunctionLowering, node: Node, what: string, advice: string): void {
  if (ctx.insideAgentLoop) ctx.fail(node, TypeError, `${what} cannot be used inside an agent loop (m.forEachAgent or m.sum): ${advice}`);
}

/** The single callback argument of an agent loop, with its one plain parameter. */
function agentCallback(ctx: FunctionLowering, args: Expression[], node: CallExpression, call: string): { fn: FunctionNode; parameter: string } {
  const fn = args[0];
  if (args.length !== 1 || (fn?.type !== 'ArrowFunctionExpression' && fn?.type !== 'FunctionExpression')) {
    return ctx.fail(node, TypeError, `${call} takes one function, (a) => ...`);
  }
  const parameter = fn.params[0];
  if (fn.params.length !== 1 || parameter?.type !== 'Identifier') return ctx.fail(fn, TypeError, `${call}'s function takes one parameter, the agent: (a) => ...`);
  if (fn.async || fn.generator) return ctx.fail(fn, SyntaxError, `${call}'s function cannot be async or a generator`);
  return { fn, parameter: parameter.name };
}

/** Emits an agent loop around what `body` lowers, in a scope where the callback's parameter is the agent. */
function agentLoop<T>(ctx: FunctionLowering, scope: Scope, parameter: string, body: (inner: Scope) => T): { result: T; loop: number } {
  const loop = ctx.effect(Op.AGENT_LOOP, 0);
  const inner = new Scope(scope);
  inner.declare(parameter, { type: 'const', value: { type: 'agent' }, what: 'the agent' });
  ctx.agentLoop = ctx.newAgentLoop();
  const result = body(inner);
  ctx.agentLoop = 0;
  ctx.closeLoop(loop);
  return { result, loop };
}

function lowerForEachAgent(ctx: FunctionLowering, scope: Scope, args: Expression[], node: CallExpression): undefined {
  refuseInsideAgentLoop(ctx, node, 'm.forEachAgent', 'agent loops do not nest');
  const { fn, parameter } = agentCallback(ctx, args, node, 'm.forEachAgent');
  agentLoop(ctx, scope, parameter, (inner) => lowerBody(ctx, inner, fn, false));
  return undefined;
}

function propertyKey(ctx: FunctionLowering, property: ObjectExpression['properties'][number]): { key: string; value: Expression; node: Property } {
  if (property.type !== 'Property' || property.computed || property.kind !== 'init' || property.method) {
    return ctx.fail(property, SyntaxError, 'only name: value entries are supported here');
  }
  const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'Literal' ? String(property.key.value) : undefined;
  if (key === undefined) return ctx.fail(property.key, SyntaxError, 'only name: value entries are supported here');
  return { key, value: property.value as Expression, node: property };
}

/** The entries of an object literal, each name once. */
function entries(ctx: FunctionLowering, object: ObjectExpression): { key: string; value: Expression; node: Property }[] {
  const list = object.properties.map((p) => propertyKey(ctx, p));
  list.forEach((entry, i) => {
    if (list.findIndex((e) => e.key === entry.key) !== i) ctx.fail(entry.node, TypeError, `'${entry.key}' is given twice`);
  });
  return list;
}

function lowerSum(ctx: FunctionLowering, scope: Scope, args: Expression[], node: CallExpression): Value {
  refuseInsideAgentLoop(ctx, node, 'm.sum', 'agent loops do not nest; total over agents before or after this loop');
  const { fn, parameter } = agentCallback(ctx, args, node, 'm.sum');
  const { result: summands, loop } = agentLoop(ctx, scope, parameter, (inner) => {
    const returned = lowerBody(ctx, inner, fn, true);
    if (!returned) return ctx.fail(fn, TypeError, "m.sum's function must return the value to total: (a) => a.field, or an object of values");
    if (returned.type === 'ObjectExpression' && (returned.properties.length === 0 || returned.properties.length > MAX_ACCUMULATORS)) {
      ctx.fail(returned, RangeError, `m.sum totals 1 to ${MAX_ACCUMULATORS} values in one loop, got ${returned.properties.length}${returned.properties.length > 0 ? '; split them between two sums' : ''}`);
    }
    const list = returned.type === 'ObjectExpression'
      ? entries(ctx, returned).map(({ key, value }) => ({ key, value: lowerNumber(ctx, inner, value) }))
      : [{ key: '', value: lowerNumber(ctx, inner, returned) }];
    list.forEach(({ value }, accumulator) => ctx.effect(Op.ACCUMULATE, 0, accumulator, value.register));
    return { list, totals: returned.type === 'ObjectExpression' };
  });
  ctx.block.patch(loop, 3, 1);
  ctx.block.patch(loop, 4, summands.list.length);
  const results = summands.list.map(({ key, value }, accumulator) => ({
    key,
    value: ctx.compute(Op.SUM_RESULT, isDual(value.kind) ? DUAL : REAL, value.dynamic, accumulator),
  }));
  if (!summands.totals) return results[0]!.value;
  return { type: 'totals', totals: new Map(results.map(({ key, value }) => [key, value])) };
}

function lowerOutput(ctx: FunctionLowering, scope: Scope, args: Expression[], node: CallExpression): undefined {
  refuseInsideAgentLoop(ctx, node, 'm.output', 'total the values with m.sum and output them after the loop');
  if (ctx.guards.length > 0) ctx.fail(node, TypeError, 'm.output cannot be used inside an if: choose the value with a ternary, m.output({ x: c ? a : b })');
  const object = args[0];
  if (args.length !== 1 || object?.type !== 'ObjectExpression') return ctx.fail(node, TypeError, 'm.output takes one object of outputs, m.output({ name: value })');
  for (const { key, value, node: entry } of entries(ctx, object)) {
    const output = ctx.spec.outputs.indexOf(key);
    if (output < 0) ctx.fail(entry.key, TypeError, `'${key}' is not an output of ${ctx.spec.name}; outputs are ${ctx.spec.outputs.join(', ')}`);
    const lowered = lowerNumber(ctx, scope, value);
    ctx.effect(Op.OUTPUT, 0, output, lowered.register);
    ctx.outputsWritten.add(key);
  }
  return undefined;
}

const drawArity: Readonly<Record<string, { min: number; max: number; usage: string }>> = {
  uniform: { min: 0, max: 0, usage: 'm.uniform()' },
  normal: { min: 2, max: 2, usage: 'm.normal(mean, sd)' },
  commonNormal: { min: 0, max: 2, usage: 'm.commonNormal(mean = 0, sd = 1)' },
  bernoulli: { min: 1, max: 1, usage: 'm.bernoulli(p)' },
  categorical: { min: 1, max: 1, usage: 'm.categorical([p1, p2, ...])' },
  above: { min: 2, max: 2, usage: 'm.above(x, threshold)' },
};

/** The explicit stream of a draw's options argument `{ stream: n }`. */
function streamOption(ctx: FunctionLowering, options: ObjectExpression): number {
  const list = entries(ctx, options);
  const unknown = list.find((e) => e.key !== 'stream');
  if (unknown) ctx.fail(unknown.node, TypeError, `'${unknown.key}' is not an option of a draw; its one option is stream`);
  const given = list[0];
  if (!given) return ctx.fail(options, TypeError, 'a draw\'s options must give its stream: { stream: n }');
  const literal = given.value;
  if (literal.type !== 'Literal' || typeof literal.value !== 'number') {
    return ctx.fail(literal, TypeError, 'stream must be a number literal: the draw site is fixed when the model is defined');
  }
  const stream = literal.value;
  if (!Number.isInteger(stream) || stream < 0 || stream > MAX_SITE) ctx.fail(literal, RangeError, `stream must be an integer in [0, ${MAX_SITE}], got ${stream}`);
  ctx.claimStream(literal, stream);
  return stream;
}

function lowerDraw(ctx: FunctionLowering, scope: Scope, name: string, args: Expression[], node: CallExpression): NumberValue {
  const last = args[args.length - 1];
  const hasOptions = last?.type === 'ObjectExpression';
  const operands = hasOptions ? args.slice(0, -1) : args;
  const { min, max, usage } = drawArity[name]!;
  if (operands.length < min || operands.length > max) {
    ctx.fail(node, TypeError, `${usage} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}${name === 'above' ? '' : ' and an optional { stream: n }'}, got ${operands.length}`);
  }
  if (name === 'above') {
    if (hasOptions) ctx.fail(last, TypeError, 'm.above draws nothing, so it takes no stream');
    const [x, threshold] = operands.map((o) => lowerNumber(ctx, scope, o)) as [NumberValue, NumberValue];
    return ctx.compute(Op.ABOVE, ctx.perAgentInLoop(widest(x.kind, threshold.kind)), x.dynamic || threshold.dynamic, x.register, threshold.register);
  }
  if (name === 'categorical') return lowerCategorical(ctx, scope, operands[0]!, hasOptions ? streamOption(ctx, last) : undefined);
  const values = operands.map((o) => lowerNumber(ctx, scope, o));
  const stream = hasOptions ? streamOption(ctx, last) : undefined;
  switch (name) {
    case 'uniform':
      return ctx.draw(Op.UNIFORM, ctx.perAgentInLoop(REAL), stream);
    case 'bernoulli':
      return ctx.draw(Op.BERNOULLI, ctx.perAgentInLoop(values[0]!.kind), stream, values[0]!.register);
    case 'normal':
      return ctx.draw(Op.NORMAL, ctx.perAgentInLoop(widest(values[0]!.kind, values[1]!.kind)), stream, values[0]!.register, values[1]!.register);
    default:
      return lowerCommonNormal(ctx, values, stream);
  }
}

/** One normal per replicate and step; a per-agent mean or sd applies after the draw. */
function lowerCommonNormal(ctx: FunctionLowering, values: NumberValue[], stream: number | undefined): NumberValue {
  const [mean, sd] = [values[0] ?? ctx.constant(0), values[1] ?? ctx.constant(1)];
  const kind = widest(mean.kind, sd.kind);
  if (!isAgent(kind)) return ctx.draw(Op.COMMON_NORMAL, kind, stream, mean.register, sd.register);
  const z = ctx.draw(Op.COMMON_NORMAL, REAL, stream, ctx.constant(0).register, ctx.constant(1).register);
  return ctx.arithmetic(Op.ADD, [mean, ctx.arithmetic(Op.MUL, [sd, z])]);
}

function lowerCategorical(ctx: FunctionLowering, scope: Scope, argument: Expression, stream: number | undefined): NumberValue {
  if (argument.type !== 'ArrayExpression') return ctx.fail(argument, TypeError, 'm.categorical takes an array of probabilities written out: m.categorical([p1, p2, ...])');
  const count = argument.elements.length;
  if (count < 2 || count > 16) ctx.fail(argument, RangeError, `m.categorical takes 2 to 16 probabilities, got ${count}`);
  const probabilities = argument.elements.map((element) => {
    if (element === null || element.type === 'SpreadElement') return ctx.fail(element ?? argument, SyntaxError, 'write each probability out: m.categorical([p1, p2, ...])');
    return lowerNumber(ctx, scope, element);
  });
  // The draw reads its probabilities from consecutive registers.
  const first = ctx.program.builder.registers.length;
  for (const p of probabilities) ctx.program.builder.newRegister(p.kind);
  probabilities.forEach((p, i) => ctx.effect(Op.COPY, first + i, p.register));
  return ctx.draw(Op.CATEGORICAL, ctx.perAgentInLoop(widest(...probabilities.map((p) => p.kind))), stream, first, count);
}

const drawNames = ['uniform', 'normal', 'commonNormal', 'bernoulli', 'categorical', 'above'];

/** `b.field`, the only thing a neighbour sum may read: its field name, if `body` is that. */
function neighbourField(body: FunctionNode['body'], neighbour: string): MemberExpression | undefined {
  const expression = body.type === 'BlockStatement'
    ? body.body.length === 1 && body.body[0]!.type === 'ReturnStatement' ? body.body[0]!.argument : undefined
    : body;
  if (expression?.type !== 'MemberExpression' || expression.computed || expression.property.type !== 'Identifier') return undefined;
  return expression.object.type === 'Identifier' && expression.object.name === neighbour ? expression : undefined;
}

function isNeighbourWrite(node: { type: string }, neighbour: string): boolean {
  const target = node.type === 'AssignmentExpression' ? (node as AssignmentExpression).left : node.type === 'UpdateExpression' ? (node as UpdateExpression).argument : undefined;
  return target?.type === 'MemberExpression' && target.object.type === 'Identifier' && target.object.name === neighbour;
}

function isDrawCall(node: { type: string }, scope: Scope): boolean {
  if (node.type !== 'CallExpression') return false;
  const callee = (node as CallExpression).callee;
  return callee.type === 'MemberExpression' && callee.property.type === 'Identifier' && drawNames.includes(callee.property.name) && isModelName(scope, callee.object);
}

/** m.neighbours(a).sum((b) => b.field): NEIGHBOUR_SUM of that field, as the previous step left it. */
export function lowerNeighbourSum(ctx: FunctionLowering, scope: Scope, neighbours: CallExpression, args: Expression[], node: CallExpression): NumberValue {
  const callee = neighbours.callee as MemberExpression;
  if (!isModelName(scope, callee.object)) return ctx.fail(callee.property, SyntaxError, 'method calls such as .neighbours are not supported');
  if (ctx.phase !== 'step') ctx.fail(neighbours, TypeError, 'm.neighbours(a) reads the fields as the previous step left them, so it can only be used in step');
  if (!ctx.insideAgentLoop) ctx.fail(neighbours, TypeError, 'm.neighbours(a) can only be used inside m.forEachAgent or m.sum, with the agent of that loop');
  const agent = neighbours.arguments[0];
  if (neighbours.arguments.length !== 1 || agent?.type === 'SpreadElement' || lowerValue(ctx, scope, agent!).type !== 'agent') {
    ctx.fail(neighbours, TypeError, "m.neighbours takes the loop's agent: m.neighbours(a)");
  }
  const fn = args[0];
  const usage = 'm.neighbours(a).sum takes (b) => b.field: the sum of one field over the neighbours';
  if (args.length !== 1 || (fn?.type !== 'ArrowFunctionExpression' && fn?.type !== 'FunctionExpression')) return ctx.fail(node, TypeError, usage);
  const parameter = fn.params[0];
  if (fn.params.length !== 1 || parameter?.type !== 'Identifier') return ctx.fail(fn, TypeError, usage);
  const read = neighbourField(fn.body, parameter.name);
  if (read) {
    const field = agentField(ctx, (read.property as Identifier).name, read);
    ctx.program.usesGraph = true;
    return ctx.compute(Op.NEIGHBOUR_SUM, perAgent(ctx.kinds.fields[field]!), true, field);
  }
  const write = findNode(fn.body, (n) => isNeighbourWrite(n, parameter.name));
  if (write) {
    ctx.fail(write, TypeError, `${parameter.name} is another agent: an agent may only change its own fields, inside its own loop; neighbours are read as the previous step left them`);
  }
  const draw = findNode(fn.body, (n) => isDrawCall(n, scope));
  if (draw) ctx.fail(draw, TypeError, 'draws are not allowed inside m.neighbours(a).sum, which only reads a field of each neighbour; draw for the agent outside it');
  return ctx.fail(fn, TypeError, usage);
}
