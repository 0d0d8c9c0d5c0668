// Serialised zeromq sends for the tslab kernel (see tslab-kernel.js, repair 1).
//
// zeromq 6 refuses a send while the socket's previous send is in flight (EBUSY) and tslab fires
// sends without waiting, so each socket's sends are chained: one goes out at once, later ones
// wait for it. tslab closes its sockets right after queueing the shutdown reply and the last
// status, so its server's close waits for the queues too; otherwise those messages fail on a
// closed socket (EBADF) and are lost. A send that still meets a closed socket (zeromq throws
// EBADF synchronously) is dropped instead of crashing the kernel: nobody listens any more.

/** Chains `socketProto.send` per socket; returns the map of each socket's last queued send. */
function serialiseSends(socketProto) {
  const pending = new WeakMap();
  const send = socketProto.send;
  const dropIfClosed = (err) => (err && err.code === "EBADF" ? undefined : Promise.reject(err));
  const attempt = (socket, message) => {
    try {
      return Promise.resolve(send.call(socket, message)).catch(dropIfClosed);
    } catch (err) {
      return Promise.resolve(dropIfClosed(err));
    }
  };
  // The native method is read-only but configurable: replace it with defineProperty.
  Object.defineProperty(socketProto, "send", {
    configurable: true,
    writable: false,
    value: function (message) {
      const before = pending.get(this);
      const sent = before ? before.catch(() => undefined).then(() => attempt(this, message)) : attempt(this, message);
      const tracked = sent.finally(() => {
        if (pending.get(this) === tracked) pending.delete(this);
      });
      pending.set(this, tracked);
      return tracked;
    },
  });
  return pending;
}

/** Makes `serverProto.close` (tslab's ZmqServer) wait for the sockets' queued sends. */
function closeAfterSends(serverProto, pending) {
  const close = serverProto.close;
  serverProto.close = function () {
    const sockets = [this.iopub, this.shell, this.control, this.stdin, this.hb];
    const queued = sockets.map((sock) => sock && pending.get(sock)).filter(Boolean);
    if (queued.length === 0) return close.call(this);
    Promise.all(queued.map((q) => q.catch(() => undefined))).then(() => close.call(this));
  };
}

module.exports = { serialiseSends, closeAfterSends };
