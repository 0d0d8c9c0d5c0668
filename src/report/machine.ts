/**
 * The machine a run was measured on: CPU model, logical cores, memory and whether the CPU has
 * AVX-512. A training update took about twice as long on a 2-core machine without AVX-512 as on
 * one with it (README, "Run times of the main job"), so a time means little without this line.
 */
import * as fs from "fs";
import * as os from "os";

/** What a run's times depend on, as stored in run.json. */
export interface MachineDescription {
  /** CPU model name as the OS reports it, or null when unknown. */
  readonly cpuModel: string | null;
  /** Logical CPUs the OS makes available. */
  readonly cores: number;
  /** Total memory in bytes. */
  readonly totalMemoryBytes: number;
  /** Whether the CPU has AVX-512 (flag avx512f); null where /proc/cpuinfo cannot be read. */
  readonly avx512: boolean | null;
}

/** A field of /proc/cpuinfo's text (first processor that states it), or null. */
function cpuinfoField(text: string, name: string): string | null {
  const m = new RegExp(`^${name}\\s*:\\s*(.*)$`, "m").exec(text);
  return m ? m[1].trim() : null;
}

/** The CPU's feature flags from the text of /proc/cpuinfo, or null when it states none. */
export function cpuinfoFlags(text: string): Set<string> | null {
  const flags = cpuinfoField(text, "flags");
  return flags === null ? null : new Set(flags.split(/\s+/));
}

/** This machine's CPU flags, or null where /proc/cpuinfo cannot be read (not Linux). */
export function readCpuFlags(cpuinfoPath = "/proc/cpuinfo"): Set<string> | null {
  try {
    return cpuinfoFlags(fs.readFileSync(cpuinfoPath, "utf8"));
  } catch {
    return null;
  }
}

/** Model name and flags parsed from the text of /proc/cpuinfo (first processor that states them). */
export function parseCpuinfo(text: string): { cpuModel: string | null; avx512: boolean | null } {
  const flags = cpuinfoFlags(text);
  return { cpuModel: cpuinfoField(text, "model name"), avx512: flags === null ? null : flags.has("avx512f") };
}

/** Describes this machine. */
export function describeMachine(cpuinfoPath = "/proc/cpuinfo"): MachineDescription {
  let fromCpuinfo: { cpuModel: string | null; avx512: boolean | null } = { cpuModel: null, avx512: null };
  try {
    fromCpuinfo = parseCpuinfo(fs.readFileSync(cpuinfoPath, "utf8"));
  } catch {
    // Not Linux: the model still comes from os.cpus(), AVX-512 stays unknown.
  }
  const cpus = os.cpus();
  return {
    cpuModel: fromCpuinfo.cpuModel ?? cpus[0]?.model?.trim() ?? null,
    cores: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    avx512: fromCpuinfo.avx512,
  };
}

/** One line such as "AMD EPYC 7B13, 2 cores, 7.8 GiB memory, no AVX-512". */
export function machineLabel(m: MachineDescription): string {
  const avx = m.avx512 === null ? "AVX-512 unknown" : m.avx512 ? "AVX-512" : "no AVX-512";
  const gib = (m.totalMemoryBytes / 2 ** 30).toFixed(1);
  return `${m.cpuModel ?? "unknown CPU"}, ${m.cores} core${m.cores === 1 ? "" : "s"}, ${gib} GiB memory, ${avx}`;
}
