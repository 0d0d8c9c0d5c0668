import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "path";

// The kernel launcher's send queue, on fake sockets that behave like zeromq 6: a send while the
// previous one is in flight fails with EBUSY, a send on a closed socket with EBADF.
const { serialiseSends, closeAfterSends } = require(path.resolve(__dirname, "..", "..", "scripts", "kernel", "send-queue.js"));

class FakeSocket {
  busy = false;
  closed = false;
  delivered: string[] = [];
  send(message: string): Promise<void> {
    if (this.closed) return Promise.reject(Object.assign(new Error("Socket is closed"), { code: "EBADF" }));
    if (this.busy) return Promise.reject(Object.assign(new Error("Socket is busy writing"), { code: "EBUSY" }));
    this.busy = true;
    return new Promise((resolve) =>
      setTimeout(() => {
        this.busy = false;
        this.delivered.push(message);
        resolve();
      }, 5),
    );
  }
  close(): void {
    this.closed = true;
  }
}

class FakeServer {
  iopub = new FakeSocket();
  shell = new FakeSocket();
  control = new FakeSocket();
  stdin = new FakeSocket();
  hb = new FakeSocket();
  close(): void {
    for (const s of [this.iopub, this.shell, this.control, this.stdin, this.hb]) s.close();
  }
}

test("the unpatched fake socket fails as zeromq does (the test's premise)", async () => {
  const s = new FakeSocket();
  const first = s.send("a");
  await assert.rejects(s.send("b"), /busy/);
  await first;
  s.close();
  await assert.rejects(s.send("c"), /closed/);
});

test("queued sends go out in order, and closing the server waits for them", async () => {
  class Socket extends FakeSocket {}
  class Server extends FakeServer {
    override iopub = new Socket();
    override control = new Socket();
  }
  const pending = serialiseSends(Socket.prototype);
  closeAfterSends(Server.prototype, pending);
  const server = new Server();
  const sends = ["busy", "display 1", "display 2", "idle"].map((m) => server.iopub.send(m));
  const reply = server.control.send("shutdown_reply");
  server.close();
  assert.equal(server.iopub.closed, false, "close waits while sends are queued");
  await Promise.all([...sends, reply]);
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(server.iopub.delivered, ["busy", "display 1", "display 2", "idle"]);
  assert.deepEqual(server.control.delivered, ["shutdown_reply"]);
  assert.ok(server.iopub.closed && server.control.closed && server.hb.closed, "every socket closes once the queues are empty");
});

test("with nothing queued the server closes at once", () => {
  class Socket extends FakeSocket {}
  class Server extends FakeServer {}
  closeAfterSends(Server.prototype, serialiseSends(Socket.prototype));
  const server = new Server();
  server.close();
  assert.ok(server.iopub.closed && server.shell.closed);
});

test("a send that meets a closed socket is dropped, whether zeromq throws or rejects; other errors still surface", async () => {
  class Throwing extends FakeSocket {
    override send(message: string): Promise<void> {
      if (this.closed) throw Object.assign(new Error("Socket is closed"), { code: "EBADF" });
      return super.send(message);
    }
  }
  serialiseSends(Throwing.prototype);
  const s = new Throwing();
  s.close();
  await s.send("status: idle");
  assert.deepEqual(s.delivered, []);
  class Failing extends FakeSocket {
    override send(_message: string): Promise<void> {
      throw Object.assign(new Error("out of memory"), { code: "ENOMEM" });
    }
  }
  serialiseSends(Failing.prototype);
  await assert.rejects(new Failing().send("x"), /out of memory/);
});
