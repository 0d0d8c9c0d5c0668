// Starts the tslab kernel (tslab 1.0.22, pinned) with two repairs.
//
// 1. zeromq 6 refuses a send on a socket whose previous send has not completed ("Socket is busy
// writing", EBUSY), and tslab fires sends without waiting. Frequent display updates (progress
// bars) then collide with tslab's own status messages and the kernel dies. Sends are serialised
// per socket (send-queue.js): one goes out at once, later ones queue, and shutdown waits for them.
//
// 2. The TypeScript watch compiler: tslab gives the compiler a single timer slot and aborts a cell ("Unexpected
// pending rebuildTimer") when a second timer is requested before its next compile. TypeScript
// requests one whenever a watched directory changes (it schedules "invalidate failed lookups"
// beside "update program"), and it watches the project root: a checkpoint or figure written by
// a cell, or a new source file, would break the next cell. Here the slot holds a queue that
// tslab's next compile drains; cleared timers are skipped. Events from run outputs (out/, data/,
// .jupyter/) are dropped before they reach the compiler at all.
const fs = require("fs");
const path = require("path");
const Module = require("module");
const ts = require("@tslab/typescript-for-tslab");

const root = path.resolve(__dirname, "..", "..");
const ignoredDirs = ["out", "data", ".jupyter", ".git"].map((d) => path.join(root, d));
const ignored = (file) => typeof file === "string" && ignoredDirs.some((d) => file === d || file.startsWith(d + path.sep));

const watchDirectory = ts.sys.watchDirectory;
ts.sys.watchDirectory = function (dir, callback, recursive, options) {
  return watchDirectory.call(ts.sys, dir, (file) => ignored(path.resolve(file)) || callback(file), recursive, options);
};

const timerQueue = `let rebuildTimer = null;
    sys.setTimeout = (callback) => {
        const handle = { callback, cancelled: false };
        if (!rebuildTimer) {
            rebuildTimer = {
                pending: [],
                callback: () => {
                    while (rebuildTimer) {
                        const due = rebuildTimer.pending;
                        rebuildTimer = null;
                        for (const h of due) if (!h.cancelled) h.callback();
                    }
                },
            };
        }
        rebuildTimer.pending.push(handle);
        return handle;
    };
    sys.clearTimeout = (handle) => {
        handle.cancelled = true;
        if (rebuildTimer && rebuildTimer.pending.every((h) => h.cancelled)) rebuildTimer = null;
    };
    `;

const { serialiseSends, closeAfterSends } = require("./send-queue");
const zmq = require("zeromq");
let socketProto = zmq.Publisher.prototype;
while (socketProto && !Object.prototype.hasOwnProperty.call(socketProto, "send")) socketProto = Object.getPrototypeOf(socketProto);
const pending = socketProto ? serialiseSends(socketProto) : null;
if (!pending) process.stderr.write("tslab-kernel: zeromq's Socket.send not found; sends are not serialised\n");

const converterFile = require.resolve("tslab/dist/converter.js");
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  if (filename === converterFile) {
    const start = content.indexOf("let rebuildTimer = null;");
    const end = content.indexOf("sys.readFile = function");
    if (start >= 0 && end > start) content = content.slice(0, start) + timerQueue + content.slice(end);
    else process.stderr.write("tslab-kernel: tslab's converter changed; running it unpatched\n");
  }
  return compile.call(this, content, filename);
};

// Required only here, after the converter patch above is in place (jupyter.js loads it).
const server = require("tslab/dist/jupyter.js").ZmqServer;
if (pending && server && typeof server.prototype.close === "function") closeAfterSends(server.prototype, pending);
else if (pending) process.stderr.write("tslab-kernel: tslab's ZmqServer.close not found; shutdown does not wait for queued sends\n");

require("tslab/dist/main.js").main();
