import { DidChangeConfigurationNotification } from 'vscode-languageserver';
import { formatError, runSafeNotification } from '../runner';
import { isRecord } from '../service/settings';
import type { ServerContext } from './context';

/** The settings section the client contributes (`stripeApps.*`). */
export const SETTINGS_SECTION = 'stripeApps';

/**
 * Handlers wait this long for the answer to `workspace/configuration`, so that the first
 * diagnostics honour the user's settings; a client that answers later (or never) gets results
 * with the initial settings now, and fresh diagnostics when its answer arrives.
 */
const SETTINGS_WAIT_MS = 300;

/** Settings for clients without `workspace/configuration`: `initializationOptions.stripeApps`. */
export function initializationSettings(options: unknown): unknown {
  return isRecord(options) ? options[SETTINGS_SECTION] : undefined;
}

/**
 * Keeps the service's settings in step with the client's: pulled (`workspace/configuration`)
 * when the client can answer, else taken from `didChangeConfiguration`. `onChanged` runs after
 * settings that arrived late or changed, so the diagnostics can be computed again.
 */
export function registerSettings(context: ServerContext, onChanged: () => void): { start(): void } {
  const { connection, service } = context;

  async function load(): Promise<void> {
    try {
      const section: unknown = await connection.workspace.getConfiguration({
        section: SETTINGS_SECTION,
      });
      service.configure(section);
    } catch (error) {
      context.logError(
        formatError('Could not read the stripeApps settings; keeping the current ones', error),
      );
    }
  }

  /** Asks for the settings; handlers wait for the answer at most `SETTINGS_WAIT_MS`. */
  function request(): void {
    if (!context.support.configuration) return;
    let late = false;
    const loaded = load().then(() => {
      if (late) onChanged();
    });
    context.settingsReady = new Promise((resolve) => {
      const timer = setTimeout(() => {
        late = true;
        resolve();
      }, SETTINGS_WAIT_MS);
      void loaded.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  connection.onDidChangeConfiguration((params) => {
    runSafeNotification(
      async () => {
        if (context.support.configuration) {
          request();
        } else {
          const settings: unknown = params.settings;
          service.configure(isRecord(settings) ? settings[SETTINGS_SECTION] : undefined);
        }
        await context.settingsReady;
        onChanged();
      },
      'Error applying the changed settings',
      context.logError,
    );
  });

  return {
    /** After `initialized`: registers for changes and asks for the settings. */
    start() {
      if (context.support.dynamicConfiguration) {
        connection.client
          .register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION })
          .catch((error: unknown) => {
            context.logError(formatError('Could not register for configuration changes', error));
          });
      }
      request();
    },
  };
}
