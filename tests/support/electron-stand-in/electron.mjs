// A small stand-in for the Electron main-process APIs that Switchboard's shell uses, so the real
// composition root (out/main/index.js) runs in plain Node where no Electron binary can be had. Every
// behaviour follows Electron's documentation (docs/api/*.md of electron/electron, v45), cited beside it;
// nothing here decides anything for the app. A test drives it over the child-process IPC channel
// (process.send): it plays the user and the pages (IPC calls from a frame, a reload, beforeunload, a
// right-click, a crash) and reads back what the app did.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Electron's Event object: `preventDefault()` and `defaultPrevented` (docs/api/structures/event.md). */
function makeEvent(extra = {}) {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
    ...extra,
  };
  return event;
}

// The platform the shell believes it runs on (macOS keeps the app running with no window open).
if (process.env.SB_STANDIN_PLATFORM) Object.defineProperty(process, 'platform', { value: process.env.SB_STANDIN_PLATFORM });
// Loads that fail, as a broken installation's would (e.g. -6 ERR_FILE_NOT_FOUND), before loads succeed again.
let failingLoads = Number(process.env.SB_STANDIN_FAIL_LOADS ?? 0);

const record = { appEvents: [], dialogs: [], openedExternal: [], clipboard: [], popups: [], windowOptions: [], logs: [] };
let dialogAnswer = 0;
let saveDialogAnswer = '';

// ---------------------------------------------------------------- protocol (docs/api/protocol.md)
const privilegedSchemes = new Map();
const protocolHandlers = new Map();
let isReady = false;

export const protocol = {
  /** "This method can only be used before the ready event of the app module gets emitted". */
  registerSchemesAsPrivileged(schemes) {
    if (isReady) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    for (const s of schemes) privilegedSchemes.set(s.scheme, s.privileges ?? {});
  },
  /** "Register a protocol handler for scheme. Requests made to URLs with this scheme will delegate to this
   * handler to determine what response should be sent." The handler gets a GlobalRequest, returns a Response. */
  handle(scheme, handler) {
    if (!isReady) throw new Error('protocol.handle must be called after app is ready');
    protocolHandlers.set(scheme, handler);
  },
  isProtocolHandled(scheme) {
    return protocolHandlers.has(scheme);
  },
};

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png' };

// ---------------------------------------------------------------- net (docs/api/net.md)
export const net = {
  /** net.fetch: like the web's fetch; also serves file: URLs and schemes registered with protocol.handle. */
  async fetch(input, init) {
    const url = typeof input === 'string' ? input : input.url;
    const scheme = new URL(url).protocol.slice(0, -1);
    if (scheme === 'file') {
      const file = fileURLToPath(url);
      try {
        const body = await fs.promises.readFile(file);
        return new Response(body, { status: 200, headers: { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' } });
      } catch {
        // Chromium fails a missing file:// with net::ERR_FILE_NOT_FOUND; fetch reports it as a TypeError.
        throw new TypeError('net::ERR_FILE_NOT_FOUND');
      }
    }
    if (protocolHandlers.has(scheme)) return protocolHandlers.get(scheme)(new Request(url, init));
    const redirect = init?.redirect ?? (typeof input === 'string' ? 'follow' : input.redirect);
    if (redirect !== 'manual') return globalThis.fetch(input, init);
    // net.fetch gives `redirect` to its ClientRequest (lib/browser/api/net-fetch.ts), and ClientRequest's
    // 'manual' mode fails a redirect nobody follows with "Redirect was cancelled"
    // (lib/common/api/net-client-request.ts): it never answers the 3xx response.
    const response = await globalThis.fetch(input, init);
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel();
      throw new Error('Redirect was cancelled');
    }
    return response;
  },
  /**
   * net.request (docs/api/client-request.md): a Writable with setHeader(), end(body), abort(); events
   * 'response' (an IncomingMessage: a Readable with statusCode, statusMessage, headers), 'error', and for
   * `redirect: 'manual'` a 'redirect' event (statusCode, method, redirectUrl, responseHeaders) whose
   * listener must call followRedirect(), else the request fails with "Redirect was cancelled".
   */
  request(options) {
    return new ClientRequestStandIn(options);
  },
};

class ClientRequestStandIn extends EventEmitter {
  constructor(options) {
    super();
    this.options = typeof options === 'string' ? { url: options } : options;
    this.headers = {};
    this.aborted = false;
    this.upstream = null;
  }
  setHeader(name, value) {
    this.headers[name] = value;
  }
  write() {
    throw new Error('the stand-in sends bodies with end(body) only');
  }
  followRedirect() {
    throw new Error('followRedirect is not used by Switchboard and not part of this stand-in');
  }
  abort() {
    if (this.aborted) return;
    this.aborted = true;
    this.upstream?.destroy();
    process.nextTick(() => this.emit('abort'));
  }
  end(body) {
    const url = new URL(this.options.url);
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method: this.options.method ?? 'GET', headers: this.headers });
    this.upstream = req;
    req.on('error', (error) => {
      if (!this.aborted) this.emit('error', error);
    });
    req.on('response', (res) => {
      const isRedirect = [301, 302, 303, 307, 308].includes(res.statusCode) && res.headers.location;
      if (isRedirect && (this.options.redirect ?? 'follow') !== 'follow') {
        res.resume();
        if (this.options.redirect === 'error') return this.emit('error', new Error("Attempted to redirect, but redirect policy was 'error'"));
        const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, [v].flat()]));
        this.emit('redirect', res.statusCode, this.options.method ?? 'GET', new URL(res.headers.location, url).href, headers);
        if (!this.aborted) this.emit('error', new Error('Redirect was cancelled'));
        return;
      }
      if (isRedirect) throw new Error('the stand-in does not follow redirects for net.request');
      this.emit('response', res);
    });
    req.end(body);
  }
}

// ---------------------------------------------------------------- session (docs/api/session.md)
class Session {
  permissionRequestHandler = null;
  permissionCheckHandler = null;
  devicePermissionHandler = null;
  spellCheckerEnabled = true;
  dictionaryWords = [];
  setPermissionRequestHandler(handler) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler) {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler) {
    this.devicePermissionHandler = handler;
  }
  setSpellCheckerEnabled(enable) {
    this.spellCheckerEnabled = enable;
  }
  isSpellCheckerEnabled() {
    return this.spellCheckerEnabled;
  }
  addWordToSpellCheckerDictionary(word) {
    this.dictionaryWords.push(word);
    return true;
  }
}
const defaultSession = new Session();
export const session = {
  get defaultSession() {
    if (!isReady) throw new Error('session.defaultSession is only available after app is ready');
    return defaultSession;
  },
};

// ---------------------------------------------------------------- webContents (docs/api/web-contents.md)
let nextWebContentsId = 1;
let nextRoutingId = 1;
const allWebContents = new Map();

/** WebFrameMain (docs/api/web-frame-main.md): url, origin, parent (null for the top frame), routingId… */
function frame(url, parent = null) {
  return { url, origin: originOf(url), parent, routingId: nextRoutingId++, processId: 1, frameTreeNodeId: nextRoutingId };
}

/** Chromium's serialisation of an origin: a standard scheme (registered privileged as standard) has a
 * tuple origin `scheme://host[:port]`; data:, about:blank and opaque URLs serialise as "null". */
function originOf(url) {
  try {
    const u = new URL(url);
    const scheme = u.protocol.slice(0, -1);
    if (['http', 'https', 'ws', 'wss', 'ftp'].includes(scheme) || privilegedSchemes.get(scheme)?.standard) {
      return `${scheme}://${u.host}`;
    }
  } catch {
    // not a URL
  }
  return 'null';
}

class WebContents extends EventEmitter {
  constructor(win, webPreferences) {
    super();
    this.id = nextWebContentsId++;
    this.window = win;
    this.webPreferences = webPreferences;
    this.session = defaultSession;
    this.mainFrame = frame('');
    this.destroyed = false;
    this.loading = false;
    this.inbox = [];
    this.windowOpenHandler = null;
    /** The page's beforeunload handler wants to cancel the unload (a form with unsaved edits). */
    this.blockUnload = false;
    this.failNext = null;
    this.history = [];
    allWebContents.set(this.id, this);
  }
  /** "Send an asynchronous message to the renderer process via channel" */
  send(channel, ...args) {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.inbox.push({ channel, args });
  }
  isDestroyed() {
    return this.destroyed;
  }
  isLoading() {
    return this.loading;
  }
  getURL() {
    return this.mainFrame.url;
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  replaceMisspelling(word) {
    record.clipboard.push({ replaceMisspelling: word });
  }
  copyImageAt(x, y) {
    record.clipboard.push({ copyImageAt: [x, y] });
  }
  reload() {
    return this.load(this.mainFrame.url);
  }
  /**
   * A main-frame load (docs/api/web-contents.md, events in this order): 'did-start-navigation' (details with
   * url, isMainFrame, isSameDocument), then either 'did-fail-load' (errorCode, errorDescription, validatedURL,
   * isMainFrame, frameProcessId, frameRoutingId) or 'dom-ready', 'did-finish-load'; BrowserWindow's
   * 'ready-to-show' follows the first paint. A new document gets a new main frame.
   */
  async load(url) {
    this.loading = true;
    // Navigation runs in Chromium: its events come after loadURL() has returned.
    await new Promise((resolve) => setImmediate(resolve));
    this.emit('did-start-navigation', makeEvent({ url, isMainFrame: true, isSameDocument: false, frame: this.mainFrame }), url, false, true);
    const fail = (errorCode, errorDescription) => {
      this.loading = false;
      this.emit('did-fail-load', makeEvent(), errorCode, errorDescription, url, true, 1, this.mainFrame.routingId);
      const error = new Error(`${errorDescription} (${errorCode}) loading '${url}'`);
      error.code = errorDescription;
      error.errno = errorCode;
      throw error;
    };
    if (!this.failNext && failingLoads > 0) {
      failingLoads--;
      this.failNext = { errorCode: -6, errorDescription: 'ERR_FILE_NOT_FOUND' };
    }
    if (this.failNext) {
      const { errorCode, errorDescription } = this.failNext;
      this.failNext = null;
      return fail(errorCode, errorDescription);
    }
    let response;
    try {
      response = await net.fetch(url);
    } catch {
      return fail(-6, 'ERR_FILE_NOT_FOUND');
    }
    const body = await response.text();
    if (!response.ok && body === '') return fail(-379, 'ERR_HTTP_RESPONSE_CODE_FAILURE');
    this.mainFrame = frame(url);
    this.history.push({ url, status: response.status, contentType: response.headers.get('content-type'), body });
    this.loading = false;
    this.emit('dom-ready', makeEvent());
    this.emit('did-finish-load', makeEvent());
    if (!this.window.shownOnce) this.window.emit('ready-to-show', makeEvent());
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed', makeEvent());
    allWebContents.delete(this.id);
  }
}

export const webContents = {
  getAllWebContents: () => [...allWebContents.values()],
  fromId: (id) => allWebContents.get(id),
};

// ---------------------------------------------------------------- BrowserWindow (docs/api/browser-window.md)
const windows = new Set();

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return [...windows];
  }
  /** "The window that owns the given webContents or null if the contents are not owned by a window." */
  static fromWebContents(contents) {
    return [...windows].find((w) => w.webContents === contents) ?? null;
  }
  constructor(options = {}) {
    super();
    this.options = options;
    record.windowOptions.push({ ...options, webPreferences: { ...options.webPreferences } });
    this.visible = options.show !== false;
    this.shownOnce = this.visible;
    this.destroyed = false;
    this.minimized = false;
    this.maximized = false;
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.webContents = new WebContents(this, options.webPreferences ?? {});
    windows.add(this);
    // "Emitted when a new webContents is created." (app, event 'web-contents-created')
    app.emit('web-contents-created', makeEvent(), this.webContents);
  }
  /** "Same as webContents.loadURL(url[, options])": resolves when the page finished loading, rejects on failure. */
  loadURL(url) {
    return this.webContents.load(url);
  }
  show() {
    this.visible = true;
    this.shownOnce = true;
    this.emit('show', makeEvent());
  }
  isVisible() {
    return this.visible;
  }
  focus() {}
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  maximize() {
    this.maximized = true;
  }
  isMaximized() {
    return this.maximized;
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  isDestroyed() {
    return this.destroyed;
  }
  /**
   * "Try to close the window. This has the same effect as a user manually clicking the close button of the
   * window. The web page may cancel the close though." Order: 'close' (preventable); the page's
   * beforeunload: when it cancels, webContents emits 'will-prevent-unload', whose preventDefault() "will
   * ignore the beforeunload event handler and allow the page to be unloaded"; else the close is cancelled.
   * Then 'closed'. Returns whether the window closed (for the stand-in's own use).
   */
  close() {
    if (this.destroyed) return true;
    const closeEvent = makeEvent();
    this.emit('close', closeEvent);
    if (closeEvent.defaultPrevented) return false;
    if (this.webContents.blockUnload) {
      const unload = makeEvent();
      this.webContents.emit('will-prevent-unload', unload);
      if (!unload.defaultPrevented) return false;
    }
    this.destroy();
    return true;
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    windows.delete(this);
    this.webContents.destroy();
    this.emit('closed');
    // "Emitted when all windows have been closed. If you do not subscribe to this event and all windows are
    // closed, the default behavior is to quit the app" — but not while app.quit() is closing them.
    if (windows.size === 0 && !app.quitting) {
      if (app.listenerCount('window-all-closed') > 0) app.emit('window-all-closed', makeEvent());
      else app.quit();
    }
  }
}

// ---------------------------------------------------------------- app (docs/api/app.md)
let readyResolve;
const readyPromise = new Promise((resolve) => (readyResolve = resolve));
const paths = new Map([
  ['userData', path.join(os.tmpdir(), 'switchboard-stand-in-userdata')],
  ['temp', os.tmpdir()],
  ['downloads', process.env.SB_STANDIN_DOWNLOADS ?? os.tmpdir()],
  ['home', os.homedir()],
]);

class App extends EventEmitter {
  isPackaged = true;
  /** app.commandLine (docs/api/command-line.md): the switches Chromium was started with. */
  commandLine = {
    hasSwitch: (name) => (process.env.SB_STANDIN_SWITCHES ?? '').split(',').includes(name),
    getSwitchValue: () => '',
  };
  quitting = false;
  exited = false;
  whenReady() {
    return readyPromise;
  }
  isReady() {
    return isReady;
  }
  getPath(name) {
    if (!paths.has(name)) throw new Error(`Failed to get '${name}' path`);
    return paths.get(name);
  }
  setPath(name, value) {
    paths.set(name, value);
  }
  getVersion() {
    return process.env.SB_STANDIN_APP_VERSION ?? '0.1.0';
  }
  getName() {
    return 'Switchboard';
  }
  getLocale() {
    return 'en-US';
  }
  getPreferredSystemLanguages() {
    return (process.env.SB_STANDIN_LANGUAGES ?? 'en-US').split(',');
  }
  requestSingleInstanceLock() {
    return true;
  }
  /**
   * "Try to close all windows. The before-quit event will be emitted first. If all windows are successfully
   * closed, the will-quit event will be emitted and by default the application will terminate. […] It is
   * possible that a window cancels the quitting by returning false in the beforeunload event handler."
   * before-quit/will-quit: "Calling event.preventDefault() will prevent the default behavior, which is
   * terminating the application." While quitting, 'window-all-closed' is not emitted.
   */
  quit() {
    if (this.exited) return;
    const beforeQuit = makeEvent();
    record.appEvents.push('before-quit');
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    this.quitting = true;
    for (const win of BrowserWindow.getAllWindows()) win.close();
    this.quitting = false;
    if (BrowserWindow.getAllWindows().length > 0) {
      record.appEvents.push('quit-cancelled');
      return;
    }
    const willQuit = makeEvent();
    record.appEvents.push('will-quit');
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return;
    this.exit(0);
  }
  /** "Exits immediately with exitCode"; 'quit' is emitted when the application is quitting. */
  exit(code = 0) {
    if (this.exited) return;
    this.exited = true;
    record.appEvents.push('quit');
    this.emit('quit', makeEvent(), code);
    process.send?.({ event: 'exit', code });
    setTimeout(() => process.exit(code), 50);
  }
}
export const app = new App();

// ---------------------------------------------------------------- ipcMain (docs/api/ipc-main.md)
const invokeHandlers = new Map();
export const ipcMain = Object.assign(new EventEmitter(), {
  /** "Adds a handler for an invokeable IPC. […] If listener returns a Promise, the eventual result of the
   * promise will be returned as a reply to the remote caller." Only one handler per channel. */
  handle(channel, listener) {
    if (invokeHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    invokeHandlers.set(channel, listener);
  },
  removeHandler(channel) {
    invokeHandlers.delete(channel);
  },
});

// ---------------------------------------------------------------- Menu, dialog, screen, shell, clipboard
class MenuStandIn {
  constructor(items) {
    this.items = items;
  }
  /** Menu.buildFromTemplate: items with id, label, role, accelerator, click, submenu… */
  static buildFromTemplate(template) {
    return new MenuStandIn(template);
  }
  static setApplicationMenu(menu) {
    MenuStandIn.applicationMenu = menu;
  }
  static getApplicationMenu() {
    return MenuStandIn.applicationMenu ?? null;
  }
  /** "Pops up this menu as a context menu in the BrowserWindow" */
  popup() {
    record.popups.push(this.items.map(({ id, label, role, type, enabled }) => ({ id, label, role, type, enabled })));
    MenuStandIn.lastPopup = this;
  }
}
export const Menu = MenuStandIn;

function findMenuItem(items, id) {
  for (const item of items ?? []) {
    if (item.id === id) return item;
    const inner = findMenuItem(Array.isArray(item.submenu) ? item.submenu : item.submenu?.items, id);
    if (inner) return inner;
  }
  return null;
}

export const dialog = {
  /** Returns the index of the clicked button (the test chooses it). */
  showMessageBoxSync(win, options) {
    const opts = options ?? win;
    record.dialogs.push({ sync: true, ...pickDialog(opts) });
    return dialogAnswer;
  },
  /**
   * Resolves with { canceled, filePath }: "If the dialog is canceled, this will be an empty string"
   * (docs/api/dialog.md). The test sets the path the user picks (or '' to cancel).
   */
  async showSaveDialog(win, options) {
    const opts = options ?? win;
    record.dialogs.push({ sync: false, type: 'save', title: opts.title, message: opts.defaultPath, buttons: (opts.filters ?? []).map((f) => f.name) });
    return saveDialogAnswer === '' ? { canceled: true, filePath: '' } : { canceled: false, filePath: saveDialogAnswer };
  },
  async showMessageBox(win, options) {
    const opts = options ?? win;
    record.dialogs.push({ sync: false, ...pickDialog(opts) });
    return { response: dialogAnswer, checkboxChecked: false };
  },
};
function pickDialog(o) {
  return { type: o.type, title: o.title, message: o.message, detail: o.detail, buttons: o.buttons };
}

export const screen = {
  getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getPrimaryDisplay: () => screen.getAllDisplays()[0],
};

export const shell = {
  async openExternal(url) {
    record.openedExternal.push(url);
  },
  async openPath() {
    return '';
  },
};

export const clipboard = {
  writeText(text) {
    record.clipboard.push({ text });
  },
  readText() {
    return '';
  },
};

export const contextBridge = {};
export const ipcRenderer = undefined;

export default { app, BrowserWindow, clipboard, contextBridge, dialog, ipcMain, Menu, net, protocol, screen, session, shell, webContents };

// ---------------------------------------------------------------- the test's control channel
function windowFacts(win) {
  const wc = win.webContents;
  return {
    webContentsId: wc.id,
    url: wc.getURL(),
    visible: win.isVisible(),
    title: win.options.title,
    lastLoad: wc.history.at(-1) ? { url: wc.history.at(-1).url, status: wc.history.at(-1).status, contentType: wc.history.at(-1).contentType } : null,
  };
}

function contentsOf(id) {
  const wc = allWebContents.get(id);
  if (!wc) throw new Error(`no WebContents ${id}`);
  return wc;
}

/** IpcMainInvokeEvent (docs/api/structures/ipc-main-invoke-event.md): sender, senderFrame, processId, frameId. */
async function invoke({ webContentsId, channel, input, fromSubframe, subframeUrl }) {
  const wc = contentsOf(webContentsId);
  const senderFrame = fromSubframe ? frame(subframeUrl ?? wc.mainFrame.url, wc.mainFrame) : wc.mainFrame;
  const handler = invokeHandlers.get(channel);
  if (!handler) throw new Error(`No handler registered for '${channel}'`);
  const event = { sender: wc, senderFrame, processId: senderFrame.processId, frameId: senderFrame.routingId };
  // Electron keeps only the structured-clone of the result.
  return structuredClone(await handler(event, input));
}

const ops = {
  state: () => ({
    ready: isReady,
    windows: BrowserWindow.getAllWindows().map(windowFacts),
    ...record,
    spellCheckerEnabled: defaultSession.spellCheckerEnabled,
    dictionaryWords: defaultSession.dictionaryWords,
    privilegedSchemes: Object.fromEntries(privilegedSchemes),
    applicationMenu: Boolean(MenuStandIn.applicationMenu),
    userData: app.getPath('userData'),
  }),
  invoke,
  inbox: ({ webContentsId, clear }) => {
    const wc = contentsOf(webContentsId);
    const messages = [...wc.inbox];
    if (clear) wc.inbox.length = 0;
    return messages;
  },
  fetchApp: async ({ url }) => {
    const handler = protocolHandlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error('no protocol handler');
    const res = await handler(new Request(url));
    const body = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), body: body.slice(0, 2000), length: body.length };
  },
  menuClick: ({ id }) => {
    const item = findMenuItem(MenuStandIn.applicationMenu?.items, id);
    if (!item?.click) throw new Error(`no menu item ${id}`);
    // MenuItem click: (menuItem, browserWindow, event)
    item.click(item, BrowserWindow.getAllWindows()[0], {});
    return true;
  },
  popupClick: ({ id }) => {
    const item = findMenuItem(MenuStandIn.lastPopup?.items, id);
    if (!item?.click) throw new Error(`no popup item ${id}`);
    item.click(item, BrowserWindow.getAllWindows()[0], {});
    return true;
  },
  quit: () => {
    app.quit();
    return { exited: app.exited };
  },
  setDialogAnswer: ({ answer }) => {
    dialogAnswer = answer;
  },
  setSaveDialogAnswer: ({ filePath }) => {
    saveDialogAnswer = filePath;
  },
  setPage: ({ webContentsId, blockUnload }) => {
    contentsOf(webContentsId).blockUnload = blockUnload;
  },
  closeWindow: ({ webContentsId }) => contentsOf(webContentsId).window.close(),
  /** The page navigates itself (location.href = url, location.reload()): 'will-navigate' with event.url
   * ("Emitted when a user or the page wants to start navigation on the main frame"); preventDefault() cancels it. */
  pageNavigate: async ({ webContentsId, url }) => {
    const wc = contentsOf(webContentsId);
    const event = makeEvent({ url, isMainFrame: true, isSameDocument: false, frame: wc.mainFrame });
    wc.emit('will-navigate', event, url);
    if (event.defaultPrevented) return { navigated: false };
    await wc.load(url);
    return { navigated: true, url: wc.getURL() };
  },
  /** window.open / target=_blank: setWindowOpenHandler({url, frameName, features, disposition, …}). */
  windowOpen: ({ webContentsId, url }) => {
    const wc = contentsOf(webContentsId);
    return wc.windowOpenHandler?.({ url, frameName: '', features: '', disposition: 'foreground-tab', referrer: { url: '', policy: 'default' }, postBody: undefined }) ?? { action: 'allow' };
  },
  contextMenu: ({ webContentsId, params }) => {
    const before = record.popups.length;
    contentsOf(webContentsId).emit('context-menu', makeEvent(), { x: 10, y: 20, frame: null, ...params });
    return record.popups.length > before ? record.popups.at(-1) : null;
  },
  permissionCheck: ({ permission, origin }) => defaultSession.permissionCheckHandler?.(null, permission, origin, { requestingUrl: origin, isMainFrame: true }) ?? true,
  permissionRequest: ({ webContentsId, permission, url }) =>
    new Promise((resolve) =>
      defaultSession.permissionRequestHandler
        ? defaultSession.permissionRequestHandler(contentsOf(webContentsId), permission, resolve, { requestingUrl: url, isMainFrame: true })
        : resolve(true),
    ),
  failNextLoad: ({ webContentsId, errorCode, errorDescription }) => {
    contentsOf(webContentsId).failNext = { errorCode, errorDescription };
  },
  reload: ({ webContentsId }) => contentsOf(webContentsId).reload().then(() => true, () => false),
  /** 'render-process-gone' (event, details {reason, exitCode}); the page is gone until a new load. */
  crash: ({ webContentsId, reason, exitCode }) => {
    const wc = contentsOf(webContentsId);
    wc.mainFrame = frame('');
    wc.emit('render-process-gone', makeEvent(), { reason, exitCode });
  },
  activate: () => app.emit('activate', makeEvent(), false),
  /** The main frame shows another page than one we loaded (as after a navigation the shell did not see). */
  forceMainFrame: ({ webContentsId, url }) => {
    contentsOf(webContentsId).mainFrame = frame(url);
  },
};

process.on('message', async (msg) => {
  if (!msg || typeof msg.id !== 'number') return;
  try {
    const value = await ops[msg.op](msg.args ?? {});
    process.send({ id: msg.id, ok: true, value: value === undefined ? null : value });
  } catch (error) {
    process.send({ id: msg.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});

// "Emitted once, when Electron has finished initializing": after the main script has run.
setImmediate(() => {
  isReady = true;
  app.emit('will-finish-launching');
  readyResolve();
  app.emit('ready', makeEvent(), {});
  process.send?.({ event: 'ready' });
});
