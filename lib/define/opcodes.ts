// The instruction set of model programs (docs/program-format.md, "Instructions"), and the meaning
// of each instruction's words, which the disassembler reads.

export const Op = {
  CONST: 1,
  PARAM: 2,
  SETTING: 3,
  STEP: 4,
  AGENT_COUNT: 5,
  AGENT_INDEX: 6,
  LOOP_INDEX: 7,
  STATE_GET: 8,
  STATE_SET: 9,
  FIELD_GET: 10,
  FIELD_SET: 11,
  NEIGHBOUR_SUM: 12,
  OUTPUT: 13,
  COPY: 20,
  NEG: 21,
  ADD: 22,
  SUB: 23,
  MUL: 24,
  DIV: 25,
  MIN: 26,
  MAX: 27,
  POW: 28,
  EXP: 30,
  LOG: 31,
  LOG1P: 32,
  EXPM1: 33,
  SQRT: 34,
  ABS: 35,
  TANH: 36,
  LT: 40,
  LE: 41,
  GT: 42,
  GE: 43,
  EQ: 44,
  NE: 45,
  NOT: 46,
  AND: 47,
  OR: 48,
  SELECT: 49,
  UNIFORM: 50,
  NORMAL: 51,
  COMMON_NORMAL: 52,
  BERNOULLI: 53,
  ABOVE: 54,
  CATEGORICAL: 55,
  AGENT_LOOP: 60,
  ACCUMULATE: 61,
  SUM_RESULT: 62,
  LOOP: 70,
} as const;

export type Opcode = (typeof Op)[keyof typeof Op];

/** Words per instruction: [op, dst, a, b, c]. */
export const WORDS = 5;

/** What an operand word (a, b or c) holds. */
export type Operand =
  | 'register'
  | 'constant'
  | 'parameter'
  | 'setting'
  | 'state'
  | 'field'
  | 'output'
  | 'site'
  | 'depth'
  | 'accumulator'
  | 'count'
  | 'accumulators'
  | 'body'
  | 'agentLoopKind'
  | 'loopKind'
  | 'loopCount';

export interface Layout {
  readonly name: string;
  /** Whether word 1 (dst) is a register the instruction writes. */
  readonly writes: boolean;
  /** Words a, b, c in order; missing ones are 0. */
  readonly operands: readonly Operand[];
}

const unary: Operand[] = ['register'];
const binary: Operand[] = ['register', 'register'];

function layout(name: string, writes: boolean, operands: Operand[] = []): Layout {
  return { name, writes, operands };
}

export const layouts: ReadonlyMap<number, Layout> = new Map<number, Layout>([
  [Op.CONST, layout('CONST', true, ['constant'])],
  [Op.PARAM, layout('PARAM', true, ['parameter'])],
  [Op.SETTING, layout('SETTING', true, ['setting'])],
  [Op.STEP, layout('STEP', true)],
  [Op.AGENT_COUNT, layout('AGENT_COUNT', true)],
  [Op.AGENT_INDEX, layout('AGENT_INDEX', true)],
  [Op.LOOP_INDEX, layout('LOOP_INDEX', true, ['depth'])],
  [Op.STATE_GET, layout('STATE_GET', true, ['state'])],
  [Op.STATE_SET, layout('STATE_SET', false, ['state', 'register'])],
  [Op.FIELD_GET, layout('FIELD_GET', true, ['field'])],
  [Op.FIELD_SET, layout('FIELD_SET', false, ['field', 'register'])],
  [Op.NEIGHBOUR_SUM, layout('NEIGHBOUR_SUM', true, ['field'])],
  [Op.OUTPUT, layout('OUTPUT', false, ['output', 'register'])],
  [Op.COPY, layout('COPY', true, unary)],
  [Op.NEG, layout('NEG', true, unary)],
  [Op.ADD, layout('ADD', true, binary)],
  [Op.SUB, layout('SUB', true, binary)],
  [Op.MUL, layout('MUL', true, binary)],
  [Op.DIV, layout('DIV', true, binary)],
  [Op.MIN, layout('MIN', true, binary)],
  [Op.MAX, layout('MAX', true, binary)],
  [Op.POW, layout('POW', true, binary)],
  [Op.EXP, layout('EXP', true, unary)],
  [Op.LOG, layout('LOG', true, unary)],
  [Op.LOG1P, layout('LOG1P', true, unary)],
  [Op.EXPM1, layout('EXPM1', true, unary)],
  [Op.SQRT, layout('SQRT', true, unary)],
  [Op.ABS, layout('ABS', true, unary)],
  [Op.TANH, layout('TANH', true, unary)],
  [Op.LT, layout('LT', true, binary)],
  [Op.LE, layout('LE', true, binary)],
  [Op.GT, layout('GT', true, binary)],
  [Op.GE, layout('GE', true, binary)],
  [Op.EQ, layout('EQ', true, binary)],
  [Op.NE, layout('NE', true, binary)],
  [Op.NOT, layout('NOT', true, unary)],
  [Op.AND, layout('AND', true, binary)],
  [Op.OR, layout('OR', true, binary)],
  [Op.SELECT, layout('SELECT', true, ['register', 'register', 'register'])],
  [Op.UNIFORM, layout('UNIFORM', true, ['site'])],
  [Op.NORMAL, layout('NORMAL', true, ['register', 'register', 'site'])],
  [Op.COMMON_NORMAL, layout('COMMON_NORMAL', true, ['register', 'register', 'site'])],
  [Op.BERNOULLI, layout('BERNOULLI', true, ['register', 'site'])],
  [Op.ABOVE, layout('ABOVE', true, binary)],
  [Op.CATEGORICAL, layout('CATEGORICAL', true, ['register', 'count', 'site'])],
  [Op.AGENT_LOOP, layout('AGENT_LOOP', false, ['body', 'agentLoopKind', 'accumulators'])],
  [Op.ACCUMULATE, layout('ACCUMULATE', false, ['accumulator', 'register'])],
  [Op.SUM_RESULT, layout('SUM_RESULT', true, ['accumulator'])],
  [Op.LOOP, layout('LOOP', false, ['body', 'loopKind', 'loopCount'])],
]);

/** Operand word of the draw site, by opcode (sites are numbered after lowering). */
export const siteWord: ReadonlyMap<number, number> = new Map([
  [Op.UNIFORM, 2],
  [Op.NORMAL, 4],
  [Op.COMMON_NORMAL, 4],
  [Op.BERNOULLI, 3],
  [Op.CATEGORICAL, 4],
]);
