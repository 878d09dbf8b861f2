// STUB (owned by the models helper): opens the app's Sequelize instance from DATABASE_URL.
import type { AppState } from './state';
export function initDatabase(_app: AppState): void {}
