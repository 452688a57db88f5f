import { memo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyButton } from '../CopyButton';
import { highlightCode, isHighlightable } from './code-highlighter';
import { LruCache, useBudgetedValue } from './render-budget';

interface Props {
  language: string;
  code: string;
  /** False while the fence is still streaming: highlighting a growing block on every frame is wasted work. */
  highlight: boolean;
}

/** Highlighted code by language and text (about 2 MB of code). */
const highlighted = new LruCache<ReactNode>(2_000_000);

function HighlightedCode({ language, code }: { language: string; code: string }) {
  // Highlighting is the costliest part of a block: when this render has no time left, the code shows
  // plain until a background slice has highlighted it.
  const [content, ref] = useBudgetedValue<ReactNode, HTMLSpanElement>(highlighted, `${language}\n${code}`, () =>
    highlightCode(language, code),
  );
  return (
    content ?? (
      <span className="code-pending" ref={ref}>
        {code}
      </span>
    )
  );
}

/** A fenced code block: language label, copy button, highlighted code. */
export const CodeBlock = memo(function CodeBlock({ language, code, highlight }: Props) {
  const { t } = useTranslation('chat');
  const name = language || t('code.plain');
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span className="code-block-language">{name}</span>
        <CopyButton text={code} label={t('code.copy', { language: name })} />
      </div>
      <pre tabIndex={0} aria-label={t('code.label', { language: name })}>
        <code className={language ? `hljs language-${language}` : 'hljs'}>
          {highlight && isHighlightable(language) ? <HighlightedCode language={language} code={code} /> : code}
        </code>
      </pre>
    </div>
  );
});
