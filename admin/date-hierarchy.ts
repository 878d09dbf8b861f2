// dateHierarchy: the change list's drill-down by year, month and day, in TIME_ZONE's calendar (USE_TZ), as Django's.
import { Op } from '../core/db/op';
import { BadRequest } from '../core/conf/errors';
import { isoDay, type QueryStringFn } from './filters';
import type { FieldInfo } from './introspect';
import { formatCalendar, localDay, localMidnight, timeZone } from './formats';
import { t } from './i18n';

type AnyModel = any;
type Where = Record<string | symbol, unknown>;

/** A drill-down link above the list: a year, a month, a day, or the way back up. */
export interface DateLink { link: string; title: string }

/**
 * dateHierarchy: links by year, then month, then day (`createdAt__year=2026&createdAt__month=11`), each level
 * listing only the periods that have rows. Periods are TIME_ZONE's local days (a row at 23:30 UTC is on the next day
 * in Tokyo); in UTC, or for a DATEONLY column, they are computed with the database's own date functions.
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
  /** True when the periods are local days of TIME_ZONE (a datetime column under USE_TZ away from UTC). */
  private get zoned(): boolean { return this.field.kind !== 'date' && timeZone() !== 'UTC'; }
  /** The instant (or, for a DATEONLY column, the day) a calendar day starts: local midnight in TIME_ZONE, as Django's. */
  private start(y: number, mo = 1, d = 1): unknown {
    return this.field.kind === 'date' ? isoDay(new Date(Date.UTC(y, mo - 1, d))) : localMidnight(y, mo, d);
  }
  /** The selected period as a half-open range [from, to), its bounds local midnights in TIME_ZONE. */
  where(): Where | undefined {
    if (!this.year) return undefined;
    const y = this.year;
    const from = this.start(y, this.month ?? 1, this.day ?? 1);
    const to = this.day ? this.start(y, this.month!, this.day + 1) : this.month ? this.start(y, this.month + 1, 1) : this.start(y + 1, 1, 1);
    return { [this.field.name]: { [Op.gte]: from, [Op.lt]: to } };
  }
  private ref(): string {
    const qi = this.model.sequelize.getQueryInterface();
    const column = this.model.getAttributes()[this.field.name]?.field ?? this.field.name;
    return `${qi.quoteIdentifier(this.model.name)}.${qi.quoteIdentifier(column)}`;
  }
  /** SQL for one part (year/month/day) of the column, per dialect (UTC, or a DATEONLY column's own calendar). */
  private part(part: 'year' | 'month' | 'day'): any {
    const seq = this.model.sequelize;
    const ref = this.ref();
    const dialect: string = seq.getDialect();
    if (dialect === 'sqlite') return seq.literal(`CAST(strftime('${{ year: '%Y', month: '%m', day: '%d' }[part]}', ${ref}) AS INTEGER)`);
    if (dialect === 'postgres') return seq.literal(`CAST(EXTRACT(${part.toUpperCase()} FROM ${ref}) AS INTEGER)`);
    return seq.literal(`${part.toUpperCase()}(${ref})`);
  }
  /**
   * The periods with rows in a time zone away from UTC: `CASE WHEN col < <start of period 2> THEN 1 …` over the local
   * period starts, so one portable query answers (no database needs its time zone tables), DST days included.
   */
  private async zonedValues(level: 'year' | 'month' | 'day', query: { where?: unknown; include?: unknown[] }): Promise<number[]> {
    const seq = this.model.sequelize;
    let values: number[];
    if (level === 'year') {
      const edge = async (dir: 'ASC' | 'DESC') => (await this.model.findOne({
        attributes: [this.field.name], where: { [Op.and]: [query.where ?? {}, { [this.field.name]: { [Op.ne]: null } }] }, include: query.include, order: [[this.field.name, dir]], subQuery: false,
      }))?.get(this.field.name);
      const [first, last] = [await edge('ASC'), await edge('DESC')];
      if (!first || !last) return [];
      const [a, b] = [localDay(new Date(first)).y, localDay(new Date(last)).y];
      values = Array.from({ length: Math.min(b - a + 1, 400) }, (_, i) => a + i);
    } else if (level === 'month') values = Array.from({ length: 12 }, (_, i) => i + 1);
    else values = Array.from({ length: new Date(Date.UTC(this.year!, this.month!, 0)).getUTCDate() }, (_, i) => i + 1);
    const startOf = (v: number): Date => (level === 'year' ? localMidnight(v, 1, 1) : level === 'month' ? localMidnight(this.year!, v, 1) : localMidnight(this.year!, this.month!, v));
    const next = level === 'year' ? localMidnight(values[values.length - 1] + 1, 1, 1) : level === 'month' ? localMidnight(this.year! + 1, 1, 1) : localMidnight(this.year!, this.month! + 1, 1);
    const where = { [Op.and]: [query.where ?? {}, { [this.field.name]: { [Op.gte]: startOf(values[0]), [Op.lt]: next } }] };
    // One year of rows: no CASE to write (and a constant in GROUP BY would name a column).
    if (values.length === 1) return (await this.model.count({ where, include: query.include })) ? values : [];
    const ref = this.ref();
    const whens = values.slice(1).map((v, i) => `WHEN ${ref} < ${seq.escape(startOf(v))} THEN ${values[i]}`).join(' ');
    const expr = seq.literal(`CASE ${whens} ELSE ${values[values.length - 1]} END`);
    const rows = await this.model.findAll({ attributes: [[expr, 'v']], include: query.include, group: [expr], raw: true, subQuery: false, where });
    return rows.map((r: any) => Number(r.v)).filter((v: number) => Number.isFinite(v)).sort((x: number, y: number) => x - y);
  }
  /** The links for the current level, from the rows matching `query` (the change list's where and includes). */
  async links(qs: QueryStringFn, query: { where?: unknown; include?: unknown[] }): Promise<{ back?: DateLink; choices: DateLink[] }> {
    const [y, m, d] = this.expectedParameters();
    const monthYear = (mo: number) => formatCalendar(this.year!, mo, 1, { month: 'long', year: 'numeric' });
    const monthDay = (day: number) => formatCalendar(this.year!, this.month!, day, { month: 'long', day: 'numeric' });
    if (this.day) {
      return { back: { link: qs({ [y]: this.year!, [m]: this.month! }, [d]), title: monthYear(this.month!) },
        choices: [{ link: qs({}), title: monthDay(this.day) }] };
    }
    const level: 'year' | 'month' | 'day' = this.month ? 'day' : this.year ? 'month' : 'year';
    let values: number[];
    if (this.zoned) values = await this.zonedValues(level, query);
    else {
      const expr = this.part(level);
      const rows = await this.model.findAll({
        attributes: [[expr, 'v']], where: query.where, include: query.include, group: [expr], order: [[expr, 'ASC']], raw: true, limit: 400,
      });
      values = rows.filter((r: any) => r.v !== null && r.v !== undefined).map((r: any) => Number(r.v)).filter((v: number) => Number.isFinite(v) && v > 0);
    }
    if (level === 'year') return { choices: values.map((v: number) => ({ link: qs({ [y]: v }, [m, d]), title: String(v) })) };
    if (level === 'month') {
      return { back: { link: qs({}, [y, m, d]), title: t('All dates') },
        choices: values.map((v: number) => ({ link: qs({ [y]: this.year!, [m]: v }, [d]), title: monthYear(v) })) };
    }
    return { back: { link: qs({ [y]: this.year! }, [m, d]), title: String(this.year) },
      choices: values.map((v: number) => ({ link: qs({ [y]: this.year!, [m]: this.month!, [d]: v }), title: monthDay(v) })) };
  }
}
