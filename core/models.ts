// STUB (owned by the models helper): model(), db, DataTypes, Model, Op.
import { DataTypes, Model, Op, Sequelize } from 'sequelize';
import { lateBound } from './state';
export { DataTypes, Model, Op };
export const db: Sequelize = lateBound<Sequelize>('db', () => undefined);
export function model(..._a: unknown[]): any {}
