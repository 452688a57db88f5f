import { memo, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { MarkdownBlockSplitter } from './markdown-blocks';
import { FinishedBlock, MarkdownBlock, parseNewestFirst } from './MarkdownBlock';
import { backgroundWork, NearViewContext, RushContext, StreamingContext, StreamPace, useNearView } from './render-budget';

interface Props {
  text: string;
  streaming: boolean;
}

/**
 * Finished blocks are grouped in chunks, so a long reply is a short list of chunks to the browser: layout
 * and style work per update stay flat however many blocks came before.
 */
const CHUNK = 32;

interface ChunkProps {
  blocks: readonly string[];
  start: number;
}

function sameChunk(a: ChunkProps, b: ChunkProps): boolean {
  if (a.start !== b.start) return false;
  const end = Math.min(a.start + CHUNK, Math.max(a.blocks.length, b.blocks.length));
  for (let i = a.start; i < end; i++) if (a.blocks[i] !== b.blocks[i]) return false;
  return true;
}

const BlockChunk = memo(function BlockChunk({ blocks, start }: ChunkProps) {
  // While the reply streams, the browser skips the layout and paint of chunks out of view (see chat.css).
  // Afterwards chunks lay out normally, so scrolling through history never meets a placeholder height; one
  // chunk per slice, as dropping the skip for a whole long reply at once was a task of 100 ms or more.
  const streaming = useContext(StreamingContext);
  const [lazy, setLazy] = useState(streaming);
  useEffect(() => {
    if (streaming || !lazy) return;
    return backgroundWork.add(() => setLazy(false), { endsSlice: true });
  }, [streaming, lazy]);
  const ref = useRef<HTMLDivElement>(null);
  const near = useNearView(ref, streaming);
  const items = [];
  for (let i = start; i < Math.min(start + CHUNK, blocks.length); i++) {
    items.push(
      <div className="md-block" key={i}>
        <FinishedBlock text={blocks[i]!} />
      </div>,
    );
  }
  return (
    <div ref={ref} className={lazy ? 'md-chunk md-chunk-lazy' : 'md-chunk'}>
      <NearViewContext value={near}>{items}</NearViewContext>
    </div>
  );
}, sameChunk);

/** The finished blocks: the array changes only when a block completes, so most updates skip them all. */
const StableBlocks = memo(function StableBlocks({ blocks }: { blocks: readonly string[] }) {
  const streaming = useContext(StreamingContext);
  const rush = useContext(RushContext);
  // The newest blocks are the ones in view while a reply streams: they get this render's time first.
  if (!rush) parseNewestFirst(blocks, streaming);
  const chunks = [];
  for (let start = 0; start < blocks.length; start += CHUNK) chunks.push(<BlockChunk key={start} blocks={blocks} start={start} />);
  return chunks;
});

/**
 * A reply rendered as GitHub-flavoured Markdown, block by block: while it streams, only the last block is
 * parsed again for each update, so the cost of an update does not grow with the length of the reply.
 */
export function MarkdownContent({ text, streaming }: Props) {
  // One splitter per mounted reply; it remembers how far it has scanned.
  const splitter = useMemo(() => new MarkdownBlockSplitter(), []);
  const { stable, tail, tailInOpenFence } = splitter.update(text);
  const pace = useMemo(() => new StreamPace(), []);
  const rush = streaming && pace.update(text.length);
  // A burst ends without an update to say so: render again when it has calmed down, to format the text.
  const [, calmed] = useState(0);
  useEffect(() => {
    if (!rush) return;
    const timer = setTimeout(() => calmed((n) => n + 1), pace.calmIn() + 1);
    return () => clearTimeout(timer);
  }, [rush, text, pace]);
  return (
    <StreamingContext value={streaming}>
      <RushContext value={rush}>
        <div className="markdown">
          <StableBlocks blocks={stable} />
          {tail.trim() !== '' && (
            <div className="md-block md-tail">
              {rush ? <div className="md-pending">{tail}</div> : <MarkdownBlock text={tail} plainCode={streaming && tailInOpenFence} />}
            </div>
          )}
        </div>
      </RushContext>
    </StreamingContext>
  );
}
