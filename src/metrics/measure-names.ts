import { MEASURES, MEASURE_GROUPS, measureDeclaration, type MeasureDeclaration } from "./measures";

/** A gain (or option) pair of `-m ndcg.1=3,2=9` or `-m rbp.p=0.95`. */
export interface MeasureParameterPair {
  name: string;
  value: number;
}

/**
 * A measure with its parameters resolved: what gets computed, and the names of its values.
 * One instance yields one value per cutoff (`P.5,10` → 2 values) or one value.
 */
export interface MeasureInstance {
  declaration: MeasureDeclaration;
  /** Parameters as the user wrote them (trec_eval's printable_params), undefined for the defaults. */
  parameterText?: string;
  /** Cutoffs (sorted ascending) or real parameters (in given order). */
  parameters: number[];
  /** `level=gain` / option pairs (gainPairs measures). */
  pairs: MeasureParameterPair[];
  /** trec_eval's printed name of each value (`P_10`, `iprec_at_recall_0.10`, `ndcg_1=3,2=9`). */
  trecNames: string[];
  /** Canonical name of each value (`P@10`, `iprec_at_recall@0.10`, `ndcg_1=3,2=9`). */
  canonicalNames: string[];
}

function allowedNamesHint(): string {
  const cutoffMeasures = MEASURES.filter((m) => m.parameterKind === "integerCutoffs" || m.parameterKind === "realCutoffs");
  return (
    `Known trec_eval names: ${MEASURES.map((m) => m.trecName).join(", ")}; groups: ${Object.keys(MEASURE_GROUPS).join(", ")}; ` +
    `canonical cutoff forms: ${[...new Set(cutoffMeasures.map((m) => `${m.canonicalBase}@k`))].join(", ")}.`
  );
}

/** trec_eval's `str_to_long`/`atol`: leading integer of a string ("23.4" → 23); NaN when there is none. */
function leadingInteger(text: string): number {
  const match = /^\s*[+-]?\d+/.exec(text);
  return match ? Number.parseInt(match[0], 10) : Number.NaN;
}

/** trec_eval's `atof`: leading real number of a string (".25" → 0.25); NaN when there is none. */
function leadingReal(text: string): number {
  const match = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text);
  return match ? Number.parseFloat(match[0]) : Number.NaN;
}

/** `%3.2f` of C, used by trec_eval for real cutoffs in names (0.1 → "0.10"). */
function twoDecimals(value: number): string {
  return value.toFixed(2);
}

function parseParameters(declaration: MeasureDeclaration, text: string): { parameters: number[]; pairs: MeasureParameterPair[] } {
  const name = declaration.trecName;
  const pieces = text.split(",");
  switch (declaration.parameterKind) {
    case "none":
      throw new Error(`measure ${name} takes no parameters, got "${name}.${text}". Write "${name}".`);
    case "integerCutoffs": {
      const cutoffs = pieces.map(leadingInteger);
      if (cutoffs.some((cutoff) => !Number.isFinite(cutoff) || cutoff <= 0)) {
        throw new Error(`measure ${name}: cutoffs must be positive integers, got "${text}". Example: ${name}.5,10.`);
      }
      cutoffs.sort((a, b) => a - b);
      if (cutoffs.some((cutoff, i) => i > 0 && cutoff === cutoffs[i - 1])) {
        throw new Error(`measure ${name}: duplicate cutoffs in "${text}".`);
      }
      return { parameters: cutoffs, pairs: [] };
    }
    case "realCutoffs": {
      const cutoffs = pieces.map(leadingReal);
      if (cutoffs.some((cutoff) => !Number.isFinite(cutoff))) {
        throw new Error(`measure ${name}: cutoffs must be numbers, got "${text}". Example: ${name}.0.1,0.5.`);
      }
      cutoffs.sort((a, b) => a - b);
      if (cutoffs.some((cutoff, i) => i > 0 && cutoff === cutoffs[i - 1])) {
        throw new Error(`measure ${name}: duplicate cutoffs in "${text}".`);
      }
      return { parameters: cutoffs, pairs: [] };
    }
    case "realParameters": {
      const parameters = pieces.map(leadingReal);
      if (parameters.some((value) => !Number.isFinite(value))) {
        throw new Error(`measure ${name}: parameters must be numbers, got "${text}".`);
      }
      return { parameters, pairs: [] };
    }
    case "gainPairs": {
      const pairs = pieces.map((piece) => {
        const equals = piece.indexOf("=");
        const value = equals > 0 ? leadingReal(piece.slice(equals + 1)) : Number.NaN;
        if (equals <= 0 || !Number.isFinite(value)) {
          throw new Error(`measure ${name}: parameters must be name=value pairs, got "${text}". Example: ${name}.1=3,2=9.`);
        }
        return { name: piece.slice(0, equals), value };
      });
      return { parameters: [], pairs };
    }
  }
}

function findByCanonicalBase(base: string, withCutoff: boolean): MeasureDeclaration | undefined {
  const lower = base.toLowerCase();
  const wantsCutoff = (m: MeasureDeclaration) =>
    (m.parameterKind === "integerCutoffs" || m.parameterKind === "realCutoffs") === withCutoff;
  return (
    MEASURES.find((m) => m.canonicalBase === base && wantsCutoff(m)) ??
    MEASURES.find((m) => m.canonicalBase.toLowerCase() === lower && wantsCutoff(m))
  );
}

/** A parsed measure request: which measure, and its parameter text (undefined = defaults). */
export interface MeasureRequest {
  declaration: MeasureDeclaration;
  parameterText?: string;
}

/**
 * Parses one measure name in any accepted spelling:
 * trec_eval's `-m` form (`ndcg_cut.10`, `P.5,10`, `ndcg.1=3,2=9`, `iprec_at_recall..1,.5`), trec_eval's printed form
 * (`ndcg_cut_10`, `P_10`, `iprec_at_recall_0.10`), the canonical form (`ndcg@10`, `P@10`, `mrr@10`, `map`, `mrr`),
 * or a group (`all_trec`, `official`, `set`).
 * @example parseMeasureRequests("ndcg_cut_10")[0].parameterText // "10"
 */
export function parseMeasureRequests(spec: string): MeasureRequest[] {
  const trimmed = spec.trim();
  const group = MEASURE_GROUPS[trimmed];
  if (group) return group.map((trecName) => ({ declaration: measureDeclaration(trecName)! }));
  const at = trimmed.indexOf("@");
  if (at > 0) {
    const declaration = findByCanonicalBase(trimmed.slice(0, at), true);
    if (!declaration) throw new Error(`unknown measure "${spec}". ${allowedNamesHint()}`);
    return [{ declaration, parameterText: trimmed.slice(at + 1) }];
  }
  const exact = measureDeclaration(trimmed) ?? findByCanonicalBase(trimmed, false);
  if (exact) return [{ declaration: exact }];
  const printed = /^(.+)_([0-9.]+)$/.exec(trimmed);
  if (printed) {
    const declaration = measureDeclaration(printed[1]!);
    if (declaration && (declaration.parameterKind === "integerCutoffs" || declaration.parameterKind === "realCutoffs")) {
      return [{ declaration, parameterText: printed[2]! }];
    }
  }
  const dot = trimmed.indexOf(".");
  if (dot > 0) {
    const declaration = measureDeclaration(trimmed.slice(0, dot));
    if (declaration) return [{ declaration, parameterText: trimmed.slice(dot + 1) }];
  }
  throw new Error(`unknown measure "${spec}". ${allowedNamesHint()}`);
}

function instanceOf(declaration: MeasureDeclaration, parameterText: string | undefined): MeasureInstance {
  const parsed =
    parameterText === undefined
      ? { parameters: [...declaration.defaultParameters], pairs: [] as MeasureParameterPair[] }
      : parseParameters(declaration, parameterText);
  const instance: MeasureInstance = {
    declaration,
    parameterText,
    parameters: parsed.parameters,
    pairs: parsed.pairs,
    trecNames: [],
    canonicalNames: [],
  };
  nameValues(instance);
  return instance;
}

function nameValues(instance: MeasureInstance): void {
  const { declaration } = instance;
  if (declaration.parameterKind === "integerCutoffs" || declaration.parameterKind === "realCutoffs") {
    const label = declaration.parameterKind === "integerCutoffs" ? String : twoDecimals;
    instance.trecNames = instance.parameters.map((cutoff) => `${declaration.trecName}_${label(cutoff)}`);
    instance.canonicalNames = instance.parameters.map((cutoff) => `${declaration.canonicalBase}@${label(cutoff)}`);
  } else if (instance.parameterText !== undefined) {
    instance.trecNames = [`${declaration.trecName}_${instance.parameterText}`];
    instance.canonicalNames = instance.trecNames.slice();
  } else {
    instance.trecNames = [declaration.trecName];
    instance.canonicalNames = [declaration.canonicalBase];
  }
}

/**
 * Resolves measure names into instances, one per measure, in trec_eval's print order. Several requests for the
 * same cutoff measure merge their cutoffs (`P.5` and `P.10` → P_5, P_10); explicit parameters replace the defaults
 * that a group such as `all_trec` brings (as trec_eval does for `-m all_trec -m relstring.20`).
 * @example resolveMeasures(["ndcg_cut.10", "map"]).map((m) => m.canonicalNames) // [["map"], ["ndcg@10"]]
 */
export function resolveMeasures(specs: readonly string[]): MeasureInstance[] {
  const requested = new Map<MeasureDeclaration, string[] | undefined>();
  for (const spec of specs) {
    for (const piece of spec.includes("@") ? spec.split(/\s*,\s*(?=[A-Za-z])/) : [spec]) {
      for (const request of parseMeasureRequests(piece)) {
        const earlier = requested.get(request.declaration);
        if (request.parameterText === undefined) {
          if (!requested.has(request.declaration)) requested.set(request.declaration, undefined);
        } else if (earlier === undefined) {
          requested.set(request.declaration, [request.parameterText]);
        } else {
          earlier.push(request.parameterText);
        }
      }
    }
  }
  const instances: MeasureInstance[] = [];
  for (const declaration of MEASURES) {
    if (!requested.has(declaration)) continue;
    const texts = requested.get(declaration);
    if (texts === undefined || texts.length === 1) {
      instances.push(instanceOf(declaration, texts?.[0]));
      continue;
    }
    if (declaration.parameterKind !== "integerCutoffs" && declaration.parameterKind !== "realCutoffs") {
      throw new Error(`measure ${declaration.trecName} was given parameters twice (${texts.join(" and ")}); give one list.`);
    }
    const merged = new Set<number>();
    for (const text of texts) for (const cutoff of instanceOf(declaration, text).parameters) merged.add(cutoff);
    const mergedText = [...merged].sort((a, b) => a - b).map(String).join(",");
    instances.push(instanceOf(declaration, mergedText));
  }
  return instances;
}

/**
 * Canonical name of one measure value: `ndcg_cut_10`, `ndcg_cut.10` and `ndcg@10` all give `ndcg@10`;
 * `recip_rank` gives `mrr`, `mrr_cut.10` gives `mrr@10`, `P_10` gives `P@10`.
 * Throws for names that denote several values (`P.5,10`, `all_trec`).
 */
export function toCanonicalMeasure(name: string): string {
  const instances = resolveMeasures([name]);
  const names = instances.flatMap((instance) => instance.canonicalNames);
  if (names.length !== 1) {
    throw new Error(`toCanonicalMeasure: "${name}" denotes ${names.length} values (${names.join(", ")}); pass one measure.`);
  }
  return names[0]!;
}

/**
 * trec_eval spellings of one measure value: the `-m` argument and the printed name.
 * @example toTrecMeasure("ndcg@10") // { argument: "ndcg_cut.10", printed: "ndcg_cut_10" }
 */
export function toTrecMeasure(name: string): { argument: string; printed: string } {
  const instances = resolveMeasures([name]);
  const instance = instances[0];
  if (instances.length !== 1 || !instance || instance.trecNames.length !== 1) {
    throw new Error(`toTrecMeasure: "${name}" does not denote exactly one value; pass one measure.`);
  }
  const { declaration } = instance;
  const cutoff = declaration.parameterKind === "integerCutoffs" || declaration.parameterKind === "realCutoffs";
  const argument =
    cutoff && instance.parameterText === undefined
      ? `${declaration.trecName}.${instance.parameters.join(",")}`
      : instance.parameterText === undefined
        ? declaration.trecName
        : `${declaration.trecName}.${cutoff ? instance.parameters.join(",") : instance.parameterText}`;
  return { argument, printed: instance.trecNames[0]! };
}
