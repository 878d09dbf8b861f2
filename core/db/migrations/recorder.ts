// The manouche_migrations table: which migrations are applied (app, name, applied).
import type { Sequelize, Transaction } from 'sequelize';
import { SchemaEditor } from './schema';
import type { ModelState } from './state';

export const RECORDER_TABLE = 'manouche_migrations';

const TABLE: ModelState = {
  app: 'manouche',
  name: 'Migration',
  table: RECORDER_TABLE,
  fields: {
    id: { type: 'INTEGER', allowNull: false, primaryKey: true, autoIncrement: true },
    app: { type: 'STRING(255)', allowNull: false },
    name: { type: 'STRING(255)', allowNull: false },
    applied: { type: 'DATE', allowNull: false },
  },
  indexes: [],
};

/** Reads and writes the record of applied migrations. */
export class MigrationRecorder {
  constructor(readonly sequelize: Sequelize) {}

  async hasTable(): Promise<boolean> {
    return this.sequelize.getQueryInterface().tableExists(RECORDER_TABLE);
  }

  async ensureTable(): Promise<void> {
    if (!(await this.hasTable())) await new SchemaEditor(this.sequelize, null).createTable(TABLE);
  }

  /** `app.name` of every applied migration (empty when the table does not exist yet). */
  async applied(): Promise<Set<string>> {
    if (!(await this.hasTable())) return new Set();
    const q = (this.sequelize.getQueryInterface() as any).queryGenerator;
    const rows = await this.sequelize.query<{ app: string; name: string }>(
      `SELECT ${q.quoteIdentifier('app')}, ${q.quoteIdentifier('name')} FROM ${q.quoteTable(RECORDER_TABLE)}`,
      { type: 'SELECT' as never },
    );
    return new Set(rows.map((r) => `${r.app}.${r.name}`));
  }

  async recordApplied(app: string, name: string, transaction?: Transaction): Promise<void> {
    await this.sequelize.getQueryInterface().bulkInsert(RECORDER_TABLE, [{ app, name, applied: new Date() }], { transaction });
  }

  async recordUnapplied(app: string, name: string, transaction?: Transaction): Promise<void> {
    await this.sequelize.getQueryInterface().bulkDelete(RECORDER_TABLE, { app, name }, { transaction });
  }
}
