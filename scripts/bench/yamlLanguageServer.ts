/**
 * Red Hat's yaml-language-server (the engine of the "YAML" VS Code extension,
 * redhat.vscode-yaml) validating a stripe-app.yaml, as that extension would: its own language
 * service, offline. A file's `$schema:` URL is answered from `schemaFor(url)` instead of the
 * network, so both cases can be shown: Stripe serves its v2 schema there, or the fetch fails.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';

/** A diagnostic's message as text (LSP 3.18 allows markdown there). */
export function messageText(diagnostic: Diagnostic): string {
  const message: unknown = diagnostic.message;
  return typeof message === 'string' ? message : (message as { value: string }).value;
}

/** The URL stripe-app.yaml files name in `$schema:` (Stripe's generator writes it). */
export const STRIPE_V2_SCHEMA_URL = 'https://stripe.com/stripe-app/v2.0.0/schema';

export interface RedHatYaml {
  validate(document: TextDocument): Promise<Diagnostic[]>;
}

/**
 * @param schemaFor the text served at a schema URL, or an Error for a failed fetch.
 * @param associations schemas by file glob (`yaml.schemas`, or another extension's
 *   `contributes.yamlValidation`): used only when the file names no `$schema`.
 */
export async function redHatYaml(
  schemaFor: (url: string) => string | Error,
  associations: { uri: string; fileMatch: string[] }[] = [],
): Promise<RedHatYaml> {
  // An ES module: imported dynamically from this CommonJS project.
  const { getLanguageService } = await import('yaml-language-server');
  const service = getLanguageService({
    schemaRequestService: (url: string) => {
      const answer = schemaFor(url);
      // The extension's own request service rejects with the message text, which the
      // "Unable to load schema" diagnostic then quotes.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return answer instanceof Error ? Promise.reject(answer.message) : Promise.resolve(answer);
    },
    workspaceContext: { resolveRelativePath: (relative: string) => relative },
  });
  // The extension's defaults (yaml.validate, no Kubernetes, YAML 1.2).
  service.configure({
    validate: true,
    hover: false,
    completion: false,
    format: false,
    isKubernetes: false,
    yamlVersion: '1.2',
    schemas: associations,
  });
  return { validate: (document) => service.doValidation(document, false) };
}
