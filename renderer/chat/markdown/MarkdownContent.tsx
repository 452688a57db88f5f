import { useMemo } from 'react';
import { MarkdownBlockSplitter } from '../markdown-blocks';
import { MarkdownBlock } from './MarkdownBlock';

interface Props {
  text: string;
  streaming: boolean;
}

/**
 * A reply rendered as GitHub-flavoured Markdown, block by block: while it streams, only the last block is
 * parsed again for each update, so the cost of an update does not grow with the length of the reply.
 */
export function MarkdownContent({ text, streaming }: Props) {
  // One splitter per mounted reply; it remembers how far it has scanned.
  const splitter = useMemo(() => new MarkdownBlockSplitter(), []);
  const { stable, tail, tailInOpenFence } = splitter.update(text);
  return (
    <div className="markdown">
      {stable.map((block, i) => (
        <MarkdownBlock key={i} text={block} />
      ))}
      {tail.trim() !== '' && <MarkdownBlock key="tail" text={tail} plainCode={streaming && tailInOpenFence} />}
    </div>
  );
}
