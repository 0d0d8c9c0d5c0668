/**
 * The project's git revision, saved with sweep results so a number can be traced to the code that
 * made it. Kept only for callers not yet moved to `codeRevision` (src/util/provenance.ts), which
 * also reports whether src/ was dirty; the lookup itself lives there, once.
 */
import { codeRevision } from "../util/provenance";

/** `git rev-parse HEAD` in `dir`, or null when git or the repository is missing (prefer `codeRevision`). */
export function gitRevision(dir: string): string | null {
  return codeRevision(dir).revision;
}
