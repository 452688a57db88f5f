import { useTranslation } from 'react-i18next';
import type { TokenUsage } from '../../shared/models/conversation';

/** Token usage of one reply, small and muted; the full wording is in the accessible label. */
export function TokenUsageLine({ usage }: { usage: TokenUsage }) {
  const { t, i18n } = useTranslation('chat');
  const n = (value: number) => value.toLocaleString(i18n.language);
  const values = {
    prompt: n(usage.promptTokens),
    completion: n(usage.completionTokens),
    total: n(usage.totalTokens),
    reasoning: n(usage.reasoningTokens ?? 0),
  };
  const label = usage.reasoningTokens ? t('usage.labelWithReasoning', values) : t('usage.label', values);
  return (
    <span className="token-usage" role="note" aria-label={label} title={label}>
      {t('usage.short', values)}
    </span>
  );
}
