/** Test files that run tensors call `useBackend()` so they run on the backend users get (wasm here). */
import { before } from "node:test";
import { selectBackend } from "../../src/backend/index";

/** Selects the backend before the file's tests. */
export function useBackend(): void {
  before(async () => {
    await selectBackend();
  });
}
