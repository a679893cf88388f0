import { DataFormatError } from "./data-format-error";
import { readTextFile } from "./for-each-line";
import type { TrecParseOptions } from "./trec-qrels";

/** One topic (query). `text` is the title / query string that systems usually search with. */
export interface Topic {
  queryId: string;
  text: string;
  /** `<desc>` field of SGML topics, without the "Description:" label. */
  description?: string;
  /** `<narr>` field of SGML topics, without the "Narrative:" label. */
  narrative?: string;
}

/** Topics by query id, in file order. */
export type Topics = Map<string, Topic>;

function cleanField(value: string, label: RegExp): string {
  return value.replace(label, "").replace(/\s+/g, " ").trim();
}

function lineNumberAt(text: string, offset: number): number {
  let count = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

function parseSgmlTopics(text: string, file: string): Topics {
  const topics: Topics = new Map();
  const topPattern = /<top>([\s\S]*?)(?:<\/top>|(?=<top>)|$)/gi;
  for (let match = topPattern.exec(text); match; match = topPattern.exec(text)) {
    const body = match[1]!;
    if (body.trim() === "") continue;
    // Fields end at the next tag (TREC's classic topics leave <title>, <desc>, <narr> unclosed).
    const field = (tag: string): string | undefined => {
      const found = new RegExp(`<${tag}>([\\s\\S]*?)(?=<|$)`, "i").exec(body);
      return found ? found[1] : undefined;
    };
    const numberText = field("num");
    const lineNumber = lineNumberAt(text, match.index);
    if (numberText === undefined) throw new DataFormatError(file, lineNumber, "topic without a <num> field.");
    const queryId = cleanField(numberText, /^\s*Number:/i);
    if (queryId === "" || /\s/.test(queryId)) {
      throw new DataFormatError(file, lineNumber, `<num> must hold one query id, got ${JSON.stringify(numberText.trim())}.`);
    }
    const title = field("title");
    const description = field("desc");
    const narrative = field("narr");
    const topic: Topic = { queryId, text: title === undefined ? "" : cleanField(title, /^\s*Topic:/i) };
    if (description !== undefined) topic.description = cleanField(description, /^\s*Description:/i);
    if (narrative !== undefined) topic.narrative = cleanField(narrative, /^\s*Narrative:/i);
    if (topics.has(queryId)) throw new DataFormatError(file, lineNumber, `query id ${JSON.stringify(queryId)} appears twice.`);
    topics.set(queryId, topic);
  }
  return topics;
}

function parseTsvTopics(text: string, file: string): Topics {
  const topics: Topics = new Map();
  const lines = text.split("\n");
  lines.forEach((rawLine, index) => {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === "") return;
    const tab = line.indexOf("\t");
    if (tab <= 0) {
      throw new DataFormatError(
        file,
        index + 1,
        `expected "qid<TAB>query text", got ${JSON.stringify(line.slice(0, 80))}. SGML topics must contain <top> blocks.`,
      );
    }
    const queryId = line.slice(0, tab).trim();
    if (topics.has(queryId)) throw new DataFormatError(file, index + 1, `query id ${JSON.stringify(queryId)} appears twice.`);
    topics.set(queryId, { queryId, text: line.slice(tab + 1).trim() });
  });
  return topics;
}

/**
 * Parses topics in either of the two TREC layouts: tab-separated `qid<TAB>text` lines (MS MARCO / TREC DL
 * `topics.*.txt`), or SGML `<top><num>…<title>…<desc>…<narr>…</top>` blocks (classic TREC; closing tags optional,
 * `Number:`/`Description:`/`Narrative:` labels removed, whitespace collapsed). The layout is chosen by whether the
 * text contains `<top>`.
 *
 * @example parseTopics("1\twhat is wifi\n").get("1")?.text // "what is wifi"
 */
export function parseTopics(text: string, options: TrecParseOptions = {}): Topics {
  const file = options.file ?? "<topics>";
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return /<top>/i.test(text) ? parseSgmlTopics(text, file) : parseTsvTopics(text, file);
}

/** Reads a topics file (`.gz` is gunzipped); see {@link parseTopics}. */
export function readTopics(file: string): Topics {
  return parseTopics(readTextFile(file), { file });
}
