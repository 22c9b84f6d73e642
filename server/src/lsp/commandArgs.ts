import type {
  GrantPermissionParams,
  RevokePermissionParams,
  RevokePermissionsParams,
  SortPermissionsParams,
} from '../protocol';
import { isRecord } from '../service/settings';

/*
 * Command arguments as editors send them: an object (`{ uri, version?, … }`), or positional, as
 * VS Code's commands and `:lua vim.lsp.buf.execute_command` users pass them. A URI that cannot
 * be resolved becomes `''` (no open manifest), which the command refuses with a message.
 */

/** Command arguments that cannot be used, and why. */
export interface Invalid {
  invalid: string;
}

/** Turns a command's manifest argument (URI, path or nothing) into the URI of an open manifest. */
export type UriResolver = (value: unknown) => string | undefined;

/** Grant's arguments: `{ uri?, version?, permission, purpose?, force?, list? }`, or `(permission, purpose?, uri?)`. */
export function readGrantParams(
  args: readonly unknown[],
  resolve: UriResolver,
): GrantPermissionParams | Invalid {
  const [first, second, third] = args;
  const usage =
    'Give a permission name: (permission, purpose?, uri?) or { uri, permission, purpose? }.';
  if (isRecord(first)) {
    if (typeof first.permission !== 'string') return { invalid: usage };
    if (first.purpose !== undefined && typeof first.purpose !== 'string') {
      return { invalid: 'The purpose must be a string.' };
    }
    const target = readTarget(first, resolve);
    if ('invalid' in target) return target;
    return {
      ...target,
      permission: first.permission,
      ...(typeof first.purpose === 'string' ? { purpose: first.purpose } : {}),
      ...(first.force === true ? { force: true } : {}),
    };
  }
  if (typeof first !== 'string' || first.trim() === '' || looksLikeLocation(first)) {
    return { invalid: usage };
  }
  if (second !== undefined && second !== null && typeof second !== 'string') {
    return { invalid: 'The purpose must be a string.' };
  }
  return {
    uri: resolve(third) ?? '',
    permission: first,
    ...(typeof second === 'string' ? { purpose: second } : {}),
  };
}

/** Revoke's arguments: `{ uri?, version?, permission, list? }` or positional `(permission, uri?)`. */
export function readRevokeParams(
  args: readonly unknown[],
  resolve: UriResolver,
): RevokePermissionParams | Invalid {
  const [first, second] = args;
  const usage = 'Give a permission name: (permission, uri?) or { uri, permission }.';
  if (isRecord(first)) {
    if (typeof first.permission !== 'string') return { invalid: usage };
    const target = readTarget(first, resolve);
    return 'invalid' in target ? target : { ...target, permission: first.permission };
  }
  if (typeof first !== 'string' || first.trim() === '' || looksLikeLocation(first)) {
    return { invalid: usage };
  }
  return { uri: resolve(second) ?? '', permission: first };
}

/** Several names: `(permissions[], uri?)` or `{ uri, version?, permissions, list? }`. */
export function readRevokeManyParams(
  args: readonly unknown[],
  resolve: UriResolver,
): RevokePermissionsParams | Invalid {
  const [first, second] = args;
  const usage = 'Give permission names: (permissions[], uri?) or { uri, permissions }.';
  const names = (value: unknown): value is string[] =>
    Array.isArray(value) && value.every((name) => typeof name === 'string');
  if (isRecord(first)) {
    if (!names(first.permissions)) return { invalid: usage };
    const target = readTarget(first, resolve);
    return 'invalid' in target ? target : { ...target, permissions: first.permissions };
  }
  if (!names(first)) return { invalid: usage };
  return { uri: resolve(second) ?? '', permissions: first };
}

/** Sort's (and show's) arguments: `{ uri?, version?, list? }`, positional `(uri?)`, or none. */
export function readSortParams(
  args: readonly unknown[],
  resolve: UriResolver,
): SortPermissionsParams | Invalid {
  const [first] = args;
  if (isRecord(first)) return readTarget(first, resolve);
  if (first !== undefined && first !== null && typeof first !== 'string') {
    return { invalid: 'Give the manifest as a URI, a path or nothing.' };
  }
  return { uri: resolve(first) ?? '' };
}

/** The manifest, its version and (v2) the list an object argument names. */
function readTarget(
  value: Record<string, unknown>,
  resolve: UriResolver,
): { uri: string; version?: number; list?: (string | number)[] } | Invalid {
  if (value.uri !== undefined && typeof value.uri !== 'string') {
    return { invalid: 'The uri must be a string.' };
  }
  if (value.version !== undefined && typeof value.version !== 'number') {
    return { invalid: 'The version must be a number.' };
  }
  const list = value.list;
  if (
    list !== undefined &&
    !(
      Array.isArray(list) &&
      list.every((key) => typeof key === 'string' || (Number.isInteger(key) && Number(key) >= 0))
    )
  ) {
    return {
      invalid:
        'The list must be a path of keys and indexes, e.g. ["extensions", 0, "permissions"].',
    };
  }
  return {
    uri: resolve(value.uri) ?? '',
    ...(typeof value.version === 'number' ? { version: value.version } : {}),
    ...(Array.isArray(list) ? { list: list as (string | number)[] } : {}),
  };
}

/** Permission names never hold a colon or a slash; URIs and paths do. */
function looksLikeLocation(value: string): boolean {
  return /[:/\\]/.test(value);
}

export function isAbsolutePath(value: string): boolean {
  return /^([a-zA-Z]:)?[\\/]/.test(value);
}
