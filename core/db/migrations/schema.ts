// The schema editor: turns state changes into SQL for the configured database, then runs it (or collects it for sqlmigrate).
import type { Sequelize, Transaction } from 'sequelize';
import { defaultFromState, parseType, sameJson, type FieldState, type IndexState, type ModelState } from './state';

/**
 * Generates every DDL statement from the model state (never from the live database), so that `sqlmigrate`
 * prints exactly what `migrate` runs. SQLite changes that ALTER TABLE cannot make rebuild the table, as Django does.
 */
export class SchemaEditor {
  readonly dialect: string;
  readonly qg: any;

  constructor(readonly sequelize: Sequelize, readonly collected: string[] | null, readonly transaction?: Transaction) {
    this.dialect = sequelize.getDialect();
    this.qg = (sequelize.getQueryInterface() as any).queryGenerator;
  }

  /** Runs one statement (or only records it, for sqlmigrate). */
  async execute(sql: string): Promise<void> {
    if (this.collected) this.collected.push(sql.trim().endsWith(';') ? sql.trim() : `${sql.trim()};`);
    else await this.sequelize.query(sql, { transaction: this.transaction, raw: true });
  }

  qt(table: string): string { return this.qg.quoteTable(table); }
  qi(name: string): string { return this.qg.quoteIdentifier(name); }

  /** A FieldState as a normalized sequelize attribute. */
  attribute(f: FieldState, drop: Array<keyof FieldState> = []): any {
    const a: any = { type: parseType(f.type), allowNull: f.allowNull };
    if (f.primaryKey) a.primaryKey = true;
    if (f.autoIncrement) a.autoIncrement = true;
    if (f.unique) a.unique = true;
    if (f.defaultValue !== undefined) a.defaultValue = defaultFromState(f.defaultValue);
    if (f.references) {
      a.references = { model: f.references.table, key: f.references.key };
      if (f.onDelete) a.onDelete = f.onDelete;
      if (f.onUpdate) a.onUpdate = f.onUpdate;
    }
    for (const k of drop) delete a[k === 'references' ? 'references' : k];
    return (this.sequelize as any).normalizeAttribute(a);
  }

  private columnsSql(ms: ModelState): Record<string, string> {
    const attrs: Record<string, unknown> = {};
    for (const [col, f] of Object.entries(ms.fields)) attrs[col] = this.attribute(f);
    return this.qg.attributesToSQL(attrs, { table: ms.table, context: 'createTable' });
  }

  private createTableSql(table: string, ms: ModelState): string {
    return this.qg.createTableQuery(table, this.columnsSql(ms), {}).replace('IF NOT EXISTS ', '');
  }

  async createTable(ms: ModelState): Promise<void> {
    if (this.dialect === 'postgres') {
      for (const [col, f] of Object.entries(ms.fields)) if (f.type.startsWith('ENUM(')) await this.execute(this.qg.pgEnum(ms.table, col, parseType(f.type)));
    }
    await this.execute(this.createTableSql(ms.table, ms));
    for (const idx of ms.indexes) await this.addIndex(ms, idx);
  }

  async dropTable(ms: ModelState): Promise<void> {
    await this.execute(`DROP TABLE ${this.qt(ms.table)}`);
    if (this.dialect === 'postgres') {
      for (const [col, f] of Object.entries(ms.fields)) if (f.type.startsWith('ENUM(')) await this.execute(this.qg.pgEnumDrop(ms.table, col));
    }
  }

  /** Renames a table (and, on PostgreSQL, the enum types named after it); keys in other tables follow. */
  async renameTable(before: ModelState, after: ModelState): Promise<void> {
    if (before.table === after.table) return;
    await this.execute(`ALTER TABLE ${this.qt(before.table)} RENAME TO ${this.qt(after.table)}`);
    if (this.dialect === 'postgres') {
      for (const [col, f] of Object.entries(after.fields)) {
        if (!f.type.startsWith('ENUM(')) continue;
        const to = this.qg.pgEnumName(after.table, col, { schema: false });
        await this.execute(`ALTER TYPE ${this.qg.pgEnumName(before.table, col)} RENAME TO ${to}`);
      }
    }
  }

  /** Adds a column; `oneOff` fills existing rows with a value that is not kept as the column's default. */
  async addColumn(before: ModelState, after: ModelState, col: string, oneOff?: unknown): Promise<void> {
    const f = after.fields[col];
    // A NOT NULL timestamp defaulting to now (filled by sequelize, not the database): existing rows get the current time.
    if (oneOff === undefined && !f.allowNull && (f.defaultValue as { fn?: string } | undefined)?.fn === 'NOW') oneOff = this.sequelize.literal('CURRENT_TIMESTAMP');
    if (this.dialect === 'sqlite') {
      const simple = !f.unique && !f.primaryKey && oneOff === undefined && (f.allowNull || (f.defaultValue !== undefined && typeof f.defaultValue !== 'object'));
      if (simple) return this.execute(this.qg.addColumnQuery(after.table, col, this.attribute(f)));
      const fill = oneOff !== undefined ? oneOff : defaultFromState(f.defaultValue);
      const expr = fill === undefined || fill === null ? 'NULL' : typeof fill === 'object' && !(fill instanceof Date) && !('val' in (fill as object)) ? this.qg.escape(JSON.stringify(fill)) : this.qg.escape(fill);
      return this.rebuildSqlite(before, after, { [col]: expr });
    }
    const withDefault = oneOff !== undefined ? { ...f, defaultValue: oneOff } : f;
    await this.execute(this.qg.addColumnQuery(after.table, col, this.attribute(withDefault)));
    if (oneOff !== undefined) await this.execute(`ALTER TABLE ${this.qt(after.table)} ALTER COLUMN ${this.qi(col)} DROP DEFAULT`);
  }

  async removeColumn(before: ModelState, after: ModelState, col: string): Promise<void> {
    if (this.dialect === 'sqlite') return this.rebuildSqlite(before, after, {});
    if (this.dialect === 'mysql' && before.fields[col].references) await this.dropMysqlForeignKeys(before.table, col);
    await this.execute(`ALTER TABLE ${this.qt(before.table)} DROP COLUMN ${this.qi(col)}`);
    if (this.dialect === 'postgres' && before.fields[col].type.startsWith('ENUM(')) await this.execute(this.qg.pgEnumDrop(before.table, col));
  }

  async renameColumn(before: ModelState, after: ModelState, from: string, to: string): Promise<void> {
    // SQLite ≥ 3.25, PostgreSQL and MariaDB ≥ 10.5 / MySQL 8 all speak RENAME COLUMN and keep indexes and keys.
    await this.execute(`ALTER TABLE ${this.qt(before.table)} RENAME COLUMN ${this.qi(from)} TO ${this.qi(to)}`);
  }

  /** Changes a column's type, nullability, default, uniqueness or reference. */
  async alterColumn(before: ModelState, after: ModelState, col: string, fillNulls?: unknown): Promise<void> {
    if (fillNulls !== undefined && fillNulls !== null) {
      await this.execute(`UPDATE ${this.qt(before.table)} SET ${this.qi(col)} = ${this.qg.escape(fillNulls)} WHERE ${this.qi(col)} IS NULL`);
    }
    if (this.dialect === 'sqlite') return this.rebuildSqlite(before, after, {});
    const a = before.fields[col];
    const b = after.fields[col];
    const t = this.qt(after.table);
    const c = this.qi(col);
    if (a.references && !sameJson(a.references, b.references)) {
      if (this.dialect === 'postgres') await this.execute(`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${this.qi(`${after.table}_${col}_fkey`)}`);
      else await this.dropMysqlForeignKeys(after.table, col);
    }
    if (a.unique && !b.unique) {
      await this.execute(this.dialect === 'postgres' ? `ALTER TABLE ${t} DROP CONSTRAINT ${this.qi(`${after.table}_${col}_key`)}` : `ALTER TABLE ${t} DROP INDEX ${c}`);
    }
    if (this.dialect === 'postgres') {
      const typeSql = this.qg.attributeToSQL({ type: parseType(b.type) }, { table: after.table, key: col });
      if (a.type !== b.type) {
        const wasEnum = a.type.startsWith('ENUM(');
        const enumName = this.qg.pgEnumName(after.table, col);
        const oldEnum = `${enumName.slice(0, -1)}__old"`;
        await this.execute(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`);
        // An enum's values live in its type: the old type steps aside, the new one is created, rows are cast to it.
        if (wasEnum) await this.execute(`ALTER TYPE ${enumName} RENAME TO ${this.qi(oldEnum.split('.').pop()!.replace(/"/g, ''))}`);
        if (b.type.startsWith('ENUM(')) await this.execute(this.qg.pgEnum(after.table, col, parseType(b.type)));
        const target = b.type.startsWith('ENUM(') ? enumName : typeSql;
        // Within a family (strings, numbers) PostgreSQL's assignment cast refuses values that do not fit, where an
        // explicit USING cast would silently cut them: only cast explicitly across families.
        const family = (x: string) => (/^(STRING|CHAR|TEXT|CITEXT)\b/.test(x) ? 'text' : /^(INTEGER|BIGINT|SMALLINT|TINYINT|FLOAT|DOUBLE|REAL|DECIMAL)\b/.test(x) ? 'number' : x);
        const using = family(a.type) === family(b.type) && !b.type.startsWith('ENUM(') && !wasEnum ? '' : ` USING ${c}::${b.type.startsWith('ENUM(') || wasEnum ? 'text::' : ''}${target}`;
        await this.execute(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${target}${using}`);
        if (wasEnum) await this.execute(`DROP TYPE ${oldEnum}`);
      }
      if (a.allowNull !== b.allowNull) await this.execute(`ALTER TABLE ${t} ALTER COLUMN ${c} ${b.allowNull ? 'DROP' : 'SET'} NOT NULL`);
      if (!sameJson(a.defaultValue, b.defaultValue) || a.type !== b.type) {
        const def = this.defaultSql(b);
        await this.execute(`ALTER TABLE ${t} ALTER COLUMN ${c} ${def ? `SET DEFAULT ${def}` : 'DROP DEFAULT'}`);
      }
    } else {
      const def = this.qg.attributeToSQL(this.attribute(b, ['unique', 'references', 'primaryKey']), { context: 'changeColumn', tableName: after.table });
      await this.execute(`ALTER TABLE ${t} MODIFY ${c} ${def}`);
    }
    if (b.unique && !a.unique) {
      await this.execute(this.dialect === 'postgres' ? `ALTER TABLE ${t} ADD CONSTRAINT ${this.qi(`${after.table}_${col}_key`)} UNIQUE (${c})` : `ALTER TABLE ${t} ADD UNIQUE INDEX ${c} (${c})`);
    }
    if (b.references && !sameJson(a.references, b.references)) {
      const name = this.qi(`${after.table}_${col}_fkey`);
      const actions = `${b.onDelete ? ` ON DELETE ${b.onDelete}` : ''}${b.onUpdate ? ` ON UPDATE ${b.onUpdate}` : ''}`;
      await this.execute(`ALTER TABLE ${t} ADD CONSTRAINT ${name} FOREIGN KEY (${c}) REFERENCES ${this.qt(b.references.table)} (${this.qi(b.references.key)})${actions}`);
    }
  }

  private defaultSql(f: FieldState): string | undefined {
    if (f.defaultValue === undefined) return undefined;
    const sql: string = this.qg.attributeToSQL({ type: parseType(f.type), defaultValue: defaultFromState(f.defaultValue) }, {});
    const i = sql.indexOf(' DEFAULT ');
    return i === -1 ? undefined : sql.slice(i + ' DEFAULT '.length);
  }

  async addIndex(ms: ModelState, idx: IndexState): Promise<void> {
    const cols = idx.fields.map((f) => this.qi(f)).join(', ');
    await this.execute(`CREATE ${idx.unique ? 'UNIQUE ' : ''}INDEX ${this.qi(idx.name)} ON ${this.qt(ms.table)} (${cols})`);
  }

  async removeIndex(ms: ModelState, idx: IndexState): Promise<void> {
    await this.execute(this.dialect === 'mysql' ? `DROP INDEX ${this.qi(idx.name)} ON ${this.qt(ms.table)}` : `DROP INDEX ${this.qi(idx.name)}`);
  }

  /** MySQL names foreign keys itself (`<table>_ibfk_1`): look the names up, the one place the live schema is read. */
  private async dropMysqlForeignKeys(table: string, col: string): Promise<void> {
    if (this.collected) {
      this.collected.push(`-- drop the foreign key of ${table}.${col} (its name is looked up when migrating)`);
      return;
    }
    const rows = (await this.sequelize.query(
      'SELECT CONSTRAINT_NAME AS name FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL',
      { replacements: [table, col], type: 'SELECT' as never, transaction: this.transaction },
    )) as unknown as Array<{ name: string }>;
    for (const r of rows) await this.execute(`ALTER TABLE ${this.qt(table)} DROP FOREIGN KEY ${this.qi(r.name)}`);
  }

  /**
   * SQLite's way to change a table: create the new shape, copy the rows, drop the old one, rename, re-index.
   * `fill` gives SQL expressions for new columns; other columns are copied by name. Runs with foreign keys off
   * (the executor turns them off and checks them after), so dropping the old table cascades nothing.
   */
  async rebuildSqlite(before: ModelState, after: ModelState, fill: Record<string, string>, renamed: Record<string, string> = {}): Promise<void> {
    const tmp = `new__${after.table}`;
    await this.execute(this.createTableSql(tmp, after));
    const cols: string[] = [];
    const exprs: string[] = [];
    for (const col of Object.keys(after.fields)) {
      const source = Object.entries(renamed).find(([, to]) => to === col)?.[0] ?? col;
      if (col in fill) exprs.push(fill[col]);
      else if (source in before.fields) exprs.push(this.qi(source));
      else continue;
      cols.push(this.qi(col));
    }
    await this.execute(`INSERT INTO ${this.qt(tmp)} (${cols.join(', ')}) SELECT ${exprs.join(', ')} FROM ${this.qt(before.table)}`);
    await this.execute(`DROP TABLE ${this.qt(before.table)}`);
    await this.execute(`ALTER TABLE ${this.qt(tmp)} RENAME TO ${this.qt(after.table)}`);
    for (const idx of after.indexes) await this.addIndex(after, idx);
  }
}
