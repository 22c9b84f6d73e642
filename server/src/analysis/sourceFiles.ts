/**
 * Finds the UI extension's source files: `src/**` of the app folder, `.ts`, `.tsx`, `.js`, `.jsx`.
 * Never follows `node_modules`, build output or hidden folders, never leaves the app folder through
 * a symbolic link, and survives files that vanish or cannot be read while it walks.
 */
import {
  promises as fs,
  readFileSync,
  readdirSync,
  realpathSync,
  statSync,
  type Dirent,
} from 'node:fs';
import path from 'node:path';

export interface ScanLimits {
  /** Files larger than this many bytes are skipped with a note (generated bundles). */
  maxFileSize: number;
  /** At most this many files are read; the rest are left out with one note. */
  maxFiles: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxFileSize: 1_000_000, maxFiles: 5_000 };

export type NoteKind =
  'file-too-large' | 'too-many-files' | 'unreadable' | 'syntax-errors' | 'unresolved-import';

export interface AnalysisNote {
  kind: NoteKind;
  /** Path relative to the app folder, with `/` separators; empty for the whole app. */
  file: string;
  detail: string;
}

export interface SourceFile {
  /** Path relative to the app folder, with `/` separators. */
  file: string;
  text: string;
  /** A document version or a file's mtime: when given, an unchanged one skips comparing texts. */
  version?: string | number;
}

const SOURCE_EXTENSION = /\.(?:ts|tsx|js|jsx)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage']);
/** Tests run under Jest with mocks, never in the dashboard with the app's permissions. */
const TEST_FILE = /\.(?:test|spec)\.[jt]sx?$/;

export function isUiSourceFile(relativePath: string): boolean {
  return isUiSourceFileIn(relativePath, DEFAULT_UI_FOLDERS);
}

/** The UI extension's folders by default (`stripeApps.codeAnalysis.uiFolders`). */
export const DEFAULT_UI_FOLDERS: readonly string[] = ['src'];

/** Whether an app-relative path is UI source under one of `folders` (`src`, `packages/ui/src`). */
export function isUiSourceFileIn(relativePath: string, folders: readonly string[]): boolean {
  const folder = folders.find((candidate) => relativePath.startsWith(`${candidate}/`));
  if (folder === undefined) return false;
  const parts = relativePath.slice(folder.length + 1).split('/');
  const name = parts[parts.length - 1] ?? '';
  if (!SOURCE_EXTENSION.test(name) || name.endsWith('.d.ts') || TEST_FILE.test(name)) return false;
  return parts
    .slice(0, -1)
    .every((part) => !SKIPPED_FOLDERS.has(part) && !part.startsWith('.') && part !== '__tests__');
}

/** A file system step the scan asks for; the async and the sync reader perform it. */
type FsStep =
  | { op: 'realpath'; path: string }
  | { op: 'readdir'; path: string }
  | { op: 'stat'; path: string }
  | { op: 'read'; files: readonly FoundFile[] };

interface FoundFile {
  file: string;
  absolute: string;
}

type ReadOutcome =
  { source: SourceFile; note?: undefined } | { note: AnalysisNote; source?: undefined };

interface StatLike {
  isDirectory(): boolean;
  isFile(): boolean;
}

/**
 * The scan, written once for both readers: it yields each file system step and receives its
 * result (undefined when the step failed: a file that vanished, a dangling link).
 */
function* scan(
  appFolder: string,
  limits: ScanLimits,
  folders: readonly string[],
): Generator<FsStep, { files: SourceFile[]; notes: AnalysisNote[] }, unknown> {
  const notes: AnalysisNote[] = [];
  const found: FoundFile[] = [];
  const appReal = (yield { op: 'realpath', path: appFolder }) as string | undefined;
  if (appReal === undefined) return { files: [], notes };
  const visited = new Set<string>();
  // An object: the nested walk sets it, which a `let` would hide from flow analysis.
  const state = { truncated: false };

  function* walk(absolute: string, relative: string): Generator<FsStep, void, unknown> {
    const real = (yield { op: 'realpath', path: absolute }) as string | undefined;
    if (real === undefined || appReal === undefined) return; // vanished or a dangling link
    // A link may not lead out of the app folder, and no folder is walked twice (link loops).
    if (real !== appReal && !real.startsWith(appReal + path.sep)) return;
    if (visited.has(real)) return;
    visited.add(real);
    const entries = (yield { op: 'readdir', path: absolute }) as Dirent[] | undefined;
    if (!entries) return;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childRelative = `${relative}/${entry.name}`;
      const childAbsolute = path.join(absolute, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const stat = (yield { op: 'stat', path: childAbsolute }) as StatLike | undefined;
        if (!stat) continue;
        isDirectory = stat.isDirectory();
        isFile = stat.isFile();
      }
      if (isDirectory) {
        if (SKIPPED_FOLDERS.has(entry.name) || entry.name.startsWith('.')) continue;
        if (entry.name === '__tests__') continue;
        yield* walk(childAbsolute, childRelative);
      } else if (isFile && isUiSourceFileIn(childRelative, folders)) {
        if (found.length >= limits.maxFiles) {
          state.truncated = true;
          return;
        }
        found.push({ file: childRelative, absolute: childAbsolute });
      }
      if (state.truncated) return;
    }
  }
  for (const folder of folders) {
    if (state.truncated) break;
    yield* walk(path.join(appFolder, ...folder.split('/')), folder);
  }
  if (state.truncated) {
    notes.push({
      kind: 'too-many-files',
      file: '',
      detail: `only the first ${limits.maxFiles} source files were analysed`,
    });
  }
  const read = (yield { op: 'read', files: found }) as ReadOutcome[];
  const files: SourceFile[] = [];
  for (const outcome of read) {
    if (outcome.source) files.push(outcome.source);
    if (outcome.note) notes.push(outcome.note);
  }
  return { files, notes };
}

function tooLarge(file: string, size: number, limits: ScanLimits): ReadOutcome | undefined {
  if (size <= limits.maxFileSize) return undefined;
  const detail = `${size} bytes, more than the ${limits.maxFileSize} analysed`;
  return { note: { kind: 'file-too-large', file, detail } };
}

function unreadable(file: string): ReadOutcome {
  return { note: { kind: 'unreadable', file, detail: 'the file vanished or cannot be read' } };
}

/** How a scan's steps reach the file system: with promises (the server) or blocking (the CLI). */
interface FileSystem<Result> {
  realpath(path: string): Result;
  readdir(path: string): Result;
  stat(path: string): Result;
  read(files: readonly FoundFile[]): Result;
}

function perform<Result>(request: FsStep, io: FileSystem<Result>): Result {
  switch (request.op) {
    case 'realpath':
      return io.realpath(request.path);
    case 'readdir':
      return io.readdir(request.path);
    case 'stat':
      return io.stat(request.path);
    case 'read':
      return io.read(request.files);
  }
}

function asyncFileSystem(limits: ScanLimits): FileSystem<Promise<unknown>> {
  const readOne = async ({ file, absolute }: FoundFile): Promise<ReadOutcome> => {
    try {
      const stat = await fs.stat(absolute);
      return (
        tooLarge(file, stat.size, limits) ?? {
          source: { file, text: await fs.readFile(absolute, 'utf8') },
        }
      );
    } catch {
      return unreadable(file);
    }
  };
  return {
    realpath: (path) => fs.realpath(path),
    readdir: (path) => fs.readdir(path, { withFileTypes: true }),
    stat: (path) => fs.stat(path),
    // A few reads at a time: much faster than one by one, without opening thousands at once.
    read: (files) => mapConcurrently(files, READ_CONCURRENCY, readOne),
  };
}

function blockingFileSystem(limits: ScanLimits): FileSystem<unknown> {
  const readOne = ({ file, absolute }: FoundFile): ReadOutcome => {
    try {
      return (
        tooLarge(file, statSync(absolute).size, limits) ?? {
          source: { file, text: readFileSync(absolute, 'utf8') },
        }
      );
    } catch {
      return unreadable(file);
    }
  };
  return {
    realpath: (path) => realpathSync(path),
    readdir: (path) => readdirSync(path, { withFileTypes: true }),
    stat: (path) => statSync(path),
    read: (files) => files.map(readOne),
  };
}

/**
 * Reads the app's UI source files (under `folders`, `src` by default), sorted by path; what was
 * left out is in `notes`.
 */
export async function readSourceFiles(
  appFolder: string,
  limits: ScanLimits = DEFAULT_SCAN_LIMITS,
  folders: readonly string[] = DEFAULT_UI_FOLDERS,
): Promise<{ files: SourceFile[]; notes: AnalysisNote[] }> {
  const io = asyncFileSystem(limits);
  const steps = scan(appFolder, limits, folders);
  let step = steps.next();
  while (!step.done) {
    // A step that fails (a file vanished meanwhile) answers undefined; the scan skips it.
    step = steps.next(await perform(step.value, io).catch(() => undefined));
  }
  return step.value;
}

/** `readSourceFiles` with blocking reads, for the command-line tool. */
export function readSourceFilesSync(
  appFolder: string,
  limits: ScanLimits = DEFAULT_SCAN_LIMITS,
  folders: readonly string[] = DEFAULT_UI_FOLDERS,
): { files: SourceFile[]; notes: AnalysisNote[] } {
  const io = blockingFileSystem(limits);
  const steps = scan(appFolder, limits, folders);
  let step = steps.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = perform(step.value, io);
    } catch {
      result = undefined;
    }
    step = steps.next(result);
  }
  return step.value;
}

const READ_CONCURRENCY = 16;

async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
