/**
 * Binds the dispatcher to ipcMain. One of only two files that touch raw IPC (the other is the preload).
 * A call is trusted only when it comes from the main frame of one of our windows showing one of our pages
 * (shell/own-pages.ts decides; Node's URL gives app:// URLs the opaque origin "null", so no origin strings
 * are compared here).
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../../../shared/ipc/channels';
import type { EventName, EventPayloads } from '../../../shared/ipc/contract';
import { isTrustedSender } from '../shell/own-pages';
import type { AppWindows } from '../windows/app-windows';
import { devServerOrigin } from '../windows/window-factory';
import type { CallContext, Dispatcher } from './dispatcher';
import type { EventSink } from './events';

function senderContext(event: IpcMainInvokeEvent, windows: AppWindows, dev: string | null): CallContext | null {
  const windowKind = windows.kindOf(event.sender.id);
  // senderFrame is null once the frame navigated away or was destroyed (docs/api/structures/ipc-main-invoke-event.md);
  // the top frame is the one without a parent (docs/api/web-frame-main.md).
  const frame = event.senderFrame;
  const facts = { windowKind, frame: frame ? { url: frame.url, isMainFrame: frame.parent === null } : null };
  if (!windowKind || !isTrustedSender(facts, dev)) return null;
  return { windowId: event.sender.id, windowKind };
}

export function bindIpc(dispatcher: Dispatcher, windows: AppWindows): void {
  const dev = devServerOrigin();
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, input: unknown) => dispatcher.dispatch(channel, input, senderContext(event, windows, dev)));
  }
}

export function createElectronEventSink(windows: AppWindows): EventSink {
  return {
    sendTo<E extends EventName>(windowId: number, event: E, payload: EventPayloads[E]): boolean {
      const wc = windows.webContents(windowId);
      if (!wc) return false;
      wc.send(event, payload);
      return true;
    },
    broadcast<E extends EventName>(event: E, payload: EventPayloads[E]): void {
      for (const wc of windows.allWebContents()) wc.send(event, payload);
    },
  };
}
