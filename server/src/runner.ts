import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

/** Where handler failures go: the server passes `connection.console.error`. */
export type ErrorLogger = (message: string) => void;

/** A message and, for an `Error`, its stack: enough to find the bug from the output channel. */
export function formatError(message: string, error: unknown): string {
  if (error instanceof Error) {
    return `${message}: ${error.message}\n${error.stack ?? ''}`.trimEnd();
  }
  if (typeof error === 'string') return `${message}: ${error}`;
  if (error !== undefined && error !== null) {
    try {
      return `${message}: ${JSON.stringify(error)}`;
    } catch {
      return `${message}: (unprintable error)`;
    }
  }
  return message;
}

/**
 * Runs one request handler so that it can never take the server down: a thrown error (or a
 * rejected promise) is logged and answered with `defaultValue`; a request cancelled before it
 * starts or while it runs is answered with `RequestCancelled`, as LSP asks. The work starts on
 * the next turn of the event loop so a `$/cancelRequest` sent right behind the request is seen.
 */
export function runSafe<T, E = void>(
  fn: () => T | PromiseLike<T>,
  defaultValue: T,
  errorMessage: string,
  token: CancellationToken,
  log: ErrorLogger = defaultLogger,
): Promise<T | ResponseError<E>> {
  return run<T, E>(fn, defaultValue, errorMessage, token, log, true);
}

/**
 * For handlers with side effects (a command that applies an edit): cancellation is honoured only
 * before the work starts. Once an edit may have been applied, the answer has to say what happened.
 */
export function runSafeSideEffect<T, E = void>(
  fn: () => T | PromiseLike<T>,
  defaultValue: T,
  errorMessage: string,
  token: CancellationToken,
  log: ErrorLogger = defaultLogger,
): Promise<T | ResponseError<E>> {
  return run<T, E>(fn, defaultValue, errorMessage, token, log, false);
}

/** For notification handlers (nothing to answer): errors are logged and swallowed. */
export function runSafeNotification(
  fn: () => void | PromiseLike<void>,
  errorMessage: string,
  log: ErrorLogger = defaultLogger,
): void {
  try {
    const result = fn();
    if (isThenable(result)) {
      result.then(undefined, (error: unknown) => {
        log(formatError(errorMessage, error));
      });
    }
  } catch (error) {
    log(formatError(errorMessage, error));
  }
}

function run<T, E>(
  fn: () => T | PromiseLike<T>,
  defaultValue: T,
  errorMessage: string,
  token: CancellationToken,
  log: ErrorLogger,
  cancelAfter: boolean,
): Promise<T | ResponseError<E>> {
  return new Promise((resolve) => {
    setImmediate(() => {
      if (token.isCancellationRequested) {
        resolve(cancelled<E>());
        return;
      }
      const settle = (result: T): void => {
        resolve(cancelAfter && token.isCancellationRequested ? cancelled<E>() : result);
      };
      const fail = (error: unknown): void => {
        log(formatError(errorMessage, error));
        resolve(defaultValue);
      };
      try {
        const result = fn();
        if (isThenable(result)) result.then(settle, fail);
        else settle(result);
      } catch (error) {
        fail(error);
      }
    });
  });
}

function cancelled<E>(): ResponseError<E> {
  return new ResponseError<E>(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function defaultLogger(message: string): void {
  console.error(message);
}
