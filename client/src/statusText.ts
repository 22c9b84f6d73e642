import type { ManifestInfoResult } from '../../server/src/protocol';

export type CatalogSummary = ManifestInfoResult['catalog'];
export type StatusState = 'not-started' | 'starting' | 'running' | 'stopped' | 'failed';

export interface StatusText {
  text: string;
  detail: string;
  severity: 'information' | 'warning' | 'error';
  busy: boolean;
}

/**
 * What the language status item of a manifest says. Short: the language status hover is a row
 * of text, detail and link, and a long row pushed *Show Output* past a 1 400 px window. A v2
 * manifest (`stripe-app.yaml`) says so, since its lists and rules differ from a v1 file's.
 */
export function statusText(
  state: StatusState,
  catalog: CatalogSummary | undefined,
  manifestVersion: 1 | 2,
): StatusText {
  const name = manifestVersion === 2 ? 'Stripe Apps (manifest v2)' : 'Stripe Apps';
  const plain = { severity: 'information', busy: false } as const;
  switch (state) {
    case 'not-started':
      return { ...plain, text: name, detail: 'not started' };
    case 'starting':
      return { ...plain, text: `${name}: starting`, detail: '', busy: true };
    case 'running':
      return catalog
        ? {
            ...plain,
            text: `${name}: ${catalog.permissions.length} permissions`,
            detail: `reference of ${catalog.source.copied}`,
          }
        : { ...plain, text: `${name}: ready`, detail: '' };
    case 'stopped':
      return { text: `${name}: stopped`, detail: '', severity: 'warning', busy: false };
    case 'failed':
      return {
        text: `${name}: failed to start`,
        detail: 'see the output',
        severity: 'error',
        busy: false,
      };
  }
}
