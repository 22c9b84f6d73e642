/**
 * stripe-apps-manifest: the language service on the command line, for CI and terminals.
 * Exit codes: 0 no error-severity finding / done, 1 error findings (or more warnings than
 * --max-warnings) / refused, 2 usage or I/O error.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { messageText, toGithubAnnotations, toSarif, type FileReport } from './lintReport';
import { PACKAGE_VERSION } from './packageVersion';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Analysis from './analysis';
import { permissionSites, type SourceLocator } from './service/codeUsageFeatures';
import type { CodeUsage, Verdict } from './service/codeUsage';
import {
  createManifestLanguageService,
  isManifestFileName,
  type ManifestDocument,
  type ManifestLanguageService,
} from './service';
import type { ValuePath } from './service/edits';
import { quotedList } from './service/listPhrase';
import { lastProperty } from './service/manifestDocument';

const NAME = 'stripe-apps-manifest';
const BOM = '\uFEFF';

const USAGE = `Usage: ${NAME} <command> [options]

Commands:
  lint [PATH...]                          Check manifests (files, or folders searched for
                                          stripe-app.json and stripe-app.*.json). Without a
                                          PATH: ./stripe-app.json (or ./stripe-app.yaml) and
                                          the app's code against its permissions
  lint --app DIR                          The same for the app in DIR
  usage [--app DIR]                       Which calls of the UI code need which permission,
                                          and which granted permission no call needs
  grant permission NAME EXPLANATION       Add NAME with EXPLANATION as its purpose, or update
                                          the purpose when NAME is already granted
  revoke permission NAME                  Remove every entry of NAME
                                          (both edit the app's own list; in stripe-app.yaml
                                          --extension ID edits that extension's list)
  catalog                                 List the permission catalog

Options:
  --format FORMAT           Output format: text or json (lint, usage, catalog), sarif (SARIF 2.1.0)
                            or github (workflow-command annotations) for lint. Default: text,
                            or github when GITHUB_ACTIONS=true
  --sarif-file PATH         lint also writes SARIF 2.1.0 to PATH
  --max-warnings N          lint exits 1 when it finds more than N warnings
  --manifest PATH           The manifest grant and revoke edit (default: ./stripe-app.json,
                            else ./stripe-app.yaml); for lint and usage, the one the code is
                            compared with (a local stripe-app.<name>.json inherits the base
                            list unless it has its own)
  --extension ID            grant and revoke edit the permissions of the extension ID of a
                            stripe-app.yaml (default: the app's own list,
                            declarations.stripe_api_access.permissions)
  --app DIR                 The app folder whose code lint and usage read (default: .)
  --ui-folder DIR           A folder of the app holding UI extension code (repeatable;
                            default: src)
  --client-name NAME        A name to take as the UI extension's Stripe client (repeatable)
  --write-covers-read       Count a granted X_write as covering reads that need X_read
  --force                   Grant a name that is not in the catalog
  --allow NAME              Accept NAME as a permission (repeatable)
  --severity CODE=LEVEL     Change a rule's severity: error, warning, information, hint or off
                            (repeatable)
  -h, --help                Show this help
  -v, --version             Show the version

Exit status: 0 when no error was found, 1 when errors (or more than --max-warnings
warnings) were found or an edit was refused, 2 on usage or I/O errors.`;

class UsageError extends Error {}

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

const SEVERITY_NAMES: Record<DiagnosticSeverity, string> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

type LintFormat = 'text' | 'json' | 'sarif' | 'github';
const LINT_FORMATS: readonly LintFormat[] = ['text', 'json', 'sarif', 'github'];

export function main(
  argv: readonly string[],
  output: Output,
  cwd = process.cwd(),
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  try {
    return run(argv, output, cwd, env);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`${NAME}: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    // Node's file errors already begin with their code ("ENOENT: no such file …").
    const prefix = code && !message.startsWith(`${code}:`) ? `${code}: ` : '';
    output.err(`${NAME}: ${prefix}${message}\n`);
    return 2;
  }
}

function run(
  argv: readonly string[],
  output: Output,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        'sarif-file': { type: 'string' },
        'max-warnings': { type: 'string' },
        manifest: { type: 'string' },
        extension: { type: 'string' },
        app: { type: 'string' },
        'ui-folder': { type: 'string', multiple: true },
        'client-name': { type: 'string', multiple: true },
        'write-covers-read': { type: 'boolean' },
        force: { type: 'boolean' },
        allow: { type: 'string', multiple: true },
        severity: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    output.out(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    output.out(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  // Under GitHub Actions, annotations on the changed lines unless asked otherwise.
  const format = values.format ?? (env.GITHUB_ACTIONS === 'true' ? 'github' : 'text');
  if (!isLintFormat(format)) {
    throw new UsageError(`--format must be one of ${LINT_FORMATS.join(', ')}, not "${format}"`);
  }
  const maxWarnings = parseMaxWarnings(values['max-warnings']);
  const service = createManifestLanguageService({
    allowedPermissions: values.allow ?? [],
    severity: parseSeverities(values.severity ?? []),
    codeAnalysis: {
      ...(values['ui-folder'] ? { uiFolders: values['ui-folder'] } : {}),
      ...(values['client-name'] ? { clientNames: values['client-name'] } : {}),
      writeCoversRead: values['write-covers-read'] === true,
    },
  });
  const [command, ...rest] = positionals;
  // `lint` without a path, or with --app, also reads the app's code.
  const appFolder =
    values.app !== undefined ? resolve(cwd, values.app) : rest.length === 0 ? cwd : undefined;
  switch (command) {
    case 'lint': {
      const app =
        appFolder === undefined ? undefined : openApp(service, appFolder, values.manifest, cwd);
      const paths = rest.length > 0 ? rest : app ? [app.manifestPath] : ['stripe-app.json'];
      return lint(service, paths, output, cwd, {
        format,
        maxWarnings,
        sarifFile: values['sarif-file'],
        app,
      });
    }
    case 'usage': {
      if (rest.length > 0) throw new UsageError('usage takes no PATH; give the app with --app DIR');
      if (values.format !== undefined && format !== 'text' && format !== 'json') {
        throw new UsageError('usage --format must be text or json');
      }
      const app = openApp(service, appFolder ?? cwd, values.manifest, cwd);
      if (!app) {
        output.err(`${NAME}: no stripe-app.json or stripe-app.yaml in ${appFolder ?? cwd}\n`);
        return 2;
      }
      return printUsage(service, app, format === 'json' ? 'json' : 'text', output, cwd);
    }
    case 'grant':
      expectWord(rest, 'permission', 'grant permission NAME EXPLANATION');
      if (rest.length !== 3) throw new UsageError('grant permission takes NAME and EXPLANATION');
      return grant(service, rest[1] ?? '', rest[2] ?? '', values, output, cwd);
    case 'revoke':
      expectWord(rest, 'permission', 'revoke permission NAME');
      if (rest.length !== 2) throw new UsageError('revoke permission takes NAME');
      return revoke(service, rest[1] ?? '', values, output, cwd);
    case 'catalog':
      if (rest.length > 0) throw new UsageError('catalog takes no arguments');
      // A bare `catalog` under GitHub Actions still lists as text.
      if (values.format !== undefined && format !== 'text' && format !== 'json') {
        throw new UsageError('catalog --format must be text or json');
      }
      return printCatalog(service, format === 'json' ? 'json' : 'text', output);
    case undefined:
      throw new UsageError('no command given');
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function isLintFormat(format: string): format is LintFormat {
  return (LINT_FORMATS as readonly string[]).includes(format);
}

function parseMaxWarnings(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`--max-warnings takes a whole number of warnings, not "${value}"`);
  }
  return Number(value);
}

function expectWord(rest: readonly string[], word: string, usage: string): void {
  if (rest[0] !== word) throw new UsageError(`expected: ${usage}`);
}

function parseSeverities(specs: readonly string[]): Record<string, string> {
  const severity: Record<string, string> = {};
  for (const spec of specs) {
    const [code, level] = spec.split('=');
    const levels = ['error', 'warning', 'information', 'hint', 'off'];
    if (!code || !level || !levels.includes(level)) {
      throw new UsageError(`--severity takes CODE=LEVEL with LEVEL one of ${levels.join(', ')}`);
    }
    severity[code] = level;
  }
  return severity;
}

interface LoadedManifest {
  path: string;
  document: TextDocument;
  hadBom: boolean;
}

function load(path: string): LoadedManifest {
  const raw = readFileSync(path, 'utf8');
  // Editors hide a UTF-8 byte order mark; so do we, and put it back on write.
  const hadBom = raw.startsWith(BOM);
  const text = hadBom ? raw.slice(1) : raw;
  const document = TextDocument.create(pathToFileURL(resolve(path)).href, 'json', 1, text);
  return { path, document, hadBom };
}

/** Writes next to the file and renames over it, so a failure never leaves half a manifest. */
function save(manifest: LoadedManifest, text: string): void {
  const temporary = `${manifest.path}.${process.pid}.tmp`;
  const mode = statSync(manifest.path).mode;
  writeFileSync(temporary, (manifest.hadBom ? BOM : '') + text, { mode });
  renameSync(temporary, manifest.path);
}

function collectManifests(paths: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const stats = statSync(absolute);
    if (stats.isDirectory()) files.push(...findManifests(absolute));
    else files.push(absolute);
  }
  return files;
}

function findManifests(folder: string): string[] {
  const found: string[] = [];
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '.git')
        found.push(...findManifests(path));
    } else if (entry.isFile() && isManifestFileName(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

interface LintOptions {
  format: LintFormat;
  maxWarnings: number | undefined;
  sarifFile: string | undefined;
  /** The app whose code is compared with its manifest (lint without a path, or --app). */
  app: AppAtHand | undefined;
}

function lint(
  service: ManifestLanguageService,
  paths: readonly string[],
  output: Output,
  cwd: string,
  { format, maxWarnings, sarifFile, app }: LintOptions,
): number {
  const files = collectManifests(paths, cwd);
  if (files.length === 0) {
    output.err(`${NAME}: no stripe-app.json, stripe-app.*.json or stripe-app.yaml found\n`);
    return 2;
  }
  const documents = new Map<string, TextDocument>();
  const reports: FileReport[] = files.map((file) => {
    const { document } = load(file);
    documents.set(file, document);
    const manifest = service.parseManifest(document);
    return {
      file,
      diagnostics: service.doValidation(document, manifest, { syntaxErrors: true, maxProblems: 0 }),
    };
  });
  let sourceCount = 0;
  if (app) {
    const code = analyzeApp(service, app);
    if (code) {
      sourceCount = code.sources.length;
      const { manifest, document } =
        code.usage.grants.manifest === app.manifest.manifest
          ? app.manifest
          : (app.base ?? app.manifest);
      const unused = service.unusedPermissionDiagnostics(code.usage, manifest, document);
      if (unused.length > 0) {
        const path = fileURLToPath(document.uri);
        let report = reports.find((candidate) => candidate.file === path);
        if (!report) {
          report = { file: path, diagnostics: [] };
          reports.push(report);
          documents.set(path, document);
        }
        report.diagnostics.push(...unused);
        report.diagnostics.sort((a, b) => comparePositions(a.range.start, b.range.start));
      }
      for (const source of code.sources) {
        const diagnostics = service.codeUsageDiagnostics(code.usage, source.file, source.document);
        if (diagnostics.length === 0) continue;
        const path = join(app.folder, ...source.file.split('/'));
        documents.set(path, source.document);
        reports.push({ file: path, diagnostics });
      }
    }
  }
  const sarif = (): string =>
    toSarif(
      reports,
      cwd,
      {
        name: NAME,
        version: PACKAGE_VERSION,
        informationUri: 'https://www.npmjs.com/package/stripe-apps-manifest',
        permissionsReferenceUri: service.catalog.source.url,
      },
      (report, diagnostic) => documents.get(report.file)?.getText(diagnostic.range) ?? '',
    );
  if (sarifFile !== undefined) {
    const path = resolve(cwd, sarifFile);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, sarif());
  }
  const display = (file: string): string => relative(cwd, file) || basename(file);
  const counts = { error: 0, warning: 0, other: 0 };
  for (const { diagnostics } of reports) {
    for (const diagnostic of diagnostics) {
      const severity = severityName(diagnostic.severity);
      if (severity === 'error') counts.error++;
      else if (severity === 'warning') counts.warning++;
      else counts.other++;
    }
  }
  if (format === 'sarif') {
    output.out(sarif());
  } else if (format === 'github') {
    output.out(toGithubAnnotations(reports, cwd));
  } else if (format === 'json') {
    const json = reports.map(({ file, diagnostics }) => ({
      file: display(file),
      diagnostics: diagnostics.map((diagnostic) => ({
        code: String(diagnostic.code ?? ''),
        severity: severityName(diagnostic.severity),
        message: messageText(diagnostic),
        range: diagnostic.range,
        ...suggestionsOf(diagnostic),
      })),
    }));
    output.out(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    for (const { file, diagnostics } of reports) {
      for (const diagnostic of diagnostics) {
        const { line, character } = diagnostic.range.start;
        const severity = severityName(diagnostic.severity);
        output.out(
          `${display(file)}:${line + 1}:${character + 1} ${severity} ${String(diagnostic.code ?? '')} ${messageText(diagnostic)}\n`,
        );
      }
    }
  }
  if (format !== 'json' && format !== 'sarif') {
    const sources =
      sourceCount > 0 ? ` and ${sourceCount} source file${sourceCount === 1 ? '' : 's'}` : '';
    output.err(
      `${files.length} manifest${files.length === 1 ? '' : 's'}${sources} checked: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.other} other\n`,
    );
  }
  const tooManyWarnings = maxWarnings !== undefined && counts.warning > maxWarnings;
  if (tooManyWarnings) {
    output.err(
      `${NAME}: ${counts.warning} warning${counts.warning === 1 ? '' : 's'} found, more than --max-warnings ${maxWarnings}\n`,
    );
  }
  return counts.error > 0 || tooManyWarnings ? 1 : 0;
}

function severityName(severity: DiagnosticSeverity | undefined): string {
  return SEVERITY_NAMES[severity ?? DiagnosticSeverity.Error];
}

function suggestionsOf(diagnostic: Diagnostic): { suggestions?: string[] } {
  const data: unknown = diagnostic.data;
  if (typeof data === 'object' && data !== null && 'suggestions' in data) {
    const suggestions = data.suggestions;
    if (Array.isArray(suggestions) && suggestions.length > 0) {
      return {
        suggestions: suggestions.filter((item): item is string => typeof item === 'string'),
      };
    }
  }
  return {};
}

/**
 * The call analysis, loaded only by the commands that read code: it brings TypeScript's parser
 * (bundled: 10 MB), which would otherwise cost every command about 0.5 s and 70 MB at start.
 * The build keeps it a bundle of its own (dist/analysis.js), required here on first use.
 */
function loadAnalysis(): typeof Analysis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./analysis') as typeof Analysis;
}

function comparePositions(
  a: { line: number; character: number },
  b: { line: number; character: number },
): number {
  return a.line - b.line || a.character - b.character;
}

interface ManifestFile {
  document: TextDocument;
  manifest: ManifestDocument;
}

/** An app folder with the manifest its code is compared with (and the base that one extends). */
interface AppAtHand {
  folder: string;
  manifestPath: string;
  manifest: ManifestFile;
  base?: ManifestFile;
}

/**
 * The app in `folder`: `--manifest` when given, else its stripe-app.json, else its
 * stripe-app.yaml; undefined when there is none. A local manifest brings the base it extends.
 */
function openApp(
  service: ManifestLanguageService,
  folder: string,
  manifestOption: string | undefined,
  cwd: string,
): AppAtHand | undefined {
  const candidates =
    manifestOption !== undefined
      ? [resolve(cwd, manifestOption)]
      : ['stripe-app.json', 'stripe-app.yaml'].map((name) => join(folder, name));
  const manifestPath = candidates.find((path) => isFile(path));
  if (manifestPath === undefined) return undefined;
  const parse = (path: string): ManifestFile => {
    const { document } = load(path);
    return { document, manifest: service.parseManifest(document) };
  };
  const manifest = parse(manifestPath);
  let base: ManifestFile | undefined;
  if (manifest.manifest.kind === 'local') {
    const basePath = resolve(dirname(manifestPath), manifest.manifest.extends ?? 'stripe-app.json');
    if (isFile(basePath)) base = parse(basePath);
  }
  return { folder, manifestPath, manifest, ...(base ? { base } : {}) };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

interface SourceDocument {
  /** Relative to the app folder, with `/` separators. */
  file: string;
  document: TextDocument;
}

/** The app's UI code read and judged against its effective permissions (undefined: not done). */
function analyzeApp(
  service: ManifestLanguageService,
  app: AppAtHand,
): { usage: CodeUsage; sources: SourceDocument[]; locator: SourceLocator } | undefined {
  const settings = service.settings.codeAnalysis;
  if (!settings.enabled) return undefined;
  const grants = service.effectivePermissions(app.manifest.manifest, app.base?.manifest);
  if (!grants) return undefined;
  const { analyzeAppFolderSync, createCallAnalyzer } = loadAnalysis();
  const analysis = analyzeAppFolderSync(app.folder, {
    folders: settings.uiFolders,
    analyzer: createCallAnalyzer({ clientNames: settings.clientNames }),
  });
  const sources = analysis.files.map(({ file, text }) => ({
    file,
    document: TextDocument.create(
      pathToFileURL(join(app.folder, ...file.split('/'))).href,
      /\.tsx?$/.test(file) ? 'typescript' : 'javascript',
      1,
      text,
    ),
  }));
  const byFile = new Map(sources.map((source) => [source.file, source.document]));
  const locator: SourceLocator = {
    uri: (file) => byFile.get(file)?.uri ?? pathToFileURL(join(app.folder, file)).href,
    position: (file, offset) => byFile.get(file)?.positionAt(offset),
  };
  return { usage: service.codeUsage(analysis, grants), sources, locator };
}

function verdictWords(verdict: Verdict | undefined): string {
  switch (verdict?.kind) {
    case undefined:
      return 'not checked';
    case 'granted':
      return 'granted';
    case 'implied':
      return `granted through ${verdict.by.join(', ')}`;
    case 'write-assumed':
      return `granted as ${verdict.by.join(', ')} (assumed to cover reads)`;
    case 'write-unconfirmed':
      return `NOT GRANTED (${verdict.by.join(', ')} is; Stripe does not say it covers reads)`;
    case 'missing':
      return 'NOT GRANTED';
  }
}

/** `usage`: permission → call sites, and call → permission, as text or JSON. */
function printUsage(
  service: ManifestLanguageService,
  app: AppAtHand,
  format: 'text' | 'json',
  output: Output,
  cwd: string,
): number {
  const code = analyzeApp(service, app);
  if (!code) {
    output.err(
      `${NAME}: cannot tell what is granted: ${relative(cwd, app.manifestPath) || basename(app.manifestPath)} (or the manifest it extends) is missing, has syntax errors or is not an object; run lint\n`,
    );
    return 2;
  }
  const { usage, locator } = code;
  const display = (file: string): string =>
    relative(cwd, join(app.folder, ...file.split('/')))
      .split(sep)
      .join('/') || file;
  const at = (file: string, offset: number) => {
    const position = locator.position(file, offset) ?? { line: 0, character: 0 };
    return { file: display(file), line: position.line + 1, column: position.character + 1 };
  };
  const granted = usage.grants.names;
  const names = [...new Set([...granted, ...usage.neededBy.keys()])].sort();
  const permissions = names.map((permission) => {
    const sites = permissionSites(usage, permission, locator).map(({ site }) => ({
      ...at(site.file, site.start),
      accessor: site.accessor,
      ...(site.expand !== undefined ? { expand: site.expand } : {}),
    }));
    const exempt = usage.exempt.get(permission);
    const status = !granted.has(permission)
      ? usage.usedBy.has(permission)
        ? 'used'
        : 'not-granted'
      : usage.usedBy.has(permission)
        ? 'used'
        : usage.unused.includes(permission)
          ? 'unused'
          : 'not-checked';
    return {
      permission,
      granted: granted.has(permission),
      status,
      ...(exempt ? { reason: exempt } : {}),
      sites,
    };
  });
  const calls = usage.needs.map((need) => ({
    ...at(need.call.file, need.call.start),
    accessor: need.call.accessor,
    ...(need.method
      ? {
          endpoint: `${need.method.verb} ${need.method.path}`,
          status: need.method.status,
          permissions: need.method.permissions,
        }
      : { status: 'unknown-method' }),
    verdict: need.verdict?.kind ?? 'not-checked',
    expands: need.expands.map((expand) => ({
      path: expand.path,
      object: expand.object,
      permissions: expand.permissions,
      verdict: expand.verdict.kind,
    })),
  }));
  const unresolved = usage.unresolved.map((call) => ({
    ...at(call.file, call.start),
    reason: call.reason,
    knownPath: call.knownPath,
  }));
  const manifestFile =
    relative(cwd, fileURLToPath(usage.grants.manifest.uri)).split(sep).join('/') ||
    basename(app.manifestPath);
  if (format === 'json') {
    const json = {
      manifest: manifestFile,
      inherited: usage.grants.inherited,
      writeCoversRead: usage.settings.writeCoversRead,
      permissions,
      calls,
      unresolved,
    };
    output.out(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  output.out(`Permissions of ${manifestFile}${usage.grants.inherited ? ' (inherited)' : ''}\n`);
  for (const entry of permissions) {
    const state =
      entry.status === 'used'
        ? entry.granted
          ? 'granted'
          : 'not granted, used through another'
        : entry.status === 'not-granted'
          ? 'NOT GRANTED'
          : entry.status === 'unused'
            ? 'granted, no UI call needs it'
            : `granted, not checked (${entry.reason ?? 'no calls'})`;
    output.out(`  ${entry.permission}: ${state}\n`);
    for (const site of entry.sites) {
      const expand = site.expand !== undefined ? ` expand ${site.expand}` : '';
      output.out(`    ${site.file}:${site.line}:${site.column} ${site.accessor}${expand}\n`);
    }
  }
  output.out('Calls\n');
  if (usage.needs.length === 0) output.out('  (no Stripe API call of a UI client found)\n');
  for (const need of usage.needs) {
    const site = at(need.call.file, need.call.start);
    const method = need.method;
    const needs =
      method === undefined
        ? 'not in the API table'
        : method.status !== 'permission'
          ? 'no app permission grants it'
          : `${method.permissions.join(' or ')}: ${verdictWords(need.verdict)}`;
    output.out(`  ${site.file}:${site.line}:${site.column} ${need.call.accessor} → ${needs}\n`);
    for (const expand of need.expands) {
      output.out(
        `    expand ${expand.path} (${expand.object}) → ${expand.permissions.join(' or ')}: ${verdictWords(expand.verdict)}\n`,
      );
    }
  }
  if (unresolved.length > 0) {
    output.out('Unresolved (not checked)\n');
    for (const call of unresolved) {
      const known = call.knownPath !== '' ? ` ${call.knownPath}` : '';
      output.out(`  ${call.file}:${call.line}:${call.column} ${call.reason}${known}\n`);
    }
  }
  return 0;
}

interface EditValues {
  manifest?: string | undefined;
  extension?: string | undefined;
  force?: boolean | undefined;
}

interface EditOutcome {
  status: string;
  edits: TextEdit[];
  message: string;
}

/** Loads the manifest, applies one service edit, writes the file back and reports. */
function editManifest(
  service: ManifestLanguageService,
  path: string,
  edit: (document: TextDocument, manifest: ManifestDocument) => EditOutcome,
  succeeded: (status: string) => boolean,
  output: Output,
): number {
  const manifest = load(path);
  const result = edit(manifest.document, service.parseManifest(manifest.document));
  if (result.edits.length > 0) {
    save(manifest, TextDocument.applyEdits(manifest.document, result.edits));
  }
  const ok = succeeded(result.status);
  (ok ? output.out : output.err)(`${result.message}\n`);
  return ok ? 0 : 1;
}

/**
 * The manifest grant and revoke edit: `--manifest`, else the folder's stripe-app.json, else its
 * stripe-app.yaml. With both and no `--manifest` the choice is the user's.
 */
function editedManifest(values: EditValues, cwd: string): string {
  if (values.manifest !== undefined) return resolve(cwd, values.manifest);
  const v1 = resolve(cwd, 'stripe-app.json');
  const v2 = resolve(cwd, 'stripe-app.yaml');
  if (existsSync(v1) && existsSync(v2)) {
    throw new UsageError(
      'both stripe-app.json and stripe-app.yaml are here: say which to edit with --manifest',
    );
  }
  return existsSync(v2) && !existsSync(v1) ? v2 : v1;
}

/**
 * The list `--extension ID` names (the path of its value), undefined for the app's own list; or
 * why it cannot be edited (the CLI then changes nothing and exits 1).
 */
function targetList(
  manifest: ManifestDocument,
  extension: string | undefined,
): { list?: ValuePath } | { refused: string } {
  if (extension === undefined) return {};
  const file = basename(fileURLToPath(manifest.uri));
  if (manifest.format !== 'yaml') {
    return {
      refused: `--extension works on a v2 manifest (stripe-app.yaml); ${file} has one permission list.`,
    };
  }
  const extensions = lastProperty(manifest.rootProperties, 'extensions')?.value;
  const items = extensions?.type === 'array' ? (extensions.items ?? []) : [];
  const ids = items.map((item) => {
    const id = lastProperty(item.properties ?? [], 'id')?.value;
    return id?.type === 'string' ? String(id.value) : undefined;
  });
  const matches = ids.flatMap((id, index) => (id === extension ? [index] : []));
  const known = ids.filter((id): id is string => id !== undefined);
  if (matches.length === 0) {
    return {
      refused:
        known.length === 0
          ? `${file} has no extension with an id, so no extension "${extension}".`
          : `${file} has no extension "${extension}"; its extensions are ${quotedList(known)}.`,
    };
  }
  const [index, ...others] = matches;
  if (index === undefined || others.length > 0) {
    return {
      refused: `${file} has ${matches.length} extensions with the id "${extension}"; give each its own id first.`,
    };
  }
  const path: ValuePath = ['extensions', index, 'permissions'];
  if (!manifest.lists.some((list) => list.path.join('/') === path.join('/'))) {
    return {
      refused: `The extension "${extension}" has no permissions list; add "permissions: []" to it first.`,
    };
  }
  return { list: path };
}

function refusal(message: string): EditOutcome {
  return { status: 'invalid', edits: [], message };
}

function grant(
  service: ManifestLanguageService,
  name: string,
  explanation: string,
  values: EditValues,
  output: Output,
  cwd: string,
): number {
  return editManifest(
    service,
    editedManifest(values, cwd),
    (document, manifest) => {
      const target = targetList(manifest, values.extension);
      if ('refused' in target) return refusal(`Cannot grant ${name}: ${target.refused}`);
      return service.grant(document, manifest, name, explanation, {
        force: values.force === true,
        ...target,
      });
    },
    (status) => status === 'granted' || status === 'updated' || status === 'unchanged',
    output,
  );
}

function revoke(
  service: ManifestLanguageService,
  name: string,
  values: EditValues,
  output: Output,
  cwd: string,
): number {
  return editManifest(
    service,
    editedManifest(values, cwd),
    (document, manifest) => {
      const target = targetList(manifest, values.extension);
      if ('refused' in target) return refusal(`Cannot revoke ${name}: ${target.refused}`);
      return service.revoke(document, manifest, name, target.list);
    },
    // Revoking a name that is not granted changes nothing and is not a failure (as `rm -f`).
    (status) => status !== 'invalid',
    output,
  );
}

function printCatalog(
  service: ManifestLanguageService,
  format: 'text' | 'json',
  output: Output,
): number {
  const { catalog } = service;
  if (format === 'json') {
    output.out(
      `${JSON.stringify({ source: catalog.source, permissions: catalog.permissions }, null, 2)}\n`,
    );
    return 0;
  }
  const width = Math.max(...catalog.permissions.map((info) => info.name.length));
  for (const product of catalog.products) {
    output.out(`${product}\n`);
    for (const info of catalog.permissions.filter((entry) => entry.product === product)) {
      output.out(`  ${info.name.padEnd(width)}  ${info.access.padEnd(5)}  ${info.resource}\n`);
    }
  }
  output.err(
    `${catalog.permissions.length} permissions from the ${catalog.source.title} (copied ${catalog.source.copied})\n`,
  );
  return 0;
}

if (require.main === module) {
  // `stripe-apps-manifest catalog | head -5`: the reader may go away before the output ends.
  // Node then reports EPIPE as an unhandled stream error with a stack trace; end quietly with
  // the status already decided instead (output is written synchronously, so it is set).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit();
    });
  }
  process.exitCode = main(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
