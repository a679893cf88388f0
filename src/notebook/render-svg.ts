import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** Scenegraph of a vega View after a run; private to vega, typed here only as far as the SVG renderer needs. */
interface RenderedView {
  padding(): { left: number; right: number; top: number; bottom: number };
  background(): string;
  loader(): unknown;
  scenegraph(): { root: unknown };
  _viewWidth: number;
  _viewHeight: number;
  _origin: [number, number];
}

/** vega-scenegraph's synchronous SVG string renderer (exported by vega, absent from its typings). */
interface SvgStringRenderer {
  initialize(element: null, width: number, height: number, origin: [number, number], scaleFactor: number): this;
  background(color: string): this;
  render(scene: unknown): this;
  svg(): string | null;
}

/**
 * Compiles a Vega-Lite v5 spec with vega-lite and renders it to an SVG string with vega, synchronously and
 * without a browser (the same renderer as `vega.View#toSVG`, minus the promise), so that `show` can send the
 * image in the same display bundle as the spec.
 *
 * Throws with the Vega-Lite or Vega message and what to fix when the spec does not compile, or when it needs
 * data that vega would load asynchronously (a `data.url`): pass the rows inline as `data: { values: [...] }`.
 *
 * Reference: vega-view `src/render-headless.js` (`renderHeadless`), vega-scenegraph `src/SVGStringRenderer.js`.
 * @example renderSvg({ mark: "point", data: { values: [{ x: 1 }] }, encoding: { x: { field: "x", type: "quantitative" } } })
 *   // '<svg xmlns="http://www.w3.org/2000/svg" ... class="marks" width="..." ...>...</svg>'
 */
export function renderSvg(spec: TopLevelSpec): string {
  // vega tags the rows it is given (Symbol(vega_id)); render a copy so the caller's spec stays as it was.
  spec = JSON.parse(JSON.stringify(spec)) as TopLevelSpec;
  const badMark = findUnknownMark(spec);
  if (badMark !== undefined) {
    throw new Error(
      `renderSvg: unknown Vega-Lite mark ${JSON.stringify(badMark)}. Use one of: ${VEGA_LITE_MARKS.join(", ")}.`,
    );
  }
  const badType = findInvalidEncodingType(spec);
  if (badType) {
    throw new Error(
      `renderSvg: encoding channel "${badType.channel}" has type ${JSON.stringify(badType.type)}. ` +
        `Use one of: ${VEGA_LITE_FIELD_TYPES.join(", ")}.`,
    );
  }
  let vegaSpec: vega.Spec;
  try {
    vegaSpec = compile(spec).spec as vega.Spec;
  } catch (error) {
    throw new Error(
      `renderSvg: Vega-Lite could not compile the chart spec: ${messageOf(error)}. ` +
        "Fix the spec (check mark, encoding field names and types against https://vega.github.io/vega-lite/docs/).",
    );
  }
  if (hasUrlData(vegaSpec)) {
    throw new Error(
      "renderSvg: the chart spec loads data from a URL, which cannot be rendered synchronously. " +
        "Pass the rows inline as data: { values: [...] }.",
    );
  }
  let view: vega.View;
  try {
    view = new vega.View(vega.parse(vegaSpec), { renderer: "none", logLevel: vega.Warn });
    view.run();
  } catch (error) {
    throw new Error(
      `renderSvg: Vega could not build the chart: ${messageOf(error)}. ` +
        "Fix the spec (a field, scale or expression it names does not exist).",
    );
  }
  const rendered = view as unknown as RenderedView;
  const padding = rendered.padding();
  const width = Math.max(0, rendered._viewWidth + padding.left + padding.right);
  const height = Math.max(0, rendered._viewHeight + padding.top + padding.bottom);
  const Renderer = (vega as unknown as { SVGStringRenderer: new (loader: unknown) => SvgStringRenderer })
    .SVGStringRenderer;
  const renderer = new Renderer(rendered.loader())
    .initialize(null, width, height, [padding.left + rendered._origin[0], padding.top + rendered._origin[1]], 1)
    .background(rendered.background());
  const svg = renderer.render(rendered.scenegraph().root).svg();
  view.finalize();
  if (!svg) throw new Error("renderSvg: vega produced no SVG for this spec (an empty scenegraph).");
  return svg;
}

/** Vega-Lite 5 mark types: primitive marks plus the composite ones. Reference: vega-lite `src/mark.ts`, `src/compositemark/`. */
const VEGA_LITE_MARKS = [
  "arc", "area", "bar", "image", "line", "point", "rect", "rule", "text", "tick", "trail", "circle", "square",
  "geoshape", "boxplot", "errorbar", "errorband",
] as const;

/** The first `mark` (string or `{ type }`) anywhere in the spec that Vega-Lite does not know, or undefined. */
function findUnknownMark(node: unknown): unknown {
  if (!node || typeof node !== "object") return undefined;
  const record = node as Record<string, unknown>;
  if ("mark" in record) {
    const mark = record.mark;
    const type = mark && typeof mark === "object" ? (mark as { type?: unknown }).type : mark;
    if (!(VEGA_LITE_MARKS as readonly unknown[]).includes(type)) return type;
  }
  for (const key of ["spec", "layer", "concat", "hconcat", "vconcat"]) {
    const child = record[key];
    for (const item of Array.isArray(child) ? child : [child]) {
      const found = findUnknownMark(item);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Vega-Lite field types. Reference: https://vega.github.io/vega-lite/docs/type.html. */
const VEGA_LITE_FIELD_TYPES = ["quantitative", "temporal", "ordinal", "nominal", "geojson"] as const;

/** The first encoding channel anywhere in the spec whose `type` Vega-Lite does not know, or undefined. */
function findInvalidEncodingType(node: unknown): { channel: string; type: unknown } | undefined {
  if (!node || typeof node !== "object") return undefined;
  const record = node as Record<string, unknown>;
  const encoding = record.encoding;
  if (encoding && typeof encoding === "object") {
    for (const [channel, definition] of Object.entries(encoding as Record<string, unknown>)) {
      for (const item of Array.isArray(definition) ? definition : [definition]) {
        if (item && typeof item === "object" && "type" in item) {
          const type = (item as { type: unknown }).type;
          if (!(VEGA_LITE_FIELD_TYPES as readonly unknown[]).includes(type)) return { channel, type };
        }
      }
    }
  }
  for (const key of ["spec", "layer", "concat", "hconcat", "vconcat"]) {
    const child = record[key];
    for (const item of Array.isArray(child) ? child : [child]) {
      const found = findInvalidEncodingType(item);
      if (found) return found;
    }
  }
  return undefined;
}

function hasUrlData(spec: vega.Spec): boolean {
  const visit = (node: unknown): boolean => {
    if (!node || typeof node !== "object") return false;
    const record = node as Record<string, unknown>;
    if (Array.isArray(record.data) && record.data.some((entry) => entry && typeof entry === "object" && "url" in entry)) {
      return true;
    }
    return Array.isArray(record.marks) && record.marks.some(visit);
  };
  return visit(spec);
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
}
