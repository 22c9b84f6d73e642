import type { Readable } from 'node:stream';
import { StreamMessageReader } from 'vscode-languageserver-protocol/node';

/**
 * Reads a server's messages from its standard output, without vscode-jsonrpc's partial-message
 * timer. That timer re-arms itself every 10 s for as long as half a message sits in the buffer,
 * and disposing of the connection does not stop it: a server killed in the middle of a write left
 * the test process alive forever after its last test (a CI run hung 90 minutes on it). Nothing
 * here listens for partial messages.
 */
export function serverOutput(stdout: Readable): StreamMessageReader {
  const reader = new StreamMessageReader(stdout);
  reader.partialMessageTimeout = 0;
  return reader;
}
