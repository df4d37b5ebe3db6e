/**
 * @module bench-figure
 * What every benchmark file returns. `npm run bench` collects the figures of
 * every `bench/*.bench.ts` and prints them as a table and as JSON.
 */
export interface BenchFigure {
  /** e.g. "ingest rate (SQLite, 25 checks/report)". */
  name: string;
  value: number;
  unit: string;
  /** The target in words, e.g. "≥ 2000". */
  target?: string;
  /** Whether the figure meets its target (omit when there is none). */
  pass?: boolean;
  /** A baseline measured in the same run, for comparison on a noisy machine. */
  baseline?: { name: string; value: number; unit: string };
  /** Free-form notes: sample counts, settings. */
  note?: string;
}

/** A bench file's default export. */
export type BenchModule = { default: () => Promise<BenchFigure[]> };
