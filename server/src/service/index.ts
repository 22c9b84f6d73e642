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
export { analyzeCodeUsage, effectivePermissions, judgeNeed, manifestFileName } from './codeUsage';
export type {
  CallNeed,
  CodeUsage,
  EffectivePermissions,
  ExemptReason,
  ExpandNeed,
  UsageSite,
  Verdict,
} from './codeUsage';
export {
  callHover,
  grantActions,
  grantForCode,
  permissionSites,
  permissionUsageHover,
  permissionUsageLenses,
  permissionUsageMarkdown,
  revokeUnusedActions,
} from './codeUsageFeatures';
export type {
  ManifestAtHand,
  PermissionUsageLens,
  SiteLocation,
  SourceLocator,
} from './codeUsageFeatures';
export { codeUsageDiagnostics, unusedPermissionDiagnostics } from './diagnostics/codeUsageRules';
export type { MissingPermissionData, UnusedPermissionData } from './diagnostics/codeUsageRules';
export { CODE_USAGE_CODES } from './diagnostics/codeUsageCodes';
export type { CodeUsageCode } from './diagnostics/codeUsageCodes';
