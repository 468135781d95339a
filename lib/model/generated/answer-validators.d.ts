// Types of the Ajv standalone validators generated into answer-validators.js (scripts/generate-validators.mjs).

/** An Ajv error as generated with messages off. */
export interface ValidationError {
  /** JSON Pointer of the offending value, "" for the root: /plan/resources/0 */
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** Validates (and, for the documented coercions, edits) `data`; `errors` holds every violation after a false. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ValidationError[] | null;
}

export declare const validateAnswer: Validator;
export declare const validateSelector: Validator;
export declare const validateRequest: Validator;
export declare const validateHelperRequest: Validator;
