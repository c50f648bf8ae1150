import prand from 'pure-rand';

/**
 * A shop on the disjunctive graph (MODEL.md, "Production mode"): operations on one machine each,
 * minimal start-to-start delays between them (routes and other precedence), sequence-dependent
 * gaps between neighbours on a machine (changeovers, off time), and the start slots each may take.
 */
export interface ShopOperation {
  machine: number;
  duration: number;
  /** Start slots the operation may take, ascending and not empty; it waits for the next one. */
  starts: ArrayLike<number>;
  /** Tardiness objective: the end past which each slot costs `weight`. */
  due?: number;
  weight?: number;
}

/** start(to) ≥ start(from) + delay. */
export interface ShopArc {
  from: number;
  to: number;
  delay: number;
}

export interface ShopProblem {
  operations: ShopOperation[];
  machineCount: number;
  arcs: ShopArc[];
  /** Family index of each operation, and the slots between neighbours on a machine: gap[machine][from family][to family]. */
  families?: number[];
  gap?: number[][][];
  objective: 'makespan' | 'tardiness';
}

/** Compared in this order: slots past the last allowed start (0 when feasible), the objective, then the makespan. */
export interface ShopScore {
  overrun: number;
  value: number;
  makespan: number;
}

export interface ShopSchedule {
  /** Operations in processing order on each machine. */
  sequences: number[][];
  starts: Int32Array;
  score: ShopScore;
}

export const scoreBelow = (a: ShopScore, b: ShopScore) =>
  a.overrun !== b.overrun ? a.overrun < b.overrun : a.value !== b.value ? a.value < b.value : a.makespan < b.makespan;

/** The semi-active schedule of given machine sequences (each operation as early as it may start), on reused buffers. */
export class ShopEvaluator {
  readonly n: number;
  readonly starts: Int32Array;
  /** The operation that set each start (-1: its own earliest allowed start), and whether through the machine. */
  readonly critical: Int32Array;
  readonly viaMachine: Uint8Array;
  readonly machinePrev: Int32Array;
  private readonly machineNext: Int32Array;
  private readonly earliest: Float64Array;
  private readonly waiting: Int32Array;
  private readonly queue: Int32Array;
  private readonly outStart: Int32Array;
  private readonly outTo: Int32Array;
  private readonly outDelay: Int32Array;
  private readonly inCount: Int32Array;
  /** For move estimates: each start as its routes (arcs) alone set it, the longest path from each start to the end, and that by arcs alone. */
  private readonly arcHead: Float64Array;
  private readonly tail: Float64Array;
  private readonly arcTail: Float64Array;
  private readonly segmentHead: Float64Array;
  private readonly gapOf: (machine: number, from: number, to: number) => number;

  constructor(readonly shop: ShopProblem) {
    const n = (this.n = shop.operations.length);
    [this.starts, this.critical, this.machinePrev, this.machineNext, this.waiting, this.queue] = Array.from(
      { length: 6 },
      () => new Int32Array(n),
    );
    this.viaMachine = new Uint8Array(n);
    [this.earliest, this.arcHead, this.tail, this.arcTail, this.segmentHead] = Array.from({ length: 5 }, () => new Float64Array(n));
    this.inCount = new Int32Array(n);
    this.outStart = new Int32Array(n + 1);
    for (const a of shop.arcs) {
      this.outStart[a.from + 1]++;
      this.inCount[a.to]++;
    }
    for (let i = 0; i < n; i++) this.outStart[i + 1] += this.outStart[i];
    this.outTo = new Int32Array(shop.arcs.length);
    this.outDelay = new Int32Array(shop.arcs.length);
    const fill = this.outStart.slice(0, n);
    for (const a of shop.arcs) {
      this.outTo[fill[a.from]] = a.to;
      this.outDelay[fill[a.from]++] = a.delay;
    }
    const { families, gap } = shop;
    this.gapOf = families && gap ? (m, from, to) => gap[m][families[from]][families[to]] : () => 0;
  }

  /** Scores the sequences and fills `starts` and the critical links; null when they close a cycle. */
  evaluate(sequences: number[][]): ShopScore | null {
    const { n, machinePrev, machineNext, waiting, queue, earliest } = this;
    machinePrev.fill(-1);
    machineNext.fill(-1);
    for (const seq of sequences)
      for (let k = 1; k < seq.length; k++) {
        machinePrev[seq[k]] = seq[k - 1];
        machineNext[seq[k - 1]] = seq[k];
      }
    let tail = 0;
    for (let v = 0; v < n; v++) {
      waiting[v] = this.inCount[v] + (machinePrev[v] >= 0 ? 1 : 0);
      earliest[v] = -Infinity;
      this.arcHead[v] = -Infinity;
      this.critical[v] = -1;
      if (waiting[v] === 0) queue[tail++] = v;
    }
    for (let head = 0; head < tail; head++) tail = this.settle(queue[head], tail);
    return tail < n ? null : this.score();
  }

  /** Fixes the start of `v` (all its predecessors are set) and releases its successors into the queue. */
  private settle(v: number, tail: number): number {
    const op = this.shop.operations[v];
    const start = nextAllowed(op.starts, this.earliest[v]);
    this.starts[v] = start;
    if (start > this.earliest[v]) this.critical[v] = -1;
    for (let k = this.outStart[v]; k < this.outStart[v + 1]; k++) tail = this.relax(v, this.outTo[k], start + this.outDelay[k], 0, tail);
    const next = this.machineNext[v];
    if (next >= 0) tail = this.relax(v, next, start + op.duration + this.gapOf(op.machine, v, next), 1, tail);
    return tail;
  }

  /** `w` starts at `at` or later because of `v` (a method, not a closure: this runs millions of times). */
  private relax(v: number, w: number, at: number, viaMachine: number, tail: number): number {
    if (!viaMachine && at > this.arcHead[w]) this.arcHead[w] = at;
    if (at > this.earliest[w]) {
      this.earliest[w] = at;
      this.critical[w] = v;
      this.viaMachine[w] = viaMachine;
    }
    if (--this.waiting[w] === 0) this.queue[tail++] = w;
    return tail;
  }

  /** Longest paths from each start to the end of the schedule last evaluated (for `estimate`). */
  computeTails(): void {
    const ops = this.shop.operations;
    for (let k = this.n - 1; k >= 0; k--) {
      const v = this.queue[k];
      let at = ops[v].duration;
      for (let a = this.outStart[v]; a < this.outStart[v + 1]; a++) at = Math.max(at, this.outDelay[a] + this.tail[this.outTo[a]]);
      this.arcTail[v] = at;
      const next = this.machineNext[v];
      if (next >= 0) at = Math.max(at, ops[v].duration + this.gapOf(ops[v].machine, v, next) + this.tail[next]);
      this.tail[v] = at;
    }
  }

  /**
   * The makespan of the longest path through positions `lo`..`hi` of a machine's sequence that a
   * move reordered, from the heads and tails of the schedule last evaluated (Taillard's estimate:
   * exact for the paths through the moved operations, blind to the others).
   */
  estimate(seq: number[], lo: number, hi: number): number {
    const ops = this.shop.operations;
    const machine = ops[seq[lo]].machine;
    let prev = lo > 0 ? seq[lo - 1] : -1;
    let prevHead = prev >= 0 ? this.starts[prev] : 0;
    for (let k = lo; k <= hi; k++) {
      const x = seq[k];
      let head = Math.max(this.arcHead[x], ops[x].starts[0]);
      if (prev >= 0) head = Math.max(head, prevHead + ops[prev].duration + this.gapOf(machine, prev, x));
      this.segmentHead[k - lo] = nextAllowed(ops[x].starts, head);
      prev = x;
      prevHead = this.segmentHead[k - lo];
    }
    let next = hi + 1 < seq.length ? seq[hi + 1] : -1;
    let nextTail = next >= 0 ? this.tail[next] : 0;
    let longest = 0;
    for (let k = hi; k >= lo; k--) {
      const x = seq[k];
      let tail = this.arcTail[x];
      if (next >= 0) tail = Math.max(tail, ops[x].duration + this.gapOf(machine, x, next) + nextTail);
      longest = Math.max(longest, this.segmentHead[k - lo] + tail);
      next = x;
      nextTail = tail;
    }
    return longest;
  }

  private score(): ShopScore {
    let overrun = 0;
    let makespan = 0;
    let tardiness = 0;
    const operations = this.shop.operations;
    for (let v = 0; v < operations.length; v++) {
      const op = operations[v];
      const start = this.starts[v];
      const last = op.starts[op.starts.length - 1];
      if (start > last) overrun += start - last;
      makespan = Math.max(makespan, start + op.duration);
      if (op.due !== undefined) tardiness += (op.weight ?? 1) * Math.max(0, start + op.duration - op.due);
    }
    return { overrun, value: this.shop.objective === 'makespan' ? makespan : tardiness, makespan };
  }

  /** The operations whose end the score depends on: over their last start, late, or ending at the makespan. */
  sinks(score: ShopScore): number[] {
    const out: number[] = [];
    this.shop.operations.forEach((op, v) => {
      const end = this.starts[v] + op.duration;
      const over = this.starts[v] > op.starts[op.starts.length - 1];
      const late = this.shop.objective === 'tardiness' && op.due !== undefined && end > op.due;
      if (over || late || (end === score.makespan && (this.shop.objective === 'makespan' || score.value === 0))) out.push(v);
    });
    return out;
  }
}

/** The first allowed start at or after `at` (at itself past the last one: the overrun is scored). */
function nextAllowed(starts: ArrayLike<number>, at: number): number {
  if (!(at > starts[0])) return starts[0];
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo < starts.length ? starts[lo] : Math.ceil(at);
}

/** Moves an operation within its machine's sequence from position `from` to position `to`. */
export interface Move {
  op: number;
  from: number;
  to: number;
}

/**
 * Moves on every critical path to a sink (Nowicki-Smutnicki blocks, with the insertions of Zhang
 * et al.'s N7): the path splits into blocks of operations that follow each other on one machine;
 * only changing a block's first or last operation can shorten the path. So: swap the first two and
 * the last two, move the first or the last operation inside the block, and move an inner operation
 * to the block's front or back. `position` is each operation's place in its machine's sequence.
 */
export function blockMoves(evaluator: ShopEvaluator, score: ShopScore, position: Int32Array, limit = 4): Move[] {
  const seen = new Set<number>();
  const moves: Move[] = [];
  const add = (op: number, to: number) => {
    const key = op * evaluator.n + to;
    if (position[op] === to || seen.has(key)) return;
    seen.add(key);
    moves.push({ op, from: position[op], to });
  };
  for (const sink of evaluator.sinks(score).slice(0, limit))
    for (const block of criticalBlocks(evaluator, sink)) {
      // In processing order; positions are consecutive on the block's machine.
      const first = position[block[0]];
      const last = first + block.length - 1;
      for (let k = 1; k < block.length; k++) {
        add(block[0], first + k);
        add(block[block.length - 1], last - k);
      }
      for (let k = 1; k < block.length - 1; k++) {
        add(block[k], first);
        add(block[k], last);
      }
    }
  return moves;
}

/** The blocks (two or more operations, in processing order) of the critical path that ends at `sink`. */
function criticalBlocks(evaluator: ShopEvaluator, sink: number): number[][] {
  const blocks: number[][] = [];
  let block: number[] = [sink];
  for (let v = sink; v >= 0;) {
    const prev = evaluator.critical[v];
    if (prev >= 0 && evaluator.viaMachine[v] === 1) block.push(prev);
    else {
      if (block.length >= 2) blocks.push(block.reverse());
      block = [prev];
    }
    v = prev;
  }
  return blocks;
}

export interface TabuResult {
  best: ShopSchedule;
  iterations: number;
  /** Whether `until` ended the search before its iterations (or a proved optimum). */
  stoppedByClock: boolean;
  /** `makespanLowerBound` in makespan mode (0 for tardiness): a best score at it is optimal. */
  lowerBound: number;
}

export interface TabuOptions {
  /** Iterations (the work budget); the search also stops at `until` (a performance.now() instant). */
  iterations: number;
  until?: number;
  seed?: number;
  /** Iterations without a new best after which the search restarts from the best with a few random swaps. */
  stall?: number;
}

/** Where the search stands: the current sequences and positions, the tabu marks and the best schedule. */
interface Search {
  evaluator: ShopEvaluator;
  sequences: number[][];
  position: Int32Array;
  score: ShopScore;
  best: ShopSchedule;
  /** Until which iteration `a` may not run before `b` again (key a × n + b). */
  tabu: Map<number, number>;
  iteration: number;
  lowerBound: number;
  int: (lo: number, hi: number) => number;
}

/**
 * Tabu search on the disjunctive graph from the given machine sequences: each iteration applies the
 * best move of `blockMoves` that is not tabu (or beats the best so far), forbids for a random
 * tenure the order of each pair it reversed, and restarts from the best schedule with a few random
 * moves after `stall` iterations without a new best. Deterministic for a seed and an iteration count.
 */
export function tabuSearch(shop: ShopProblem, initial: number[][], options: TabuOptions): TabuResult | null {
  const evaluator = new ShopEvaluator(shop);
  const sequences = initial.map((seq) => [...seq]);
  const score = evaluator.evaluate(sequences);
  if (!score) return null;
  const rng = prand.xoroshiro128plus(options.seed ?? 0);
  const s: Search = {
    evaluator,
    sequences,
    position: positions(shop, sequences),
    score,
    best: snapshot(evaluator, sequences, score),
    tabu: new Map(),
    iteration: 0,
    lowerBound: shop.objective === 'makespan' ? makespanLowerBound(shop) : 0,
    int: (lo, hi) => prand.unsafeUniformIntDistribution(lo, hi, rng),
  };
  const stall = options.stall ?? Math.max(500, 20 * evaluator.n);
  let sinceBest = 0;
  let stoppedByClock = false;
  for (; s.iteration < options.iterations; s.iteration++) {
    if ((s.iteration & 63) === 0 && options.until !== undefined && performance.now() >= options.until) {
      stoppedByClock = true;
      break;
    }
    if (isLowerBoundReached(s)) break;
    if (!step(s)) sinceBest = stall;
    if (scoreBelow(s.score, s.best.score)) {
      s.best = snapshot(evaluator, s.sequences, s.score);
      sinceBest = 0;
    } else if (++sinceBest >= stall) {
      restart(s);
      sinceBest = 0;
    }
  }
  return { best: s.best, iterations: s.iteration, stoppedByClock, lowerBound: s.lowerBound };
}

/** No tardiness, or the makespan at `makespanLowerBound`: nothing can beat it. */
function isLowerBoundReached(s: Search): boolean {
  const { overrun, value } = s.best.score;
  return overrun === 0 && value <= (s.evaluator.shop.objective === 'tardiness' ? 0 : s.lowerBound);
}

/** The longer of the longest route (machines ignored) and, on each machine, its earliest start plus all its work. */
export function makespanLowerBound(shop: ShopProblem): number {
  const evaluator = new ShopEvaluator(shop);
  const routes = evaluator.evaluate(shop.operations.map(() => []));
  let bound = routes?.makespan ?? 0;
  for (let m = 0; m < shop.machineCount; m++) {
    const ops = shop.operations.filter((op) => op.machine === m);
    if (ops.length) bound = Math.max(bound, Math.min(...ops.map((op) => op.starts[0])) + ops.reduce((sum, op) => sum + op.duration, 0));
  }
  return bound;
}

/** Full evaluations per iteration when the moves are ranked by their estimate (makespan mode): one, the best admissible (more measured worse per second). */
const EVALUATED_PER_STEP = 1;

/**
 * One iteration: the best admissible move (the least recently forbidden when all are tabu), applied
 * and its reversal forbidden; false when there is none. In makespan mode only the moves with the
 * best estimates are evaluated in full.
 */
function step(s: Search): boolean {
  const ranked = rankMoves(s, blockMoves(s.evaluator, s.score, s.position));
  const limit = ranked.estimated ? EVALUATED_PER_STEP : Infinity;
  let chosen: Move | undefined;
  let chosenScore: ShopScore | undefined;
  let oldest: Move | undefined;
  let oldestUntil = Infinity;
  let evaluated = 0;
  for (const { move, estimate } of ranked.moves) {
    if (evaluated >= limit) break;
    const tabuUntil = forbiddenUntil(s, move);
    const isTabu = tabuUntil > s.iteration;
    if (isTabu && tabuUntil < oldestUntil) [oldest, oldestUntil] = [move, tabuUntil];
    // A tabu move whose estimate does not beat the best cannot aspirate.
    if (isTabu && estimate >= s.best.score.value) continue;
    apply(s, move);
    const score = s.evaluator.evaluate(s.sequences);
    undo(s, move);
    if (!score || (isTabu && !scoreBelow(score, s.best.score))) continue;
    evaluated++;
    if (!chosenScore || scoreBelow(score, chosenScore)) [chosen, chosenScore] = [move, score];
  }
  const move = chosen ?? oldest;
  if (!move) return settleOn(s, false);
  apply(s, move);
  const score = s.evaluator.evaluate(s.sequences);
  if (!score) {
    undo(s, move);
    return settleOn(s, false);
  }
  s.score = score;
  forbidReversal(s, move);
  return true;
}

/** Leaves the evaluator on the current sequences (a trial evaluation may have been the last). */
function settleOn(s: Search, moved: boolean): boolean {
  s.evaluator.evaluate(s.sequences);
  return moved;
}

/** The moves with their estimates, best first, in makespan mode without overrun; otherwise as they come (estimate −∞). */
function rankMoves(s: Search, moves: Move[]): { moves: { move: Move; estimate: number }[]; estimated: boolean } {
  const { evaluator } = s;
  if (evaluator.shop.objective !== 'makespan' || s.score.overrun > 0)
    return { moves: moves.map((move) => ({ move, estimate: -Infinity })), estimated: false };
  evaluator.computeTails();
  const ranked = moves.map((move) => {
    apply(s, move);
    const estimate = evaluator.estimate(
      s.sequences[evaluator.shop.operations[move.op].machine],
      Math.min(move.from, move.to),
      Math.max(move.from, move.to),
    );
    undo(s, move);
    return { move, estimate };
  });
  return { moves: ranked.sort((a, b) => a.estimate - b.estimate), estimated: true };
}

/** The operations a move carries `op` past, in their sequence (before the move). */
function jumped(s: Search, { op, from, to }: Move): number[] {
  const seq = s.sequences[s.evaluator.shop.operations[op].machine];
  return from < to ? seq.slice(from + 1, to + 1) : seq.slice(to, from);
}

/** Until when the move is tabu: the latest mark among the orders it would restore. */
function forbiddenUntil(s: Search, move: Move): number {
  const n = s.evaluator.n;
  let until = -1;
  for (const w of jumped(s, move)) {
    const key = move.to < move.from ? move.op * n + w : w * n + move.op;
    until = Math.max(until, s.tabu.get(key) ?? -1);
  }
  return until;
}

/** After a move: the orders it reversed stay forbidden for a tenure. */
function forbidReversal(s: Search, move: Move): void {
  const n = s.evaluator.n;
  const until = s.iteration + tenure(s);
  // `jumped` reads the sequence after the move here: the operations now on the other side of `op`.
  const back: Move = { op: move.op, from: move.to, to: move.from };
  for (const w of jumped(s, back)) s.tabu.set(move.to < move.from ? w * n + move.op : move.op * n + w, until);
}

/** Tabu tenure drawn from [L, 1.4 L] with L = 10 + jobs / machines (jobs: operations per machine), as tuned in the literature. */
function tenure(s: Search): number {
  const machines = Math.max(1, s.evaluator.shop.machineCount);
  const base = 10 + Math.floor(s.evaluator.n / machines / machines);
  return s.int(base, Math.ceil(base * 1.4));
}

/** Moves the operation in its machine's sequence, keeping the positions up to date. */
function apply(s: Search, { op, from, to }: Move): void {
  const seq = s.sequences[s.evaluator.shop.operations[op].machine];
  seq.splice(from, 1);
  seq.splice(to, 0, op);
  for (let k = Math.min(from, to); k <= Math.max(from, to); k++) s.position[seq[k]] = k;
}

const undo = (s: Search, move: Move) => apply(s, { op: move.op, from: move.to, to: move.from });

/** Back to the best schedule, shaken by a few random critical moves, with a fresh tabu list. */
function restart(s: Search): void {
  s.sequences = s.best.sequences.map((seq) => [...seq]);
  s.position = positions(s.evaluator.shop, s.sequences);
  s.tabu.clear();
  let score = s.evaluator.evaluate(s.sequences)!;
  for (let k = s.int(2, 6); k > 0; k--) {
    const moves = blockMoves(s.evaluator, score, s.position);
    if (!moves.length) break;
    const move = moves[s.int(0, moves.length - 1)];
    apply(s, move);
    const next = s.evaluator.evaluate(s.sequences);
    if (next) score = next;
    else {
      undo(s, move);
      score = s.evaluator.evaluate(s.sequences)!;
    }
  }
  s.score = score;
}

function positions(shop: ShopProblem, sequences: number[][]): Int32Array {
  const position = new Int32Array(shop.operations.length);
  for (const seq of sequences) seq.forEach((v, i) => (position[v] = i));
  return position;
}

function snapshot(evaluator: ShopEvaluator, sequences: number[][], score: ShopScore): ShopSchedule {
  evaluator.evaluate(sequences);
  return { sequences: sequences.map((seq) => [...seq]), starts: evaluator.starts.slice(), score: { ...score } };
}

/**
 * Machine sequences by list scheduling: of the operations whose predecessors are placed, the one
 * that can start first (ties: the lower index) goes next on its machine. A start for `tabuSearch`
 * when no plan is at hand.
 */
export function dispatchSequences(shop: ShopProblem): number[][] {
  const n = shop.operations.length;
  const waiting = new Int32Array(n);
  const successors: ShopArc[][] = Array.from({ length: n }, () => []);
  for (const a of shop.arcs) {
    waiting[a.to]++;
    successors[a.from].push(a);
  }
  const earliest = shop.operations.map((op) => op.starts[0]);
  const machineFree = new Array<number>(shop.machineCount).fill(0);
  const sequences: number[][] = Array.from({ length: shop.machineCount }, () => []);
  const ready = new Set<number>([...Array(n).keys()].filter((v) => waiting[v] === 0));
  while (ready.size) {
    let pick = -1;
    let pickStart = Infinity;
    for (const v of ready) {
      const start = Math.max(earliest[v], machineFree[shop.operations[v].machine]);
      if (start < pickStart || (start === pickStart && v < pick)) [pick, pickStart] = [v, start];
    }
    ready.delete(pick);
    const op = shop.operations[pick];
    sequences[op.machine].push(pick);
    machineFree[op.machine] = pickStart + op.duration;
    for (const a of successors[pick]) {
      earliest[a.to] = Math.max(earliest[a.to], pickStart + a.delay);
      if (--waiting[a.to] === 0) ready.add(a.to);
    }
  }
  return sequences;
}
