// Helper functions, declared in init/step or in the spec's helpers: inlined at every call.
import type { AssignmentExpression, CallExpression, Expression, Function as FunctionNode, MemberExpression, Node, UpdateExpression } from 'acorn';

import type { FunctionLowering } from './context.js';
import { lowerValue } from './expressions.js';
import { Scope, type HelperDefinition, type Value } from './scope.js';
import { kept, lowerBody } from './statements.js';
import { findNode } from './syntax.js';

/** Spec-level helpers see only their parameters. */
const specHelperScope = new Scope();

const assigning = new WeakMap<FunctionNode, boolean>();

/**
 * Whether the helper assigns any name: then it might change a let passed to it, and arguments are
 * copied first (a parameter keeps the value it was called with).
 */
function assignsNames(node: FunctionNode): boolean {
  let found = assigning.get(node);
  if (found === undefined) {
    const target = (n: Node) => (n.type === 'AssignmentExpression' ? (n as AssignmentExpression).left : n.type === 'UpdateExpression' ? (n as UpdateExpression).argument : undefined);
    found = findNode(node.body, (n) => target(n)?.type === 'Identifier') !== undefined;
    assigning.set(node, found);
  }
  return found;
}

/** A helper declared at `node` in `scope` (function f(x) { ... } or const f = (x) => ...), in the text being lowered unless `source` says. */
export function defineHelper(ctx: FunctionLowering, scope: Scope, name: string, node: FunctionNode, source = ctx.source): HelperDefinition {
  const callerSource = ctx.source;
  ctx.source = source;
  if (node.async || node.generator) ctx.fail(node, SyntaxError, `${name} cannot be async or a generator`);
  const parameter = node.params.find((p) => p.type !== 'Identifier');
  if (parameter) ctx.fail(parameter, SyntaxError, `${name}'s parameters must be plain names (no defaults, rest or destructuring)`);
  ctx.source = callerSource;
  return { name, node, source, scope };
}

/** The spec helper `name` of m.helpers.name(...). */
export function specHelper(ctx: FunctionLowering, name: string, callee: MemberExpression): HelperDefinition {
  const source = ctx.program.helperSources.get(name);
  if (!source) {
    const known = ctx.spec.helpers.size > 0 ? `helpers are ${[...ctx.spec.helpers.keys()].join(', ')}` : 'it declares no helpers';
    return ctx.fail(callee.property, TypeError, `m.helpers.${name} is not a helper of ${ctx.spec.name}; ${known}`);
  }
  return defineHelper(ctx, specHelperScope, `m.helpers.${name}`, source.node, source);
}

/** Lowers the body of `helper` with its parameters bound to the arguments; returns what it returns. */
export function inlineHelper(ctx: FunctionLowering, scope: Scope, helper: HelperDefinition, args: Expression[], call: CallExpression): Value | undefined {
  if (ctx.helperCalls.some((h) => h.node === helper.node)) {
    ctx.fail(call, TypeError, `${helper.name} calls itself: recursion is not supported (helpers are inlined where they are called)`);
  }
  const parameters = helper.node.params as { name: string }[];
  if (args.length !== parameters.length) {
    ctx.fail(call, TypeError, `${helper.name} takes ${parameters.length} argument${parameters.length === 1 ? '' : 's'}, got ${args.length}`);
  }
  const values = args.map((arg) => {
    const value = lowerValue(ctx, scope, arg);
    return assignsNames(helper.node) ? kept(ctx, value) : value;
  });
  const inner = new Scope(helper.scope);
  parameters.forEach((p, i) => inner.declare(p.name, { type: 'const', value: values[i]!, what: `a parameter of ${helper.name}` }));
  const callerSource = ctx.source;
  ctx.source = helper.source;
  ctx.helperCalls.push(helper);
  const returned = lowerBody(ctx, inner, helper.node, true);
  const result = returned ? lowerValue(ctx, inner, returned) : undefined;
  ctx.helperCalls.pop();
  ctx.source = callerSource;
  return result;
}
