/**
 * Binds the dispatcher to ipcMain. One of only two files that touch raw IPC (the other is the preload).
 * A call is trusted only when it comes from the main frame of one of our windows, loaded from our origin.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../../../shared/ipc/channels';
import type { EventName, EventPayloads } from '../../../shared/ipc/contract';
import type { AppWindows } from '../windows/app-windows';
import { trustedOrigins } from '../windows/window-factory';
import type { CallContext, Dispatcher } from './dispatcher';
import type { EventSink } from './events';

function senderContext(event: IpcMainInvokeEvent, windows: AppWindows): CallContext | null {
  const kind = windows.kindOf(event.sender.id);
  const frame = event.senderFrame;
  if (!kind || !frame || frame !== event.sender.mainFrame) return null;
  try {
    if (!trustedOrigins().includes(new URL(frame.url).origin)) return null;
  } catch {
    return null;
  }
  return { windowId: event.sender.id, windowKind: kind };
}

export function bindIpc(dispatcher: Dispatcher, windows: AppWindows): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, input: unknown) => dispatcher.dispatch(channel, input, senderContext(event, windows)));
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
