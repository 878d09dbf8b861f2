// What the admin knows about a model: its fields, types, choices, relations and names. The only file that reads sequelize metadata.
import * as models from '../core/db/models';
import { declaredKeyType } from '../core/db/deferred';

/** The kinds of form field the admin knows; each has a widget (admin/widgets.ts) and a parser (admin/forms.ts). */
export type FieldKind =
  | 'string' | 'text' | 'integer' | 'decimal' | 'float' | 'boolean' | 'date' | 'datetime' | 'time'
  | 'email' | 'url' | 'json' | 'uuid' | 'choice' | 'fk' | 'm2m' | 'file' | 'image' | 'password';

/** Kinds whose plain default only fills the add form: left empty they are required (no empty value to store). */
const DEFAULT_IS_INITIAL = new Set(['integer', 'decimal', 'float', 'date', 'datetime', 'time', 'uuid', 'fk']);

/** One editable (or displayable) field of a model, as the admin sees it. */
export interface FieldInfo {
  /** The model attribute (form input name): `title`, `authorId`; for many-to-many, the association alias (`tags`). */
  name: string;
  kind: FieldKind;
  /** Lowercase human name: `first name`, `author`. */
  verboseName: string;
  helpText: string;
  required: boolean;
  allowNull: boolean;
  primaryKey: boolean;
  /** False for auto-increment keys and timestamps: never in a form. */
  editable: boolean;
  unique: boolean;
  maxLength?: number;
  /** Decimal places, for the number input's step; total digits (DECIMAL(10, 2) → 10). */
  scale?: number;
  precision?: number;
  /** The range an integer column can store (INTEGER, SMALLINT, UNSIGNED …), so a bigger number is a form error, not a 500. */
  min?: number;
  max?: number;
  /** A default the database or sequelize computes (NOW, UUIDV4, a function): 'now' for the current time, else 'computed'. */
  computedDefault?: 'now' | 'computed';
  choices?: Array<[unknown, string]>;
  defaultValue?: unknown;
  /** For `fk`: the related model, its key, and the association alias (`author`). For `m2m`: the related model. */
  related?: any;
  relatedKey?: string;
  alias?: string;
  /** Folder under MEDIA_ROOT for file/image fields. */
  uploadTo?: string;
  /** A form-only field that is not a model attribute (the user add form's two passwords). */
  virtual?: boolean;
}

type AnyModel = any;

const meta = models as unknown as Record<string, any>;

/** The model's names: `{ appLabel, name, modelName, verboseName, verboseNamePlural }` (`modelName` lowercased). */
export function modelMeta(model: AnyModel): { appLabel: string; name: string; modelName: string; verboseName: string; verboseNamePlural: string; ordering?: string[] } {
  const m = typeof meta.getModelMeta === 'function' ? meta.getModelMeta(model) : undefined;
  const name: string = m?.name ?? model.name;
  // A model still waiting for the database (core/db/deferred.ts) answers from getModelMeta without opening it.
  const opts = m ? {} : model.options ?? {};
  const verboseName: string = m?.verboseName ?? opts.verboseName ?? words(name);
  return {
    appLabel: m?.appLabel ?? opts.appLabel ?? 'app',
    name,
    modelName: m?.modelName ?? name.toLowerCase(),
    verboseName,
    verboseNamePlural: m?.verboseNamePlural ?? opts.verboseNamePlural ?? `${verboseName}s`,
    ordering: m?.ordering ?? opts.ordering,
  };
}

/** How one object is named everywhere (display option, else name/title/username, else `Post object (1)`). */
export function displayOf(obj: any): string {
  if (obj == null) return '';
  if (typeof meta.displayOf === 'function') return String(meta.displayOf(obj));
  for (const key of ['name', 'title', 'username']) if (obj[key] != null && obj[key] !== '') return String(obj[key]);
  return `${modelMeta(obj.constructor).name} object (${pkOf(obj)})`;
}

/** The sequelize `order` array for the model's default ordering. */
export function defaultOrder(model: AnyModel): any[] | undefined {
  if (typeof meta.orderingFor === 'function') return meta.orderingFor(model);
  const ordering = modelMeta(model).ordering;
  return ordering?.map((f) => (f.startsWith('-') ? [f.slice(1), 'DESC'] : [f, 'ASC']));
}

/** `firstName` → `first name`, `isStaff` → `is staff`, `authorId` → `author id`. */
export function words(name: string): string {
  return name.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** `first name` → `First name`. */
export function capfirst(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** True when the model's key is a BIGINT column: its admin URLs use the `bigint` converter (exact to 2^63 − 1). */
export function hasBigintPk(model: AnyModel): boolean {
  const declared = declaredKeyType(model);
  if (declared !== undefined) return declared === 'BIGINT';
  return attributes(model)[pkName(model)]?.type?.key === 'BIGINT';
}

export function pkName(model: AnyModel): string {
  return model.primaryKeyAttribute ?? 'id';
}

export function pkOf(obj: any): unknown {
  return obj?.get ? obj.get(pkName(obj.constructor)) : obj?.id;
}

/** Turns a pk from a URL into the key's type, or undefined when it can't be one (so a tampered pk never reaches SQL). */
export function cleanPk(model: AnyModel, raw: unknown): unknown {
  const attr = attributes(model)[pkName(model)];
  const s = String(raw ?? '');
  const key = attr?.type?.key ?? 'INTEGER';
  // A BIGINT key stays a digit string (exact beyond 2^53); a value the column cannot hold finds no row.
  if (key === 'BIGINT') return /^-?\d{1,19}$/.test(s) && BigInt(s) <= 2n ** 63n - 1n && BigInt(s) >= -(2n ** 63n) ? s : undefined;
  if (['INTEGER', 'SMALLINT', 'TINYINT', 'MEDIUMINT'].includes(key)) return /^-?\d{1,15}$/.test(s) ? Number(s) : undefined;
  if (key === 'UUID') return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s) ? s : undefined;
  return s.length > 0 && s.length <= 255 ? s : undefined;
}

function attributes(model: AnyModel): Record<string, any> {
  return (typeof model.getAttributes === 'function' ? model.getAttributes() : model.rawAttributes) ?? {};
}

function associations(model: AnyModel): any[] {
  return Object.values(model.associations ?? {});
}

/** The belongs-to association whose foreign key is `attr`, if any. */
function belongsToFor(model: AnyModel, attr: string): any {
  return associations(model).find((a) => a.associationType === 'BelongsTo' && a.foreignKey === attr);
}

const TIMESTAMPS = new Set(['createdAt', 'updatedAt', 'deletedAt', 'created_at', 'updated_at', 'deleted_at']);

function kindOf(attr: any): FieldKind {
  if (attr.widget && ['text', 'email', 'url', 'file', 'image', 'password', 'json'].includes(attr.widget)) return attr.widget;
  if (attr.choices) return 'choice';
  const key: string = attr.type?.key ?? '';
  switch (key) {
    case 'TEXT': case 'CITEXT': return 'text';
    case 'INTEGER': case 'BIGINT': case 'SMALLINT': case 'TINYINT': case 'MEDIUMINT': return 'integer';
    case 'DECIMAL': return 'decimal';
    case 'FLOAT': case 'DOUBLE': case 'REAL': return 'float';
    case 'BOOLEAN': return 'boolean';
    case 'DATEONLY': return 'date';
    case 'DATE': return 'datetime';
    case 'TIME': return 'time';
    case 'JSON': case 'JSONB': return 'json';
    case 'UUID': return 'uuid';
    case 'ENUM': return 'choice';
    default:
      if (attr.validate?.isEmail) return 'email';
      if (attr.validate?.isUrl) return 'url';
      return 'string';
  }
}

function choicesOf(attr: any): Array<[unknown, string]> | undefined {
  const raw = attr.choices ?? attr.values ?? attr.type?.values;
  if (!Array.isArray(raw)) return undefined;
  return raw.map((c: unknown) => (Array.isArray(c) ? [c[0], String(c[1])] : [c, capfirst(words(String(c)))]));
}

/** Describes one attribute of the model (or one association alias: `author` → the `authorId` FK, `tags` → m2m). */
export function fieldInfo(model: AnyModel, name: string): FieldInfo | undefined {
  const attrs = attributes(model);
  let attr = attrs[name];
  let fkAssoc = attr ? belongsToFor(model, name) : undefined;
  if (!attr) {
    const assoc = (model.associations ?? {})[name];
    if (assoc?.associationType === 'BelongsTo') { fkAssoc = assoc; attr = attrs[assoc.foreignKey]; name = assoc.foreignKey; }
    else if (assoc?.associationType === 'BelongsToMany') {
      return { name, kind: 'm2m', verboseName: words(name), helpText: '', required: false, allowNull: true, primaryKey: false,
        editable: true, unique: false, related: assoc.target, relatedKey: pkName(assoc.target), alias: name };
    }
  }
  if (!attr) return undefined;
  const kind: FieldKind = fkAssoc ? 'fk' : kindOf(attr);
  const hasDefault = attr.defaultValue !== undefined;
  const auto = Boolean(attr.autoIncrement) || Boolean(attr._autoGenerated) || TIMESTAMPS.has(name) || attr.editable === false;
  const info: FieldInfo = {
    name,
    kind,
    verboseName: attr.verboseName ?? (fkAssoc ? words(fkAssoc.as) : words(name)),
    helpText: attr.helpText ?? '',
    required: attr.allowNull === false && !hasDefault && !auto && kind !== 'boolean',
    allowNull: attr.allowNull !== false,
    primaryKey: Boolean(attr.primaryKey),
    editable: !auto && !(attr.primaryKey && attr.type?.key === 'UUID' && hasDefault),
    unique: Boolean(attr.unique),
    defaultValue: typeof attr.defaultValue === 'object' && attr.defaultValue !== null && !Array.isArray(attr.defaultValue) ? undefined : attr.defaultValue,
    uploadTo: attr.uploadTo,
  };
  const len = attr.type?._length ?? attr.type?.options?.length;
  if (kind === 'string' || kind === 'email' || kind === 'url') info.maxLength = Number(len) || 255;
  if (kind === 'decimal') {
    info.scale = Number(attr.type?._scale ?? attr.type?.options?.scale ?? 2);
    const precision = Number(attr.type?._precision ?? attr.type?.options?.precision);
    if (precision > 0) info.precision = precision;
  }
  if (kind === 'integer') Object.assign(info, integerRange(attr.type));
  const dv = attr.defaultValue;
  if (typeof dv === 'function' || (dv && typeof dv === 'object' && typeof dv.key === 'string')) {
    info.defaultValue = undefined;
    info.computedDefault = dv.key === 'NOW' ? 'now' : 'computed';
  }
  // Django's rule (blank=False): a plain default is what the form starts with, not what an emptied NOT NULL number,
  // date or relation saves; left empty it is "This field is required.", as an empty text is ''.
  if (info.defaultValue !== undefined && !info.allowNull && !auto && DEFAULT_IS_INITIAL.has(kind)) info.required = true;
  if (kind === 'choice') info.choices = choicesOf(attr);
  if (fkAssoc) { info.related = fkAssoc.target; info.relatedKey = fkAssoc.targetKey ?? pkName(fkAssoc.target); info.alias = fkAssoc.as; }
  return info;
}

/** The values an integer column holds, by its type (Django's IntegerField/SmallIntegerField/PositiveIntegerField limits). */
function integerRange(type: any): { min: number; max: number } {
  const unsigned = Boolean(type?.options?.unsigned ?? type?._unsigned);
  const bits: Record<string, number> = { TINYINT: 8, SMALLINT: 16, MEDIUMINT: 24, INTEGER: 32 };
  const b = bits[type?.key];
  // BIGINT: what a JavaScript number holds exactly (larger ids would be rounded on the way in).
  if (!b) return { min: unsigned ? 0 : -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
  return unsigned ? { min: 0, max: 2 ** b - 1 } : { min: -(2 ** (b - 1)), max: 2 ** (b - 1) - 1 };
}

/** Every field a default form shows: editable attributes in definition order, then many-to-many relations. */
export function formFieldNames(model: AnyModel): string[] {
  const out: string[] = [];
  for (const name of Object.keys(attributes(model))) {
    const f = fieldInfo(model, name);
    if (f?.editable) out.push(name);
  }
  for (const a of associations(model)) if (a.associationType === 'BelongsToMany') out.push(a.as);
  return out;
}

/** True when `name` is an attribute or an association alias of the model. */
export function hasField(model: AnyModel, name: string): boolean {
  return name in attributes(model) || name in (model.associations ?? {});
}

/** Every attribute name (for checks and the change list's lookups). */
export function attributeNames(model: AnyModel): string[] {
  return Object.keys(attributes(model));
}

/** Models with a belongs-to pointing at `model` (`[{ model: Comment, fk: 'postId', as: 'comments' }]`), for inlines and delete cascades. */
export function reverseRelations(model: AnyModel): Array<{ model: AnyModel; fk: string; onDelete: string }> {
  const out: Array<{ model: AnyModel; fk: string; onDelete: string }> = [];
  const seq = model.sequelize;
  for (const other of Object.values(seq?.models ?? {}) as AnyModel[]) {
    for (const a of associations(other)) {
      if (a.associationType === 'BelongsTo' && a.target === model) {
        const attr = attributes(other)[a.foreignKey] ?? {};
        out.push({ model: other, fk: a.foreignKey, onDelete: String(attr.onDelete ?? a.options?.onDelete ?? 'SET NULL').toUpperCase() });
      }
    }
  }
  return out;
}

/** Many-to-many associations of the model (`{ as: 'tags', target: Tag, accessors }`). */
export function manyToMany(model: AnyModel): any[] {
  return associations(model).filter((a) => a.associationType === 'BelongsToMany');
}
