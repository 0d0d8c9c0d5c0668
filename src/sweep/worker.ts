/**
 * Entry point of a sweep worker process:
 * `node --import tsx src/sweep/worker.ts <job input file>`. It trains one job and writes its
 * record atomically (temp file + rename), so a killed worker leaves either nothing or a complete
 * result. Errors go to stderr and a non-zero exit code, which the parent reports with the job id.
 */
import * as fs from "fs";
import { atomicWriteJson } from "../util/atomic-write";
import { SweepJobInput, jobInputFormat, trainSweepJob } from "./train-job";
import { initWorkerBackend } from "./worker-backend";

/** Runs the job described by `inputFile` and writes its record. */
export async function runWorkerJob(inputFile: string): Promise<void> {
  const input = JSON.parse(fs.readFileSync(inputFile, "utf8")) as SweepJobInput;
  if (input.format !== jobInputFormat) throw new Error(`${inputFile} is not a ${jobInputFormat} file`);
  const backend = await initWorkerBackend();
  atomicWriteJson(input.resultFile, await trainSweepJob(input, backend));
}

if (require.main === module) {
  const inputFile = process.argv[2];
  if (!inputFile) {
    console.error("usage: node --import tsx src/sweep/worker.ts <job input file>");
    process.exit(2);
  }
  // Exit explicitly: tfjs may keep handles open that would hold the process after the write.
  runWorkerJob(inputFile).then(
    () => process.exit(0),
    (err: Error) => {
      console.error(`sweep worker ${inputFile}: ${err.stack ?? err.message}`);
      process.exit(1);
    },
  );
}
