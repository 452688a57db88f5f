/**
 * Files attached in a composer and not sent yet, per draft key (a conversation id, or '' before one
 * exists), like the text drafts of the chat store. Each is prepared here (downscaled, thumbnail), handed to
 * main (`attachments:add`), and becomes a reference to send with the message; a refusal stays on its chip
 * as one sentence until removed.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { ATTACHMENTS_PER_MESSAGE_MAX, type AttachmentRef } from '../../shared/models/attachments';
import type { AppError } from '../../shared/result';
import { callApi, getApi } from '../lib/api';
import { prepareFile } from '../chat/attachments/prepare-file';

export interface PendingAttachment {
  localId: string;
  name: string;
  /** Bytes of the file as chosen (a chip shows it until main answers the stored size). */
  size: number;
  status: 'preparing' | 'ready' | 'failed';
  ref?: AttachmentRef;
  thumbnailUrl?: string;
  error?: AppError;
}

export interface AttachmentDraftsState {
  drafts: Record<string, PendingAttachment[]>;
  /** A sentence for the last batch that was partly refused before any file was read (too many files). */
  notice: Record<string, AppError | null>;
}

export const attachmentDraftsStore = createStore<AttachmentDraftsState>()(() => ({ drafts: {}, notice: {} }));

export function useAttachmentDrafts<T>(selector: (state: AttachmentDraftsState) => T): T {
  return useStore(attachmentDraftsStore, selector);
}

let counter = 0;

function update(key: string, localId: string, patch: Partial<PendingAttachment>): void {
  attachmentDraftsStore.setState((state) => {
    const list = state.drafts[key];
    if (!list?.some((a) => a.localId === localId)) return {};
    return { drafts: { ...state.drafts, [key]: list.map((a) => (a.localId === localId ? { ...a, ...patch } : a)) } };
  });
}

function release(attachment: PendingAttachment): void {
  if (attachment.thumbnailUrl) URL.revokeObjectURL(attachment.thumbnailUrl);
}

/** Adds files to a draft: each is prepared and stored in main; more than the limit are refused in one sentence. */
export function addFiles(key: string, files: readonly File[]): void {
  const current = attachmentDraftsStore.getState().drafts[key] ?? [];
  const room = ATTACHMENTS_PER_MESSAGE_MAX - current.length;
  const taken = files.slice(0, Math.max(0, room));
  const notice: AppError | null =
    files.length > taken.length
      ? {
          code: 'ATTACHMENT_TOO_MANY',
          message: `A message can carry at most ${ATTACHMENTS_PER_MESSAGE_MAX} attachments.`,
          params: { max: ATTACHMENTS_PER_MESSAGE_MAX },
        }
      : null;
  const added = taken.map((file): PendingAttachment => ({ localId: `a${++counter}`, name: file.name || 'pasted', size: file.size, status: 'preparing' }));
  attachmentDraftsStore.setState((state) => ({
    drafts: { ...state.drafts, [key]: [...(state.drafts[key] ?? []), ...added] },
    notice: { ...state.notice, [key]: notice },
  }));
  taken.forEach((file, i) => void prepareOne(key, added[i]!, file));
}

async function prepareOne(key: string, pending: PendingAttachment, file: File): Promise<void> {
  const prepared = await prepareFile(file, (thumbnailUrl) => update(key, pending.localId, { thumbnailUrl })).catch(() => null);
  if (!prepared || prepared.undecodable) {
    update(key, pending.localId, {
      status: 'failed',
      thumbnailUrl: undefined,
      error: { code: 'ATTACHMENT_UNREADABLE', message: `“${pending.name}” cannot be read: the file looks damaged.`, params: { name: pending.name } },
    });
    return;
  }
  if (prepared.thumbnailUrl) update(key, pending.localId, { thumbnailUrl: prepared.thumbnailUrl });
  const result = await callApi(() => getApi().attachments.add({ name: pending.name, data: prepared.data }));
  if (result.ok) update(key, pending.localId, { status: 'ready', ref: result.value, size: result.value.size });
  else update(key, pending.localId, { status: 'failed', error: result.error });
}

export function removeAttachment(key: string, localId: string): void {
  attachmentDraftsStore.setState((state) => {
    const list = state.drafts[key] ?? [];
    const gone = list.find((a) => a.localId === localId);
    if (gone) release(gone);
    return { drafts: { ...state.drafts, [key]: list.filter((a) => a.localId !== localId) } };
  });
}

/** Clears a draft's attachments (after it was sent); `only` limits it to those that were sent. */
export function clearAttachments(key: string, only?: ReadonlySet<string>): void {
  attachmentDraftsStore.setState((state) => {
    const list = state.drafts[key] ?? [];
    const keep = list.filter((a) => only !== undefined && !only.has(a.localId));
    for (const a of list) if (!keep.includes(a)) release(a);
    return { drafts: { ...state.drafts, [key]: keep }, notice: { ...state.notice, [key]: null } };
  });
}

/** Moves a draft's attachments to another key (the first message creates the conversation). */
export function moveAttachments(from: string, to: string): void {
  if (from === to) return;
  attachmentDraftsStore.setState((state) => ({
    drafts: { ...state.drafts, [to]: [...(state.drafts[to] ?? []), ...(state.drafts[from] ?? [])], [from]: [] },
  }));
}

export function dismissNotice(key: string): void {
  attachmentDraftsStore.setState((state) => ({ notice: { ...state.notice, [key]: null } }));
}
