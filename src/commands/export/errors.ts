/** A tool selection that cannot be written in the requested format (reported as a config error). */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}
