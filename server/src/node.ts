/**
 * The Node entry of the language server (`dist/server.js`). The transport comes from the
 * command line: `--stdio`, `--node-ipc`, `--socket=PORT` or `--pipe=NAME`.
 *
 * Test-only: `STRIPE_APPS_TEST_FAIL_HANDLER=<handler>` (e.g. `hover`) makes that handler throw
 * every time it runs, to check that the server logs the error, answers the default and survives.
 */
import './youngGeneration';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { formatError } from './runner';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);

// A bug must not end the session: log it and keep serving. (With --stdio, console.* is
// redirected to the client's log by vscode-languageserver, so stdout stays JSON-RPC only.)
function logFatal(message: string, error: unknown): void {
  try {
    connection.console.error(formatError(message, error));
  } catch {
    // The connection itself is gone: nothing left to tell, and the process ends with it.
  }
}
process.on('uncaughtException', (error: unknown) => {
  logFatal('Uncaught exception in the Stripe Apps language server', error);
});
process.on('unhandledRejection', (reason: unknown) => {
  logFatal('Unhandled rejection in the Stripe Apps language server', reason);
});

const failHandler = process.env.STRIPE_APPS_TEST_FAIL_HANDLER;
startServer(connection, failHandler ? { failHandler } : {});
