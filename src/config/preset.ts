/**
 * Named presets of experiment size. `tiny` keeps CI (tests and every notebook) within minutes on
 * two cores, `small` is the default for the main job (tens of minutes), `paper` uses HAT-scale
 * dimensions and is meant for a GPU machine. The notebook runner passes the preset to notebooks
 * through the SUPERNET_PRESET environment variable; notebooks read it with `currentPreset()`.
 */

/** The preset names. */
export const presetNames = ["tiny", "small", "paper"] as const;
/** A preset name. */
export type PresetName = (typeof presetNames)[number];

/** The default preset when none is given. */
export const defaultPreset: PresetName = "small";

/** Checks a preset name, with an error that lists the allowed names. */
export function parsePreset(value: string, field = "preset"): PresetName {
  if ((presetNames as readonly string[]).includes(value)) return value as PresetName;
  throw new Error(`${field} must be one of ${presetNames.join(", ")}; got "${value}"`);
}

/** The preset this process runs on: SUPERNET_PRESET, or the default. */
export function currentPreset(): PresetName {
  const env = process.env.SUPERNET_PRESET;
  return env === undefined || env === "" ? defaultPreset : parsePreset(env, "SUPERNET_PRESET");
}
