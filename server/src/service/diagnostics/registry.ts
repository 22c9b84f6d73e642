import type { SeverityName } from '../settings';
import { CODE_USAGE_CODES, codeUsageRule } from './codeUsageCodes';
import type { CodeInfo, FixProvider, Rule } from './common';
import { PERMISSION_CODES, permissionRule } from './permissionRules';
import { PURPOSE_CODES, purposeRule } from './purposeDiagnostics';
import { STRUCTURE_CODES, structureRule } from './structureRules';
import { VERSION_CODES, versionRule } from './versionRules';

/*
 * The one list of diagnostic codes. Each rule module declares its codes (default severity,
 * description, the docs of its setting), its check and the fixes of its findings; settings,
 * the SARIF rule list, package.json's severity settings (`npm run generate:severity-settings`)
 * and the code actions all read them from here.
 */

/** The findings of the validation run itself (validation.ts), not of a rule. */
export const DOCUMENT_CODES = {
  'syntax-error': {
    severity: 'error',
    description: 'The manifest is not valid JSON.',
    docs: "invalid JSON (reported by the command-line tool; the editor's JSON support shows these).",
    reference: 'manifest',
  },
  'document-too-large': {
    severity: 'warning',
    description: 'The manifest is too large to check completely.',
    docs: 'the file is larger than `#stripeApps.maxDocumentSize#` or nested too deeply to analyse.',
    reference: 'manifest',
  },
  'too-many-problems': {
    severity: 'information',
    description: 'More problems than are reported.',
    docs: 'the file has more problems than `#stripeApps.maxNumberOfProblems#`; only the most severe are shown.',
    reference: 'manifest',
  },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode =
  | keyof typeof PERMISSION_CODES
  | keyof typeof STRUCTURE_CODES
  | keyof typeof VERSION_CODES
  | keyof typeof PURPOSE_CODES
  | keyof typeof DOCUMENT_CODES
  | keyof typeof CODE_USAGE_CODES;

/**
 * The rule modules, in the order their findings are listed at one offset. The code-usage rule
 * (codeUsageCodes.ts) has neither a check run with the others nor fixes here: its findings and
 * fixes need the app's source files as well as the manifest, so the server asks for them itself.
 */
export const RULES: readonly Rule[] = [
  structureRule,
  versionRule,
  permissionRule,
  purposeRule,
  codeUsageRule,
];

/** Every code and what its rule declares about it, in the rules' order. */
export const CODE_INFO: Readonly<Record<DiagnosticCode, CodeInfo>> = {
  ...PERMISSION_CODES,
  ...STRUCTURE_CODES,
  ...VERSION_CODES,
  ...PURPOSE_CODES,
  ...DOCUMENT_CODES,
  ...CODE_USAGE_CODES,
};

export const DIAGNOSTIC_CODES = Object.keys(CODE_INFO) as readonly DiagnosticCode[];

export const DEFAULT_SEVERITY = Object.fromEntries(
  DIAGNOSTIC_CODES.map((code) => [code, CODE_INFO[code].severity]),
) as Readonly<Record<DiagnosticCode, SeverityName>>;

export function isDiagnosticCode(value: unknown): value is DiagnosticCode {
  return typeof value === 'string' && Object.hasOwn(CODE_INFO, value);
}

const FIXES = new Map<string, FixProvider>(
  RULES.flatMap((rule) => Object.entries(rule.fixes ?? {})).filter(
    (pair): pair is [string, FixProvider] => pair[1] !== undefined,
  ),
);

/** The fixes of a code's findings, or undefined when its rule offers none. */
export function fixesOf(code: string): FixProvider | undefined {
  return FIXES.get(code);
}

const LEFT_TO_YOU = new Map(
  RULES.flatMap((rule) => Object.entries(rule.leftToYou ?? {})).filter(
    (pair): pair is [string, (count: number) => string] => pair[1] !== undefined,
  ),
);

/** How fix-all's title says that `count` findings of a code are left to a person, if it does. */
export function leftToYouOf(code: string): ((count: number) => string) | undefined {
  return LEFT_TO_YOU.get(code);
}
