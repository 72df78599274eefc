/** How much each part of `npm run bench` measures: the full run, and `--quick` (under a minute on a quiet machine). */
export interface BenchPlan {
  quick: boolean;
  throughput: { records: number; passes: number; runs: number };
  patterns: { records: number; runs: number; latenciesMs: number[] };
  curve: {
    rates: number[];
    windowsSeconds: number[];
    runs: number;
    seconds: number;
    minRecords: number;
    maxRecords: number;
  };
  stack: { rate: number; seconds: number; runs: number };
  cold: { runs: number };
  memory: { records: number; rate: number; timeoutS: number };
}

export function benchPlan(quick: boolean, shippedWindowSeconds: number): BenchPlan {
  const windows = (list: number[]): number[] =>
    [...new Set([...list, shippedWindowSeconds])].sort((a, b) => a - b);
  return quick
    ? {
        quick,
        throughput: { records: 1500, passes: 2, runs: 3 },
        patterns: { records: 150, runs: 1, latenciesMs: [0, 50] },
        curve: {
          rates: [1, 200],
          windowsSeconds: windows([]),
          runs: 1,
          seconds: 20,
          minRecords: 20,
          maxRecords: 800
        },
        stack: { rate: 200, seconds: 4, runs: 1 },
        cold: { runs: 5 },
        memory: { records: 4000, rate: 800, timeoutS: 120 }
      }
    : {
        quick,
        throughput: { records: 5000, passes: 3, runs: 5 },
        patterns: { records: 1200, runs: 3, latenciesMs: [0, 50] },
        curve: {
          rates: [1, 10, 50, 100, 200, 400, 800],
          windowsSeconds: windows([0, 1, 5, 10]),
          runs: 2,
          seconds: 60,
          minRecords: 30,
          maxRecords: 2400
        },
        stack: { rate: 200, seconds: 20, runs: 3 },
        cold: { runs: 15 },
        memory: { records: 100_000, rate: 300, timeoutS: 1200 }
      };
}
