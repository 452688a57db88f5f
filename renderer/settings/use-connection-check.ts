/**
 * Test Connection and the Model list of the provider being edited. A result belongs to the connection it
 * was made for: once the draft points elsewhere (type, URL, key, headers …), it is dropped.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionTestResult, ProviderDraft } from '../../shared/models/provider';
import type { AppError } from '../../shared/result';
import { getApi } from '../lib/api';
import { errorHint, errorText } from '../lib/error-text';
import type { ModelListState } from './ModelCombobox';
import { draftForSubmit } from './provider-form-state';

export type TestState =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'ok'; result: ConnectionTestResult }
  | { state: 'error'; error: AppError };

/** What a connection depends on: a test result or model list for other values says nothing about these. */
function connectionSignature(draft: ProviderDraft): string {
  const d = draftForSubmit(draft);
  const headers = d.customHeaders.filter((h) => h.name !== '' || h.value !== '');
  return JSON.stringify([d.type, d.baseUrl, d.apiKey, headers, d.type === 'openai-assistant' ? d.assistantId : '', d.conversationState ?? '']);
}

export function useConnectionCheck(draft: ProviderDraft) {
  const { t } = useTranslation('settings');
  const [test, setTest] = useState<{ signature: string; value: TestState }>({ signature: '', value: { state: 'idle' } });
  const [modelList, setModelList] = useState<{ signature: string; value: ModelListState }>({
    signature: '',
    value: { state: 'idle' },
  });

  const signature = connectionSignature(draft);
  const testState: TestState = test.signature === signature ? test.value : { state: 'idle' };
  const models: ModelListState = modelList.signature === signature ? modelList.value : { state: 'idle' };

  const runTest = async () => {
    const sig = signature;
    setTest({ signature: sig, value: { state: 'running' } });
    const result = await getApi().providers.test(draftForSubmit(draft));
    if (result.ok) {
      setTest({ signature: sig, value: { state: 'ok', result: result.value } });
      if (result.value.models) setModelList({ signature: sig, value: { state: 'loaded', models: result.value.models } });
    } else {
      setTest({ signature: sig, value: { state: 'error', error: result.error } });
    }
  };

  const refreshModels = async () => {
    const sig = signature;
    setModelList({ signature: sig, value: { state: 'loading' } });
    const result = await getApi().providers.listModels(draftForSubmit(draft));
    setModelList({
      signature: sig,
      value: result.ok
        ? { state: 'loaded', models: result.value.models }
        : { state: 'error', message: errorText(t, result.error), hint: errorHint(t, result.error) },
    });
  };

  return { testState, models, runTest, refreshModels };
}
