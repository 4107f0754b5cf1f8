// Expressions: numbers, names, operators, ternaries, Math, member reads and calls.
import type { BinaryExpression, CallExpression, Expression, Identifier, MemberExpression, PrivateIdentifier, Super, UnaryExpression } from 'acorn';

import { named, type FunctionLowering } from './context.js';
import { inlineHelper, specHelper } from './helpers.js';
import { AGENT, perAgent, REAL, widest } from './kinds.js';
import { isModelName, lowerModelCall, lowerModelRead, lowerNeighbourSum, modelNamespace, readNamespace } from './modelApi.js';
import { Op, type Opcode } from './opcodes.js';
import type { NumberValue, Scope, Value } from './scope.js';
import { unsupportedSyntax } from './syntax.js';

const arithmeticOperators: Readonly<Record<string, Opcode>> = { '+': Op.ADD, '-': Op.SUB, '*': Op.MUL, '/': Op.DIV, '**': Op.POW };
const comparisonOperators: Readonly<Record<string, Opcode>> = {
  '<': Op.LT, '<=': Op.LE, '>': Op.GT, '>=': Op.GE, '===': Op.EQ, '==': Op.EQ, '!==': Op.NE, '!=': Op.NE,
};
const mathUnary: Readonly<Record<string, Opcode>> = {
  exp: Op.EXP, log: Op.LOG, log1p: Op.LOG1P, expm1: Op.EXPM1, sqrt: Op.SQRT, abs: Op.ABS, tanh: Op.TANH,
};
const mathConstants: Readonly<Record<string, number>> = { PI: Math.PI, E: Math.E };
const mathNames = [...Object.keys(mathUnary), 'pow', 'min', 'max'].map((f) => `Math.${f}`).concat('Math.PI', 'Math.E');

/** The name of a non-computed member access (`x.name`). */
export function propertyName(ctx: FunctionLowering, node: MemberExpression): string {
  if (node.computed || node.property.type !== 'Identifier') {
    return ctx.fail(node.property, SyntaxError, 'computed member access such as x[i] is not supported: name the member (x.name)');
  }
  return node.property.name;
}

/** Whether `node` is the global Math (not shadowed by a local name). */
function isMath(scope: Scope, node: Expression | Super | PrivateIdentifier): boolean {
  return node.type === 'Identifier' && node.name === 'Math' && scope.lookup('Math') === undefined;
}

export function lowerNumber(ctx: FunctionLowering, scope: Scope, node: Expression): NumberValue {
  const value = lowerValue(ctx, scope, node);
  if (value.type === 'number') return value;
  const description = {
    model: 'the model object',
    agent: 'an agent: read one of its fields (a.name) or its index (a.index)',
    totals: 'the totals of m.sum: read one of them by name (totals.name)',
    helper: 'a function: call it',
  }[value.type];
  return ctx.fail(node, TypeError, `expected a number, got ${description}`);
}

/** A condition of a ternary or an if: a real register, with && || ! allowed. */
export function lowerCondition(ctx: FunctionLowering, scope: Scope, node: Expression): NumberValue {
  if (node.type === 'LogicalExpression' && (node.operator === '&&' || node.operator === '||')) {
    const left = lowerCondition(ctx, scope, node.left);
    const right = lowerCondition(ctx, scope, node.right);
    return ctx.arithmetic(node.operator === '&&' ? Op.AND : Op.OR, [left, right], true);
  }
  if (node.type === 'UnaryExpression' && node.operator === '!') {
    return ctx.arithmetic(Op.NOT, [lowerCondition(ctx, scope, node.argument)], true);
  }
  return ctx.truth(lowerNumber(ctx, scope, node));
}

export function lowerValue(ctx: FunctionLowering, scope: Scope, node: Expression): Value {
  switch (node.type) {
    case 'Literal':
      if (typeof node.value === 'number') {
        if (!Number.isFinite(node.value)) return ctx.fail(node, RangeError, `${node.raw ?? node.value} is not a finite number`);
        return ctx.constant(node.value);
      }
      return ctx.fail(node, TypeError, `${typeof node.value === 'boolean' ? 'true and false are' : `${describeLiteral(node.value)} are`} not supported: the program computes numbers only (write 1 and 0 for true and false)`);
    case 'Identifier':
      return lowerName(ctx, scope, node);
    case 'UnaryExpression':
      return lowerUnary(ctx, scope, node);
    case 'BinaryExpression':
      return lowerBinary(ctx, scope, node);
    case 'LogicalExpression':
      return ctx.fail(node, SyntaxError, `${node.operator} is only supported in the condition of a ternary (c ? x : y) or an if`);
    case 'ConditionalExpression': {
      const condition = lowerCondition(ctx, scope, node.test);
      const whenTrue = lowerNumber(ctx, scope, node.consequent);
      const whenFalse = lowerNumber(ctx, scope, node.alternate);
      const operands = [condition, whenTrue, whenFalse];
      return ctx.compute(Op.SELECT, widest(...operands.map((o) => o.kind)), operands.some((o) => o.dynamic), ...operands.map((o) => o.register));
    }
    case 'MemberExpression':
      return lowerMember(ctx, scope, node);
    case 'CallExpression': {
      const value = lowerCall(ctx, scope, node);
      if (value === undefined) return ctx.fail(node, TypeError, `${ctx.textOf(node.callee)} returns no value`);
      return value;
    }
    default:
      return ctx.fail(node, SyntaxError, unsupportedSyntax(node.type));
  }
}

function describeLiteral(value: unknown): string {
  if (value === null) return 'null values';
  if (typeof value === 'string') return 'strings';
  if (typeof value === 'bigint') return 'bigints';
  return 'regular expressions';
}

function lowerName(ctx: FunctionLowering, scope: Scope, node: Identifier): Value {
  const binding = scope.lookup(node.name);
  if (binding === undefined) return undefinedName(ctx, node);
  if (binding.type === 'const') return binding.value.type === 'number' ? named(binding.value) : binding.value;
  if (binding.type === 'loopIndex') return ctx.compute(Op.LOOP_INDEX, REAL, false, binding.depth);
  const { register, kind, dynamic } = binding.variable;
  return { type: 'number', register, kind, dynamic, fresh: false, mutable: true };
}

/** A name declared nowhere in the function: most often a variable of the module around it. */
export function undefinedName(ctx: FunctionLowering, node: Identifier): never {
  if (node.name === 'Math') return ctx.fail(node, TypeError, `Math can only be used as ${mathNames.join(', ')}`);
  if (['NaN', 'Infinity', 'undefined'].includes(node.name)) return ctx.fail(node, TypeError, `${node.name} is not supported: the program computes finite numbers`);
  const { parameters, settings } = ctx.spec;
  const hint = parameters.some((p) => p.name === node.name)
    ? `read the parameter as m.params.${node.name}`
    : settings.some((s) => s.name === node.name)
      ? `read the setting as m.settings.${node.name}`
      : `put constants in settings (settings: { ${node.name}: ... }) and read m.settings.${node.name}, and declare functions inside ${ctx.source.name} or in the spec's helpers`;
  return ctx.fail(node, TypeError, `'${node.name}' is not defined inside ${ctx.source.name}: model functions are read as source and cannot see the variables around them; ${hint}`);
}

function lowerUnary(ctx: FunctionLowering, scope: Scope, node: UnaryExpression): Value {
  switch (node.operator) {
    case '-':
      if (node.argument.type === 'Literal' && typeof node.argument.value === 'number') return ctx.constant(-node.argument.value);
      return ctx.arithmetic(Op.NEG, [lowerNumber(ctx, scope, node.argument)]);
    case '+':
      return lowerNumber(ctx, scope, node.argument);
    case '!':
      return ctx.arithmetic(Op.NOT, [lowerNumber(ctx, scope, node.argument)], true);
    default:
      return ctx.fail(node, SyntaxError, `the ${node.operator} operator is not supported`);
  }
}

function lowerBinary(ctx: FunctionLowering, scope: Scope, node: BinaryExpression): Value {
  const arithmetic = arithmeticOperators[node.operator];
  const comparison = comparisonOperators[node.operator];
  if (arithmetic === undefined && comparison === undefined) {
    const hint = node.operator === '%' ? ': compute x - d * Math.floor(x / d) outside the model, or keep a counter in a state variable' : '';
    return ctx.fail(node, SyntaxError, `the ${node.operator} operator is not supported${hint}`);
  }
  if (node.left.type === 'PrivateIdentifier') return ctx.fail(node.left, SyntaxError, unsupportedSyntax(node.left.type));
  const left = lowerNumber(ctx, scope, node.left);
  const right = lowerNumber(ctx, scope, node.right);
  return ctx.arithmetic((arithmetic ?? comparison)!, [left, right], comparison !== undefined);
}

function lowerMember(ctx: FunctionLowering, scope: Scope, node: MemberExpression): Value {
  const name = propertyName(ctx, node);
  if (isMath(scope, node.object)) {
    const constant = mathConstants[name];
    if (constant === undefined) return ctx.fail(node, TypeError, `Math.${name} is not supported here; supported: ${mathNames.join(', ')}`);
    return ctx.constant(constant);
  }
  const namespace = modelNamespace(scope, node.object);
  if (namespace) return readNamespace(ctx, namespace, name, node);
  if (node.object.type === 'Super') return ctx.fail(node.object, SyntaxError, 'super is not supported');
  if (node.object.type === 'Identifier' && scope.lookup(node.object.name) === undefined && ctx.spec.fields.includes(name)) {
    return ctx.fail(node, TypeError, `${node.object.name}.${name} is an agent field: it can only be used inside m.forEachAgent((${node.object.name}) => { ... }) or m.sum((${node.object.name}) => ...)`);
  }
  const object = lowerValue(ctx, scope, node.object);
  switch (object.type) {
    case 'model':
      return lowerModelRead(ctx, name, node);
    case 'agent':
      return readAgent(ctx, name, node);
    case 'totals': {
      const total = object.totals.get(name);
      if (total === undefined) return ctx.fail(node.property, TypeError, `'${name}' is not one of these totals; they are ${[...object.totals.keys()].join(', ')}`);
      return named(total);
    }
    default:
      return ctx.fail(node.property, TypeError, `.${name}: ${object.type === 'helper' ? 'functions' : 'numbers'} have no members here`);
  }
}

function readAgent(ctx: FunctionLowering, name: string, node: MemberExpression): NumberValue {
  if (name === 'index') return ctx.compute(Op.AGENT_INDEX, AGENT, false);
  const field = agentField(ctx, name, node);
  return ctx.compute(Op.FIELD_GET, perAgent(ctx.kinds.fields[field]!), true, field);
}

/** The index of agent field `name`, or an error listing the fields. */
export function agentField(ctx: FunctionLowering, name: string, node: MemberExpression): number {
  const field = ctx.spec.fields.indexOf(name);
  if (field < 0) {
    const known = ctx.spec.fields.length > 0 ? `fields are ${ctx.spec.fields.join(', ')} (and a.index, the agent's index)` : `it declares no agent fields (agent: ['${name}'])`;
    ctx.fail(node.property, TypeError, `'${name}' is not an agent field of ${ctx.spec.name}; ${known}`);
  }
  return field;
}

/** A call: a helper, Math, the model API; undefined when it yields no value (m.forEachAgent, m.output). */
export function lowerCall(ctx: FunctionLowering, scope: Scope, node: CallExpression): Value | undefined {
  const callee = node.callee;
  if (node.optional) return ctx.fail(node, SyntaxError, unsupportedSyntax('ChainExpression'));
  const spread = node.arguments.find((a) => a.type === 'SpreadElement');
  if (spread) return ctx.fail(spread, SyntaxError, unsupportedSyntax('SpreadElement'));
  const args = node.arguments as Expression[];
  if (callee.type === 'Identifier') {
    const binding = scope.lookup(callee.name);
    if (binding === undefined) return undefinedName(ctx, callee);
    if (binding.type !== 'const' || binding.value.type !== 'helper') return ctx.fail(callee, TypeError, `${callee.name} is not a function`);
    return inlineHelper(ctx, scope, binding.value.helper, args, node);
  }
  if (callee.type !== 'MemberExpression') return ctx.fail(callee, SyntaxError, 'only named functions can be called (helpers, Math.*, m.*)');
  const name = propertyName(ctx, callee);
  if (isMath(scope, callee.object)) return lowerMath(ctx, scope, name, args, node);
  if (modelNamespace(scope, callee.object) === 'helpers') return inlineHelper(ctx, scope, specHelper(ctx, name, callee), args, node);
  if (name === 'sum' && callee.object.type === 'CallExpression') {
    const inner = callee.object;
    if (inner.callee.type === 'MemberExpression' && !inner.callee.computed && inner.callee.property.type === 'Identifier' && inner.callee.property.name === 'neighbours') {
      return lowerNeighbourSum(ctx, scope, inner, args, node);
    }
  }
  if (isModelName(scope, callee.object)) return lowerModelCall(ctx, scope, name, args, node);
  if (callee.object.type === 'Identifier' && scope.lookup(callee.object.name) === undefined) return undefinedName(ctx, callee.object);
  return ctx.fail(callee.property, SyntaxError, `method calls such as .${name} are not supported: model functions may call helpers, Math functions and the model's m.* functions`);
}

function lowerMath(ctx: FunctionLowering, scope: Scope, name: string, args: Expression[], node: CallExpression): NumberValue {
  const unary = mathUnary[name];
  const variadic = name === 'min' || name === 'max';
  if (unary === undefined && name !== 'pow' && !variadic) {
    const hint = name === 'random'
      ? ': draw random numbers with m.uniform(), m.normal(mean, sd) or m.bernoulli(p), which are keyed so that runs repeat and can be differentiated'
      : `; supported: ${mathNames.join(', ')}`;
    return ctx.fail(node.callee, TypeError, `Math.${name} is not supported${hint}`);
  }
  const expected = unary !== undefined ? '1 argument' : variadic ? 'at least 2 arguments' : '2 arguments';
  if (unary !== undefined ? args.length !== 1 : variadic ? args.length < 2 : args.length !== 2) {
    return ctx.fail(node, TypeError, `Math.${name} takes ${expected}, got ${args.length}`);
  }
  const operands = args.map((a) => lowerNumber(ctx, scope, a));
  if (unary !== undefined) return ctx.arithmetic(unary, operands);
  if (!variadic) return ctx.arithmetic(Op.POW, operands);
  const op = name === 'min' ? Op.MIN : Op.MAX;
  return operands.slice(1).reduce((acc, operand) => ctx.arithmetic(op, [acc, operand]), operands[0]!);
}
