import { useTranslation } from 'react-i18next';
import type { ToolRound } from '../../../shared/models/tools';
import { MarkdownContent } from '../markdown/MarkdownContent';
import { ToolCallCard } from './ToolCallCard';

interface Props {
  content: string;
  rounds: readonly ToolRound[];
  live: boolean;
  conversationId: string;
}

/** A reply that called tools: the text written before each round, the round's call cards, then the rest. */
export function ToolRoundsView({ content, rounds, live, conversationId }: Props) {
  const { t } = useTranslation('chat');
  // Where each round's text starts: the end of the previous round's (offsets never go back).
  const starts = rounds.map((_, i) => (i === 0 ? 0 : Math.max(...rounds.slice(0, i).map((r) => r.contentLength))));
  const end = rounds.length > 0 ? Math.max(...rounds.map((r) => r.contentLength)) : 0;
  const parts = rounds.map((round, i) => {
    const text = content.slice(starts[i], Math.max(starts[i] ?? 0, round.contentLength));
    return (
      <div key={i} className="tool-round">
        {text.trim() !== '' && <MarkdownContent text={text} streaming={false} />}
        <ul className="tool-calls" aria-label={t('tools.calls')}>
          {round.calls.map((call) => (
            <li key={call.id}>
              <ToolCallCard call={call} live={live} conversationId={conversationId} />
            </li>
          ))}
        </ul>
      </div>
    );
  });
  const rest = content.slice(end);
  return (
    <>
      {parts}
      {rest !== '' && <MarkdownContent text={rest} streaming={live} />}
    </>
  );
}
