/**
 * An input file that does not have the format its reader expects. The message names the file and the
 * 1-based line (or record), so a user can open the file at the bad spot.
 *
 * @example new DataFormatError("qrels.txt", 3, "expected 4 fields, got 3").message
 * // 'qrels.txt:3: expected 4 fields, got 3'
 */
export class DataFormatError extends Error {
  constructor(
    readonly file: string,
    readonly lineNumber: number,
    readonly problem: string,
  ) {
    super(`${file}:${lineNumber}: ${problem}`);
    this.name = "DataFormatError";
  }
}
