import type { ManifestInfoResult, PermissionListPath } from '../../server/src/protocol';

/** Where the app's own list lives in a v2 manifest (created by the first grant if missing). */
export const V2_APP_LIST_PATH: PermissionListPath = [
  'declarations',
  'stripe_api_access',
  'permissions',
];

type Granted = ManifestInfoResult['granted'];

/** One list the user may pick; `list` is undefined for the app's own list (the default). */
export interface ListChoice {
  label: string;
  description: string;
  list?: PermissionListPath;
  granted: Granted;
}

/**
 * The lists Grant or Revoke offers before the names, when a v2 manifest has extension lists:
 * the app's list first (the default, also when the file has none yet: grant creates it), then
 * each extension's. Revoke offers only lists that grant something. `undefined` when there is
 * nothing to choose (v1, no extension list, or a server that does not report lists): the command
 * then works on the app's list, as before.
 */
export function listChoices(
  info: ManifestInfoResult,
  action: 'grant' | 'revoke',
): ListChoice[] | undefined {
  const lists = info.lists;
  if (!lists?.some((list) => list.scope === 'extension')) return undefined;
  const app = lists.find((list) => list.scope === 'app');
  const choices: ListChoice[] = [
    {
      label: 'App permissions',
      description: describe(app?.path ?? V2_APP_LIST_PATH, app?.granted ?? info.granted),
      granted: app?.granted ?? info.granted,
    },
    ...lists
      .filter((list) => list.scope === 'extension')
      .map((list) => ({
        label: capitalize(list.label),
        description: describe(list.path, list.granted),
        list: list.path,
        granted: list.granted,
      })),
  ];
  if (action === 'grant') return choices;
  const withNames = choices.filter((choice) => choice.granted.length > 0);
  // Only the app's list grants anything (or nothing does): no question to ask.
  return withNames.some((choice) => choice.list !== undefined) ? withNames : undefined;
}

/** `extensions[0].permissions · 2 granted` */
function describe(path: PermissionListPath, granted: Granted): string {
  const where = path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`,
    )
    .join('');
  const names = new Set(granted.map((entry) => entry.permission)).size;
  return `${where} · ${names === 0 ? 'none granted' : `${names} granted`}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
