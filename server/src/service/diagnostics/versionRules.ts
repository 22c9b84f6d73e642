import { keySpan, lastProperty, type PropertySpan } from '../manifestDocument';
import {
  MANIFEST_REFERENCE_URL,
  makeFinding,
  nodeSpan,
  type CodeInfo,
  type Finding,
  type Rule,
  type RuleContext,
} from './common';

/**
 * Manifest v1 (`stripe-app.json`) against v2 (`stripe-app.yaml`): what each version requires,
 * and the hybrids. Upload turns a v1 manifest into a hybrid (it adds `declarations` and leaves
 * the top-level keys), which breaks `environment.constants` at run time (PostHog #56404); a v2
 * file with v1's top-level keys has them ignored. Each finding says what to move where.
 */

/** v1's top-level keys that v2 keeps under `declarations`. */
const MOVED_UNDER_DECLARATIONS = [
  'permissions',
  'distribution_type',
  'sandbox_install_compatible',
  'stripe_api_access_type',
  'allowed_redirect_uris',
  'post_install_action',
] as const;

export function checkVersion(context: RuleContext): Finding[] {
  const { manifest } = context;
  const root = manifest.root;
  if (root?.type !== 'object' || manifest.syntaxErrors.length > 0) return [];
  const properties = manifest.rootProperties;
  const found: (Finding | undefined)[] = [];
  const href = MANIFEST_REFERENCE_URL;
  if (manifest.format === 'yaml') {
    if (!lastProperty(properties, 'extensions')) {
      const anchor = lastProperty(properties, 'id') ?? properties[0];
      found.push(
        makeFinding(
          context,
          'missing-extensions',
          anchor ? nodeSpan(keySpan(anchor)) : { start: root.offset, end: root.offset + 1 },
          'No "extensions" list: add "extensions: []" (upload requires it).',
          { href, data: {} },
        ),
      );
    }
    for (const key of MOVED_UNDER_DECLARATIONS) {
      const property = lastProperty(properties, key);
      if (property) found.push(movedKey(context, property));
    }
  } else {
    const declarations = lastProperty(properties, 'declarations');
    if (declarations) {
      found.push(
        makeFinding(
          context,
          'manifest-version-mix',
          nodeSpan(keySpan(declarations)),
          'v2 "declarations" in stripe-app.json: move its keys to the top level.',
          { href, data: { key: 'declarations', version: 1 } },
        ),
      );
    }
  }
  return found.filter((finding): finding is Finding => finding !== undefined);
}

function movedKey(context: RuleContext, property: PropertySpan): Finding | undefined {
  const where =
    property.key === 'permissions'
      ? 'declarations.stripe_api_access.permissions'
      : `declarations.${property.key}`;
  return makeFinding(
    context,
    'manifest-version-mix',
    nodeSpan(keySpan(property)),
    `v1 "${property.key}" in stripe-app.yaml is ignored: move it to ${where}.`,
    { href: MANIFEST_REFERENCE_URL, data: { key: property.key, version: 2, move: where } },
  );
}

// ---------------------------------------------------------------------------------------------
// The rule: its codes and its check

export const VERSION_CODES = {
  'missing-extensions': {
    severity: 'error',
    description: 'A v2 manifest (stripe-app.yaml) without the extensions list upload requires.',
    docs: 'a v2 manifest (`stripe-app.yaml`) has no `extensions` list, which upload requires (`extensions: []` when the app has none).',
    reference: 'manifest',
  },
  'manifest-version-mix': {
    severity: 'warning',
    description: 'A v1 key in a v2 manifest, or v2 declarations in a v1 manifest.',
    docs: 'a v1 top-level key (`permissions`, `distribution_type`, …) in `stripe-app.yaml`, or v2 `declarations` in `stripe-app.json` (the hybrid upload can leave, which breaks `constants`).',
    reference: 'manifest',
  },
} as const satisfies Record<string, CodeInfo>;

export const versionRule: Rule<keyof typeof VERSION_CODES> = {
  codes: VERSION_CODES,
  check: checkVersion,
};
