/**
 * Porter's stemming algorithm, as in Martin Porter's reference ANSI C implementation and its Lucene port
 * (`org.apache.lucene.analysis.en.PorterStemmer`, used by `PorterStemFilter` and Anserini's default analyzer).
 * It follows the C version's two departures from the 1980 paper: step 2 maps "bli" → "ble" (not "abli" →
 * "able") and adds "logi" → "log". Words of one or two letters are returned unchanged. Input is expected
 * lower-case.
 *
 * Reference: M. F. Porter, "An algorithm for suffix stripping", Program 14(3), 1980;
 * https://tartarus.org/martin/PorterStemmer/c.txt
 * @example porterStem("generalizations") // "gener"
 */
export function porterStem(word: string): string {
  if (word.length <= 2) return word;
  const stemmer = new PorterWord(word);
  stemmer.step1ab();
  stemmer.step1c();
  stemmer.step2();
  stemmer.step3();
  stemmer.step4();
  stemmer.step5();
  return stemmer.result();
}

/** Working state of one word: the letters b[0..k], and j, the end of the stem when a suffix matched. */
class PorterWord {
  private readonly b: string[];
  private k: number;
  private j = 0;

  constructor(word: string) {
    this.b = word.split("");
    this.k = word.length - 1;
  }

  result(): string {
    return this.b.slice(0, this.k + 1).join("");
  }

  /** True when b[i] is a consonant; "y" is a consonant at the start or after a vowel. */
  private cons(i: number): boolean {
    switch (this.b[i]) {
      case "a":
      case "e":
      case "i":
      case "o":
      case "u":
        return false;
      case "y":
        return i === 0 ? true : !this.cons(i - 1);
      default:
        return true;
    }
  }

  /** The measure m of b[0..j]: the number of vowel–consonant sequences, [C](VC)^m[V]. */
  private m(): number {
    let n = 0;
    let i = 0;
    for (;;) {
      if (i > this.j) return n;
      if (!this.cons(i)) break;
      i++;
    }
    i++;
    for (;;) {
      for (;;) {
        if (i > this.j) return n;
        if (this.cons(i)) break;
        i++;
      }
      i++;
      n++;
      for (;;) {
        if (i > this.j) return n;
        if (!this.cons(i)) break;
        i++;
      }
      i++;
    }
  }

  private vowelInStem(): boolean {
    for (let i = 0; i <= this.j; i++) if (!this.cons(i)) return true;
    return false;
  }

  /** b[j-1..j] is a double consonant. */
  private doubleC(j: number): boolean {
    return j >= 1 && this.b[j] === this.b[j - 1] && this.cons(j);
  }

  /** b[i-2..i] is consonant–vowel–consonant and the last is not w, x or y (e.g. "hop", not "snow"). */
  private cvc(i: number): boolean {
    if (i < 2 || !this.cons(i) || this.cons(i - 1) || !this.cons(i - 2)) return false;
    const last = this.b[i];
    return last !== "w" && last !== "x" && last !== "y";
  }

  private ends(suffix: string): boolean {
    const length = suffix.length;
    if (length > this.k + 1) return false;
    for (let offset = 0; offset < length; offset++) {
      if (this.b[this.k - length + 1 + offset] !== suffix[offset]) return false;
    }
    this.j = this.k - length;
    return true;
  }

  /** Replaces b[j+1..k] by `replacement`. */
  private setTo(replacement: string): void {
    for (let offset = 0; offset < replacement.length; offset++) this.b[this.j + 1 + offset] = replacement[offset]!;
    this.k = this.j + replacement.length;
  }

  private r(replacement: string): void {
    if (this.m() > 0) this.setTo(replacement);
  }

  /** Plurals and -ed/-ing: caresses → caress, ponies → poni, meetings → meet, hopping → hop, filing → file. */
  step1ab(): void {
    if (this.b[this.k] === "s") {
      if (this.ends("sses")) this.k -= 2;
      else if (this.ends("ies")) this.setTo("i");
      else if (this.b[this.k - 1] !== "s") this.k--;
    }
    if (this.ends("eed")) {
      if (this.m() > 0) this.k--;
    } else if ((this.ends("ed") || this.ends("ing")) && this.vowelInStem()) {
      this.k = this.j;
      if (this.ends("at")) this.setTo("ate");
      else if (this.ends("bl")) this.setTo("ble");
      else if (this.ends("iz")) this.setTo("ize");
      else if (this.doubleC(this.k)) {
        const letter = this.b[this.k];
        this.k--;
        if (letter === "l" || letter === "s" || letter === "z") this.k++;
      } else if (this.m() === 1 && this.cvc(this.k)) this.setTo("e");
    }
  }

  /** Terminal y → i when there is another vowel in the stem: happy → happi. */
  step1c(): void {
    if (this.ends("y") && this.vowelInStem()) this.b[this.k] = "i";
  }

  /** Double suffixes to single ones when m > 0: relational → relate, digitizer → digitize. */
  step2(): void {
    const rules: Record<string, [string, string][]> = {
      a: [["ational", "ate"], ["tional", "tion"]],
      c: [["enci", "ence"], ["anci", "ance"]],
      e: [["izer", "ize"]],
      l: [["bli", "ble"], ["alli", "al"], ["entli", "ent"], ["eli", "e"], ["ousli", "ous"]],
      o: [["ization", "ize"], ["ation", "ate"], ["ator", "ate"]],
      s: [["alism", "al"], ["iveness", "ive"], ["fulness", "ful"], ["ousness", "ous"]],
      t: [["aliti", "al"], ["iviti", "ive"], ["biliti", "ble"]],
      g: [["logi", "log"]],
    };
    this.applyFirst(rules[this.b[this.k - 1] ?? ""]);
  }

  /** -ic-, -full, -ness etc. when m > 0: triplicate → triplic, hopeful → hope, goodness → good. */
  step3(): void {
    const rules: Record<string, [string, string][]> = {
      e: [["icate", "ic"], ["ative", ""], ["alize", "al"]],
      i: [["iciti", "ic"]],
      l: [["ical", "ic"], ["ful", ""]],
      s: [["ness", ""]],
    };
    this.applyFirst(rules[this.b[this.k] ?? ""]);
  }

  private applyFirst(rules: [string, string][] | undefined): void {
    if (!rules) return;
    for (const [suffix, replacement] of rules) {
      if (this.ends(suffix)) {
        this.r(replacement);
        return;
      }
    }
  }

  /** Takes off -ant, -ence etc. in context <c>vcvc<v> (m > 1): revival → reviv, adoption → adopt. */
  step4(): void {
    const suffixes: Record<string, string[]> = {
      a: ["al"],
      c: ["ance", "ence"],
      e: ["er"],
      i: ["ic"],
      l: ["able", "ible"],
      n: ["ant", "ement", "ment", "ent"],
      o: ["ion", "ou"],
      s: ["ism"],
      t: ["ate", "iti"],
      u: ["ous"],
      v: ["ive"],
      z: ["ize"],
    };
    const candidates = suffixes[this.b[this.k - 1] ?? ""];
    if (!candidates) return;
    let matched = false;
    for (const suffix of candidates) {
      if (!this.ends(suffix)) continue;
      // "-ion" only after s or t (adoption → adopt, but not onion → on).
      if (suffix === "ion" && !(this.j >= 0 && (this.b[this.j] === "s" || this.b[this.j] === "t"))) continue;
      matched = true;
      break;
    }
    if (matched && this.m() > 1) this.k = this.j;
  }

  /** Removes a final -e when m > 1 (or m = 1 and not cvc), and -ll → -l when m > 1: probate → probat, controll → control. */
  step5(): void {
    this.j = this.k;
    if (this.b[this.k] === "e") {
      const measure = this.m();
      if (measure > 1 || (measure === 1 && !this.cvc(this.k - 1))) this.k--;
    }
    if (this.b[this.k] === "l" && this.doubleC(this.k) && this.m() > 1) this.k--;
  }
}
