// Messages for the JavaScript that model functions may not use, by syntax-tree node type, and a
// search of syntax trees.
import type { Node } from 'acorn';


const unsupported: Readonly<Record<string, string>> = {
  WhileStatement: 'while loops are not supported; use for (let i = 0; i < N; i++) with N a number or m.settings.name',
  DoWhileStatement: 'do-while loops are not supported; use for (let i = 0; i < N; i++) with N a number or m.settings.name',
  ForInStatement: 'for-in loops are not supported; use for (let i = 0; i < N; i++)',
  ForOfStatement: 'for-of loops are not supported; use for (let i = 0; i < N; i++)',
  SwitchStatement: 'switch statements are not supported; use a ternary (c ? x : y)',
  TryStatement: 'try statements are not supported',
  ThrowStatement: 'throw statements are not supported',
  BreakStatement: 'break is not supported: a for loop runs its whole count',
  ContinueStatement: 'continue is not supported: a for loop runs its whole body',
  LabeledStatement: 'labels are not supported',
  WithStatement: 'with statements are not supported',
  DebuggerStatement: 'debugger statements are not supported',
  ClassDeclaration: 'classes are not supported',
  ClassExpression: 'classes are not supported',
  NewExpression: 'new is not supported',
  ThisExpression: 'this is not supported: read the model through the function\'s parameter (m)',
  TemplateLiteral: 'template strings are not supported: the program computes numbers only',
  TaggedTemplateExpression: 'tagged templates are not supported',
  SequenceExpression: 'the comma operator is not supported',
  ChainExpression: 'optional chaining (?.) is not supported',
  AwaitExpression: 'await is not supported',
  YieldExpression: 'yield is not supported',
  SpreadElement: 'spread (...) is not supported',
  ArrayExpression: 'arrays are only supported as the argument of m.categorical([p1, p2, ...])',
  ObjectExpression: 'object literals are only supported as the argument of m.output, the options of a draw ({ stream: n }) and what m.sum returns',
  ArrowFunctionExpression: 'functions can only be passed to m.forEachAgent, m.sum and m.neighbours(a).sum, or declared as helpers (const f = (x) => ...)',
  FunctionExpression: 'functions can only be passed to m.forEachAgent, m.sum and m.neighbours(a).sum, or declared as helpers (const f = (x) => ...)',
  AssignmentExpression: 'assignments are only supported as statements (x = ...;), not inside expressions',
  UpdateExpression: '++ and -- are only supported as statements (x++;) and in a for loop\'s update',
  MetaProperty: 'import.meta and new.target are not supported',
  ImportExpression: 'import() is not supported',
};

/** Why a node of this type cannot be lowered. */
export function unsupportedSyntax(type: string): string {
  return unsupported[type] ?? `${type} is not supported`;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The first node under `root` (itself included), in source order, that `predicate` accepts. */
export function findNode<T extends Node>(root: Node, predicate: (node: Node) => node is T): T | undefined;
export function findNode(root: Node, predicate: (node: Node) => boolean): Node | undefined;
export function findNode(root: Node, predicate: (node: Node) => boolean): Node | undefined {
  if (predicate(root)) return root;
  for (const child of Object.values(root)) {
    for (const item of Array.isArray(child) ? child : [child]) {
      const found = isNode(item) ? findNode(item, predicate) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}
