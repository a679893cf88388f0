/**
 * The size ladder of the scaling study, named by non-embedding parameter count (rounded; `countParameters`
 * gives the exact figure). Shapes follow scaling-study practice: ffn = 4·d, head dimension 64 (32 for
 * d ≤ 128), depth growing with width at an aspect ratio d/L between 32 and 64 (Kaplan et al. 2020 §3.1 found
 * loss nearly flat over 20 < d/L < 200, so this keeps models neither too deep nor too shallow).
 * Together they span 0.1M to 25M non-embedding parameters, 2.4 orders of magnitude.
 */
export const SIZE_PRESETS = {
  "0.1M": { layers: 2, hidden: 64, heads: 2 },
  "0.4M": { layers: 2, hidden: 128, heads: 4 },
  "1.8M": { layers: 4, hidden: 192, heads: 3 },
  "6M": { layers: 8, hidden: 256, heads: 4 },
  "14M": { layers: 8, hidden: 384, heads: 6 },
  "25M": { layers: 8, hidden: 512, heads: 8 },
} as const;

export type SizePresetName = keyof typeof SIZE_PRESETS;

/** Preset names, smallest first. */
export const SIZE_PRESET_NAMES = Object.keys(SIZE_PRESETS) as SizePresetName[];
