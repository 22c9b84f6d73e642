import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createManifestLanguageService } from '../../server/src/service';
import { doc } from '../unit/util';

/** What an in-process service reports for a text, as JSON (what travels over the wire). */
export function freshDiagnostics(
  text: string,
  options: { uri?: string; settings?: unknown } = {},
): Diagnostic[] {
  const service = createManifestLanguageService(options.settings);
  const document = doc(text, options.uri);
  return JSON.parse(
    JSON.stringify(service.doValidation(document, service.parseManifest(document))),
  ) as Diagnostic[];
}

/** A process's resident set size in kB, from /proc. */
export function rssKb(pid: number | undefined): number {
  assert.ok(pid !== undefined);
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(match?.[1], 'VmRSS not found');
  return Number(match[1]);
}

export type Outcome = 'answered' | 'cancelled' | `failed: ${string}`;

/** A request's outcome, taken at once (a cancelled request rejects, maybe before it is awaited). */
export function outcome(request: Promise<unknown>): Promise<Outcome> {
  return request.then(
    (): Outcome => 'answered',
    (reason: unknown): Outcome =>
      reason instanceof ResponseError && reason.code === LSPErrorCodes.RequestCancelled
        ? 'cancelled'
        : `failed: ${String(reason)}`,
  );
}
