/**
 * Atomic file writes: checkpoints, results and prepared data are written to a temporary file
 * in the same folder and renamed over the target, so a crash never leaves a half-written file.
 */
import * as fs from "fs";
import * as path from "path";
import { createHash } from "crypto";

/** Writes `data` to `file` atomically (temp file + fsync + rename), creating folders as needed. */
export function atomicWriteFile(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Writes a JSON value atomically, pretty-printed so results diff well. */
export function atomicWriteJson(file: string, value: unknown): void {
  atomicWriteFile(file, JSON.stringify(value, null, 1) + "\n");
}

/** The hex SHA-256 of a file's bytes. */
export function sha256File(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** The hex SHA-256 of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
