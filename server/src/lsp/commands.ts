import { MessageType, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ServerCommands,
  type PermissionCommandResult,
  type ShowPermissionsResult,
  type SortPermissionsResult,
} from '../protocol';
import { runSafeSideEffect } from '../runner';
import type { ManifestDocument } from '../service/manifestDocument';
import { permissionSites } from '../service/codeUsageFeatures';
import { describeGranted, purposeToKeep, sortPermissions } from '../service/permissionSummary';
import {
  isAbsolutePath,
  readGrantParams,
  readRevokeManyParams,
  readRevokeParams,
  readSortParams,
  type Invalid,
} from './commandArgs';
import type { CodeAnalysisPart } from './codeAnalysis';
import { filePathOf, shutDownError, type ServerContext } from './context';
import { applyEdit } from './workspaceEdits';

type CommandResult =
  | PermissionCommandResult
  | PermissionCommandResult[]
  | SortPermissionsResult
  | ShowPermissionsResult
  | null;

type Located<T> =
  | { document: TextDocument; manifest: ManifestDocument; params: T }
  | { refused: 'invalid' | 'no-document' | 'stale'; message: string };

type CommandHandler = (args: readonly unknown[]) => Promise<CommandResult>;

/**
 * The server's commands (`workspace/executeCommand`), keyed by id. Each reads its arguments,
 * finds the open manifest, asks the service and applies the edit through `workspace/applyEdit`.
 */
export function registerCommands(context: ServerContext, code: CodeAnalysisPart): void {
  const { connection, service } = context;

  /**
   * The open manifest a command argument names: a URI, or an absolute path of an open manifest;
   * nothing names the manifest opened or changed last.
   */
  function resolveUri(value: unknown): string | undefined {
    if (value === undefined || value === null) return context.activeManifest;
    if (typeof value !== 'string') return undefined;
    if (!isAbsolutePath(value)) return value;
    const wanted = value.replace(/\\/g, '/');
    const open = context.documents
      .keys()
      .find((uri) => filePathOf(uri)?.replace(/\\/g, '/') === wanted);
    return open ?? value;
  }

  function locate<T extends { uri: string; version?: number }>(
    params: T | Invalid,
    what: string,
  ): Located<T> {
    if ('invalid' in params) {
      return { refused: 'invalid', message: `Invalid arguments for ${what}. ${params.invalid}` };
    }
    if (params.uri === '') {
      return { refused: 'no-document', message: `${what}: no Stripe Apps manifest is open.` };
    }
    const found = context.manifestAt(params.uri);
    if (!found) {
      return {
        refused: 'no-document',
        message: `${params.uri} is not an open Stripe Apps manifest.`,
      };
    }
    if (params.version !== undefined && found.document.version !== params.version) {
      return {
        refused: 'stale',
        message: `The manifest changed (version ${found.document.version}, not ${params.version}); nothing was edited. Try again.`,
      };
    }
    return { ...found, params };
  }

  /** The answer to a grant or revoke, after applying its edit. */
  async function finish(
    document: TextDocument,
    result: {
      status: PermissionCommandResult['status'];
      edits: readonly TextEdit[];
      message: string;
      suggestions?: readonly string[];
    },
    permission: string,
    label: string,
  ): Promise<PermissionCommandResult> {
    const answer: PermissionCommandResult = {
      status: result.status,
      permission,
      message: result.message,
      ...(result.suggestions && result.suggestions.length > 0
        ? { suggestions: [...result.suggestions] }
        : {}),
    };
    if (result.edits.length === 0) return answer;
    const failure = await applyEdit(context, document, result.edits, label);
    return failure === undefined ? answer : { ...answer, status: 'not-applied', message: failure };
  }

  const handlers: Record<string, CommandHandler> = {
    async [ServerCommands.grantPermission](args) {
      const params = readGrantParams(args, resolveUri);
      const located = locate(params, 'Grant Permission');
      if ('refused' in located) {
        const permission = 'invalid' in params ? '' : params.permission.trim();
        return { status: located.refused, permission, message: located.message };
      }
      const { document, manifest, params: grant } = located;
      const permission = grant.permission.trim();
      // No purpose given: keep the one already written (a re-grant changes nothing), else the
      // suggested one.
      const purpose =
        grant.purpose ??
        purposeToKeep(manifest, permission) ??
        service.suggestPurpose(permission, manifest);
      const result = service.grant(document, manifest, permission, purpose, {
        force: grant.force === true,
        ...(grant.list ? { list: grant.list } : {}),
      });
      return finish(document, result, permission, `Grant permission ${permission}`);
    },

    async [ServerCommands.revokePermission](args) {
      const params = readRevokeParams(args, resolveUri);
      const located = locate(params, 'Revoke Permission');
      const permission = 'invalid' in params ? '' : params.permission.trim();
      if ('refused' in located) {
        return { status: located.refused, permission, message: located.message };
      }
      const { document, manifest } = located;
      const result = service.revoke(document, manifest, permission, located.params.list);
      return finish(document, result, permission, `Revoke permission ${permission}`);
    },

    /** Several names, one workspace edit: one undo step. One result per distinct name. */
    async [ServerCommands.revokePermissions](args) {
      const params = readRevokeManyParams(args, resolveUri);
      const located = locate(params, 'Revoke Permission');
      const names =
        'invalid' in params ? [] : [...new Set(params.permissions.map((name) => name.trim()))];
      if ('refused' in located) {
        return names.map((permission) => ({
          status: located.refused,
          permission,
          message: located.message,
        }));
      }
      const { document, manifest } = located;
      const result = service.revokeAll(document, manifest, names, located.params.list);
      const answers: PermissionCommandResult[] = result.outcomes.map((outcome) => ({
        status: outcome.status,
        permission: outcome.permission,
        message: outcome.message,
        ...(outcome.status === 'revoked' ? { removed: outcome.removed } : {}),
      }));
      if (result.edits.length === 0) return answers;
      const revoked = answers.filter((answer) => answer.status === 'revoked');
      const label = `Revoke permissions ${revoked.map((answer) => answer.permission).join(', ')}`;
      const failure = await applyEdit(context, document, result.edits, label);
      if (failure === undefined) return answers;
      return answers.map((answer) =>
        answer.status === 'revoked'
          ? { ...answer, status: 'not-applied', message: failure }
          : answer,
      );
    },

    async [ServerCommands.sortPermissions](args) {
      const located = locate(readSortParams(args, resolveUri), 'Sort Permissions');
      if ('refused' in located) return { status: located.refused, message: located.message };
      // A `list` sorts that list; none, every list of the file (v1 has one).
      const outcome = sortPermissions(located.manifest, located.document, located.params.list);
      if (outcome.status !== 'sorted') return { status: outcome.status, message: outcome.message };
      const failure = await applyEdit(context, located.document, outcome.edits, 'Sort permissions');
      return failure === undefined
        ? { status: 'sorted', message: outcome.message }
        : { status: 'not-applied', message: failure };
    },

    /** The code lens of other editors: the granted permissions, as a message to the user. */
    async [ServerCommands.showPermissions](args) {
      const located = locate(readSortParams(args, resolveUri), 'Show Permissions');
      if ('refused' in located) return { status: located.refused, message: located.message };
      const message = describeGranted(located.manifest);
      await connection.sendNotification('window/showMessage', { type: MessageType.Info, message });
      return { status: 'shown', message };
    },

    /** The call-site lens of other editors: the calls that use a permission, as a message. */
    async [ServerCommands.showPermissionUsage](args) {
      const [uri, permission] = args;
      const located = locate(readSortParams([uri], resolveUri), 'Show Permission Usage');
      if ('refused' in located) return { status: located.refused, message: located.message };
      if (typeof permission !== 'string') {
        return { status: 'invalid', message: 'Give the permission name after the manifest.' };
      }
      const usage = code.usageOfManifest(located.manifest);
      const sites = usage ? permissionSites(usage.usage, permission, usage.locator) : [];
      const lines = sites.map(
        ({ site, range }) => `${site.file}:${range.start.line + 1} ${site.accessor}`,
      );
      const message =
        lines.length === 0
          ? `No call of the app's UI code uses ${permission}.`
          : `${permission} is used by:\n${lines.join('\n')}`;
      await connection.sendNotification('window/showMessage', { type: MessageType.Info, message });
      return { status: 'shown', message };
    },
  };

  connection.onExecuteCommand((params, token) => {
    if (context.shuttingDown) return Promise.resolve(shutDownError());
    // Commands apply edits: once started they answer what happened, even if cancelled meanwhile.
    return runSafeSideEffect<CommandResult>(
      async () => {
        await context.settingsReady;
        context.failpoint('executeCommand');
        const args: readonly unknown[] = Array.isArray(params.arguments) ? params.arguments : [];
        const handler = Object.hasOwn(handlers, params.command)
          ? handlers[params.command]
          : undefined;
        if (!handler) {
          context.logError(`Unknown command ${params.command}`);
          return null;
        }
        return handler(args);
      },
      null,
      `Error running the command ${params.command}`,
      token,
      context.logError,
    );
  });
}
