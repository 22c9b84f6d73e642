/**
 * The Node entry of the language server (`dist/server.js`, the `stripe-apps-language-server`
 * command). The transport comes from the command line: `--stdio` (the default when none is
 * given), `--node-ipc`, `--socket=PORT` or `--pipe=NAME`.
 *
 * Test-only: `STRIPE_APPS_TEST_FAIL_HANDLER=<handler>` (e.g. `hover`) makes that handler throw
 * every time it runs, to check that the server logs the error, answers the default and survives.
 */
import './youngGeneration';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { formatError } from './runner';
import { PACKAGE_VERSION } from './packageVersion';
import { startServer } from './server';

const USAGE = `Usage: stripe-apps-language-server [--stdio | --node-ipc | --socket=PORT | --pipe=NAME]

The Stripe Apps manifest language server. It speaks the Language Server Protocol over standard
input and output unless another transport is given.`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
} else if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`${PACKAGE_VERSION}\n`);
} else {
  // vscode-languageserver reads the transport from argv and throws when there is none; editors
  // other than VS Code often start a server by its bare command, so stdio is the default.
  const TRANSPORT_FLAG = /^--(?:stdio|node-ipc|socket|pipe)(?:=|$)/;
  if (!args.some((arg) => TRANSPORT_FLAG.test(arg))) process.argv.push('--stdio');
  listen();
}

function listen(): void {
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
}
