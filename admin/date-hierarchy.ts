// dateHierarchy: the change list's drill-down by year, month and day, computed with each database's date functions.
import { Op } from 'sequelize';
import { BadRequest } from '../core/conf/errors';
import { isoDay, type QueryStringFn } from './filters';
import type { FieldInfo } from './introspect';

type AnyModel = any;
type Where = Record<string | symbol, unknown>;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A drill-down link above the list: a year, a month, a day, or the way back up. */
export interface DateLink { link: string; title: string }

/**
 * dateHierarchy: links by year, then month, then day (`createdAt__year=2026&createdAt__month=11`), each level
 * listing only the periods that have rows, computed in SQL with the database's own date functions (UTC).
 * @example new DateHierarchy(Post, fieldInfo(Post, 'createdAt'), { createdAt__year: '2026' }).where() // 2026-01-01 ≤ createdAt < 2027-01-01
 */
export class DateHierarchy {
  readonly year: number | undefined;
  readonly month: number | undefined;
  readonly day: number | undefined;
  constructor(public model: AnyModel, public field: FieldInfo, params: Record<string, string>) {
    const read = (part: string, max: number): number | undefined => {
      const raw = params[`${field.name}__${part}`];
      if (raw === undefined) return undefined;
      if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw new BadRequest(`Invalid value "${raw}" for ${field.name}__${part}.`);
      return Number(raw);
    };
    this.year = read('year', 9999);
    this.month = read('month', 12);
    this.day = read('day', 31);
    if ((this.month && !this.year) || (this.day && !this.month)) throw new BadRequest(`${field.name}__day needs __month, and __month needs __year.`);
  }
  expectedParameters(): string[] { return ['year', 'month', 'day'].map((p) => `${this.field.name}__${p}`); }
  /** The selected period as a half-open range [from, to). */
  where(): Where | undefined {
    if (!this.year) return undefined;
    const from = new Date(Date.UTC(this.year, (this.month ?? 1) - 1, this.day ?? 1));
    const to = this.day ? new Date(from.getTime() + 86400000)
      : this.month ? new Date(Date.UTC(this.year, this.month, 1)) : new Date(Date.UTC(this.year + 1, 0, 1));
    const bound = (d: Date): unknown => (this.field.kind === 'date' ? isoDay(d) : d);
    return { [this.field.name]: { [Op.gte]: bound(from), [Op.lt]: bound(to) } };
  }
  /** SQL for one part (year/month/day) of the column, per dialect. */
  private part(part: 'year' | 'month' | 'day'): any {
    const seq = this.model.sequelize;
    const qi = seq.getQueryInterface();
    const column = this.model.getAttributes()[this.field.name]?.field ?? this.field.name;
    const ref = `${qi.quoteIdentifier(this.model.name)}.${qi.quoteIdentifier(column)}`;
    const dialect: string = seq.getDialect();
    if (dialect === 'sqlite') return seq.literal(`CAST(strftime('${{ year: '%Y', month: '%m', day: '%d' }[part]}', ${ref}) AS INTEGER)`);
    if (dialect === 'postgres') return seq.literal(`CAST(EXTRACT(${part.toUpperCase()} FROM ${ref}) AS INTEGER)`);
    return seq.literal(`${part.toUpperCase()}(${ref})`);
  }
  /** The links for the current level, from the rows matching `query` (the change list's where and includes). */
  async links(qs: QueryStringFn, query: { where?: unknown; include?: unknown[] }): Promise<{ back?: DateLink; choices: DateLink[] }> {
    const [y, m, d] = this.expectedParameters();
    if (this.day) {
      return { back: { link: qs({ [y]: this.year!, [m]: this.month! }, [d]), title: `${MONTHS[this.month! - 1]} ${this.year}` },
        choices: [{ link: qs({}), title: `${MONTHS[this.month! - 1]} ${this.day}` }] };
    }
    const level: 'year' | 'month' | 'day' = this.month ? 'day' : this.year ? 'month' : 'year';
    const expr = this.part(level);
    const rows = await this.model.findAll({
      attributes: [[expr, 'v']], where: query.where, include: query.include, group: [expr], order: [[expr, 'ASC']], raw: true, limit: 400,
    });
    const values = rows.filter((r: any) => r.v !== null && r.v !== undefined).map((r: any) => Number(r.v)).filter((v: number) => Number.isFinite(v) && v > 0);
    if (level === 'year') return { choices: values.map((v: number) => ({ link: qs({ [y]: v }, [m, d]), title: String(v) })) };
    if (level === 'month') {
      return { back: { link: qs({}, [y, m, d]), title: 'All dates' },
        choices: values.map((v: number) => ({ link: qs({ [y]: this.year!, [m]: v }, [d]), title: `${MONTHS[v - 1]} ${this.year}` })) };
    }
    return { back: { link: qs({ [y]: this.year! }, [m, d]), title: String(this.year) },
      choices: values.map((v: number) => ({ link: qs({ [y]: this.year!, [m]: this.month!, [d]: v }), title: `${MONTHS[this.month! - 1]} ${v}` })) };
  }
}
