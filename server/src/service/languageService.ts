import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  MarkupContent,
  type CodeAction,
  type CodeActionContext,
  type CodeLens,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Hover,
  type Position,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-types';
import { catalog, type Catalog } from './catalog';
import { VSCODE_FEATURES, inFormat, type ClientFeatures } from './clientFeatures';
import {
  getCodeActions,
  getFixAllEdits,
  getSortEntriesEdits,
  resolveCodeAction,
  type CodeActionOptions,
} from './codeActions';
import type { CallAnalysis } from '../analysis/callAnalysis';
import { getCodeLenses } from './codeLens';
import {
  analyzeCodeUsage,
  effectivePermissions,
  type CodeUsage,
  type EffectivePermissions,
} from './codeUsage';
import {
  callHover,
  grantActions,
  permissionUsageHover,
  permissionUsageLenses,
  revokeUnusedActions,
  type ManifestAtHand,
  type PermissionUsageLens,
  type SourceLocator,
} from './codeUsageFeatures';
import { codeUsageDiagnostics, unusedPermissionDiagnostics } from './diagnostics/codeUsageRules';
import { getCompletions, resolveCompletion } from './completion';
import { checkPurposeText, type PurposeFinding } from './diagnostics/purposeRules';
import { validateManifest } from './diagnostics/validation';
import {
  grantPermission,
  revokePermission,
  revokePermissions,
  type GrantOptions,
  type GrantResult,
  type RevokeManyResult,
  type RevokeResult,
} from './grantRevoke';
import type { ValuePath } from './edits';
import { getHover } from './hover';
import { parseManifest, type ManifestDocument } from './manifestDocument';
import { suggestPurpose } from './purposeSuggestion';
import { resolveSettings, type ManifestServiceSettings } from './settings';

export interface ValidationOptions {
  /** Report JSON syntax errors too (the CLI wants them; the editor reports them already). */
  readonly syntaxErrors?: boolean;
  /**
   * Report at most this many problems, the most severe first; 0 reports all. Default: the
   * `maxNumberOfProblems` setting.
   */
  readonly maxProblems?: number;
}

/** Everything the editor and the CLI know about a manifest, with no editor in it. */
export interface ManifestLanguageService {
  readonly catalog: Catalog;
  readonly settings: ManifestServiceSettings;
  /** Replaces the settings; takes raw user settings, ignoring values of the wrong type. */
  configure(settings: unknown): void;
  /** What the editor takes (snippets, markdown, its commands); VS Code's by default. */
  readonly clientFeatures: ClientFeatures;
  setClientFeatures(features: ClientFeatures): void;
  /** Parses once per document version: the same version returns the same object. */
  parseManifest(document: TextDocument): ManifestDocument;
  /** Drops the cached parse of a document (when it closes: the parse holds its whole text). */
  forget(uri: string): void;
  doValidation(
    document: TextDocument,
    manifest: ManifestDocument,
    options?: ValidationOptions,
  ): Diagnostic[];
  doComplete(
    document: TextDocument,
    position: Position,
    manifest: ManifestDocument,
  ): CompletionList;
  /** Fills in an item's documentation lazily (`completionItem/resolve`). */
  doResolve(item: CompletionItem): CompletionItem;
  doHover(document: TextDocument, position: Position, manifest: ManifestDocument): Hover | null;
  /** With `{ lazy: true }`, the actions without their edits, for `resolveCodeAction`. */
  getCodeActions(
    document: TextDocument,
    range: Range,
    context: CodeActionContext,
    manifest: ManifestDocument,
    options?: CodeActionOptions,
  ): CodeAction[];
  /**
   * The edit of an action listed lazily (`codeAction/resolve`), from the current manifest; the
   * action unchanged, without an edit, when the document changed or the fix no longer applies.
   */
  resolveCodeAction(
    document: TextDocument,
    manifest: ManifestDocument,
    action: CodeAction,
  ): CodeAction;
  /** The edits of every safe quick fix, as one consistent set (`source.fixAll`). */
  getFixAllEdits(document: TextDocument, manifest: ManifestDocument): TextEdit[];
  /** Sorts the permission entries by name, keeping each entry's text and comments. */
  getSortEntriesEdits(document: TextDocument, manifest: ManifestDocument): TextEdit[];
  getCodeLenses(document: TextDocument, manifest: ManifestDocument): CodeLens[];
  grant(
    document: TextDocument,
    manifest: ManifestDocument,
    permission: string,
    purpose: string,
    options?: GrantOptions,
  ): GrantResult;
  /** Revokes from the app's own list, or from the list at `list` (a v2 extension's). */
  revoke(
    document: TextDocument,
    manifest: ManifestDocument,
    permission: string,
    list?: ValuePath,
  ): RevokeResult;
  /** Revokes several names in one edit (one undo step). */
  revokeAll(
    document: TextDocument,
    manifest: ManifestDocument,
    permissions: readonly string[],
    list?: ValuePath,
  ): RevokeManyResult;
  /** Judges one purpose text by the purpose rules, as the diagnostics would (for input boxes). */
  checkPurpose(
    permission: string,
    purpose: string,
    manifest?: ManifestDocument,
  ): readonly PurposeFinding[];
  /** A suggested purpose for a permission, using the app's name when the manifest has one. */
  suggestPurpose(permission: string, manifest?: ManifestDocument): string;

  // ---- the app's code against its permissions (codeUsage.ts) --------------------------------
  /**
   * The permissions in force for `manifest`: its lists, or, for a local manifest without
   * `permissions`, those of `base`. Undefined when a local manifest's base is not at hand.
   */
  effectivePermissions(
    manifest: ManifestDocument,
    base?: ManifestDocument,
  ): EffectivePermissions | undefined;
  /** Judges the calls against the permissions (no parsing: cheap, run after either changes). */
  codeUsage(analysis: CallAnalysis, grants: EffectivePermissions): CodeUsage;
  /** The findings of one source file (`file`: app-relative, as in the analysis). */
  codeUsageDiagnostics(usage: CodeUsage, file: string, document: TextDocument): Diagnostic[];
  /** `unused-permission` in the manifest whose lists are in force (nothing for another). */
  unusedPermissionDiagnostics(
    usage: CodeUsage,
    manifest: ManifestDocument,
    document: TextDocument,
  ): Diagnostic[];
  /** "Grant NAME" fixes of a source file's diagnostics, editing the manifest they name. */
  grantActions(
    diagnostics: readonly Diagnostic[],
    manifestAt: (uri: string) => ManifestAtHand | undefined,
  ): CodeAction[];
  /** "Revoke NAME" fixes of the manifest's `unused-permission` diagnostics. */
  revokeUnusedActions(
    diagnostics: readonly Diagnostic[],
    manifest: ManifestDocument,
    document: TextDocument,
  ): CodeAction[];
  /** The hover on a call of a source file: the permission it needs and whether it is granted. */
  callHover(
    usage: CodeUsage,
    file: string,
    document: TextDocument,
    position: Position,
  ): Hover | null;
  /** The hover on a granted permission: the call sites that use it, as links. */
  permissionUsageHover(
    usage: CodeUsage,
    manifest: ManifestDocument,
    document: TextDocument,
    position: Position,
    locator: SourceLocator,
  ): Hover | null;
  /** One lens per granted permission: its call count and their locations. */
  permissionUsageLenses(
    usage: CodeUsage,
    manifest: ManifestDocument,
    document: TextDocument,
    locator: SourceLocator,
  ): PermissionUsageLens[];
}

export function createManifestLanguageService(
  settings?: unknown,
  clientFeatures: ClientFeatures = VSCODE_FEATURES,
): ManifestLanguageService {
  let current = resolveSettings(settings);
  let features = clientFeatures;
  const withDocumentation = (item: CompletionItem): CompletionItem =>
    typeof item.documentation === 'object'
      ? { ...item, documentation: inFormat(item.documentation, features.completionDocumentation) }
      : item;
  // One parsed manifest per URI: a new version (or new text) replaces it.
  const parsed = new Map<string, ManifestDocument>();
  const MAX_CACHED = 64;

  return {
    catalog,
    get settings() {
      return current;
    },
    configure(next) {
      current = resolveSettings(next);
      // Settings change the size limit, so earlier parses may no longer apply.
      parsed.clear();
    },
    get clientFeatures() {
      return features;
    },
    setClientFeatures(next) {
      features = next;
    },
    forget(uri) {
      parsed.delete(uri);
    },
    parseManifest(document) {
      const cached = parsed.get(document.uri);
      if (cached?.version === document.version && cached.text === document.getText()) {
        return cached;
      }
      const manifest = parseManifest(document, current.maxDocumentSize);
      parsed.delete(document.uri);
      if (parsed.size >= MAX_CACHED) {
        const oldest = parsed.keys().next().value;
        if (oldest !== undefined) parsed.delete(oldest);
      }
      parsed.set(document.uri, manifest);
      return manifest;
    },
    doValidation: (document, manifest, options = {}) =>
      validateManifest(manifest, document, current, {
        ...options,
        maxProblems: options.maxProblems ?? current.maxNumberOfProblems,
      }),
    doComplete: (document, position, manifest) => {
      const list = getCompletions(manifest, document, position, current, features);
      return { ...list, items: list.items.map(withDocumentation) };
    },
    doResolve: (item) => withDocumentation(resolveCompletion(item)),
    doHover: (document, position, manifest) => {
      const hover = getHover(manifest, document, position, current);
      return hover && MarkupContent.is(hover.contents)
        ? { ...hover, contents: inFormat(hover.contents, features.hoverContent) }
        : hover;
    },
    getCodeActions: (document, range, context, manifest, options) =>
      getCodeActions(manifest, document, range, context, current, options),
    resolveCodeAction: (document, manifest, action) =>
      resolveCodeAction(manifest, document, action, current),
    getFixAllEdits: (document, manifest) => getFixAllEdits(manifest, document, current),
    getSortEntriesEdits: (document, manifest) => getSortEntriesEdits(manifest, document),
    getCodeLenses: (document, manifest) =>
      getCodeLenses(manifest, document, current, { serverCommands: !features.vscodeClient }),
    grant: (document, manifest, permission, purpose, options = {}) =>
      grantPermission(manifest, document, permission, purpose, current, options),
    revoke: (document, manifest, permission, list) =>
      revokePermission(manifest, document, permission, list),
    revokeAll: (document, manifest, permissions, list) =>
      revokePermissions(manifest, document, permissions, list),
    checkPurpose: (permission, purpose, manifest) =>
      checkPurposeText(permission, purpose, current, manifest),
    suggestPurpose: (permission, manifest) => suggestPurpose(permission, manifest?.appName),
    effectivePermissions: (manifest, base) => effectivePermissions(manifest, base),
    codeUsage: (analysis, grants) => analyzeCodeUsage(analysis, grants, current.codeAnalysis),
    codeUsageDiagnostics: (usage, file, document) =>
      codeUsageDiagnostics(usage, file, document, current),
    unusedPermissionDiagnostics: (usage, manifest, document) =>
      unusedPermissionDiagnostics(usage, manifest, document, current),
    grantActions: (diagnostics, manifestAt) => grantActions(diagnostics, manifestAt, current),
    revokeUnusedActions: (diagnostics, manifest, document) =>
      revokeUnusedActions(diagnostics, manifest, document),
    callHover: (usage, file, document, position) => {
      const hover = callHover(usage, file, document, position);
      return hover && MarkupContent.is(hover.contents)
        ? { ...hover, contents: inFormat(hover.contents, features.hoverContent) }
        : hover;
    },
    permissionUsageHover: (usage, manifest, document, position, locator) => {
      const hover = permissionUsageHover(usage, manifest, document, position, locator);
      return hover && MarkupContent.is(hover.contents)
        ? { ...hover, contents: inFormat(hover.contents, features.hoverContent) }
        : hover;
    },
    permissionUsageLenses: (usage, manifest, document, locator) =>
      permissionUsageLenses(usage, manifest, document, locator),
  };
}
