/**
 * Run by providers-keychain.test.ts in a child process whose environment has no D-Bus session and no
 * DISPLAY, so the real keytar/libsecret cannot reach any Secret Service: the keychain-unavailable path
 * for real. Prints one JSON line with what the Settings window would have seen.
 *
 * Usage: node --import tsx providers-keychain-child.ts <dataDir> <apiKey>
 */
import { KeytarSecretStore } from '../../electron/main/secrets/keytar-secret-store';
import { draft, startProvidersRig } from './providers-rig';

async function main(): Promise<void> {
  const [dataDir, apiKey] = process.argv.slice(2);
  if (!dataDir || !apiKey) throw new Error('usage: providers-keychain-child.ts <dataDir> <apiKey>');
  const rig = startProvidersRig({ dataDir, secrets: new KeytarSecretStore() });

  const status = await rig.call('providers:keychainStatus', undefined);
  const saveError = await rig.fail('providers:save', draft({ name: 'No keychain', baseUrl: 'http://localhost:11434/v1', apiKey: { action: 'set', value: apiKey } }));
  const afterFailedSave = await rig.call('providers:list', undefined);

  const sessionStatus = await rig.call('providers:setSessionOnlyKeys', { enabled: true });
  const saved = await rig.call('providers:save', draft({ name: 'Session only', baseUrl: 'http://localhost:11434/v1', apiKey: { action: 'set', value: apiKey } }));
  const resolved = await rig.services.providers.resolve(saved.id);
  const turnOffError = await rig.fail('providers:setSessionOnlyKeys', { enabled: false });
  const afterTurnOff = await rig.call('providers:list', undefined);

  process.stdout.write(
    `${JSON.stringify({
      status,
      saveError,
      afterFailedSave,
      sessionStatus,
      saved,
      resolvedKeyMatches: resolved.apiKey === apiKey,
      turnOffError,
      afterTurnOff,
      logLines: rig.log.lines,
      events: rig.events.sent,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
