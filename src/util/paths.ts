/**
 * Where the project keeps things. Everything is relative to the project root, found from this
 * file's location so that notebooks, scripts and tests agree whatever their working directory.
 */
import * as path from "path";

/** The project root (the folder holding package.json). */
export const projectRoot = path.resolve(__dirname, "..", "..");

/** Folder of prepared (derived) data; rebuilt by `npm run data`, never edited by hand. */
export const preparedDir = process.env.SUPERNET_DATA_DIR ?? path.join(projectRoot, "data", "prepared");

/** Folder for run outputs (executed notebooks, figures, checkpoints, results). */
export const outputDir = process.env.SUPERNET_OUT ?? path.join(projectRoot, "out");
