/**
 * `node --expose-gc --import tsx scripts/bench/calls.ts [APPS_DIR]`: what finding the Stripe API
 * calls costs against a bare parse of the same files by the same parser (TypeScript's
 * `createSourceFile`), on the real apps of ../shared/corpus/apps and on a 236-file app made of
 * four copies of the largest one. Parse and analysis runs are interleaved so both see the same load
 * (the machine is shared). The figures are the minimum over the rounds (noise only ever adds
 * time) and, in brackets where shown, the median.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCallAnalyzer, readSourceFiles, type SourceFile } from '../../server/src/analysis';
import { parseSource } from '../../server/src/analysis/fileSummary';

const APPS_DIR =
  process.argv[2] ?? path.join(__dirname, '..', '..', '..', 'shared', 'corpus', 'apps');
const ROUNDS = 25;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function minimum(values: number[]): number {
  return Math.min(...values);
}

const gc = (globalThis as { gc?: () => void }).gc;

function time(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

interface Figures {
  parse: number;
  analysis: number;
  parseMedian: number;
  analysisMedian: number;
}

/** Bare parse and cold analysis of all files, interleaved. */
function cold(files: readonly SourceFile[]): Figures {
  const parse: number[] = [];
  const analysis: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    parse.push(
      time(() => {
        for (const file of files) parseSource(file.file, file.text);
      }),
    );
    analysis.push(time(() => createCallAnalyzer().analyze(files)));
  }
  return figures(parse, analysis);
}

function figures(parse: number[], analysis: number[]): Figures {
  return {
    parse: minimum(parse),
    analysis: minimum(analysis),
    parseMedian: median(parse),
    analysisMedian: median(analysis),
  };
}

/**
 * Parse of one edited file against what the server does on that edit: `update` + `fileAnalysis`
 * (the file's own calls), and, separately, `current()` (all calls, for the manifest's side).
 */
function incremental(
  files: readonly SourceFile[],
  index: number,
): { file: Figures; app: Figures } | undefined {
  const target = files[index];
  if (!target) return undefined;
  const analyzer = createCallAnalyzer();
  analyzer.analyze(files);
  const parse: number[] = [];
  const fileAnalysis: number[] = [];
  const appAnalysis: number[] = [];
  for (let round = 0; round < ROUNDS * 4; round++) {
    const edited = { file: target.file, text: `${target.text}\n// edit ${round}\n` };
    parse.push(time(() => parseSource(edited.file, edited.text)));
    fileAnalysis.push(
      time(() => {
        analyzer.update(edited);
        analyzer.fileAnalysis(edited.file);
      }),
    );
    appAnalysis.push(time(() => analyzer.current()));
  }
  return { file: figures(parse, fileAnalysis), app: figures(parse, appAnalysis) };
}

function row(name: string, files: number, bytes: number, figures: Figures): string {
  const { parse, analysis, parseMedian, analysisMedian } = figures;
  return `${name.slice(0, 44).padEnd(44)} ${String(files).padStart(5)} ${String(Math.round(bytes / 1000)).padStart(5)} kB ${parse.toFixed(2).padStart(7)} ${analysis.toFixed(2).padStart(8)} ${(analysis / parse).toFixed(2).padStart(5)}×   [${parseMedian.toFixed(2)} ${analysisMedian.toFixed(2)} ${(analysisMedian / parseMedian).toFixed(2)}×]`;
}

async function main(): Promise<void> {
  const { readdirSync } = await import('node:fs');
  const apps = readdirSync(APPS_DIR)
    .filter((name) => name.includes('__'))
    .sort();
  const loaded: { app: string; files: SourceFile[]; read: number }[] = [];
  for (const app of apps) {
    const started = performance.now();
    const { files } = await readSourceFiles(path.join(APPS_DIR, app));
    loaded.push({ app, files, read: performance.now() - started });
  }
  // Warm the JIT on everything once, so the first app does not pay for it.
  for (const { files } of loaded) createCallAnalyzer().analyze(files);

  console.log(
    `${'app'.padEnd(44)} files  size      parse analysis ratio   [medians]  (ms, min of ${ROUNDS})`,
  );
  const all: Figures = { parse: 0, analysis: 0, parseMedian: 0, analysisMedian: 0 };
  let allFiles = 0;
  let allBytes = 0;
  for (const { app, files } of loaded) {
    if (files.length === 0) continue;
    const bytes = files.reduce((sum, file) => sum + file.text.length, 0);
    const figures = cold(files);
    all.parse += figures.parse;
    all.analysis += figures.analysis;
    all.parseMedian += figures.parseMedian;
    all.analysisMedian += figures.analysisMedian;
    allFiles += files.length;
    allBytes += bytes;
    console.log(row(app, files.length, bytes, figures));
  }
  console.log(row('all apps (sums)', allFiles, allBytes, all));

  const largest = [...loaded].sort((a, b) => b.files.length - a.files.length)[0];
  if (!largest) return;
  const big: SourceFile[] = [];
  for (let copy = 0; copy < 4; copy++) {
    for (const file of largest.files) {
      big.push({ file: file.file.replace(/^src\//, `src/copy${copy}/`), text: file.text });
    }
  }
  const bigBytes = big.reduce((sum, file) => sum + file.text.length, 0);
  console.log(row(`${big.length}-file app (4 × ${largest.app})`, big.length, bigBytes, cold(big)));

  console.log(
    `\nre-analysis of the ${big.length}-file app after editing one file, against parsing that file:`,
  );
  const bySize = big
    .map((file, index) => ({ index, size: file.text.length }))
    .sort((a, b) => a.size - b.size);
  const picks = [
    ['smallest', bySize[0]],
    ['median', bySize[Math.floor(bySize.length / 2)]],
    ['largest', bySize[bySize.length - 1]],
  ] as const;
  for (const [label, pick] of picks) {
    if (!pick) continue;
    const result = incremental(big, pick.index);
    if (!result) continue;
    console.log(row(`${label}: update + fileAnalysis`, 1, pick.size, result.file));
    console.log(row(`${label}: then current() (whole app)`, 1, pick.size, result.app));
  }

  if (gc) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const analyzer = createCallAnalyzer();
    analyzer.analyze(big);
    gc();
    const after = process.memoryUsage().heapUsed;
    console.log(
      `\nheap held by the cache of the ${big.length}-file app: ${((after - before) / 1e6).toFixed(1)} MB (${analyzer.cachedFiles} summaries)`,
    );
  }
  const reads = loaded.reduce((sum, app) => sum + app.read, 0);
  console.log(`reading all apps' files (first run, async, 16 at a time): ${reads.toFixed(1)} ms`);
}

void main();
