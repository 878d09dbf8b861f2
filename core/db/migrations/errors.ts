// The errors of the migration system: one class, code E_MIGRATION, with a message that names the file or operation.
import { ManoucheError } from '../../conf/errors';

/** A migration could not be loaded, planned or applied; the message says which one and why. */
export class MigrationError extends ManoucheError {
  constructor(detail: string) {
    super('E_MIGRATION', { detail });
  }
}
