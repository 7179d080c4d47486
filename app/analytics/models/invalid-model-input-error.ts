/**
 * Thrown at a model entry point when an input row breaks an invariant the likelihood relies
 * on. Names the field and the 0-based row index so the caller can point at the bad record.
 */
export class InvalidModelInputError extends Error {
  readonly field: string;
  readonly rowIndex: number | null;
  /** What is wrong, without the field and row prefix. */
  readonly problem: string;

  constructor(field: string, rowIndex: number | null, problem: string) {
    super(rowIndex === null ? `${field}: ${problem}` : `row ${rowIndex}: ${field} ${problem}`);
    this.name = "InvalidModelInputError";
    this.field = field;
    this.rowIndex = rowIndex;
    this.problem = problem;
  }
}
