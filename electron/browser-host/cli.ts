/**
 * `npm run host:browser -- [--port N] [--data-dir DIR]`: starts the browser host and prints
 * `Switchboard browser host: <url>` once it is ready. Ctrl+C stops it.
 */
import { parseArgs } from 'node:util';
import { startBrowserHost, tempDataDir } from './host';
import { createConsoleLogger } from '../main/logger';

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
  const host = await startBrowserHost({
    port,
    dataDir: values['data-dir'] ?? tempDataDir(),
    log: createConsoleLogger('info'),
  });
  console.log(`Switchboard browser host: ${host.url}`);
  const stop = () => void host.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Switchboard browser host failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
