/**
 * The CLI's lint findings in the formats CI systems read: SARIF 2.1.0 (GitHub code scanning and
 * other SARIF viewers) and GitHub Actions workflow commands (annotations on the changed lines).
 */
import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import {
  SarifBuilder,
  SarifResultBuilder,
  SarifRuleBuilder,
  SarifRunBuilder,
} from 'node-sarif-builder';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { CODE_INFO, DIAGNOSTIC_CODES, isDiagnosticCode, type SeverityName } from './service';

export interface FileReport {
  /** Absolute path of the manifest. */
  file: string;
  diagnostics: Diagnostic[];
}

export interface ToolInfo {
  name: string;
  version: string;
  informationUri: string;
  /** The permissions reference the catalog was copied from. */
  permissionsReferenceUri: string;
}

const MANIFEST_REFERENCE_URI = 'https://docs.stripe.com/stripe-apps/reference/app-manifest';

function codeOf(diagnostic: Diagnostic): string {
  return String(diagnostic.code ?? '');
}

/** Messages may be markup in LSP 3.18; the service writes plain text, and so do the reports. */
export function messageText(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function sarifLevel(severity: SeverityName | DiagnosticSeverity | undefined): Sarif.Result.level {
  switch (severity) {
    case 'error':
    case DiagnosticSeverity.Error:
    case undefined:
      return 'error';
    case 'warning':
    case DiagnosticSeverity.Warning:
      return 'warning';
    default:
      return 'note';
  }
}

/** `Unknown permission` from `unknown-permission`: SARIF rule names are readable identifiers. */
function ruleName(code: string): string {
  return code
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * A relative URI under the base (percent-encoded, `/`-separated), or an absolute file URI for a
 * file outside it, which a relative reference with `..` would hide from code scanning.
 */
function artifactLocation(file: string, baseFolder: string): Sarif.ArtifactLocation {
  const path = relative(baseFolder, file);
  if (path === '' || path.startsWith('..') || path.includes(':')) {
    return { uri: pathToFileURL(file).href };
  }
  return {
    uri: path.split(sep).map(encodeURIComponent).join('/'),
    uriBaseId: '%SRCROOT%',
  };
}

/**
 * A fingerprint that survives lines moving: the file, the code and the text the finding is on,
 * plus how many identical findings came before it in the file.
 */
function fingerprints(
  reports: readonly FileReport[],
  baseFolder: string,
  texts: (report: FileReport, diagnostic: Diagnostic) => string,
): Map<Diagnostic, string> {
  const result = new Map<Diagnostic, string>();
  for (const report of reports) {
    // Relative, so that checkouts in different folders give the same fingerprints.
    const file = relative(baseFolder, report.file).split(sep).join('/');
    const seen = new Map<string, number>();
    for (const diagnostic of report.diagnostics) {
      const key = `${codeOf(diagnostic)}\u0000${texts(report, diagnostic)}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      const hash = createHash('sha256')
        .update(`${file}\u0000${key}\u0000${occurrence}`)
        .digest('hex');
      result.set(diagnostic, `${hash.slice(0, 32)}:${occurrence + 1}`);
    }
  }
  return result;
}

/**
 * SARIF 2.1.0 for the reports: one rule per diagnostic code with its help URI, results at the
 * exact UTF-16 regions the editor shows, URIs relative to `baseFolder` (`%SRCROOT%`).
 * `textAt` gives the text a finding covers, for its snippet and fingerprint.
 */
export function toSarif(
  reports: readonly FileReport[],
  baseFolder: string,
  tool: ToolInfo,
  textAt: (report: FileReport, diagnostic: Diagnostic) => string,
): string {
  const run = new SarifRunBuilder({
    columnKind: 'utf16CodeUnits',
    originalUriBaseIds: {
      '%SRCROOT%': { uri: pathToFileURL(baseFolder).href.replace(/\/?$/, '/') },
    },
  }).initSimple({
    toolDriverName: tool.name,
    toolDriverVersion: tool.version,
    url: tool.informationUri,
  });
  for (const code of DIAGNOSTIC_CODES) {
    const { description, severity: defaultSeverity, reference } = CODE_INFO[code];
    const helpUri =
      reference === 'permissions' ? tool.permissionsReferenceUri : MANIFEST_REFERENCE_URI;
    const option = `--severity ${code}=LEVEL`;
    const severity = `Default severity: ${defaultSeverity}; change it with OPTION (LEVEL: error, warning, information, hint or off).`;
    // GitHub code scanning shows the full description and the help on each alert's page.
    const rule = new SarifRuleBuilder({
      name: ruleName(code),
      defaultConfiguration: { level: sarifLevel(defaultSeverity) },
      help: {
        text: `${description} ${severity.replace('OPTION', option)} See ${helpUri}`,
        markdown: `${description} ${severity.replace('OPTION', `\`${option}\``)} See [the Stripe documentation](${helpUri}).`,
      },
    }).initSimple({
      ruleId: code,
      shortDescriptionText: description,
      fullDescriptionText: `${description} ${severity.replace('OPTION', option)}`,
      helpUri,
    });
    run.addRule(rule);
  }
  const fingerprintOf = fingerprints(reports, baseFolder, textAt);
  for (const report of reports) {
    const location = artifactLocation(report.file, baseFolder);
    for (const diagnostic of report.diagnostics) {
      const code = codeOf(diagnostic);
      const { start, end } = diagnostic.range;
      const result = new SarifResultBuilder({
        partialFingerprints: { 'stripeAppsManifest/v1': fingerprintOf.get(diagnostic) ?? '' },
      }).initSimple({
        ruleId: isDiagnosticCode(code) ? code : 'syntax-error',
        level: sarifLevel(diagnostic.severity),
        messageText: messageText(diagnostic),
        // SARIF counts from 1; an empty range (an insertion point) keeps its start column.
        startLine: start.line + 1,
        startColumn: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
      });
      const physical = result.result.locations?.[0]?.physicalLocation;
      if (physical) {
        physical.artifactLocation = { ...location };
        // The text the finding is on, so the alert shows it without the repository at hand.
        const snippet = textAt(report, diagnostic);
        if (physical.region && snippet !== '') physical.region.snippet = { text: snippet };
      }
      run.addResult(result);
    }
  }
  const log = new SarifBuilder({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json' });
  log.addRun(run);
  return `${log.buildSarifJsonString({ indent: true })}\n`;
}

/** Escapes the message of a workflow command (`::error …::message`). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property of a workflow command (`file=…,title=…`), where `:` and `,` separate. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding,
 * which the runner turns into annotations on the file and lines (1-based, as GitHub counts).
 */
export function toGithubAnnotations(reports: readonly FileReport[], baseFolder: string): string {
  let text = '';
  for (const report of reports) {
    const file = relative(baseFolder, report.file).split(sep).join('/');
    for (const diagnostic of report.diagnostics) {
      const level = sarifLevel(diagnostic.severity);
      const command = level === 'note' ? 'notice' : level;
      const { start, end } = diagnostic.range;
      const properties = [
        `file=${escapeProperty(file)}`,
        `line=${start.line + 1}`,
        `col=${start.character + 1}`,
        `endLine=${end.line + 1}`,
        `endColumn=${end.character + 1}`,
        `title=${escapeProperty(`${codeOf(diagnostic)} (stripe-apps-manifest)`)}`,
      ];
      text += `::${command} ${properties.join(',')}::${escapeData(messageText(diagnostic))}\n`;
    }
  }
  return text;
}
