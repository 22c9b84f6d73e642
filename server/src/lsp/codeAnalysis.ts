import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type Diagnostic,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type * as Analysis from '../analysis';
import type { CallAnalyzer } from '../analysis';
import { readPathAliases } from '../analysis/pathAliases';
import { DEFAULT_SCAN_LIMITS, isUiSourceFileIn, readSourceFiles } from '../analysis/sourceFiles';
import { formatError, runSafeNotification } from '../runner';
import type { CodeUsage } from '../service/codeUsage';
import type { ManifestAtHand, SourceLocator } from '../service/codeUsageFeatures';
import { manifestFormat, parseManifest, type ManifestDocument } from '../service/manifestDocument';
import { filePathOf, isManifestUri, type ServerContext } from './context';

/*
 * The app's code, for the findings that join it with the manifest: `missing-permission` and its
 * kin in a source file, `unused-permission` in the manifest. One analyzer per app folder (the
 * folder of a base manifest), fed from disk and from the open documents, which win. The first
 * scan runs in the background: no request waits for it, and the diagnostics are refreshed when
 * it is done. TypeScript's parser (dist/analysis.js) is loaded only when an app is first read.
 */

const BASE_MANIFESTS = ['stripe-app.json', 'stripe-app.yaml'];
const SOURCE_FILE = /\.(?:ts|tsx|js|jsx)$/i;
/** Source files parsed in one turn of the event loop during a scan (a few ms). */
const FILES_PER_TURN = 8;
/** Lets the requests that arrived be answered before the scan goes on. */
const nextTurn = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });
/** Source edits are joined for this long before the diagnostics that depend on them refresh. */
const REFRESH_DELAY_MS = 250;

let analysisModule: typeof Analysis | undefined;
/** The analysis bundle, loaded (once, in one go: it is evaluated synchronously) on first use. */
function loadAnalysis(): typeof Analysis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  analysisModule ??= require('../analysis') as typeof Analysis;
  return analysisModule;
}

interface AppState {
  readonly folder: string;
  analyzer?: CallAnalyzer;
  /** The scan under way (or done); a newer one replaces it. */
  scan?: Promise<void>;
  /** The code-analysis settings the scan read (a change of them means a new scan). */
  scannedWith?: string;
  /** The base manifest as on disk, for when it is not open. */
  diskManifest?: ManifestAtHand;
  /** The names the base manifest granted when last looked at (see `grantsChanged`). */
  grantedKey?: string;
  /** Positions in files that are not open, from the texts the analyzer holds. */
  readonly lineTables: Map<string, TextDocument>;
}

/** A source file of an app: its app and its path there (`/`-separated). */
export interface SourceAtHand {
  readonly usage: CodeUsage;
  readonly file: string;
  readonly locator: SourceLocator;
}

export interface CodeAnalysisPart {
  /** Calls joined with `manifest`'s effective permissions; undefined before the first scan. */
  usageOfManifest(
    manifest: ManifestDocument,
  ): { usage: CodeUsage; locator: SourceLocator } | undefined;
  /** The usage of the app a source document belongs to, and the file's path in it. */
  usageOfSource(uri: string): SourceAtHand | undefined;
  /** `unused-permission` for an open manifest (nothing until its app is analysed). */
  manifestDiagnostics(document: TextDocument, manifest: ManifestDocument): Diagnostic[];
  /** `missing-permission` and its kin for an open source file. */
  sourceDiagnostics(document: TextDocument): Diagnostic[];
  /** A UI source file of a Stripe App whose diagnostics this server publishes. */
  isSourceUri(uri: string): boolean;
  /** A manifest by URI: the open document, else the file read from disk. */
  manifestByUri(uri: string): ManifestAtHand | undefined;
  /** After `initialized`: asks the client to watch source files and manifests. */
  start(): void;
  /** Settings changed: the switch, the UI folders or the client names may differ. */
  settingsChanged(): void;
}

export function registerCodeAnalysis(
  context: ServerContext,
  onChanged: () => void,
): CodeAnalysisPart {
  const { connection, documents, service } = context;
  const apps = new Map<string, AppState>();
  /** Folder → its app folder (or null), so a keystroke never walks the disk twice. */
  const appFolders = new Map<string, string | null>();
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;

  const settings = () => service.settings.codeAnalysis;

  /** Manifests edited since the last refresh: refreshed only if what they grant changed. */
  const editedApps = new Set<AppState>();
  let changedOtherwise = false;

  /**
   * Refreshes the diagnostics once edits settle. The manifests edited meanwhile are parsed then
   * (the parse their diagnostics use too), not on every keystroke.
   */
  function scheduleRefresh(): void {
    if (refreshTimer !== undefined) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      let changed = changedOtherwise;
      for (const app of editedApps) if (grantsChanged(app)) changed = true;
      editedApps.clear();
      changedOtherwise = false;
      if (changed) onChanged();
    }, REFRESH_DELAY_MS);
  }

  /** Something every finding may depend on changed (a source file, a manifest on disk). */
  function refreshAfterChange(): void {
    changedOtherwise = true;
    scheduleRefresh();
  }

  /** The nearest folder at or above `folder` holding a base manifest. */
  function appFolderAbove(folder: string): string | undefined {
    const walked: string[] = [];
    let current = folder;
    let found: string | null | undefined;
    while (found === undefined) {
      found = appFolders.get(current);
      if (found !== undefined) break;
      walked.push(current);
      const parent = path.dirname(current);
      if (BASE_MANIFESTS.some((name) => existsSync(path.join(current, name)))) found = current;
      else if (parent === current) found = null;
      else current = parent;
    }
    for (const dir of walked) appFolders.set(dir, found);
    return found ?? undefined;
  }

  function appAt(folder: string): AppState {
    let app = apps.get(folder);
    if (!app) {
      app = { folder, lineTables: new Map() };
      apps.set(folder, app);
    }
    if (settings().enabled) app.scan ??= scan(app);
    return app;
  }

  /**
   * Reads the app's sources (open documents win) and analyses them, in the background: after
   * the settings (they say whether and where to look), and TypeScript's parser only when there
   * is a source file to parse (loading it blocks for a moment).
   */
  async function scan(app: AppState): Promise<void> {
    try {
      await context.settingsReady;
      if (!settings().enabled) return;
      app.scannedWith = JSON.stringify(settings());
      const { uiFolders, clientNames } = settings();
      const [{ files }, aliases] = await Promise.all([
        readSourceFiles(app.folder, DEFAULT_SCAN_LIMITS, uiFolders),
        readPathAliases(app.folder),
        loadDiskManifest(app),
      ]);
      if (files.length === 0) return;
      const started = performance.now();
      const analyzer = loadAnalysis().createCallAnalyzer({ clientNames });
      analyzer.analyze([], aliases);
      // A few files at a time, so that requests arriving meanwhile are answered between them.
      for (let index = 0; index < files.length; index++) {
        const file = files[index];
        if (file) analyzer.update(openText(app, file.file) ?? file);
        if (index % FILES_PER_TURN === FILES_PER_TURN - 1) await nextTurn();
      }
      // Documents edited during the scan: their latest text (unchanged versions are skipped).
      for (const file of files) {
        const open = openText(app, file.file);
        if (open) analyzer.update(open);
      }
      const { calls } = analyzer.current();
      context.connection.console.info(
        `Read the UI code of ${app.folder}: ${files.length} source files, ${calls.length} Stripe API calls (${Math.round(performance.now() - started)} ms)`,
      );
      app.analyzer = analyzer;
      app.lineTables.clear();
      onChanged();
    } catch (error) {
      context.logError(formatError(`Could not analyse the code of ${app.folder}`, error));
    }
  }

  function uriOfFile(app: AppState, file: string): string {
    return pathToFileURL(path.join(app.folder, ...file.split('/'))).href;
  }

  function openText(app: AppState, file: string) {
    const document = documents.get(uriOfFile(app, file));
    return document && { file, text: document.getText(), version: `open:${document.version}` };
  }

  async function loadDiskManifest(app: AppState): Promise<void> {
    app.diskManifest = undefined;
    for (const name of BASE_MANIFESTS) {
      const filePath = path.join(app.folder, name);
      const text = await fs.readFile(filePath, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const uri = pathToFileURL(filePath).href;
      const document = TextDocument.create(uri, manifestFormat(uri), 0, text);
      // Parsed apart from the service's cache, which holds the documents the editor has open.
      const manifest = parseManifest(document, service.settings.maxDocumentSize);
      app.diskManifest = { document, manifest };
      return;
    }
  }

  /** The base manifest of an app: the open document, else the file on disk. */
  function baseManifest(app: AppState): ManifestAtHand | undefined {
    for (const name of BASE_MANIFESTS) {
      const open = context.manifestAt(pathToFileURL(path.join(app.folder, name)).href);
      if (open) return open;
    }
    return app.diskManifest;
  }

  function locatorOf(app: AppState): SourceLocator {
    return {
      uri: (file) => uriOfFile(app, file),
      position(file, offset) {
        const open = documents.get(uriOfFile(app, file));
        if (open) return open.positionAt(offset);
        const text = app.analyzer?.text(file);
        if (text === undefined) return undefined;
        let table = app.lineTables.get(file);
        if (table?.getText() !== text) {
          table = TextDocument.create(uriOfFile(app, file), 'typescript', 0, text);
          app.lineTables.set(file, table);
        }
        return table.positionAt(offset);
      },
    };
  }

  function usageOf(app: AppState, manifest: ManifestDocument): CodeUsage | undefined {
    if (!settings().enabled || !app.analyzer) return undefined;
    const base = manifest.kind === 'local' ? baseManifest(app)?.manifest : undefined;
    const grants = service.effectivePermissions(manifest, base);
    return grants && service.codeUsage(app.analyzer.current(), grants);
  }

  /**
   * Whether what the base manifest grants changed since last asked: the source files' findings
   * depend on nothing else of it, so other keystrokes in the manifest refresh nothing.
   */
  function grantsChanged(app: AppState): boolean {
    const base = baseManifest(app);
    const grants = base && service.effectivePermissions(base.manifest);
    const key = grants ? [...grants.names].sort().join(' ') : '';
    if (key === app.grantedKey) return false;
    app.grantedKey = key;
    return true;
  }

  /** The app a manifest or source URI belongs to, and the file's path there. */
  function locate(uri: string): { app: AppState; file: string } | undefined {
    const filePath = filePathOf(uri);
    if (filePath === undefined) return undefined;
    const folder = isManifestUri(uri)
      ? path.dirname(filePath)
      : appFolderAbove(path.dirname(filePath));
    if (folder === undefined) return undefined;
    return { app: appAt(folder), file: path.relative(folder, filePath).split(path.sep).join('/') };
  }

  /** The app and path of a UI source file (in a UI folder; not a test, not node_modules). */
  function sourceOf(uri: string): { app: AppState; file: string } | undefined {
    if (!settings().enabled || isManifestUri(uri) || !SOURCE_FILE.test(uri)) return undefined;
    const found = locate(uri);
    return found && isUiSourceFileIn(found.file, settings().uiFolders) ? found : undefined;
  }

  /** Reads a file that is not open again (changed on disk, or closed with its edits dropped). */
  function readFromDisk(app: AppState, file: string): void {
    const analyzer = app.analyzer;
    if (!analyzer) return;
    const filePath = path.join(app.folder, ...file.split('/'));
    void Promise.all([fs.stat(filePath), fs.readFile(filePath, 'utf8')])
      .then(([stat, text]) => {
        analyzer.update({ file, text, version: `disk:${stat.mtimeMs}:${stat.size}` });
      })
      .catch(() => {
        analyzer.remove(file);
      })
      .finally(refreshAfterChange);
  }

  documents.onDidChangeContent(({ document }) => {
    const source = sourceOf(document.uri);
    if (source?.app.analyzer) {
      source.app.analyzer.update({
        file: source.file,
        text: document.getText(),
        version: `open:${document.version}`,
      });
      refreshAfterChange();
    } else if (isManifestUri(document.uri) && settings().enabled) {
      // Start reading the app's code when its manifest opens; its edits re-judge, never re-read.
      const found = locate(document.uri);
      if (found?.app.analyzer) {
        editedApps.add(found.app);
        scheduleRefresh();
      }
    }
  });
  documents.onDidClose(({ document }) => {
    const source = sourceOf(document.uri);
    if (source) readFromDisk(source.app, source.file);
  });

  connection.onDidChangeWatchedFiles((params) => {
    runSafeNotification(
      async () => {
        for (const change of params.changes) {
          if (documents.get(change.uri)) continue;
          const filePath = filePathOf(change.uri);
          if (filePath === undefined) continue;
          if (isManifestUri(change.uri)) {
            // A manifest added or deleted moves app folders.
            appFolders.clear();
            const app = apps.get(path.dirname(filePath));
            if (app) await loadDiskManifest(app);
            refreshAfterChange();
            continue;
          }
          const source = sourceOf(change.uri);
          if (!source?.app.analyzer) continue;
          if (change.type === FileChangeType.Deleted) {
            source.app.analyzer.remove(source.file);
            refreshAfterChange();
          } else {
            readFromDisk(source.app, source.file);
          }
        }
      },
      'Error applying changed files',
      context.logError,
    );
  });

  const part: CodeAnalysisPart = {
    usageOfManifest(manifest) {
      const found = locate(manifest.uri);
      const usage = found && usageOf(found.app, manifest);
      return found && usage ? { usage, locator: locatorOf(found.app) } : undefined;
    },
    usageOfSource(uri) {
      const found = sourceOf(uri);
      if (!found) return undefined;
      const base = baseManifest(found.app);
      const usage = base && usageOf(found.app, base.manifest);
      return usage && { usage, file: found.file, locator: locatorOf(found.app) };
    },
    manifestDiagnostics(document, manifest) {
      const found = part.usageOfManifest(manifest);
      return found ? service.unusedPermissionDiagnostics(found.usage, manifest, document) : [];
    },
    sourceDiagnostics(document) {
      const found = part.usageOfSource(document.uri);
      return found ? service.codeUsageDiagnostics(found.usage, found.file, document) : [];
    },
    isSourceUri(uri) {
      return sourceOf(uri) !== undefined;
    },
    manifestByUri(uri) {
      const open = context.manifestAt(uri);
      if (open) return open;
      const filePath = filePathOf(uri);
      const app = filePath === undefined ? undefined : apps.get(path.dirname(filePath));
      return app?.diskManifest?.document.uri === uri ? app.diskManifest : undefined;
    },
    start() {
      if (!context.support.dynamicFileWatching) return;
      connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: '**/*.{ts,tsx,js,jsx}' },
            { globPattern: '**/stripe-app*.{json,yaml}' },
          ],
        })
        .catch((error: unknown) => {
          context.logError(formatError('Could not register the file watchers', error));
        });
    },
    settingsChanged() {
      const now = JSON.stringify(settings());
      for (const app of apps.values()) {
        if (app.scannedWith === now) continue;
        app.analyzer = undefined;
        app.scannedWith = undefined;
        app.scan = settings().enabled ? scan(app) : undefined;
      }
    },
  };
  return part;
}
