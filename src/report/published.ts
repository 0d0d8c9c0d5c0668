/**
 * Published numbers for comparison tables: the CSVs in data/published/ (a copy of the project's
 * shared/published/, each row with its source; a test keeps the copy equal to the shared folder
 * when it sits beside the repository), or SUPERNET_PUBLISHED_DIR. Nothing here computes or
 * fills in a number that is not in a file.
 */
import * as fs from "fs";
import * as path from "path";
import * as aq from "arquero";
import { projectRoot } from "../util/paths";

/** Folder of the published CSV files. */
export function publishedDir(): string {
  return process.env.SUPERNET_PUBLISHED_DIR ?? path.join(projectRoot, "data", "published");
}

/** Rows of one published CSV (all values as strings, empty = unknown), with an error naming the file when it is missing. */
export function loadPublished(file: string): Record<string, string>[] {
  const full = path.join(publishedDir(), file);
  if (!fs.existsSync(full)) {
    const known = fs.existsSync(publishedDir()) ? fs.readdirSync(publishedDir()).filter((f) => f.endsWith(".csv")).join(", ") : "(folder missing)";
    throw new Error(`published table ${full} not found; files there: ${known} (set SUPERNET_PUBLISHED_DIR to another folder)`);
  }
  const table = aq.fromCSV(fs.readFileSync(full, "utf8"), { autoType: false });
  return table.objects() as Record<string, string>[];
}
