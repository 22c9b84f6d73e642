/**
 * The Stripe API calls an app's UI extension makes: per-file summaries (cached by file text) are
 * joined across files by following imports and exports, and each candidate call is kept only when
 * its receiver is the UI extension's client. Pure data in, pure data out; no type checker, and the
 * app's code is never run.
 */
import path from 'node:path';
import { readPathAliases, readPathAliasesSync, type PathAlias } from './pathAliases';
import {
  summarizeFile,
  type ClientKind,
  type ClientSource,
  type ExpandItem,
  type FileSummary,
  type SymbolicValue,
} from './fileSummary';
import {
  DEFAULT_SCAN_LIMITS,
  readSourceFiles,
  readSourceFilesSync,
  type AnalysisNote,
  type ScanLimits,
  type SourceFile,
} from './sourceFiles';

/** Where the client of a call was made: the `new Stripe(…)` or the parameter typed `Stripe`. */
export interface ClientOrigin {
  kind: Extract<ClientKind, 'ui-extension' | 'parameter' | 'named'>;
  file: string;
  start: number;
  end: number;
}

/**
 * One Stripe API call. Offsets are UTF-16 offsets into the file's text (what
 * `TextDocument.positionAt` takes); `start`/`end` span the callee (`stripe.customers.list`).
 */
export interface ApiCall {
  file: string;
  start: number;
  end: number;
  /** The accessor path on the client (`customers.list`, `apps.secrets.find`). */
  accessor: string;
  expand: ExpandItem[];
  /** An `expand` is present whose value the tool cannot read (not a literal array of strings). */
  expandIncomplete: boolean;
  client: ClientOrigin;
}

export type UnresolvedReason =
  /** `stripe[name]…`: a computed member the tool does not guess. */
  | 'computed-member'
  /** `stripe.rawRequest(method, path)`: the endpoint is an argument. */
  | 'raw-request'
  /** `new Stripe(key, options)` whose options cannot be read, so the client may be the UI's. */
  | 'undetermined-client';

export interface UnresolvedCall {
  file: string;
  start: number;
  end: number;
  /** The accessor path as far as it is known (`customers` for `stripe.customers[op]()`). */
  knownPath: string;
  reason: UnresolvedReason;
}

export interface CallAnalysis {
  calls: ApiCall[];
  unresolved: UnresolvedCall[];
  notes: AnalysisNote[];
}

export interface CallAnalyzer {
  /**
   * Analyses the given files (the whole UI source of one app), replacing the set held. A file
   * whose text (or `version`, when given) is unchanged keeps its summary, and its calls are
   * resolved again only when a file their resolution read has changed.
   */
  analyze(files: readonly SourceFile[], aliases?: readonly PathAlias[]): CallAnalysis;
  /** One file edited or added (the editor's change event): nothing is resolved until asked. */
  update(file: SourceFile): void;
  /** One file deleted. */
  remove(file: string): void;
  /** The calls of one file (what its diagnostics need), resolving only what is stale. */
  fileAnalysis(file: string): CallAnalysis;
  /** The calls of all files held, resolving only what is stale. */
  current(): CallAnalysis;
  /** The text held for a file (what its call offsets count in), if it is held. */
  text(file: string): string | undefined;
  /** Summaries held (for tests and the benchmark). */
  readonly cachedFiles: number;
}

interface CacheEntry {
  version: string | number | undefined;
  text: string;
  summary: FileSummary;
}

/** One file's share of the result, and the files its resolution read. */
interface FileResult {
  calls: ApiCall[];
  unresolved: UnresolvedCall[];
  notes: AnalysisNote[];
  readFiles: Set<string>;
}

export interface CallAnalyzerOptions {
  /** `stripeApps.codeAnalysis.clientNames`: see `SummaryOptions`. Fixed for the analyzer's life. */
  readonly clientNames?: readonly string[];
}

export function createCallAnalyzer(options: CallAnalyzerOptions = {}): CallAnalyzer {
  const summaryOptions = { clientNames: new Set(options.clientNames ?? []) };
  const cache = new Map<string, CacheEntry>();
  /** Resolved files; a file missing here is resolved on demand. */
  const results = new Map<string, FileResult>();
  /** file → the files whose resolution read it. */
  const readers = new Map<string, Set<string>>();
  let aliases: readonly PathAlias[] = [];
  let aliasKey = '[]';
  let sortedFiles: string[] | undefined;
  const summaries = {
    get: (file: string) => cache.get(file)?.summary,
    has: (file: string) => cache.has(file),
  };

  /** Which files exist and how specifiers map decide every import: all must be resolved again. */
  const resetJoin = (): void => {
    results.clear();
    readers.clear();
    sortedFiles = undefined;
  };

  /** Stores one file; true when it was added or its text changed. */
  const store = ({ file, text, version }: SourceFile): boolean => {
    const entry = cache.get(file);
    const same =
      entry !== undefined &&
      (version !== undefined ? entry.version === version : entry.text === text);
    if (same) return false;
    cache.set(file, { version, text, summary: summarizeFile(file, text, summaryOptions) });
    if (!entry) {
      resetJoin();
      return true;
    }
    results.delete(file);
    for (const reader of readers.get(file) ?? []) results.delete(reader);
    return true;
  };

  const resultOf = (file: string, join: () => Join): FileResult => {
    let result = results.get(file);
    if (!result) {
      result = join().resolveFile(file);
      results.set(file, result);
      for (const read of result.readFiles) {
        let set = readers.get(read);
        if (!set) readers.set(read, (set = new Set()));
        set.add(file);
      }
    }
    return result;
  };

  const lazyJoin = (): (() => Join) => {
    let join: Join | undefined;
    return () => (join ??= new Join(summaries, aliases));
  };

  const analyzer: CallAnalyzer = {
    analyze(files, newAliases = []) {
      const key = JSON.stringify(newAliases);
      if (key !== aliasKey) {
        aliases = newAliases;
        aliasKey = key;
        resetJoin();
      }
      const present = new Set<string>();
      for (const file of files) {
        present.add(file.file);
        store(file);
      }
      if (cache.size !== present.size) {
        for (const file of cache.keys()) if (!present.has(file)) cache.delete(file);
        resetJoin();
      }
      return analyzer.current();
    },
    update(file) {
      store(file);
    },
    remove(file) {
      if (cache.delete(file)) resetJoin();
    },
    fileAnalysis(file) {
      if (!cache.has(file)) return { calls: [], unresolved: [], notes: [] };
      const result = resultOf(file, lazyJoin());
      return {
        calls: result.calls,
        unresolved: result.unresolved,
        notes: sortNotes([...result.notes]),
      };
    },
    current() {
      sortedFiles ??= [...cache.keys()].sort();
      const join = lazyJoin();
      const calls: ApiCall[] = [];
      const unresolved: UnresolvedCall[] = [];
      const notes = new Map<string, AnalysisNote>();
      for (const file of sortedFiles) {
        const result = resultOf(file, join);
        calls.push(...result.calls);
        unresolved.push(...result.unresolved);
        for (const note of result.notes) {
          notes.set(`${note.file}\0${note.kind}\0${note.detail}`, note);
        }
      }
      return { calls, unresolved, notes: sortNotes([...notes.values()]) };
    },
    text(file) {
      return cache.get(file)?.text;
    },
    get cachedFiles() {
      return cache.size;
    },
  };
  return analyzer;
}

export interface AppFolderOptions {
  analyzer?: CallAnalyzer;
  limits?: ScanLimits;
  /** The UI extension's folders (`stripeApps.codeAnalysis.uiFolders`); `src` by default. */
  folders?: readonly string[];
}

/** Reads an app folder's UI sources and analyses them (the server keeps an analyzer instead). */
export async function analyzeAppFolder(
  appFolder: string,
  options: AppFolderOptions = {},
): Promise<CallAnalysis> {
  const { files, notes } = await readSourceFiles(
    appFolder,
    options.limits ?? DEFAULT_SCAN_LIMITS,
    options.folders,
  );
  const analyzer = options.analyzer ?? createCallAnalyzer();
  const result = analyzer.analyze(files, await readPathAliases(appFolder));
  return { ...result, notes: sortNotes([...notes, ...result.notes]) };
}

/** `analyzeAppFolder` with blocking reads (the CLI); also returns the texts it read. */
export function analyzeAppFolderSync(
  appFolder: string,
  options: AppFolderOptions = {},
): CallAnalysis & { files: SourceFile[] } {
  const { files, notes } = readSourceFilesSync(
    appFolder,
    options.limits ?? DEFAULT_SCAN_LIMITS,
    options.folders,
  );
  const analyzer = options.analyzer ?? createCallAnalyzer();
  const result = analyzer.analyze(files, readPathAliasesSync(appFolder));
  return { ...result, notes: sortNotes([...notes, ...result.notes]), files };
}

type Resolved =
  | { kind: 'client'; source: ClientSource; file: string; path: string[] }
  | { kind: 'function'; returns: SymbolicValue | undefined; file: string }
  | { kind: 'namespace'; file: string }
  | { kind: 'stripe-class' };

const RESOLUTION_DEPTH = 64;
const MODULE_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx'];

interface ModuleResolution {
  file: string | undefined;
  /** The specifier names the app's own source, but no analysed file. */
  missingSource: boolean;
}

class Join {
  private readonly moduleCache = new Map<string, ModuleResolution>();
  /** The result being built: where notes and read files go. */
  private current: FileResult = emptyResult();

  constructor(
    private readonly summaries: {
      get(file: string): FileSummary | undefined;
      has(file: string): boolean;
    },
    private readonly aliases: readonly PathAlias[],
  ) {}

  /** The calls of one file, resolved across the others. */
  resolveFile(file: string): FileResult {
    const result = emptyResult();
    this.current = result;
    const summary = this.summaries.get(file);
    if (!summary) return result;
    if (summary.hasSyntaxErrors) {
      result.notes.push({
        kind: 'syntax-errors',
        file,
        detail: 'the file has syntax errors; calls in the broken part may be missed',
      });
    }
    for (const call of summary.calls) {
      let root = this.resolve(call.root, file, 0);
      let names = call.path;
      // `import * as clients from './clients'; clients.stripe.customers.list()`
      while (root?.kind === 'namespace' && names[0] !== undefined) {
        root = this.resolveExport(root.file, names[0], 0, new Set());
        names = names.slice(1);
      }
      if (root?.kind !== 'client') continue;
      const { source } = root;
      if (source.kind === 'backend') continue;
      const known: string[] = [...root.path];
      let computed = false;
      for (const name of names) {
        if (name === undefined) {
          computed = true;
          break;
        }
        known.push(name);
      }
      const at = { file, start: call.start, end: call.end };
      if (source.kind === 'undetermined') {
        result.unresolved.push({
          ...at,
          knownPath: known.join('.'),
          reason: 'undetermined-client',
        });
      } else if (computed) {
        result.unresolved.push({ ...at, knownPath: known.join('.'), reason: 'computed-member' });
      } else if (known.length === 1 && known[0] === 'rawRequest') {
        result.unresolved.push({ ...at, knownPath: '', reason: 'raw-request' });
      } else if (known.length >= 2) {
        // One name alone is a method of the client itself (`on`, `getApiField`), not a request.
        result.calls.push({
          ...at,
          accessor: known.join('.'),
          expand: call.expand,
          expandIncomplete: call.expandIncomplete,
          client: { kind: source.kind, file: root.file, start: source.start, end: source.end },
        });
      }
    }
    const bySite = (a: { start: number; end: number }, b: typeof a): number =>
      a.start - b.start || a.end - b.end;
    result.calls.sort(bySite);
    result.unresolved.sort(bySite);
    return result;
  }

  private resolve(value: SymbolicValue, file: string, depth: number): Resolved | undefined {
    if (depth > RESOLUTION_DEPTH) return undefined;
    switch (value.kind) {
      case 'client':
        return { kind: 'client', source: value.source, file, path: [] };
      case 'function':
        return { kind: 'function', returns: value.returns, file };
      case 'import':
        return this.resolveImport(value.module, value.name, file, depth + 1);
      case 'member': {
        const object = this.resolve(value.object, file, depth + 1);
        if (!object) return undefined;
        if (object.kind === 'client') return { ...object, path: [...object.path, value.name] };
        if (object.kind === 'namespace') {
          return this.resolveExport(object.file, value.name, depth + 1, new Set());
        }
        return undefined;
      }
      case 'call': {
        const callee = this.resolve(value.callee, file, depth + 1);
        if (callee?.kind !== 'function' || !callee.returns) return undefined;
        return this.resolve(callee.returns, callee.file, depth + 1);
      }
    }
  }

  private resolveImport(
    module: string,
    name: string,
    fromFile: string,
    depth: number,
  ): Resolved | undefined {
    if (module === 'stripe') return { kind: 'stripe-class' };
    const target = this.resolveModule(module, fromFile);
    if (target === undefined) return undefined;
    if (name === '*') return { kind: 'namespace', file: target };
    return this.resolveExport(target, name, depth, new Set());
  }

  private resolveExport(
    file: string,
    name: string,
    depth: number,
    seen: Set<string>,
  ): Resolved | undefined {
    if (seen.has(file) || depth > RESOLUTION_DEPTH) return undefined;
    seen.add(file);
    this.current.readFiles.add(file);
    const summary = this.summaries.get(file);
    if (!summary) return undefined;
    const value = summary.exports.get(name);
    if (value) return this.resolve(value, file, depth + 1);
    if (name === 'default') return undefined;
    for (const module of summary.starExports) {
      const target = this.resolveModule(module, file);
      if (target === undefined) continue;
      const found = this.resolveExport(target, name, depth + 1, seen);
      if (found) return found;
    }
    return undefined;
  }

  /** The analysed file a specifier names, or undefined (a package, or a file not analysed). */
  private resolveModule(module: string, fromFile: string): string | undefined {
    const key = `${fromFile}\0${module}`;
    let resolution = this.moduleCache.get(key);
    if (!resolution) {
      resolution = this.lookUpModule(module, fromFile);
      this.moduleCache.set(key, resolution);
    }
    if (resolution.missingSource) {
      this.current.notes.push({
        kind: 'unresolved-import',
        file: fromFile,
        detail: `'${module}' is not among the analysed source files`,
      });
    }
    return resolution.file;
  }

  private lookUpModule(module: string, fromFile: string): ModuleResolution {
    let bases: string[] = [];
    if (module.startsWith('./') || module.startsWith('../') || module === '.' || module === '..') {
      bases = [path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), module))];
    } else {
      const alias = this.aliases.find((candidate) => module.startsWith(candidate.prefix));
      if (alias) {
        const rest = module.slice(alias.prefix.length);
        bases = alias.targets.map((target) => path.posix.normalize(target + rest));
      }
    }
    for (const base of bases) {
      const file = this.findFile(base);
      if (file !== undefined) return { file, missingSource: false };
    }
    // A relative or aliased specifier is the app's own code, unless it names an asset (`.css`).
    const asset = /\.[a-z0-9]+$/i.test(module) && !/\.(?:[mc]?[jt]sx?)$/.test(module);
    return { file: undefined, missingSource: bases.length > 0 && !asset };
  }

  private findFile(base: string): string | undefined {
    const candidates = [base];
    // `import './x.js'` in TypeScript names `x.ts`.
    const script = /\.(?:m?js|jsx)$/.exec(base);
    if (script) {
      const stem = base.slice(0, -script[0].length);
      candidates.push(`${stem}.ts`, `${stem}.tsx`);
    }
    for (const extension of MODULE_EXTENSIONS) candidates.push(base + extension);
    for (const extension of MODULE_EXTENSIONS) candidates.push(`${base}/index${extension}`);
    return candidates.find((candidate) => this.summaries.has(candidate));
  }
}

function emptyResult(): FileResult {
  return { calls: [], unresolved: [], notes: [], readFiles: new Set() };
}

function sortNotes(notes: AnalysisNote[]): AnalysisNote[] {
  return notes.sort(
    (a, b) => compare(a.file, b.file) || compare(a.kind, b.kind) || compare(a.detail, b.detail),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
