// scripts/mutation-score.ts: the score leaves static mutants out, counts timeouts as detected, and fails below the
// threshold.
import { mergeReports, percent, scoreReport, summarize } from '../../../scripts/mutation-score';

const mutant = (status: string, line: number, isStatic = false) => ({
  status,
  static: isStatic,
  mutatorName: 'ConditionalExpression',
  location: { start: { line, column: 3 } }
});

const report = {
  files: {
    'relay/src/b.ts': {
      source: 'const A = /x/;\nif (a) f();\nreturn b;',
      mutants: [
        mutant('Killed', 2),
        mutant('Timeout', 2),
        mutant('Survived', 3),
        mutant('NoCoverage', 3),
        mutant('Ignored', 3),
        mutant('CompileError', 3),
        mutant('Survived', 1, true),
        mutant('Killed', 1, true)
      ]
    },
    'relay/src/a.ts': { source: 'x', mutants: [mutant('Killed', 1)] }
  }
};

test('per file: killed and timed out are detected; survived and uncovered count against; static left out', () => {
  const [a, b] = scoreReport(report);
  expect(a).toEqual({ file: 'relay/src/a.ts', detected: 1, counted: 1, staticLeftOut: 0, survivors: [] });
  expect(b).toEqual({
    file: 'relay/src/b.ts',
    detected: 2,
    counted: 4,
    staticLeftOut: 2,
    survivors: [
      'relay/src/b.ts:3:3 ConditionalExpression Survived: return b;',
      'relay/src/b.ts:3:3 ConditionalExpression NoCoverage: return b;'
    ]
  });
});

test('the whole report fails below the threshold and passes at it', () => {
  const scores = scoreReport(report);
  expect(percent(3, 5)).toBe(60);
  expect(summarize(scores, 60)).toMatchObject({ passed: true });
  expect(summarize(scores, 60.1)).toMatchObject({ passed: false });
  expect(summarize(scores, 95).text).toMatch(
    /all files +60\.0 % {2}3\/5 {2}\(2 static left out\)\nBELOW: 60\.0 % < 95 %$/
  );
});

test('a file with nothing to count scores 100 %', () => {
  expect(percent(0, 0)).toBe(100);
});

test('reports of separate runs merge per file: the later report of a file counts, the others are kept', () => {
  const later = { files: { 'relay/src/a.ts': { source: 'x', mutants: [mutant('Survived', 1)] } } };
  const other = { files: { 'relay/src/c.ts': { source: 'y', mutants: [mutant('Killed', 1)] } } };
  const scores = scoreReport(mergeReports([report, later, other]));
  expect(scores.map((s) => [s.file, s.detected, s.counted])).toEqual([
    ['relay/src/a.ts', 0, 1],
    ['relay/src/b.ts', 2, 4],
    ['relay/src/c.ts', 1, 1]
  ]);
});
