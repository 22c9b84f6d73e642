import * as vscode from 'vscode';
import { ClientCommands } from '../../server/src/protocol';
import type { ServerState } from './languageServer';
import { V1_MANIFEST_SELECTOR, V2_MANIFEST_SELECTOR } from './manifestFiles';
import { statusText, type CatalogSummary, type StatusState } from './statusText';

const SEVERITIES = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
} as const;

/**
 * The language status items of manifest documents ("{ }" in the status bar): the catalog in use
 * and the server's state, with a link to the server's log. One item per manifest version, as an
 * item has one text for every document its selector matches: "Stripe Apps: 136 permissions" on
 * a stripe-app.json, "Stripe Apps (manifest v2): 136 permissions" on a stripe-app.yaml.
 *
 * The text says "starting" until `LanguageClient.start()` has resolved, then the catalog's size
 * (or "ready" until the catalog is known): tests wait on that instead of sleeping.
 */
export class ManifestStatusItem implements vscode.Disposable {
  private readonly items: { item: vscode.LanguageStatusItem; version: 1 | 2 }[];
  private state: StatusState = 'not-started';
  private catalog: CatalogSummary | undefined;

  constructor() {
    this.items = [
      { id: 'stripeApps.status', selector: V1_MANIFEST_SELECTOR, version: 1 as const },
      { id: 'stripeApps.statusV2', selector: V2_MANIFEST_SELECTOR, version: 2 as const },
    ].map(({ id, selector, version }) => {
      const item = vscode.languages.createLanguageStatusItem(id, selector);
      item.name = version === 2 ? 'Stripe Apps (manifest v2)' : 'Stripe Apps';
      item.command = { title: 'Show Output', command: ClientCommands.showOutput };
      return { item, version };
    });
    this.render();
  }

  get hasCatalog(): boolean {
    return this.catalog !== undefined;
  }

  setState(state: ServerState): void {
    this.state = state;
    this.render();
  }

  setCatalog(catalog: CatalogSummary): void {
    this.catalog = catalog;
    this.render();
  }

  dispose(): void {
    for (const { item } of this.items) item.dispose();
  }

  private render(): void {
    for (const { item, version } of this.items) {
      const status = statusText(this.state, this.catalog, version);
      item.text = status.text;
      item.detail = status.detail;
      item.severity = SEVERITIES[status.severity];
      item.busy = status.busy;
    }
  }
}
