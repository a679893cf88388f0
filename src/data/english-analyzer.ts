import { porterStem } from "./porter-stemmer";

/**
 * Lucene's English stop words (`EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`, 33 words), which Anserini's default
 * analyzer removes. Reference: lucene/analysis/common/.../en/EnglishAnalyzer.java (Lucene 9).
 */
export const LUCENE_ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
  "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
]);

/** Character classes of the word-break scanner (a subset of Unicode UAX #29 word-break properties). */
const enum CharClass {
  Other = 0,
  Letter = 1,
  Digit = 2,
  Connector = 3,
  Ideograph = 4,
}

const ASCII_CLASSES = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  ASCII_CLASSES[code] = /[A-Za-z]/.test(char) ? CharClass.Letter : /[0-9]/.test(char) ? CharClass.Digit : char === "_" ? CharClass.Connector : CharClass.Other;
}
const nonAsciiClasses = new Map<number, CharClass>();

function classify(code: number): CharClass {
  if (code < 128) return ASCII_CLASSES[code] as CharClass;
  let known = nonAsciiClasses.get(code);
  if (known === undefined) {
    const char = String.fromCharCode(code);
    if (/[\p{Script=Han}\p{Script=Hiragana}]/u.test(char)) known = CharClass.Ideograph;
    else if (/[\p{L}\p{M}]/u.test(char) || (code >= 0xd800 && code <= 0xdfff)) known = CharClass.Letter;
    else if (/\p{N}/u.test(char)) known = CharClass.Digit;
    else if (/\p{Pc}/u.test(char)) known = CharClass.Connector;
    else known = CharClass.Other;
    nonAsciiClasses.set(code, known);
  }
  return known;
}

/** UAX #29 MidLetter / MidNumLet / Single_Quote characters that join letters (e.g. "e.g", "o'neil", "don't"). */
const JOINS_LETTERS = new Set([".", ":", "'", "\u2019", "\u2018", "\u00b7", "\ufe52", "\uff0e", "\uff07"]);
/** MidNum / MidNumLet / Single_Quote characters that join digits ("3.5", "1,000", "2;3"). */
const JOINS_DIGITS = new Set([".", ",", ";", "'", "\u2019", "\u2018", "\ufe52", "\uff0e", "\uff07", "\u066b", "\u066c"]);

/**
 * Splits text into word tokens the way Lucene's StandardTokenizer (Unicode UAX #29 word boundaries) does for
 * the cases that matter in English IR text: runs of letters, digits and underscores; letters joined across
 * `.` `:` `'` `’` when a letter follows ("U.S.A", "o'neil"); digits joined across `.` `,` `;` `'` when a
 * digit follows ("3.5", "1,000"); each Han or Hiragana character is its own token; everything else
 * (spaces, hyphens, slashes, other punctuation, symbols) separates tokens. Case is kept.
 *
 * Reference: Unicode Standard Annex #29, "Unicode Text Segmentation", section 4.1 (rules WB5–WB13a);
 * Lucene `StandardTokenizerImpl.jflex`. Known gaps: emoji sequences, Katakana runs, Hebrew letter rules.
 * @example standardTokens("U.S. e-mail costs $3.50") // ["U.S", "e", "mail", "costs", "3.50"]
 */
export function standardTokens(text: string): string[] {
  const tokens: string[] = [];
  const length = text.length;
  let position = 0;
  while (position < length) {
    const kind = classify(text.charCodeAt(position));
    if (kind === CharClass.Other) {
      position++;
      continue;
    }
    if (kind === CharClass.Ideograph) {
      tokens.push(text[position]!);
      position++;
      continue;
    }
    const start = position;
    position++;
    while (position < length) {
      const next = classify(text.charCodeAt(position));
      if (next === CharClass.Letter || next === CharClass.Digit || next === CharClass.Connector) {
        position++;
        continue;
      }
      if (next === CharClass.Other && position + 1 < length) {
        const before = classify(text.charCodeAt(position - 1));
        const after = classify(text.charCodeAt(position + 1));
        const char = text[position]!;
        if ((before === CharClass.Letter && after === CharClass.Letter && JOINS_LETTERS.has(char)) || (before === CharClass.Digit && after === CharClass.Digit && JOINS_DIGITS.has(char))) {
          position += 2;
          continue;
        }
      }
      break;
    }
    tokens.push(text.slice(start, position));
  }
  return tokens;
}

/** Options of the English analyzer; the defaults are Anserini's `DefaultEnglishAnalyzer`. */
export interface EnglishAnalyzerOptions {
  /** Remove Lucene's 33 English stop words (default true). */
  stopWords?: boolean;
  /** Porter-stem each token (default true). */
  stem?: boolean;
}

/**
 * Lucene/Anserini English analysis: StandardTokenizer → EnglishPossessiveFilter (drops a trailing 's / ’s) →
 * LowerCaseFilter → StopFilter (33 English stop words) → PorterStemFilter. Stems are memoised per analyzer.
 *
 * Reference: Anserini `DefaultEnglishAnalyzer.java`; Lucene `EnglishAnalyzer.java`.
 * @example new EnglishAnalyzer().analyze("The Aerodynamics of Heated Wings") // ["aerodynam", "heat", "wing"]
 */
export class EnglishAnalyzer {
  private readonly stopWords: boolean;
  private readonly stem: boolean;
  private readonly stems = new Map<string, string | null>();

  constructor(options: EnglishAnalyzerOptions = {}) {
    this.stopWords = options.stopWords ?? true;
    this.stem = options.stem ?? true;
  }

  /** Analysed terms of `text`, in order (repeats kept). */
  analyze(text: string): string[] {
    const terms: string[] = [];
    for (const token of standardTokens(text)) {
      let term = this.stems.get(token);
      if (term === undefined) {
        term = this.normalise(token);
        if (this.stems.size < 1_000_000) this.stems.set(token, term);
      }
      if (term !== null) terms.push(term);
    }
    return terms;
  }

  /** One token (from `standardTokens`) through possessive, lower-case, stop and stem filters; null when it is a stop word. */
  normalise(token: string): string | null {
    let word = token;
    const length = word.length;
    if (length >= 2 && (word[length - 1] === "s" || word[length - 1] === "S")) {
      const mark = word[length - 2];
      if (mark === "'" || mark === "\u2019" || mark === "\uff07") word = word.slice(0, -2);
    }
    word = word.toLowerCase();
    if (this.stopWords && LUCENE_ENGLISH_STOP_WORDS.has(word)) return null;
    if (word === "") return null;
    return this.stem ? porterStem(word) : word;
  }
}
