/** Where a command writes; the CLI passes the process streams, tests collect strings. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}
