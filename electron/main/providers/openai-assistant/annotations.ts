/**
 * Annotations: OpenAI marks citations in the text (`【4:0†source】`); they become numbered `[1]` markers
 * with the cited file listed under the message.
 */
import type { MessageAnnotation } from '../../../../shared/models/conversation';
import type { WireAnnotation, WireMessage } from './api-objects';

export class AnnotationBook {
  readonly list: MessageAnnotation[] = [];
  private readonly markers = new Map<string, string>();

  /** Replaces the citation markers in `value` by `[n]`, recording each annotation once. */
  apply(value: string, annotations: WireAnnotation[] | undefined): string {
    let text = value;
    for (const a of annotations ?? []) {
      const raw = a.text ?? '';
      if (a.type === 'file_citation' && a.file_citation?.file_id) {
        let marker = this.markers.get(raw);
        if (!marker || !raw) {
          marker = `[${this.list.length + 1}]`;
          if (raw) this.markers.set(raw, marker);
          this.list.push({
            type: 'file_citation',
            text: marker,
            fileId: a.file_citation.file_id,
            ...(a.file_citation.quote ? { quote: a.file_citation.quote } : {}),
          });
        }
        if (raw) text = text.split(raw).join(marker);
      } else if (a.type === 'file_path' && a.file_path?.file_id) {
        if (!this.list.some((x) => x.type === 'file_path' && x.fileId === a.file_path?.file_id)) {
          this.list.push({ type: 'file_path', text: raw, fileId: a.file_path.file_id });
        }
      }
    }
    return text;
  }

  get size(): number {
    return this.list.length;
  }
}

/** A message's text as stored (user messages carry no annotations). */
export function plainText(message: WireMessage): string {
  return (message.content ?? [])
    .map((part) => (part.type === 'text' && typeof part.text === 'object' && part.text !== null ? (part.text.value ?? '') : ''))
    .join('');
}

export function messageText(message: WireMessage, book: AnnotationBook): string {
  return (message.content ?? [])
    .map((part) => {
      if (part.type === 'text' && typeof part.text === 'object' && part.text !== null) {
        return book.apply(part.text.value ?? '', part.text.annotations);
      }
      if (part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
      return '';
    })
    .join('');
}
