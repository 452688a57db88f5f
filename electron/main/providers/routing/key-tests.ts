/**
 * Test Connection for a key pool: every key is checked against the same endpoint, one after another (a
 * burst of parallel requests is what gets keys rate-limited), and each is reported. The result is the first
 * working key's; when no key works, the first key's failure is thrown (its code decides the hint, as for a
 * single key) carrying every key's own failure in `fields` (`keys.<row>`, with the key's label and masked
 * hint in the params), so Settings lists what each key got.
 */
import type { ConnectionTestResult, KeyTestResult } from '../../../../shared/models/provider';
import { AppFailure, type AppError } from '../../../../shared/result';
import { maskSecret } from '../../../../shared/validation/provider-validation';
import type { ConnectionTarget } from '../provider-kind';

export async function testEveryKey(
  target: ConnectionTarget,
  keys: readonly { id: string; label: string; value: string }[],
  test: (target: ConnectionTarget) => Promise<ConnectionTestResult>,
): Promise<ConnectionTestResult> {
  const keyResults: KeyTestResult[] = [];
  let first: ConnectionTestResult | undefined;
  let firstFailure: unknown;
  for (const key of keys) {
    const base = { keyId: key.id, label: key.label, hint: maskSecret(key.value) };
    try {
      const result = await test({ ...target, apiKey: key.value });
      first ??= result;
      keyResults.push({ ...base, ok: true });
    } catch (error) {
      firstFailure ??= error;
      const appError: AppError = error instanceof AppFailure ? error.appError : { code: 'INTERNAL', message: 'The test failed unexpectedly.' };
      keyResults.push({ ...base, ok: false, error: { code: appError.code, message: appError.message, ...(appError.params ? { params: appError.params } : {}) } });
    }
  }
  if (!first) {
    // No key works: the first key's failure, with what each key got.
    if (firstFailure instanceof AppFailure && keys.length > 1) {
      const fields = Object.fromEntries(
        keyResults.map((k, row) => [
          `keys.${row}`,
          { code: k.error?.code ?? 'INTERNAL', message: k.error?.message ?? '', params: { ...k.error?.params, keyLabel: k.label, keyHint: k.hint ?? '' } },
        ]),
      );
      throw new AppFailure({ ...firstFailure.appError, params: { ...firstFailure.appError.params, failedKeys: keys.length }, fields });
    }
    throw firstFailure;
  }
  const failed = keyResults.filter((k) => !k.ok).length;
  return {
    ...first,
    message: failed === 0 ? `${first.message} All ${keys.length} keys work.` : `${first.message} ${failed} of ${keys.length} keys failed.`,
    keyResults,
  };
}
