/**
 * What the client and the server say to each other beyond plain LSP, defined once for both.
 * Imports nothing, so the client can bundle it without pulling in the server.
 */

/** Server-side command ids: distinct from the client's palette commands (a shared id fails). */
export const ServerCommands = {
  grantPermission: 'stripeApps.server.grantPermission',
  revokePermission: 'stripeApps.server.revokePermission',
  /** Several names in one edit (one undo step); answers one result per name. */
  revokePermissions: 'stripeApps.server.revokePermissions',
  sortPermissions: 'stripeApps.server.sortPermissions',
  /** Shows the granted permissions (`window/showMessage`): the count lens of other editors. */
  showPermissions: 'stripeApps.server.showPermissions',
  /**
   * `(uri, permission)`: shows the call sites of the app's code that use a granted permission
   * (`window/showMessage`): the call-site lens of editors without a references view.
   */
  showPermissionUsage: 'stripeApps.server.showPermissionUsage',
} as const;

/** Client-side command ids (package.json `contributes.commands`). */
export const ClientCommands = {
  grantPermission: 'stripeApps.grantPermission',
  revokePermission: 'stripeApps.revokePermission',
  showOutput: 'stripeApps.showOutput',
} as const;

/**
 * Client commands the server may put in code actions, run after their edit; only for a client
 * that says it has them (`InitializationOptions.selectTextCommand`), so other clients never get
 * a command they cannot run. Not palette commands.
 */
export const ClientInternalCommands = {
  /**
   * `(uri, position, literal)`: selects the body of the JSON string `literal` found first at or
   * after `position`, so the user rewrites the suggested text the edit inserted.
   */
  selectText: 'stripeApps.selectText',
  /**
   * `(uri, position, locations)`: VS Code's references view at `position` of `uri`, listing
   * `locations` (`{ uri, range }`): the call sites of a granted permission, from its code lens.
   */
  showReferences: 'stripeApps.showReferences',
} as const;

/**
 * The grant command's argument. The server commands also take positional arguments, as the VS
 * Code palette command does, for editors whose command UI passes strings or nothing:
 * grant `(permission, purpose?, uri?)`, revoke `(permission, uri?)`, sort `(uri?)`. Without a
 * `uri` they act on the manifest opened or changed last; without a `version`, on its current one.
 * A `uri` may also be an absolute file path of an open manifest.
 */
export interface GrantPermissionParams {
  uri: string;
  /** The document version the request was made against; a newer document refuses it. */
  version?: number;
  permission: string;
  purpose?: string;
  /** Grant a name that is not in the catalog. */
  force?: boolean;
  /**
   * The permission list to edit, by the path of its value (`ManifestInfoResult.lists[i].path`,
   * e.g. a v2 extension's `["extensions", 0, "permissions"]`); the app's own list when absent.
   */
  list?: PermissionListPath;
}

/** Where a permission list lives in the manifest: keys and item indexes from the top. */
export type PermissionListPath = (string | number)[];

export interface RevokePermissionParams {
  uri: string;
  version?: number;
  permission: string;
  /** As `GrantPermissionParams.list`. */
  list?: PermissionListPath;
}

export interface RevokePermissionsParams {
  uri: string;
  version?: number;
  permissions: string[];
  /** As `GrantPermissionParams.list`. */
  list?: PermissionListPath;
}

export type PermissionCommandStatus =
  | 'granted'
  | 'updated'
  | 'unchanged'
  | 'revoked'
  | 'not-granted'
  | 'unknown'
  | 'stale'
  | 'not-applied'
  | 'no-document'
  | 'invalid';

/**
 * The answer of the grant and revoke server commands. A server command answers `null` only when
 * the server failed (the error is in its log) or the command id is unknown.
 */
export interface PermissionCommandResult {
  status: PermissionCommandStatus;
  permission: string;
  /** A sentence for the user. */
  message: string;
  /** Nearest catalog names when the name is unknown. */
  suggestions?: string[];
  /** How many entries a revoke removed (a name may be granted twice). */
  removed?: number;
}

export interface SortPermissionsParams {
  uri: string;
  version?: number;
  /** The one list to sort, as `GrantPermissionParams.list`; every list of the file when absent. */
  list?: PermissionListPath;
}

/** The answer of the show-permissions command (also sent to the user as `window/showMessage`). */
export interface ShowPermissionsResult {
  status: 'shown' | 'no-document' | 'stale' | 'invalid';
  message: string;
}

export interface SortPermissionsResult {
  status: 'sorted' | 'unchanged' | 'stale' | 'not-applied' | 'no-document' | 'invalid';
  /** A sentence for the user. */
  message: string;
}

/**
 * Custom request: the catalog and what a manifest grants, for the client's Quick Picks.
 * When `uri` is not an open manifest, `version` is -1 and `granted` empty (the catalog is there).
 */
export const ManifestInfoRequest = 'stripeApps/manifestInfo';

export interface ManifestInfoParams {
  uri: string;
}

export interface ManifestInfoResult {
  version: number;
  /** What the app's own list grants. */
  granted: { permission: string; purpose?: string }[];
  /**
   * Every permission list of the manifest, the app's first (a v2 manifest also has one per
   * extension). Absent from a server that edits only the app's list.
   */
  lists?: PermissionListInfo[];
  catalog: {
    source: { title: string; url: string; copied: string };
    permissions: {
      name: string;
      access: 'read' | 'write';
      product: string;
      resource: string;
      description: string;
    }[];
  };
}

export interface PermissionListInfo {
  path: PermissionListPath;
  scope: 'app' | 'extension';
  /** How to name the list to a user: `permissions`, or `extension "id"`. */
  label: string;
  granted: { permission: string; purpose?: string }[];
}

/** Custom request: judge a purpose text as the diagnostics would (input box validation). */
export const CheckPurposeRequest = 'stripeApps/checkPurpose';

export interface CheckPurposeParams {
  permission: string;
  purpose: string;
  /** The manifest, for the app name and reused-purpose checks. */
  uri?: string;
}

export interface CheckPurposeResult {
  /** The most severe finding, if any. */
  severity?: 'error' | 'warning' | 'information' | 'hint';
  message?: string;
  /** A suggested purpose for this permission. */
  suggestion: string;
}

/**
 * `initializationOptions` the server reads, for clients without `workspace/configuration`: the
 * `stripeApps` settings section (VS Code's client need not send it; the server asks).
 */
export interface InitializationOptions {
  stripeApps?: unknown;
  /**
   * Sent by this extension's VS Code client: it runs VS Code's commands
   * (`editor.action.triggerSuggest`) and the extension's palette commands (code lenses). Other
   * editors get only commands the server executes.
   */
  vscodeClient?: boolean;
  /** The client has `ClientInternalCommands.selectText`. */
  selectTextCommand?: boolean;
}
