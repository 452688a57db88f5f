// The browser host's stand-in for the preload: defines `window.switchboard` with the same shape (one
// named function per channel, `on(event, listener)` returning an unsubscribe function), carried over a
// WebSocket to the host, which runs the same dispatcher as the Electron app. The host prepends
// `const BRIDGE_CONFIG = {...};` when it serves this file.
/* global BRIDGE_CONFIG */
(function () {
  'use strict';
  var config = BRIDGE_CONFIG;
  var kind = location.pathname.indexOf('/settings') === 0 ? 'settings' : 'chat';
  var wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + config.wsPath + '?kind=' + kind;
  var socket = null;
  var open = false;
  var queue = [];
  var pending = new Map();
  var listeners = new Map();
  var nextId = 1;

  function failAll(message) {
    pending.forEach(function (resolve) {
      resolve({ ok: false, error: { code: 'INTERNAL', message: message, retryable: true } });
    });
    pending.clear();
  }

  function connect() {
    socket = new WebSocket(wsUrl);
    socket.onopen = function () {
      open = true;
      queue.splice(0).forEach(function (m) { socket.send(m); });
    };
    socket.onmessage = function (ev) {
      var msg = JSON.parse(ev.data);
      if (msg.type === 'result') {
        var resolve = pending.get(msg.id);
        if (resolve) { pending.delete(msg.id); resolve(msg.result); }
      } else if (msg.type === 'event') {
        (listeners.get(msg.event) || new Set()).forEach(function (fn) {
          try { fn(msg.payload); } catch (e) { console.error(e); }
        });
      } else if (msg.type === 'command') {
        if (msg.command === 'open-window') window.open(msg.url, msg.target);
        else if (msg.command === 'focus') window.focus();
      }
    };
    socket.onclose = function () {
      open = false;
      failAll('The connection to the Switchboard browser host was lost.');
    };
  }

  function call(channel, input) {
    return new Promise(function (resolve) {
      var id = nextId++;
      var data = JSON.stringify({ type: 'call', id: id, channel: channel, input: input });
      // The host drops a connection that sends a frame over its limit, and with it every call of this
      // window: refuse such a call here instead, as a typed error the window can show.
      if (data.length > config.maxFrameBytes / 3 && new TextEncoder().encode(data).length > config.maxFrameBytes) {
        var mb = Math.floor(config.maxFrameBytes / (1024 * 1024));
        resolve({
          ok: false,
          error: {
            code: 'PAYLOAD_TOO_LARGE',
            message: 'This is too large for Switchboard in the browser (over ' + mb + ' MB). Use the desktop app for files this large.',
            params: { limitMb: mb },
            retryable: false,
          },
        });
        return;
      }
      pending.set(id, resolve);
      if (open) socket.send(data); else queue.push(data);
    });
  }

  var api = {};
  config.channels.forEach(function (channel) {
    var i = channel.indexOf(':');
    var domain = channel.slice(0, i);
    var verb = channel.slice(i + 1);
    api[domain] = api[domain] || {};
    api[domain][verb] = function (input) { return call(channel, input); };
  });
  api.on = function (event, listener) {
    if (config.events.indexOf(event) < 0 || typeof listener !== 'function') throw new Error('Unknown event: ' + event);
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event).add(listener);
    return function () { listeners.get(event).delete(listener); };
  };
  Object.freeze(api);
  Object.defineProperty(window, config.global, { value: api, writable: false, configurable: false });
  connect();
})();
