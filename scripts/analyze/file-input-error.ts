/** A problem in an input file, with the 1-based line number where it was found. */
export class FileInputError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(line > 0 ? `line ${line}: ${detail}` : detail);
    this.name = "FileInputError";
  }
}
