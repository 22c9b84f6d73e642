/** The pure manifest language service: no editor, no protocol, only text in and results out. */
export { createManifestLanguageService } from './languageService';
export type { ManifestLanguageService, ValidationOptions } from './languageService';
export { catalog } from './catalog';
export type { Catalog, PermissionInfo, Access } from './catalog';
export { isManifestFileName } from './manifestDocument';
export type {
  ManifestDocument,
  PermissionEntry,
  PermissionList,
  PropertySpan,
  PurposeText,
  SyntaxProblem,
  ValueSpan,
} from './manifestDocument';
export { DIAGNOSTIC_CODES, DEFAULT_SEVERITY, DEFAULT_SETTINGS, resolveSettings } from './settings';
export { CODE_INFO, isDiagnosticCode } from './diagnostics/registry';
export type { CodeInfo } from './diagnostics/common';
export type {
  DiagnosticCode,
  ManifestServiceSettings,
  SeverityName,
  SeveritySetting,
} from './settings';
export type { GrantOptions, GrantResult, RevokeResult } from './grantRevoke';
export type { CodeActionOptions } from './codeActions';
export { VSCODE_FEATURES } from './clientFeatures';
export type { ClientFeatures } from './clientFeatures';
