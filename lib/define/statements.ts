// Statements: declarations, assignments, for loops, ifs (lowered as guarded writes) and blocks.
import type {
  AssignmentExpression, Expression, ForStatement, Function as FunctionNode, Identifier, IfStatement, MemberExpression, Node, Pattern,
  Statement, UpdateExpression, VariableDeclaration,
} from 'acorn';

import type { FunctionLowering } from './context.js';
import { agentField, lowerCall, lowerCondition, lowerNumber, lowerValue, propertyName, undefinedName } from './expressions.js';
import { defineHelper } from './helpers.js';
import { perAgent, REAL, widest } from './kinds.js';
import { modelNamespace, settingIndex, stateIndex } from './modelApi.js';
import { Op, type Opcode } from './opcodes.js';
import { Scope, type NumberValue, type Value, type Variable } from './scope.js';
import { unsupportedSyntax } from './syntax.js';

/** The most iterations of one for loop, and the deepest nesting (docs/program-format.md, LOOP). */
const MAX_LOOP_COUNT = 32768;
const MAX_LOOP_DEPTH = 4;

/**
 * Lowers a function's body into `scope`. With `returns`, a final `return` is allowed and its
 * expression is handed back (null for a bare return) for the caller to lower in that scope.
 */
export function lowerBody(ctx: FunctionLowering, scope: Scope, fn: FunctionNode, returns: boolean): Expression | null | undefined {
  if (fn.body.type !== 'BlockStatement') {
    if (returns) return fn.body;
    lowerExpressionStatement(ctx, scope, fn.body);
    return undefined;
  }
  const statements = fn.body.body;
  const last = statements[statements.length - 1];
  const final = returns && last?.type === 'ReturnStatement' ? last : undefined;
  lowerStatements(ctx, scope, final ? statements.slice(0, -1) : statements);
  return final ? final.argument ?? null : undefined;
}

/** Lowers statements in `scope`, function declarations first (they are hoisted). */
export function lowerStatements(ctx: FunctionLowering, scope: Scope, statements: readonly Statement[]): void {
  for (const statement of statements) {
    if (statement.type === 'FunctionDeclaration') {
      scope.declare(statement.id.name, { type: 'const', value: { type: 'helper', helper: defineHelper(ctx, scope, statement.id.name, statement) }, what: 'a function' });
    }
  }
  for (const statement of statements) lowerStatement(ctx, scope, statement);
}

function lowerStatement(ctx: FunctionLowering, scope: Scope, node: Statement): void {
  switch (node.type) {
    case 'ExpressionStatement':
      if (node.directive === undefined) lowerExpressionStatement(ctx, scope, node.expression);
      return;
    case 'VariableDeclaration':
      return lowerDeclaration(ctx, scope, node);
    case 'FunctionDeclaration':
    case 'EmptyStatement':
      return;
    case 'BlockStatement':
      return lowerStatements(ctx, new Scope(scope), node.body);
    case 'IfStatement':
      return lowerIf(ctx, scope, node);
    case 'ForStatement':
      return lowerFor(ctx, scope, node);
    case 'ReturnStatement':
      return ctx.fail(node, SyntaxError, 'return is only supported as the last statement of a helper function or of m.sum\'s function');
    default:
      return ctx.fail(node, SyntaxError, unsupportedSyntax(node.type));
  }
}

function lowerExpressionStatement(ctx: FunctionLowering, scope: Scope, node: Expression): void {
  if (node.type === 'AssignmentExpression') return lowerAssignment(ctx, scope, node);
  if (node.type === 'UpdateExpression') return lowerUpdate(ctx, scope, node);
  if (node.type === 'CallExpression') {
    lowerCall(ctx, scope, node);
    return;
  }
  lowerValue(ctx, scope, node);
}

/** A value to bind to a const: a let's register changes later, so its value is copied. */
export function kept(ctx: FunctionLowering, value: Value): Value {
  if (value.type !== 'number' || !value.mutable) return value;
  return ctx.compute(Op.COPY, value.kind, value.dynamic, value.register);
}

function lowerDeclaration(ctx: FunctionLowering, scope: Scope, node: VariableDeclaration): void {
  if (node.kind !== 'const' && node.kind !== 'let') return ctx.fail(node, SyntaxError, `${node.kind} is not supported; declare variables with let or const`);
  for (const declarator of node.declarations) {
    const init = declarator.init;
    if (!init) return ctx.fail(declarator, SyntaxError, `${node.kind} declarations must give a value (let x = 0)`);
    if (declarator.id.type === 'ObjectPattern') {
      destructureTotals(ctx, scope, declarator.id, init, node.kind);
      continue;
    }
    if (declarator.id.type !== 'Identifier') return ctx.fail(declarator.id, SyntaxError, 'only plain names and { a, b } = m.sum(...) can be declared');
    const name = declarator.id.name;
    if (node.kind === 'const' && (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression')) {
      scope.declare(name, { type: 'const', value: { type: 'helper', helper: defineHelper(ctx, scope, name, init) }, what: 'a function' });
    } else if (node.kind === 'const') {
      scope.declare(name, { type: 'const', value: kept(ctx, lowerValue(ctx, scope, init)), what: 'a const' });
    } else {
      scope.declare(name, { type: 'let', variable: declareVariable(ctx, declarator, lowerNumber(ctx, scope, init)) });
    }
  }
}

function destructureTotals(ctx: FunctionLowering, scope: Scope, pattern: Extract<Pattern, { type: 'ObjectPattern' }>, init: Expression, kind: string): void {
  if (kind !== 'const') return ctx.fail(pattern, SyntaxError, 'destructuring is only supported with const: const { a, b } = m.sum(...)');
  const value = lowerValue(ctx, scope, init);
  if (value.type !== 'totals') return ctx.fail(init, TypeError, 'only the totals of m.sum((a) => ({ ... })) can be destructured');
  for (const property of pattern.properties) {
    if (property.type !== 'Property' || property.computed || property.key.type !== 'Identifier' || property.value.type !== 'Identifier') {
      return ctx.fail(property, SyntaxError, 'destructure totals by name: const { a, b } = m.sum(...)');
    }
    const total = value.totals.get(property.key.name);
    if (!total) return ctx.fail(property.key, TypeError, `'${property.key.name}' is not one of these totals; they are ${[...value.totals.keys()].join(', ')}`);
    scope.declare(property.value.name, { type: 'const', value: total, what: 'a const' });
  }
}

function declareVariable(ctx: FunctionLowering, declaration: Node, initial: NumberValue): Variable {
  const { kind, dynamic } = ctx.kinds.variable(declaration, initial);
  const common = { kind, dynamic, declaration, agentLoop: ctx.agentLoop, guardDepth: ctx.guards.length };
  if (initial.fresh && !initial.mutable && ctx.program.builder.registers[initial.register] === kind) return { register: initial.register, ...common };
  const register = ctx.program.builder.newRegister(kind);
  ctx.copyInto(register, kind, initial);
  return { register, ...common };
}

const compoundOperators: Readonly<Record<string, Opcode>> = { '+=': Op.ADD, '-=': Op.SUB, '*=': Op.MUL, '/=': Op.DIV, '**=': Op.POW };

/** What gets assigned: the new value, computed from the old one for compound assignments. */
type Update = (old: () => NumberValue) => NumberValue;

function lowerAssignment(ctx: FunctionLowering, scope: Scope, node: AssignmentExpression): void {
  if (node.operator === '=') return assign(ctx, scope, node.left, () => lowerNumber(ctx, scope, node.right));
  const op = compoundOperators[node.operator];
  if (op === undefined) return ctx.fail(node, SyntaxError, `the ${node.operator} operator is not supported`);
  assign(ctx, scope, node.left, (old) => {
    const before = old();
    return ctx.arithmetic(op, [before, lowerNumber(ctx, scope, node.right)]);
  });
}

function lowerUpdate(ctx: FunctionLowering, scope: Scope, node: UpdateExpression): void {
  const op = node.operator === '++' ? Op.ADD : Op.SUB;
  assign(ctx, scope, node.argument as Pattern, (old) => {
    const before = old();
    return ctx.arithmetic(op, [before, ctx.constant(1)]);
  });
}

function assign(ctx: FunctionLowering, scope: Scope, target: Pattern | Expression, update: Update): void {
  if (target.type === 'Identifier') return assignName(ctx, scope, target, update);
  if (target.type === 'MemberExpression') return assignMember(ctx, scope, target, update);
  ctx.fail(target, SyntaxError, 'destructuring assignment is not supported');
}

function assignName(ctx: FunctionLowering, scope: Scope, node: Identifier, update: Update): void {
  const name = node.name;
  const binding = scope.lookup(name);
  if (binding === undefined) return undefinedName(ctx, node);
  if (binding.type === 'loopIndex') return ctx.fail(node, TypeError, `${name} is the counter of a for loop: it cannot be assigned`);
  if (binding.type === 'const') return ctx.fail(node, TypeError, `${name} is ${binding.what}: it cannot be assigned${binding.what === 'a const' ? '; declare it with let to change it' : ''}`);
  const variable = binding.variable;
  if (variable.agentLoop !== ctx.agentLoop) {
    ctx.fail(node, TypeError, `${name} is declared outside this agent loop, so the loop cannot assign it (every agent would write it at once): total values over agents with m.sum, or keep them per agent in a field`);
  }
  const value = update(() => ({ type: 'number', register: variable.register, kind: variable.kind, dynamic: variable.dynamic, fresh: false, mutable: true }));
  const guard = ctx.guardAbove(variable.guardDepth);
  ctx.kinds.noteVariable(variable.declaration, widest(value.kind, guard?.kind ?? REAL), value.dynamic);
  if (guard) {
    ctx.effect(Op.SELECT, variable.register, guard.register, value.register, variable.register);
  } else {
    ctx.copyInto(variable.register, variable.kind, value);
  }
}

/** `value`, or under an if, `guard ? value : old` (the guard of every enclosing if). */
function guarded(ctx: FunctionLowering, value: NumberValue, old: () => NumberValue): NumberValue {
  const guard = ctx.guardAbove(0);
  if (!guard) return value;
  const previous = old();
  return ctx.compute(Op.SELECT, widest(guard.kind, value.kind, previous.kind), value.dynamic || previous.dynamic, guard.register, value.register, previous.register);
}

function assignMember(ctx: FunctionLowering, scope: Scope, target: MemberExpression, update: Update): void {
  const name = propertyName(ctx, target);
  const namespace = modelNamespace(scope, target.object);
  if (namespace === 'state') return assignState(ctx, stateIndex(ctx, name, target), update, target);
  if (namespace === 'params') {
    return ctx.fail(target, TypeError, `m.params.${name} is a parameter: parameters are read-only; keep a changing value in m.state or a let`);
  }
  if (namespace === 'settings') {
    settingIndex(ctx, name, target);
    return ctx.fail(target, TypeError, `m.settings.${name} is a setting: settings are read-only; keep a changing value in m.state or a let`);
  }
  if (namespace === 'helpers') return ctx.fail(target, TypeError, 'm.helpers cannot be assigned');
  const object = target.object.type === 'Identifier' && scope.lookup(target.object.name) === undefined && ctx.spec.fields.includes(name)
    ? ctx.fail(target, TypeError, `${target.object.name}.${name} is an agent field: it can only be assigned inside m.forEachAgent((${target.object.name}) => { ... }), to the agent of that loop`)
    : lowerValue(ctx, scope, target.object as Expression);
  if (object.type === 'agent') return assignField(ctx, name, update, target);
  if (object.type === 'model') return ctx.fail(target, TypeError, `m.${name} is read-only`);
  ctx.fail(target, TypeError, 'only let variables, agent fields (a.name) and state variables (m.state.name) can be assigned');
}

function assignField(ctx: FunctionLowering, name: string, update: Update, target: MemberExpression): void {
  if (name === 'index') return ctx.fail(target, TypeError, 'a.index is the agent\'s index: it cannot be assigned');
  const field = agentField(ctx, name, target);
  const read = () => ctx.compute(Op.FIELD_GET, perAgent(ctx.kinds.fields[field]!), true, field);
  const value = guarded(ctx, update(read), read);
  ctx.kinds.noteField(field, value.kind);
  ctx.effect(Op.FIELD_SET, 0, field, value.register);
}

function assignState(ctx: FunctionLowering, state: number, update: Update, target: MemberExpression): void {
  if (ctx.insideAgentLoop) {
    ctx.fail(target, TypeError, `m.state.${ctx.spec.states[state]} cannot be assigned inside an agent loop (every agent would write it at once): total with m.sum and assign it after the loop`);
  }
  const read = () => ctx.compute(Op.STATE_GET, ctx.kinds.states[state]!, true, state);
  const value = guarded(ctx, update(read), read);
  ctx.kinds.noteState(state, value.kind);
  ctx.effect(Op.STATE_SET, 0, state, value.register);
}

function lowerIf(ctx: FunctionLowering, scope: Scope, node: IfStatement): void {
  const condition = lowerCondition(ctx, scope, node.test);
  if (condition.dynamic) {
    ctx.fail(node.test, TypeError, "an if's condition may depend only on settings, m.t, a.index, loop counters and constants, " +
      'and this one depends on parameters, draws or model state: compute both values and choose with a ternary, x = c ? a : b');
  }
  // The condition must keep its value through the branches, which may assign the let it was read from.
  const stable = condition.mutable ? ctx.compute(Op.COPY, condition.kind, false, condition.register) : condition;
  const outer = ctx.guardAbove(0);
  const within = (guard: NumberValue, branch: Statement) => {
    ctx.guards.push(outer ? ctx.arithmetic(Op.AND, [outer, guard], true) : guard);
    lowerStatements(ctx, new Scope(scope), [branch]);
    ctx.guards.pop();
  };
  within(stable, node.consequent);
  if (node.alternate) within(ctx.arithmetic(Op.NOT, [stable], true), node.alternate);
}

const forUsage = 'for loops must have the form for (let i = 0; i < N; i++), with N a number or m.settings.name';

/** The loop counter's name, if `node` declares `let i = 0`. */
function counterName(node: ForStatement['init']): string | undefined {
  if (node?.type !== 'VariableDeclaration' || node.kind !== 'let' || node.declarations.length !== 1) return undefined;
  const [declarator] = node.declarations;
  const start = declarator!.init;
  const isZero = start?.type === 'Literal' && start.value === 0;
  return declarator!.id.type === 'Identifier' && isZero ? declarator!.id.name : undefined;
}

function isIncrement(node: ForStatement['update'], counter: string): boolean {
  if (node?.type === 'UpdateExpression') return node.operator === '++' && node.argument.type === 'Identifier' && node.argument.name === counter;
  return node?.type === 'AssignmentExpression' && node.operator === '+=' && node.left.type === 'Identifier' && node.left.name === counter &&
    node.right.type === 'Literal' && node.right.value === 1;
}

/** LOOP's count words: [1 if a setting, else 0, its constant or setting index]. */
function loopCount(ctx: FunctionLowering, scope: Scope, bound: Expression): [number, number] {
  if (bound.type === 'Literal' && typeof bound.value === 'number') {
    if (!Number.isInteger(bound.value) || bound.value < 0 || bound.value > MAX_LOOP_COUNT) {
      ctx.fail(bound, RangeError, `a for loop runs a whole number of times in [0, ${MAX_LOOP_COUNT}], got ${bound.value}`);
    }
    return [0, ctx.program.builder.constant(bound.value)];
  }
  if (bound.type === 'MemberExpression' && modelNamespace(scope, bound.object) === 'settings') {
    const index = settingIndex(ctx, propertyName(ctx, bound), bound);
    const setting = ctx.spec.settings[index]!;
    if (!setting.integer || setting.min < 0 || setting.max > MAX_LOOP_COUNT) {
      ctx.fail(bound, RangeError, `a for loop runs a whole number of times in [0, ${MAX_LOOP_COUNT}], but settings.${setting.name} ` +
        `is ${setting.integer ? 'an integer' : 'a number'} in [${setting.min}, ${setting.max}]; declare it with integer: true, min >= 0 and max <= ${MAX_LOOP_COUNT}, e.g. { default: 10, min: 0, max: 100, integer: true }`);
    }
    return [1, index];
  }
  return ctx.fail(bound, TypeError, forUsage);
}

function lowerFor(ctx: FunctionLowering, scope: Scope, node: ForStatement): void {
  const counter = counterName(node.init);
  const test = node.test;
  if (counter === undefined || test?.type !== 'BinaryExpression' || test.operator !== '<' || test.left.type !== 'Identifier' ||
    test.left.name !== counter || !isIncrement(node.update, counter)) {
    return ctx.fail(node, SyntaxError, forUsage);
  }
  if (ctx.loopDepth >= MAX_LOOP_DEPTH) ctx.fail(node, RangeError, `for loops nest at most ${MAX_LOOP_DEPTH} deep`);
  const [countKind, count] = loopCount(ctx, scope, test.right);
  const loop = ctx.effect(Op.LOOP, 0, 0, countKind, count);
  const inner = new Scope(scope);
  inner.declare(counter, { type: 'loopIndex', depth: ctx.loopDepth });
  ctx.loopDepth++;
  lowerStatements(ctx, inner, [node.body]);
  ctx.loopDepth--;
  ctx.closeLoop(loop);
}
