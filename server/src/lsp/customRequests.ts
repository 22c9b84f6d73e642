import { RequestType } from 'vscode-languageserver';
import {
  CheckPurposeRequest,
  ManifestInfoRequest,
  type CheckPurposeParams,
  type CheckPurposeResult,
  type ManifestInfoParams,
  type ManifestInfoResult,
} from '../protocol';
import { grantedPermissions, listSummaries, mostSevereFinding } from '../service/permissionSummary';
import { isRecord } from '../service/settings';
import type { OpenManifest, ServerContext } from './context';

const ManifestInfoType = new RequestType<ManifestInfoParams, ManifestInfoResult | null, void>(
  ManifestInfoRequest,
);
const CheckPurposeType = new RequestType<CheckPurposeParams, CheckPurposeResult, void>(
  CheckPurposeRequest,
);

/** The requests of the VS Code client's Grant and Revoke pickers (`stripeApps/…`). */
export function registerCustomRequests(context: ServerContext): void {
  const { connection, service } = context;

  /** The granted names and the catalog, for the pickers. */
  function manifestInfo(found: OpenManifest | undefined): ManifestInfoResult {
    const { catalog } = service;
    const lists = found ? listSummaries(found.manifest) : [];
    return {
      version: found?.document.version ?? -1,
      granted: found ? grantedPermissions(found.manifest) : [],
      lists: lists.map((list) => ({ ...list, path: [...list.path] })),
      catalog: {
        source: {
          title: catalog.source.title,
          url: catalog.source.url,
          copied: catalog.source.copied,
        },
        permissions: catalog.permissions.map((info) => ({
          name: info.name,
          access: info.access,
          product: info.product,
          resource: info.resource,
          description: info.description,
        })),
      },
    };
  }

  connection.onRequest(ManifestInfoType, (params, token) =>
    context.safe<ManifestInfoResult | null>(
      () => {
        context.failpoint('manifestInfo');
        const uri = isRecord(params) && typeof params.uri === 'string' ? params.uri : undefined;
        return manifestInfo(uri === undefined ? undefined : context.manifestAt(uri));
      },
      null,
      'Error computing the manifest info',
      token,
    ),
  );

  connection.onRequest(CheckPurposeType, (params, token) =>
    context.safe<CheckPurposeResult>(
      async () => {
        await context.settingsReady;
        context.failpoint('checkPurpose');
        const field = (key: string): string | undefined => {
          const value = isRecord(params) ? params[key] : undefined;
          return typeof value === 'string' ? value : undefined;
        };
        const permission = field('permission')?.trim() ?? '';
        const uri = field('uri');
        const manifest = uri === undefined ? undefined : context.manifestAt(uri)?.manifest;
        const worst = mostSevereFinding(
          service.checkPurpose(permission, field('purpose') ?? '', manifest),
        );
        return {
          ...(worst ? { severity: worst.severity, message: worst.message } : {}),
          suggestion: service.suggestPurpose(permission, manifest),
        };
      },
      { suggestion: '' },
      'Error checking a purpose',
      token,
    ),
  );
}
