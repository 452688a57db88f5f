/**
 * The browser host's process: `npm run host:browser -- [--port N] [--data-dir DIR]`, and what `npm start`
 * runs (with the app's data dir) where Electron cannot. Prints `Switchboard browser host: <url>` once it is
 * ready and `Your data: <dir>`; Ctrl+C or SIGTERM stops it (exit 0, or 1 when closing failed).
 */
import { parseArgs } from 'node:util';
import { startBrowserHost, tempDataDir } from './host';
import { createConsoleLogger } from '../main/logger';

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log('Usage: npm run host:browser -- [--port N (0 = any free port)] [--data-dir DIR (default: a fresh temp dir)]');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  const dataDir = values['data-dir'] ?? tempDataDir();
  const host = await startBrowserHost({ port, dataDir, log: createConsoleLogger('info') });
  console.log(`Switchboard browser host: ${host.url}`);
  console.log(`Your data: ${dataDir} (Ctrl+C stops Switchboard).`);
  let stopping = false;
  const stop = () => {
    // Ctrl+C reaches this process twice under `npm start`: from the terminal and forwarded by the launcher.
    if (stopping) return;
    stopping = true;
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Switchboard's browser host did not stop cleanly: ${describe(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Switchboard's browser host could not start: ${describe(error)}`);
  process.exit(1);
});
