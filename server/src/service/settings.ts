/** The user's settings for the service; the codes and their defaults come from the rules. */
import { isRecord } from './diagnostics/common';
import {
  DEFAULT_SEVERITY,
  DIAGNOSTIC_CODES,
  isDiagnosticCode,
  type DiagnosticCode,
} from './diagnostics/registry';

export { DEFAULT_SEVERITY, DIAGNOSTIC_CODES, isDiagnosticCode, isRecord, type DiagnosticCode };

export type SeverityName = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = SeverityName | 'off';

export interface PurposeSettings {
  /** A purpose with fewer words gets `short-purpose`. */
  minWords: number;
  /** A purpose longer than this many characters gets `long-purpose`. */
  maxLength: number;
}

export interface ManifestServiceSettings {
  /** Per-code severity; `off` silences a rule. Codes not named keep their default. */
  severity: Partial<Record<DiagnosticCode, SeveritySetting>>;
  /** Extra names accepted as permissions (Stripe's backend list drifts from the reference). */
  allowedPermissions: readonly string[];
  purpose: PurposeSettings;
  /** Documents larger than this many characters are not analysed (the editor stays responsive). */
  maxDocumentSize: number;
  /**
   * The editor is sent at most this many diagnostics per document, the most severe first
   * (0: no limit). VS Code shows at most 1 000 per file and drops the rest itself.
   */
  maxNumberOfProblems: number;
  codeAnalysis: CodeAnalysisSettings;
}

/** Comparing the UI extension's Stripe API calls with the manifest's permissions. */
export interface CodeAnalysisSettings {
  enabled: boolean;
  /** Folders of the app (relative, `/`-separated) whose sources are the UI extension's code. */
  uiFolders: readonly string[];
  /** Extra names of a UI Stripe client or of a function returning one (`getStripeClient`). */
  clientNames: readonly string[];
  /**
   * Count a granted `X_write` as covering a read that needs `X_read`. Stripe does not document
   * it; off by default, so a read that relies on it is reported (as `read-via-write`), never
   * silently passed: the cost of a wrong `true` is a 403 in production.
   */
  writeCoversRead: boolean;
}

export const DEFAULT_SETTINGS: ManifestServiceSettings = {
  severity: {},
  allowedPermissions: [],
  purpose: { minWords: 3, maxLength: 300 },
  maxDocumentSize: 10 * 1024 * 1024,
  maxNumberOfProblems: 1000,
  codeAnalysis: { enabled: true, uiFolders: ['src'], clientNames: [], writeCoversRead: false },
};

/** Fills in defaults and drops values of the wrong type, so user settings can never break rules. */
export function resolveSettings(input: unknown): ManifestServiceSettings {
  const raw = isRecord(input) ? input : {};
  const severity: Partial<Record<DiagnosticCode, SeveritySetting>> = {};
  if (isRecord(raw.severity)) {
    for (const [code, value] of Object.entries(raw.severity)) {
      if (isDiagnosticCode(code) && isSeveritySetting(value)) severity[code] = value;
    }
  }
  const allowed = Array.isArray(raw.allowedPermissions)
    ? raw.allowedPermissions.filter((name): name is string => typeof name === 'string')
    : [];
  const purpose = isRecord(raw.purpose) ? raw.purpose : {};
  return {
    severity,
    allowedPermissions: allowed.map((name) => name.trim()).filter((name) => name !== ''),
    purpose: {
      minWords: wholeNumber(purpose.minWords, DEFAULT_SETTINGS.purpose.minWords),
      maxLength: wholeNumber(purpose.maxLength, DEFAULT_SETTINGS.purpose.maxLength),
    },
    maxDocumentSize: wholeNumber(raw.maxDocumentSize, DEFAULT_SETTINGS.maxDocumentSize),
    maxNumberOfProblems: wholeNumber(raw.maxNumberOfProblems, DEFAULT_SETTINGS.maxNumberOfProblems),
    codeAnalysis: resolveCodeAnalysis(raw.codeAnalysis),
  };
}

function resolveCodeAnalysis(input: unknown): CodeAnalysisSettings {
  const raw = isRecord(input) ? input : {};
  const defaults = DEFAULT_SETTINGS.codeAnalysis;
  const names = (value: unknown): string[] | undefined =>
    Array.isArray(value)
      ? value
          .filter((name): name is string => typeof name === 'string')
          .map((name) => name.trim())
          .filter((name) => name !== '')
      : undefined;
  // A folder is a relative path inside the app: `./src/` → `src`; `..` and absolute paths go.
  const folders = names(raw.uiFolders)
    ?.map((folder) => folder.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, ''))
    .filter(
      (folder) => folder !== '' && !folder.startsWith('/') && !folder.split('/').includes('..'),
    );
  return {
    enabled: typeof raw.enabled === 'boolean' ? raw.enabled : defaults.enabled,
    uiFolders: folders ?? defaults.uiFolders,
    clientNames: names(raw.clientNames) ?? defaults.clientNames,
    writeCoversRead:
      typeof raw.writeCoversRead === 'boolean' ? raw.writeCoversRead : defaults.writeCoversRead,
  };
}

function isSeveritySetting(value: unknown): value is SeveritySetting {
  return (
    value === 'error' ||
    value === 'warning' ||
    value === 'information' ||
    value === 'hint' ||
    value === 'off'
  );
}

function wholeNumber(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? Math.floor(value)
    : fallback;
}
