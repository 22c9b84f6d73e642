/**
 * Finds the UI extension's source files: `src/**` of the app folder, `.ts`, `.tsx`, `.js`, `.jsx`.
 * Never follows `node_modules`, build output or hidden folders, never leaves the app folder through
 * a symbolic link, and survives files that vanish or cannot be read while it walks.
 */
import { promises as fs, type Dirent } from 'node:fs';
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
  const parts = relativePath.split('/');
  if (parts[0] !== 'src' || parts.length < 2) return false;
  const name = parts[parts.length - 1] ?? '';
  if (!SOURCE_EXTENSION.test(name) || name.endsWith('.d.ts') || TEST_FILE.test(name)) return false;
  return parts
    .slice(1, -1)
    .every((part) => !SKIPPED_FOLDERS.has(part) && !part.startsWith('.') && part !== '__tests__');
}

/** Reads the app's UI source files, sorted by path; what was left out is in `notes`. */
export async function readSourceFiles(
  appFolder: string,
  limits: ScanLimits = DEFAULT_SCAN_LIMITS,
): Promise<{ files: SourceFile[]; notes: AnalysisNote[] }> {
  const notes: AnalysisNote[] = [];
  const found: { file: string; absolute: string }[] = [];
  let appReal: string;
  try {
    appReal = await fs.realpath(appFolder);
  } catch {
    return { files: [], notes };
  }
  const visited = new Set<string>();
  const state = { truncated: false };

  const walk = async (absolute: string, relative: string): Promise<void> => {
    let real: string;
    try {
      real = await fs.realpath(absolute);
    } catch {
      return; // vanished or a dangling link
    }
    // A link may not lead out of the app folder, and no folder is walked twice (link loops).
    if (real !== appReal && !real.startsWith(appReal + path.sep)) return;
    if (visited.has(real)) return;
    visited.add(real);
    let entries: Dirent[];
    try {
      entries = await fs.readdir(absolute, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childRelative = `${relative}/${entry.name}`;
      const childAbsolute = path.join(absolute, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const stat = await fs.stat(childAbsolute);
          isDirectory = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          continue;
        }
      }
      if (isDirectory) {
        if (SKIPPED_FOLDERS.has(entry.name) || entry.name.startsWith('.')) continue;
        if (entry.name === '__tests__') continue;
        await walk(childAbsolute, childRelative);
      } else if (isFile && isUiSourceFile(childRelative)) {
        if (found.length >= limits.maxFiles) {
          state.truncated = true;
          return;
        }
        found.push({ file: childRelative, absolute: childAbsolute });
      }
      if (state.truncated) return;
    }
  };
  await walk(path.join(appFolder, 'src'), 'src');
  if (state.truncated) {
    notes.push({
      kind: 'too-many-files',
      file: '',
      detail: `only the first ${limits.maxFiles} source files were analysed`,
    });
  }

  // A few reads at a time: much faster than one by one, without opening thousands of files at once.
  const read = await mapConcurrently(found, READ_CONCURRENCY, async ({ file, absolute }) => {
    try {
      const stat = await fs.stat(absolute);
      if (stat.size > limits.maxFileSize) {
        const detail = `${stat.size} bytes, more than the ${limits.maxFileSize} analysed`;
        return { note: { kind: 'file-too-large', file, detail } satisfies AnalysisNote };
      }
      return { source: { file, text: await fs.readFile(absolute, 'utf8') } };
    } catch {
      const detail = 'the file vanished or cannot be read';
      return { note: { kind: 'unreadable', file, detail } satisfies AnalysisNote };
    }
  });
  const files: SourceFile[] = [];
  for (const outcome of read) {
    if (outcome.source) files.push(outcome.source);
    if (outcome.note) notes.push(outcome.note);
  }
  return { files, notes };
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
