import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyButton } from '../CopyButton';
import { highlightCode } from './code-highlighter';

interface Props {
  language: string;
  code: string;
  /** False while the fence is still streaming: highlighting a growing block on every frame is wasted work. */
  highlight: boolean;
}

/** A fenced code block: language label, copy button, highlighted code. */
export const CodeBlock = memo(function CodeBlock({ language, code, highlight }: Props) {
  const { t } = useTranslation('chat');
  const content = useMemo(() => (highlight ? highlightCode(language, code) : code), [highlight, language, code]);
  const name = language || t('code.plain');
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span className="code-block-language">{name}</span>
        <CopyButton text={code} label={t('code.copy', { language: name })} />
      </div>
      <pre tabIndex={0} aria-label={t('code.label', { language: name })}>
        <code className={language ? `hljs language-${language}` : 'hljs'}>{content}</code>
      </pre>
    </div>
  );
});
